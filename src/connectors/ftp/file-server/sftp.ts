import {createHash} from 'node:crypto'

import type {Client, SFTPWrapper, Stats} from 'ssh2'

import {RequestProblem} from '../../../http/problem.js'
import type {FileServerLocation} from '../location.js'
import type {SessionDeadline} from './deadline.js'
import {problem} from './problem.js'
import type {FileInfo, FileServer, FileServerCredentials} from './types.js'

const NO_SUCH_FILE = 2

/** SFTP (ssh2, loaded only when a session opens). */
export async function openSftp(
  location: FileServerLocation,
  credentials: FileServerCredentials,
  deadline: SessionDeadline,
): Promise<FileServer> {
  const {
    default: {Client},
  } = await import('ssh2')
  const connection = new Client()
  // A late error of a connection we have given up on must not become an unhandled 'error' event.
  connection.on('error', () => undefined)
  deadline.whenExpired(() => connection.end())
  const sftp = await deadline.race(connect(connection, location, credentials, deadline)).catch((error: unknown) => {
    connection.end()
    deadline.end()
    const message = String((error as Error).message ?? error)
    if (/verification failed/i.test(message))
      throw new RequestProblem({
        kind: 'unreachable',
        message: `sftp://${location.host}:${location.port}: the host key does not match the profile's hostKeySha256`,
      })
    throw problem(location, error, credentials)
  })
  const fail = (error: unknown) => problem(location, error, credentials)
  return {
    close: async () => {
      deadline.end()
      connection.end()
    },
    list: (path) =>
      deadline.race(
        new Promise((resolve, reject) =>
          sftp.readdir(path, (error, entries) =>
            error ? reject(fail(error)) : resolve(entries.map((entry) => fileInfo(entry.filename, entry.attrs))),
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
            if (error) return (error as {code?: number}).code === NO_SUCH_FILE ? resolve(null) : reject(fail(error))
            resolve(fileInfo(path.split('/').pop() ?? path, attributes))
          }),
        ),
      ),
  }
}

/** Logs in and opens the SFTP subsystem, checking the host key when the profile pins one. */
function connect(
  connection: Client,
  location: FileServerLocation,
  credentials: FileServerCredentials,
  deadline: SessionDeadline,
): Promise<SFTPWrapper> {
  return new Promise<SFTPWrapper>((resolve, reject) => {
    connection
      .on('ready', () => connection.sftp((error, session) => (error ? reject(error) : resolve(session))))
      .on('error', reject)
      .connect({
        host: location.host,
        hostVerifier: (key: Buffer) => hostKeyMatches(key, credentials.hostKeySha256),
        password: credentials.password,
        port: location.port,
        readyTimeout: deadline.timeoutMs,
        username: credentials.user,
      })
  })
}

function hostKeyMatches(key: Buffer, expectedSha256: string | undefined): boolean {
  if (!expectedSha256) return true
  const fingerprint = createHash('sha256').update(key).digest('base64').replace(/=+$/, '')
  return fingerprint === expectedSha256.replace(/^SHA256:/, '').replace(/=+$/, '')
}

function fileInfo(name: string, attributes: Stats): FileInfo {
  return {
    isDirectory: attributes.isDirectory(),
    modifiedAt: new Date(attributes.mtime * 1000),
    name,
    size: attributes.size,
  }
}
