import type {Dispatcher} from 'undici'

import {RequestProblem, type HopProblem} from './problem.js'
import {defaultErrorText} from './attempts.js'
import {redactSecrets} from './redact.js'

/** What the client makes of an answer's status and body: the problem it names, the JSON it carries. */

export function problemForStatus(
  status: number,
  body: unknown,
  host: string,
  describeError?: (status: number, body: unknown) => string | undefined,
): HopProblem {
  const detail = describeError?.(status, body) ?? defaultErrorText(body)
  const suffix = detail ? `: ${redactSecrets(detail).slice(0, 300)}` : ''
  if (status === 401)
    return {httpStatus: status, kind: 'auth', message: `${host}: HTTP 401, the credentials were refused${suffix}`}
  if (status === 403) return {httpStatus: status, kind: 'auth', message: `${host}: HTTP 403, not allowed${suffix}`}
  if (status === 429)
    return {httpStatus: status, kind: 'rate-limited', message: `${host}: HTTP 429, rate limited${suffix}`}
  return {httpStatus: status, kind: 'http-error', message: `${host}: HTTP ${status}${suffix}`}
}

/** An error body for a retry decision: JSON, or null. */
export function parseBodyQuietly(text: string): unknown {
  try {
    return text.trim() === '' ? null : JSON.parse(text)
  } catch {
    return null
  }
}

export function parseBody(
  text: string,
  headers: Record<string, string | string[] | undefined>,
  status: number,
  host: string,
): unknown {
  if (text.trim() === '') return null
  const contentType = String(headers['content-type'] ?? '')
  try {
    return JSON.parse(text)
  } catch {
    if (status >= 400) return {rawText: text.slice(0, 200)}
    const what =
      /html/i.test(contentType) || /^\s*</.test(text) ? 'an HTML page' : `unreadable JSON (${text.length} bytes)`
    throw new RequestProblem({
      httpStatus: status,
      kind: 'bad-response',
      message: `${host}: answered HTTP ${status} with ${what} instead of JSON`,
    })
  }
}

/** A response's body as text, refused past `maxBodyBytes`: a hop sending a huge body must not exhaust memory. */
export async function readBody(
  body: Dispatcher.ResponseData['body'],
  host: string,
  maxBodyBytes: number,
): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > maxBodyBytes) {
      body.destroy()
      throw new RequestProblem({
        kind: 'bad-response',
        message: `${host}: the response exceeded ${Math.round(maxBodyBytes / 1048576)} MiB`,
      })
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
