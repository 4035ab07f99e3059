import {createHash} from 'node:crypto'
import {PassThrough, type Readable} from 'node:stream'

import {RequestProblem} from '../../http/problem.js'
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

function problem(location: FileServerLocation, error: unknown): RequestProblem {
  if (error instanceof RequestProblem) return error
  const err = error as {code?: number | string; message?: string; level?: string}
  const where = `${location.protocol}://${location.host}:${location.port}`
  const message = String(err.message ?? error)
  if (err.code === 530 || /login|authentication|All configured authentication methods failed/i.test(message))
    return new RequestProblem({kind: 'auth', message: `${where}: the login was refused (${message.split('\n')[0]?.slice(0, 120)})`})
  if (err.code === 'ECONNREFUSED') return new RequestProblem({kind: 'unreachable', message: `${where}: connection refused`})
  if (err.code === 'ENOTFOUND') return new RequestProblem({kind: 'unreachable', message: `${where}: host not found`})
  if (/timeout|timed out/i.test(message)) return new RequestProblem({kind: 'timeout', message: `${where}: ${message.slice(0, 120)}`})
  if (/host key|certificate|self[- ]signed|CERT|TLS/i.test(message)) return new RequestProblem({kind: 'unreachable', message: `${where}: ${message.slice(0, 160)}`})
  return new RequestProblem({kind: 'http-error', message: `${where}: ${message.split('\n')[0]?.slice(0, 160)}`})
}

async function openFtp(location: FileServerLocation, credentials: FileServerCredentials, timeoutMs: number): Promise<FileServer> {
  const {Client, FileType} = await import('basic-ftp')
  const client = new Client(timeoutMs)
  client.ftp.verbose = false
  try {
    await client.access({
      host: location.host,
      password: credentials.password,
      port: location.port,
      secure: location.protocol === 'ftps',
      secureOptions: location.protocol === 'ftps' ? {ca: credentials.caCert, servername: location.host} : undefined,
      user: credentials.user,
    })
  } catch (error) {
    client.close()
    throw problem(location, error)
  }
  // basic-ftp runs one command at a time: queue the callers.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work)
    queue = next.catch(() => undefined)
    return next
  }
  return {
    close: async () => client.close(),
    list: (path) =>
      serial(async () => {
        try {
          return (await client.list(path)).map((entry) => ({isDirectory: entry.type === FileType.Directory, modifiedAt: entry.modifiedAt ?? null, name: entry.name, size: entry.size}))
        } catch (error) {
          throw problem(location, error)
        }
      }),
    // The stream is handed over at once; the queue moves on only when the transfer has ended, or when
    // the reader stopped early and closed the connection.
    read: (path) =>
      new Promise<Readable>((resolve) => {
        void serial(async () => {
          const stream = new PassThrough()
          resolve(stream)
          await client.downloadTo(stream, path).catch((error: unknown) => {
            if (!stream.destroyed) stream.destroy(problem(location, error))
          })
        })
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
          throw problem(location, error)
        }
      }),
  }
}

async function openSftp(location: FileServerLocation, credentials: FileServerCredentials, timeoutMs: number): Promise<FileServer> {
  const {default: {Client}} = await import('ssh2')
  const connection = new Client()
  const sftp = await new Promise<import('ssh2').SFTPWrapper>((resolve, reject) => {
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
        readyTimeout: timeoutMs,
        username: credentials.user,
      })
  }).catch((error: unknown) => {
    connection.end()
    const message = String((error as Error).message ?? error)
    if (/verification failed/i.test(message)) throw new RequestProblem({kind: 'unreachable', message: `sftp://${location.host}:${location.port}: the host key does not match the profile's hostKeySha256`})
    throw problem(location, error)
  })
  const NO_SUCH_FILE = 2
  return {
    close: async () => {
      connection.end()
    },
    list: (path) =>
      new Promise((resolve, reject) =>
        sftp.readdir(path, (error, entries) =>
          error
            ? reject(problem(location, error))
            : resolve(entries.map((entry) => ({isDirectory: entry.attrs.isDirectory(), modifiedAt: new Date(entry.attrs.mtime * 1000), name: entry.filename, size: entry.attrs.size})))),
      ),
    read: async (path) => sftp.createReadStream(path),
    stat: (path) =>
      new Promise((resolve, reject) =>
        sftp.stat(path, (error, attributes) => {
          if (error) return (error as {code?: number}).code === NO_SUCH_FILE ? resolve(null) : reject(problem(location, error))
          resolve({isDirectory: attributes.isDirectory(), modifiedAt: new Date(attributes.mtime * 1000), name: path.split('/').pop() ?? path, size: attributes.size})
        }),
      ),
  }
}

/** Connects to the installation's file server; the URL's scheme chose the protocol. */
export async function openFileServer(location: FileServerLocation, credentials: FileServerCredentials, timeoutMs = 15_000): Promise<FileServer> {
  return location.protocol === 'sftp' ? openSftp(location, credentials, timeoutMs) : openFtp(location, credentials, timeoutMs)
}
