import {createHash} from 'node:crypto'
import {isIP} from 'node:net'
import {PassThrough, type Readable} from 'node:stream'

import {RequestProblem} from '../../http/problem.js'
import {redactSecrets, registerSecret} from '../../http/redact.js'
import type {FileServerLocation} from './location.js'

export interface FileServerCredentials {
  user: string
  password: string
  /** PEM of the CA (or the self-signed certificate) that FTPS must present. */
  caCert?: string
  /** SHA-256 of the SFTP host key, base64 as `ssh-keygen -l` shows it (without the `SHA256:` prefix). */
  hostKeySha256?: string
}

export interface FileInfo {
  name: string
  size: number
  modifiedAt: Date | null
  isDirectory: boolean
}

/** The few operations synctrace needs from FTP, FTPS and SFTP alike. */
export interface FileServer {
  /** Null when the file does not exist. */
  stat(path: string): Promise<FileInfo | null>
  /** A stream of the file's bytes; destroying it stops the transfer. */
  read(path: string): Promise<Readable>
  list(path: string): Promise<FileInfo[]>
  close(): Promise<void>
}

function where(location: FileServerLocation): string {
  return `${location.protocol}://${location.host}:${location.port}`
}

/** A server's message, cut to one line, without the credentials it may echo back. */
function serverText(message: string, credentials: FileServerCredentials | undefined, max: number): string {
  let text = message.split('\n')[0] ?? ''
  if (credentials?.password) text = text.split(credentials.password).join('***')
  return redactSecrets(text).slice(0, max)
}

function problem(location: FileServerLocation, error: unknown, credentials?: FileServerCredentials): RequestProblem {
  if (error instanceof RequestProblem) return error
  const err = error as {code?: number | string; message?: string; level?: string}
  const at = where(location)
  const message = String(err.message ?? error)
  if (err.code === 530 || /login|authentication|All configured authentication methods failed/i.test(message))
    return new RequestProblem({kind: 'auth', message: `${at}: the login was refused (${serverText(message, credentials, 120)})`})
  if (err.code === 'ECONNREFUSED') return new RequestProblem({kind: 'unreachable', message: `${at}: connection refused`})
  if (err.code === 'ENOTFOUND') return new RequestProblem({kind: 'unreachable', message: `${at}: host not found`})
  if (/timeout|timed out/i.test(message)) return new RequestProblem({kind: 'timeout', message: `${at}: ${serverText(message, credentials, 120)}`})
  if (/host key|certificate|self[- ]signed|CERT|TLS/i.test(message)) return new RequestProblem({kind: 'unreachable', message: `${at}: ${serverText(message, credentials, 160)}`})
  return new RequestProblem({kind: 'http-error', message: `${at}: ${serverText(message, credentials, 160)}`})
}

/**
 * One deadline for a whole file-server session, from connect to the last byte: a server that trickles
 * (or never answers) cannot hold a trace beyond --timeout. When it passes (or Ctrl-C aborts), the
 * connection is closed and every open transfer ends with the timeout as its error.
 */
class SessionDeadline {
  readonly controller = new AbortController()
  private readonly timer: NodeJS.Timeout
  private readonly streams = new Set<Readable>()
  private onExpire: () => void = () => undefined

  constructor(
    location: FileServerLocation,
    readonly timeoutMs: number,
    signal?: AbortSignal,
  ) {
    this.timer = setTimeout(
      () => this.expire(new RequestProblem({kind: 'timeout', message: `${where(location)}: no complete answer within ${Math.round(timeoutMs / 100) / 10} s`})),
      timeoutMs,
    )
    this.timer.unref()
    if (signal) {
      if (signal.aborted) this.expire(signal.reason)
      else signal.addEventListener('abort', () => this.expire(signal.reason), {once: true})
    }
  }

  get expired(): boolean {
    return this.controller.signal.aborted
  }

  get reason(): unknown {
    return this.controller.signal.reason
  }

  /** What to do to the connection when the deadline passes. */
  whenExpired(close: () => void): void {
    this.onExpire = close
    if (this.expired) close()
  }

