/**
 * Every secret the run has loaded is registered here, so that any text headed for stdout, stderr or a
 * log can be scrubbed of it, whatever path the text took (an error message quoting a URL, a debug line).
 */
const registeredSecrets = new Set<string>()

export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 4) registeredSecrets.add(secret)
}

export function redactSecrets(text: string): string {
  let result = text
  for (const secret of registeredSecrets) result = result.split(secret).join('***')
  return result
}

const secretQueryParameters = /([?&](?:access_token|token|client_secret|password|secret|api_key|apikey|code)=)[^&#]*/gi

/** A URL fit for a log line: user info and secret-looking query parameters removed. */
export function redactUrl(url: string): string {
  return redactSecrets(url.replace(/\/\/[^/@]*@/, '//***@').replace(secretQueryParameters, '$1***'))
}
