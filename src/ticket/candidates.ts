import type {EntityName} from '../report/types.js'

/**
 * A code a ticket's text holds, as the words around it suggest: a customer code, an item code or an order
 * number (`hint`, null when no word near it says), or a token that cannot be one (`rejected`, with why).
 */
export interface Candidate {
  token: string
  hint: EntityName | null
  /** Why it is no record code without asking the CMS (a version, a quantity, a date), else null. */
  rejected: string | null
}

/** Words before a code that say which record it is (Swedish and English, as customers write them). */
const hintWords: ReadonlyArray<[RegExp, EntityName]> = [
  [/^(kund|customer|client|leveransadress|delivery|faktureringsadress|billing)/, 'customer'],
  [/^(art|stock|vara|varan|sku)$/, 'item'],
  [/^(artikel|item|price|pris|lager|product|produkt)/, 'item'],
  [/^(order|beställning|ordernr|ordernummer)/, 'order'],
]

const units =
  /^(s|sek|sekund|sekunder|seconds?|secs?|min|minut|minuter|minutes?|h|timmar?|hours?|dagar?|days?|st|pcs|kr|sek|eur|usd|%|kg|gb|mb|ms)$/i

/** How many codes one ticket is searched for at most: a pasted log cannot make synctrace ask the CMS thousands of times. */
export const maxCandidates = 40

/** Text that holds no code a person wrote: links, e-mail addresses and synctrace's own markers. */
function withoutNoise(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/synctrace:[A-Za-z0-9:._-]+/g, ' ')
}

/** The hint of the nearest hint word among the three words before a code, in the same line or sentence. */
function hintBefore(words: string[]): EntityName | null {
  for (const word of words.slice(-3).reverse()) {
    const lower = word.toLowerCase().replace(/[^\p{L}]/gu, '')
    for (const [pattern, entity] of hintWords) if (pattern.test(lower)) return entity
  }
  return null
}

/** Why a token is no record code, before anyone is asked; null when it may be one. */
function rejectedShape(token: string, next: string | undefined): string | null {
  if (/^\d+([.,]\d+)+$/.test(token)) return 'a version or decimal number, not a record code'
  if (/^\d{4}-\d{2}-\d{2}$/.test(token) || /^\d{1,2}[:.]\d{2}$/.test(token)) return 'a date or time'
  if (/^\d+$/.test(token) && next && units.test(next.replace(/[^\p{L}%]/gu, '')))
    return `a quantity ("${token} ${next.replace(/[^\p{L}%]/gu, '')}")`
  return null
}

/**
 * The codes a ticket's text names, in the order they appear, each once: tokens of letters, digits and `-_./`
 * that hold a digit and are at least three characters long (shorter numbers are counts, not codes).
 */
export function findCandidates(texts: readonly string[]): Candidate[] {
  const found = new Map<string, Candidate>()
  for (const text of texts)
    for (const sentence of withoutNoise(text).split(/[\n!?;]+/)) {
      const words = sentence.split(/[\s,()[\]{}"'`<>*|]+/).filter(Boolean)
      words.forEach((word, index) => {
        const token = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
        if (
          token.length < 3 ||
          token.length > 60 ||
          !/\d/.test(token) ||
          !/^[\p{L}\p{N}][\p{L}\p{N}._/-]*$/u.test(token)
        )
          return
        const candidate = {
          hint: hintBefore(words.slice(0, index)),
          rejected: rejectedShape(token, words[index + 1]),
          token,
        }
        const seen = found.get(token)
        if (!seen) found.set(token, candidate)
        else if (!seen.hint && candidate.hint) seen.hint = candidate.hint
      })
    }
  return [...found.values()].slice(0, maxCandidates)
}