  private expire(reason: unknown): void {
    if (this.expired) return
    this.controller.abort(reason)
    for (const stream of this.streams) stream.destroy(reason instanceof Error ? reason : new Error(String(reason)))
    this.streams.clear()
    this.onExpire()
  }

  /** The work, or the deadline's error if it passes first. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.expired) {
      work.catch(() => undefined)
      return Promise.reject(this.reason)
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.reason)
      this.controller.signal.addEventListener('abort', onAbort, {once: true})
      work.then(
        (value) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          resolve(value)
        },
        (error: unknown) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          reject(this.expired ? this.reason : error)
        },
      )
    })
  }

  track<S extends Readable>(stream: S): S {
    if (this.expired) {
      stream.destroy(this.reason as Error)
      return stream
    }
    this.streams.add(stream)
    stream.once('close', () => this.streams.delete(stream))
    return stream
  }

  /** Our own close: open transfers end quietly (their reader has stopped), then the timer stops. */
  end(): void {
    clearTimeout(this.timer)
    for (const stream of this.streams) stream.destroy()
    this.streams.clear()
  }
}

async function openFtp(location: FileServerLocation, credentials: FileServerCredentials, deadline: SessionDeadline): Promise<FileServer> {
  const {Client, FileType} = await import('basic-ftp')
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
        secureOptions: location.protocol === 'ftps' ? {ca: credentials.caCert, ...(isIP(location.host) ? {} : {servername: location.host})} : undefined,
        user: credentials.user,
      }),
    )
  } catch (error) {
    client.close()
    deadline.end()
    throw problem(location, error, credentials)
  }
  // basic-ftp runs one command at a time: queue the callers.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work)
    queue = next.catch(() => undefined)
    return deadline.race(next)
  }
  let closed = false
  return {
    close: async () => {
      closed = true
      deadline.end()
      client.close()
    },
    list: (path) =>
      serial(async () => {
        try {
          return (await client.list(path)).map((entry) => ({
            isDirectory: entry.type === FileType.Directory,
            modifiedAt: entry.modifiedAt ?? null,
            name: entry.name,
            size: entry.size,
          }))
        } catch (error) {
          throw problem(location, error, credentials)
        }
      }),
    // The stream is handed over at once; the queue moves on only when the transfer has ended, or when
    // the reader stopped early and closed the connection.
    read: (path) =>
      new Promise<Readable>((resolve, reject) => {
        if (deadline.expired) return reject(deadline.reason)
        void serial(async () => {
          const stream = deadline.track(new PassThrough())
          resolve(stream)
          await client.downloadTo(stream, path).catch((error: unknown) => {
            if (stream.destroyed) return
            // Closed by us (the reader is done): end quietly; by the deadline: its error; else the server's.
            if (closed) stream.destroy()
            else stream.destroy(deadline.expired ? (deadline.reason as Error) : problem(location, error, credentials))
          })
        }).catch(reject)
      }),
    stat: (path) =>
      serial(async () => {
        try {
          const size = await client.size(path)
          const modifiedAt = await client.lastMod(path).catch(() => null)
          return {isDirectory: false, modifiedAt, name: path.split('/').pop() ?? path, size}
        } catch (error) {
          const code = (error as {code?: number}).code
          if (code === 550) return null
          throw problem(location, error, credentials)
        }
      }),
  }
}

