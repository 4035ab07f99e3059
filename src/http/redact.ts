/**
 * Every secret the run has loaded is registered here, so that any text headed for stdout, stderr or a
 * log can be scrubbed of it, whatever path the text took (an error message quoting a URL, a debug line,
 * a data field a hostile server echoed it into).
 */
const registeredSecrets = new Set<string>()
/** Longer secrets first, so one that contains another is replaced whole; sorted when next used (null: stale). */
let ordered: string[] | null = []

/**
 * Whether a value can be a secret, and so is worth hiding: 8 characters or more, no whitespace, and not a
 * word (letters only, shorter than 16). Anything else is refused, so that a server handing out `": "` or
 * `Nord` as a token cannot make synctrace cut JSON punctuation or a customer's name out of its output.
 */
export function canBeSecret(value: string): boolean {
  return value.length >= 8 && !/\s/.test(value) && !(value.length < 16 && /^\p{L}+$/u.test(value))
}

export function registerSecret(secret: string | undefined | null): void {
  if (!secret || !canBeSecret(secret)) return
  registeredSecrets.add(secret)
  // The forms a secret takes inside JSON text and inside a URL, so it is found there too.
  const inJson = JSON.stringify(secret).slice(1, -1)
  if (inJson !== secret) registeredSecrets.add(inJson)
  const inUrl = encodeURIComponent(secret)
  if (inUrl !== secret) registeredSecrets.add(inUrl)
  ordered = null
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

export function redactSecrets(text: string): string {
  ordered ??= [...registeredSecrets].sort((a, b) => b.length - a.length)
  let result = text
  for (const secret of ordered) if (result.includes(secret)) result = result.split(secret).join('***')
  return result
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
