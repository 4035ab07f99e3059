import {isIP} from 'node:net'
import {PassThrough, type Readable} from 'node:stream'

import type {Client} from 'basic-ftp'

import type {FileServerLocation} from '../location.js'
import type {SessionDeadline} from './deadline.js'
import {problem} from './problem.js'
import type {FileInfo, FileServer, FileServerCredentials} from './types.js'

/** What every operation of one FTP(S) session shares. */
interface FtpSession {
  client: Client
  location: FileServerLocation
  credentials: FileServerCredentials
  deadline: SessionDeadline
  /** Runs one command after the ones before it, within the deadline. */
  serial: <T>(work: () => Promise<T>) => Promise<T>
  /** Closed by us: a transfer cut short by it ends quietly. */
  closed: boolean
}

/** FTP or FTPS (basic-ftp, loaded only when a session opens). */
export async function openFtp(
  location: FileServerLocation,
  credentials: FileServerCredentials,
  deadline: SessionDeadline,
): Promise<FileServer> {
  const {Client} = await import('basic-ftp')
  // Data connections go only to the control connection's host: a PASV answer naming another address is
  // not followed (no bounce to a host the profile did not name).
  const client = new Client(deadline.timeoutMs, {allowSeparateTransferHost: false})
  client.ftp.verbose = false
  deadline.whenExpired(() => client.close())
  try {
    await deadline.race(
      client.access({
        host: location.host,
        password: credentials.password,
        port: location.port,
        secure: location.protocol === 'ftps',
        // SNI takes a host name only; an IP address is checked against the certificate without it.
        secureOptions:
          location.protocol === 'ftps'
            ? {ca: credentials.caCert, ...(isIP(location.host) ? {} : {servername: location.host})}
            : undefined,
        user: credentials.user,
      }),
    )
  } catch (error) {
    client.close()
    deadline.end()
    throw problem(location, error, credentials)
  }
  const session: FtpSession = {client, closed: false, credentials, deadline, location, serial: commandQueue(deadline)}
  return {
    close: async () => {
      session.closed = true
      deadline.end()
      client.close()
    },
    list: (path) => session.serial(() => list(session, path)),
    read: (path) => read(session, path),
    stat: (path) => session.serial(() => stat(session, path)),
  }
}

/** basic-ftp runs one command at a time: queue the callers. */
function commandQueue(deadline: SessionDeadline): FtpSession['serial'] {
  let queue: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work)
    queue = next.catch(() => undefined)
    return deadline.race(next)
  }
}

async function list({client, credentials, location}: FtpSession, path: string): Promise<FileInfo[]> {
  try {
    return (await client.list(path)).map((entry) => ({
      isDirectory: entry.isDirectory,
      modifiedAt: entry.modifiedAt ?? null,
      name: entry.name,
      size: entry.size,
    }))
  } catch (error) {
    throw problem(location, error, credentials)
  }
}

/**
 * The stream is handed over at once; the queue moves on only when the transfer has ended, or when the
 * reader stopped early and closed the connection.
 */
function read(session: FtpSession, path: string): Promise<Readable> {
  const {client, credentials, deadline, location} = session
  return new Promise<Readable>((resolve, reject) => {
    if (deadline.expired) return reject(deadline.reason)
    void session
      .serial(async () => {
        const stream = deadline.track(new PassThrough())
        resolve(stream)
        await client.downloadTo(stream, path).catch((error: unknown) => {
          if (stream.destroyed) return
          // Closed by us (the reader is done): end quietly; by the deadline: its error; else the server's.
          if (session.closed) stream.destroy()
          else stream.destroy(deadline.expired ? (deadline.reason as Error) : problem(location, error, credentials))
        })
      })
      .catch(reject)
  })
}

async function stat({client, credentials, location}: FtpSession, path: string): Promise<FileInfo | null> {
  try {
    const size = await client.size(path)
    const modifiedAt = await client.lastMod(path).catch(() => null)
    return {isDirectory: false, modifiedAt, name: path.split('/').pop() ?? path, size}
  } catch (error) {
    const code = (error as {code?: number}).code
    if (code === 550) return null
    throw problem(location, error, credentials)
  }
}
