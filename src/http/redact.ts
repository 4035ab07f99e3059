/**
 * Every secret the run has loaded is registered here, so that any text headed for stdout, stderr or a
 * log can be scrubbed of it, whatever path the text took (an error message quoting a URL, a debug line,
 * a data field a hostile server echoed it into).
 */
const registeredSecrets = new Set<string>()
/**
 * The secrets by their first `prefixLength` characters (every secret has at least that many), longer ones
 * first; built when next used (null: stale). A text is scanned once, whatever the number of secrets: a fleet
 * run registers thousands.
 */
let byPrefix: Map<string, string[]> | null = null
const prefixLength = 8

/**
 * Whether a value can be a secret, and so is worth hiding: 8 characters or more, no whitespace, and not a
 * word (letters only, shorter than 16). Anything else is refused, so that a server handing out `": "` or
 * `Nord` as a token cannot make synctrace cut JSON punctuation or a customer's name out of its output.
 */
export function canBeSecret(value: string): boolean {
  return value.length >= 8 && !/\s/.test(value) && !(value.length < 16 && /^\p{L}+$/u.test(value))
}

export function registerSecret(secret: string | undefined | null): void {
  // A secret registered before changes nothing (a fleet run registers each profile's secrets once per profile).
  if (!secret || registeredSecrets.has(secret) || !canBeSecret(secret)) return
  registeredSecrets.add(secret)
  // The forms a secret takes inside JSON text and inside a URL, so it is found there too.
  const inJson = JSON.stringify(secret).slice(1, -1)
  if (inJson !== secret) registeredSecrets.add(inJson)
  const inUrl = encodeURIComponent(secret)
  if (inUrl !== secret) registeredSecrets.add(inUrl)
  byPrefix = null
}

/** The user info of a URL (`https://user:password@host`) is a secret of the run the moment the URL is read. */
export function registerUrlSecrets(url: string | undefined | null): void {
  if (!url) return
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(url)
  if (!match) return
  const userInfo = match[1] as string
  registerSecret(userInfo)
  const [user, password] = userInfo.split(':', 2) as [string, string | undefined]
  for (const part of [password, user]) {
    if (!part) continue
    registerSecret(part)
    try {
      registerSecret(decodeURIComponent(part))
    } catch {
      // Not percent-encoded after all.
    }
  }
}

function secretsByPrefix(): Map<string, string[]> {
  if (byPrefix) return byPrefix
  byPrefix = new Map()
  for (const secret of [...registeredSecrets].sort((a, b) => b.length - a.length)) {
    const key = secret.slice(0, prefixLength)
    byPrefix.set(key, [...(byPrefix.get(key) ?? []), secret])
  }
  return byPrefix
}

/** The end of the longest secret at `index` of the text, else -1. */
function secretEndAt(text: string, index: number, secrets: Map<string, string[]>): number {
  const found = secrets.get(text.slice(index, index + prefixLength))?.find((secret) => text.startsWith(secret, index))
  return found === undefined ? -1 : index + found.length
}

/** The text with every registered secret as `***`; secrets that overlap are one `***`. */
export function redactSecrets(text: string): string {
  if (registeredSecrets.size === 0 || text.length < prefixLength) return text
  const secrets = secretsByPrefix()
  let result = ''
  let copied = 0
  for (let index = 0; index <= text.length - prefixLength; ) {
    let end = secretEndAt(text, index, secrets)
    if (end < 0) {
      index += 1
      continue
    }
    for (let inside = index + 1; inside < end; inside++) end = Math.max(end, secretEndAt(text, inside, secrets))
    result += `${text.slice(copied, index)}***`
    copied = end
    index = end
  }
  return copied === 0 ? text : result + text.slice(copied)
}

/** A JSON string literal: its quotes, escapes and all. */
const jsonStringLiteral = /"(?:[^"\\]|\\.)*"/g

/**
 * JSON text with every registered secret replaced inside its string values (and keys), never across
 * them: the text stays the same JSON, whatever a secret looks like. Text that is not JSON after all and
 * still holds a secret outside its string literals is redacted as text.
 */
export function redactSecretsInJson(json: string): string {
  if (redactSecrets(json) === json) return json
  const redacted = json.replace(jsonStringLiteral, (literal) => {
    if (redactSecrets(literal) === literal) return literal
    try {
      return JSON.stringify(redactSecrets(JSON.parse(literal) as string))
    } catch {
      return redactSecrets(literal)
    }
  })
  if (redactSecrets(redacted) === redacted) return redacted
  try {
    JSON.parse(json)
    // Valid JSON: what still matches is made of punctuation and other values, not a secret's value.
    return redacted
  } catch {
    return redactSecrets(redacted)
  }
}

const secretQueryParameters = /([?&](?:access_token|token|client_secret|password|secret|api_key|apikey|code)=)[^&#]*/gi

/** A URL fit for a log line: user info and secret-looking query parameters removed. */
export function redactUrl(url: string): string {
  return redactSecrets(url.replace(/\/\/[^/@]*@/, '//***@').replace(secretQueryParameters, '$1***'))
}

/** A URL to print (doctor's hops, a dry run, a profile list): no user info at all, secret-looking parameters masked. */
export function displayUrl(url: string): string {
  return redactUrl(url).replace(/^([a-z][a-z0-9+.-]*:)?\/\/\*\*\*@/i, '$1//')
}