async function openSftp(location: FileServerLocation, credentials: FileServerCredentials, deadline: SessionDeadline): Promise<FileServer> {
  const {
    default: {Client},
  } = await import('ssh2')
  const connection = new Client()
  // A late error of a connection we have given up on must not become an unhandled 'error' event.
  connection.on('error', () => undefined)
  deadline.whenExpired(() => connection.end())
  const sftp = await deadline
    .race(
      new Promise<import('ssh2').SFTPWrapper>((resolve, reject) => {
        connection
          .on('ready', () => connection.sftp((error, session) => (error ? reject(error) : resolve(session))))
          .on('error', reject)
          .connect({
            host: location.host,
            hostVerifier: (key: Buffer) => {
              if (!credentials.hostKeySha256) return true
              const fingerprint = createHash('sha256').update(key).digest('base64').replace(/=+$/, '')
              return fingerprint === credentials.hostKeySha256.replace(/^SHA256:/, '').replace(/=+$/, '')
            },
            password: credentials.password,
            port: location.port,
            readyTimeout: deadline.timeoutMs,
            username: credentials.user,
          })
      }),
    )
    .catch((error: unknown) => {
      connection.end()
      deadline.end()
      const message = String((error as Error).message ?? error)
      if (/verification failed/i.test(message))
        throw new RequestProblem({kind: 'unreachable', message: `sftp://${location.host}:${location.port}: the host key does not match the profile's hostKeySha256`})
      throw problem(location, error, credentials)
    })
  const NO_SUCH_FILE = 2
  return {
    close: async () => {
      deadline.end()
      connection.end()
    },
    list: (path) =>
      deadline.race(
        new Promise((resolve, reject) =>
          sftp.readdir(path, (error, entries) =>
            error
              ? reject(problem(location, error, credentials))
              : resolve(
                  entries.map((entry) => ({isDirectory: entry.attrs.isDirectory(), modifiedAt: new Date(entry.attrs.mtime * 1000), name: entry.filename, size: entry.attrs.size})),
                ),
          ),
        ),
      ),
    read: async (path) => {
      if (deadline.expired) throw deadline.reason
      return deadline.track(sftp.createReadStream(path))
    },
    stat: (path) =>
      deadline.race(
        new Promise((resolve, reject) =>
          sftp.stat(path, (error, attributes) => {
            if (error) return (error as {code?: number}).code === NO_SUCH_FILE ? resolve(null) : reject(problem(location, error, credentials))
            resolve({isDirectory: attributes.isDirectory(), modifiedAt: new Date(attributes.mtime * 1000), name: path.split('/').pop() ?? path, size: attributes.size})
          }),
        ),
      ),
  }
}

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
  if (!debug) return location.protocol === 'sftp' ? openSftp(location, credentials, deadline) : openFtp(location, credentials, deadline)
  const started = performance.now()
  debug(`${server}: connect and log in as ${credentials.user} (session deadline ${timeoutMs} ms)`)
  let opened: FileServer
  try {
    opened = await (location.protocol === 'sftp' ? openSftp(location, credentials, deadline) : openFtp(location, credentials, deadline))
  } catch (error) {
    debug(`${server}: connect failed after ${Math.round(performance.now() - started)} ms: ${(error as Error).message}`)
    throw error
  }
  debug(`${server}: logged in after ${Math.round(performance.now() - started)} ms`)
  return debugged(opened, server, debug)
}

/** The same file server, with one --debug line per operation and its outcome. */
function debugged(server: FileServer, name: string, debug: (line: string) => void): FileServer {
  const timed = async <T>(what: string, work: () => Promise<T>, outcome: (value: T) => string): Promise<T> => {
    const started = performance.now()
    try {
      const value = await work()
      debug(`${name}: ${what} → ${outcome(value)} in ${Math.round(performance.now() - started)} ms`)
      return value
    } catch (error) {
      debug(`${name}: ${what} → failed in ${Math.round(performance.now() - started)} ms: ${(error as Error).message}`)
      throw error
    }
  }
  return {
    close: () =>
      timed(
        'close',
        () => server.close(),
        () => 'closed',
      ),
    list: (path) =>
      timed(
        `list ${path}`,
        () => server.list(path),
        (entries) => `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`,
      ),
    read: async (path) => {
      const started = performance.now()
      const stream = await timed(
        `read ${path}`,
        () => server.read(path),
        () => 'transfer started',
      )
      // Only 'close' is listened to: a 'data' listener would start the stream flowing before its reader.
      stream.once('close', () => debug(`${name}: read ${path} closed after ${Math.round(performance.now() - started)} ms`))
      return stream
    },
    stat: (path) =>
      timed(
        `stat ${path}`,
        () => server.stat(path),
        (info) => (info ? `${info.size} bytes, modified ${info.modifiedAt?.toISOString() ?? 'unknown'}` : 'not there'),
      ),
  }
}
