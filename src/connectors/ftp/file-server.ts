import {registerSecret} from '../../http/redact.js'
import {SessionDeadline} from './file-server/deadline.js'
import {debugged} from './file-server/debugged.js'
import {openFtp} from './file-server/ftp.js'
import {where} from './file-server/problem.js'
import {openSftp} from './file-server/sftp.js'
import type {FileServer, FileServerCredentials} from './file-server/types.js'
import type {FileServerLocation} from './location.js'

export type {FileInfo, FileServer, FileServerCredentials} from './file-server/types.js'

/**
 * Connects to the installation's file server; the URL's scheme chose the protocol. `timeoutMs` is the
 * whole session's deadline, connect to last byte.
 */
export async function openFileServer(
  location: FileServerLocation,
  credentials: FileServerCredentials,
  timeoutMs = 20_000,
  signal?: AbortSignal,
  debug?: (line: string) => void,
): Promise<FileServer> {
  // The password may come back in a server's error text: it is a secret of this run from now on.
  registerSecret(credentials.password)
  const deadline = new SessionDeadline(location, timeoutMs, signal)
  const server = where(location)
  // Nothing left of the deadline (Ctrl-C, or a session asked for after it passed): no connection after it.
  if (deadline.expired) {
    debug?.(`${server}: not connecting, the deadline has passed`)
    throw deadline.reason
  }
  const open = () =>
    location.protocol === 'sftp' ? openSftp(location, credentials, deadline) : openFtp(location, credentials, deadline)
  if (!debug) return open()
  const started = performance.now()
  debug(`${server}: connect and log in as ${credentials.user} (session deadline ${timeoutMs} ms)`)
  let opened: FileServer
  try {
    opened = await open()
  } catch (error) {
    debug(`${server}: connect failed after ${Math.round(performance.now() - started)} ms: ${(error as Error).message}`)
    throw error
  }
  debug(`${server}: logged in after ${Math.round(performance.now() - started)} ms`)
  return debugged(opened, server, debug)
}
