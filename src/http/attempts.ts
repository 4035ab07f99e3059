import type {HopProblem} from './problem.js'
import {redactSecrets} from './redact.js'
import {undiciErrors} from './undici.js'

/** What the HTTP client decides about one attempt: retry it, after how long, and how to name a failure. */

export interface HttpTimeouts {
  /** TCP/TLS connect. */
  connectMs: number
  /** Waiting for the response headers of one attempt. */
  headersMs: number
  /** Gap between two body chunks. */
  bodyMs: number
  /** Everything for one logical request, retries and Retry-After waits included. */
  totalMs: number
}

export const retryableStatuses = new Set([429, 502, 503, 504])
export const retryableErrorCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const header = Array.isArray(value) ? value[0] : value
  if (!header) return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Math.max(0, Number(header) * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * The origin and the request target exactly as built from encoded segments. A URL parser resolves dot
 * segments, `%2E%2E` included, so a key `..` would climb out of its collection; the path is therefore
 * protected from that resolution and sent as written.
 */
export function requestTarget(raw: string): {host: string; origin: string; path: string} {
  const url = new URL(raw.replace(/%2e/gi, '%Z2E'))
  return {host: url.host, origin: url.origin, path: `${url.pathname}${url.search}`.replace(/%Z2E/g, '%2E')}
}

export function backoffMs(attempt: number): number {
  const base = Math.min(4000, 250 * 2 ** attempt)
  return base / 2 + Math.random() * (base / 2)
}

export function describeNetworkError(error: unknown, host: string, timeouts: HttpTimeouts): HopProblem {
  const err = error as {code?: string; name?: string; message?: string; cause?: {code?: string}}
  const code = err.code ?? err.cause?.code
  const undici = undiciErrors()
  if (err instanceof undici.ConnectTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT')
    return {kind: 'timeout', message: `${host}: no connection within ${timeouts.connectMs} ms`}
  if (err instanceof undici.HeadersTimeoutError || code === 'UND_ERR_HEADERS_TIMEOUT')
    return {kind: 'timeout', message: `${host}: no response within ${timeouts.headersMs} ms`}
  if (err instanceof undici.BodyTimeoutError || code === 'UND_ERR_BODY_TIMEOUT')
    return {kind: 'timeout', message: `${host}: the response stalled for ${timeouts.bodyMs} ms`}
  if (err.name === 'TimeoutError')
    return {kind: 'timeout', message: `${host}: no complete answer within ${timeouts.totalMs} ms`}
  if (code === 'ECONNREFUSED') return {kind: 'unreachable', message: `${host}: connection refused`}
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return {kind: 'unreachable', message: `${host}: host not found`}
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return {kind: 'unreachable', message: `${host}: the connection was closed mid-response`}
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return {kind: 'unreachable', message: `${host}: network unreachable`}
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT'))
    return {kind: 'unreachable', message: `${host}: TLS failed (${code})`}
  return {kind: 'unreachable', message: `${host}: ${redactSecrets(err.message ?? String(error))}`}
}

export function defaultErrorText(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const error = (body as {error?: unknown}).error
    if (error && typeof error === 'object') {
      const {code, message} = error as {code?: unknown; message?: unknown}
      if (typeof message === 'string') return typeof code === 'string' ? `${code}: ${message}` : message
    }
  }
  return undefined
}

/** The headers and body of a request: JSON by default, its Idempotency-Key when it has one. */
export function requestParts(req: {headers?: Record<string, string>; idempotencyKey?: string; body?: unknown}): {
  headers: Record<string, string>
  payload: string | undefined
} {
  const headers: Record<string, string> = {accept: 'application/json', ...req.headers}
  if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey
  if (req.body === undefined) return {headers, payload: undefined}
  headers['content-type'] ??= 'application/json'
  return {headers, payload: typeof req.body === 'string' ? req.body : JSON.stringify(req.body)}
}
