import type {JsonObject} from '../schema.js'

/** What Visma eAccounting's answers say when they are not a success. */

/**
 * `{"ErrorCode", "DeveloperErrorMessage", "ErrorId"}` from the API; `{"error", "error_description"}` from
 * Visma Connect's token endpoint.
 */
export function describeVismaError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {
    DeveloperErrorMessage: message,
    ErrorCode: code,
    ErrorId: id,
    error,
    error_description: description,
  } = body as JsonObject
  if (typeof message === 'string' || typeof code === 'number') {
    const detail = [
      code === undefined ? null : `ErrorCode ${String(code)}`,
      typeof id === 'string' ? `ErrorId ${id}` : null,
    ]
      .filter(Boolean)
      .join(', ')
    return `${typeof message === 'string' ? message : 'error'}${detail ? ` (${detail})` : ''}`
  }
  if (typeof error === 'string') return typeof description === 'string' ? `${error}: ${description}` : error
  return undefined
}

/**
 * The wait a 429 asks for. eAccounting sends no Retry-After header; its body says it:
 * `{"ErrorCode": 4010, "DeveloperErrorMessage": "… Try again in 55 seconds.", …}`.
 */
export function vismaRetryDelayMs(status: number, body: unknown): number | undefined {
  if (status !== 429 || !body || typeof body !== 'object') return undefined
  const message = (body as JsonObject).DeveloperErrorMessage
  const match = typeof message === 'string' ? /try again in (\d+(?:\.\d+)?) second/i.exec(message) : null
  // A quota message without a time: the window is a minute.
  if (!match) return (body as JsonObject).ErrorCode === 4010 ? 60_000 : undefined
  return Number(match[1]) * 1000 + 250
}
