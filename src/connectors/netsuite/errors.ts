import type {HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import * as schemas from './schemas.js'

/** NetSuite's error bodies, and the problem each refusal becomes. */

/** `{"title": …, "o:errorDetails": [{"detail": …, "o:errorCode": …}]}`: the first detail with its code. */
export function describeNetSuiteError(_status: number, body: unknown): string | undefined {
  const parsed = schemas.errorBody.safeParse(body)
  if (!parsed.success) return undefined
  const detail = parsed.data['o:errorDetails']?.[0]
  const text = [detail?.detail ?? parsed.data.title, detail?.['o:errorCode'] ? `(${detail['o:errorCode']})` : null]
    .filter(Boolean)
    .join(' ')
  return text || undefined
}

/** OAuth 2.0 errors of the token endpoint: `{"error": "invalid_client", "error_description": …}`. */
export function describeOAuthError(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {error, error_description: description} = body as {error?: unknown; error_description?: unknown}
  return typeof error === 'string' ? (typeof description === 'string' ? `${error}: ${description}` : error) : undefined
}

function errorCode(body: unknown): string | null {
  const parsed = schemas.errorBody.safeParse(body)
  return parsed.success ? (parsed.data['o:errorDetails']?.[0]?.['o:errorCode'] ?? null) : null
}

/** Over the account's concurrency limit: 429, or 400 with CONCURRENCY_LIMIT_EXCEEDED, as NetSuite answers either. */
export function overLimit(response: HttpResponse): boolean {
  return (
    response.status === 429 || (response.status === 400 && errorCode(response.body) === 'CONCURRENCY_LIMIT_EXCEEDED')
  )
}

/** The problem of an answer that was not a success, once it is no longer retried. */
export function refusal(response: HttpResponse, url: string, attempts: number): RequestProblem {
  const detail = describeNetSuiteError(response.status, response.body)
  const host = new URL(url).host
  const suffix = detail ? `: ${detail}` : ''
  if (response.status === 401)
    return new RequestProblem({
      httpStatus: 401,
      kind: 'auth',
      message: `${host}: HTTP 401, the credentials were refused${suffix}`,
    })
  if (response.status === 403)
    return new RequestProblem({
      httpStatus: 403,
      kind: 'auth',
      message: `${host}: HTTP 403, the integration's role is not allowed this${suffix}`,
    })
  if (overLimit(response))
    return new RequestProblem({
      httpStatus: response.status,
      kind: 'rate-limited',
      message: `${host}: over the account's concurrency limit, still after ${attempts} attempts${suffix}`,
    })
  return new RequestProblem({
    httpStatus: response.status,
    kind: 'http-error',
    message: `${host}: HTTP ${response.status}${suffix}`,
  })
}

/** SuiteQL refused (400: not understood; 403: not permitted to the role; 404/405: no such route): null, to fall back on the record API. */
export function suiteqlRefused(error: unknown): null {
  if (error instanceof RequestProblem && [400, 403, 404, 405].includes(error.problem.httpStatus ?? 0)) return null
  throw error
}
