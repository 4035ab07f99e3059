/**
 * Normalisation: two values that differ only in form (spacing, the case of an e-mail address, "Sweden"
 * versus "SE", "08-123 456" versus "+46 8 123 456") compare equal.
 */

const countryNames: Record<string, string> = {
  danmark: 'DK',
  denmark: 'DK',
  deutschland: 'DE',
  finland: 'FI',
  germany: 'DE',
  holland: 'NL',
  netherlands: 'NL',
  nederland: 'NL',
  norge: 'NO',
  norway: 'NO',
  sverige: 'SE',
  sweden: 'SE',
  suomi: 'FI',
  'united kingdom': 'GB',
  uk: 'GB',
  'great britain': 'GB',
  'united states': 'US',
  usa: 'US',
  belgium: 'BE',
  belgië: 'BE',
  belgique: 'BE',
  france: 'FR',
  poland: 'PL',
  polska: 'PL',
  estonia: 'EE',
  eesti: 'EE',
  iceland: 'IS',
  ísland: 'IS',
}

const callingCodes: Record<string, string> = {
  BE: '32',
  DE: '49',
  DK: '45',
  EE: '372',
  FI: '358',
  FR: '33',
  GB: '44',
  IS: '354',
  NL: '31',
  NO: '47',
  PL: '48',
  SE: '46',
  US: '1',
}

export function normalizeText(value: string | null | undefined): string {
  return (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()
}

export function normalizeEmail(value: string | null | undefined): string {
  return normalizeText(value).toLowerCase()
}

/** ISO-2 code from a code or a country's name in English or its own language; unknown names stay as they are. */
export function normalizeCountry(value: string | null | undefined): string {
  const text = normalizeText(value)
  if (text === '') return ''
  if (/^[a-z]{2}$/i.test(text)) return text.toUpperCase()
  return countryNames[text.toLowerCase()] ?? text.toUpperCase()
}

export function normalizePostCode(value: string | null | undefined): string {
  return normalizeText(value).replace(/[\s-]/g, '').toUpperCase()
}

/**
 * A phone number as +<country><number> digits. A national number ("08-123 456") is read with the
 * customer's country, so it equals the international form ("+46 8 123 456").
 */
export function normalizePhone(value: string | null | undefined, countryCode = 'SE'): string {
  const text = normalizeText(value)
  if (text === '') return ''
  let digits = text.replace(/[^\d+]/g, '')
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`
  if (digits.startsWith('+')) return `+${digits.slice(1).replace(/\+/g, '')}`
  const calling = callingCodes[normalizeCountry(countryCode)]
  if (calling && digits.startsWith('0')) return `+${calling}${digits.slice(1)}`
  return digits
}

export function normalizeCodeList(values: string[] | null | undefined): string {
  return [...new Set((values ?? []).map((value) => normalizeText(value).toUpperCase()).filter(Boolean))]
    .sort()
    .join(',')
}
