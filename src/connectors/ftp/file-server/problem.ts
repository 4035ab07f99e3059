import {RequestProblem} from '../../../http/problem.js'
import {redactSecrets} from '../../../http/redact.js'
import type {FileServerLocation} from '../location.js'
import type {FileServerCredentials} from './types.js'

/** The server as messages name it: `sftp://files.acme.example:22`. */
export function where(location: FileServerLocation): string {
  return `${location.protocol}://${location.host}:${location.port}`
}

/** A server's message, cut to one line, without the credentials it may echo back. */
function serverText(message: string, credentials: FileServerCredentials | undefined, max: number): string {
  let text = message.split('\n')[0] ?? ''
  if (credentials?.password) text = text.split(credentials.password).join('***')
  return redactSecrets(text).slice(0, max)
}

/** A protocol client's error as the hop's problem: refused login, unreachable, timeout, or the server's words. */
export function problem(
  location: FileServerLocation,
  error: unknown,
  credentials?: FileServerCredentials,
): RequestProblem {
  if (error instanceof RequestProblem) return error
  const err = error as {code?: number | string; message?: string; level?: string}
  const at = where(location)
  const message = String(err.message ?? error)
  if (err.code === 530 || /login|authentication|All configured authentication methods failed/i.test(message))
    return new RequestProblem({
      kind: 'auth',
      message: `${at}: the login was refused (${serverText(message, credentials, 120)})`,
    })
  if (err.code === 'ECONNREFUSED')
    return new RequestProblem({kind: 'unreachable', message: `${at}: connection refused`})
  if (err.code === 'ENOTFOUND') return new RequestProblem({kind: 'unreachable', message: `${at}: host not found`})
  if (/timeout|timed out/i.test(message))
    return new RequestProblem({kind: 'timeout', message: `${at}: ${serverText(message, credentials, 120)}`})
  if (/host key|certificate|self[- ]signed|CERT|TLS/i.test(message))
    return new RequestProblem({kind: 'unreachable', message: `${at}: ${serverText(message, credentials, 160)}`})
  return new RequestProblem({kind: 'http-error', message: `${at}: ${serverText(message, credentials, 160)}`})
}
