import {createHash, generateKeyPairSync} from 'node:crypto'
import {closeSync, openSync, readdirSync, readSync, statSync, type Stats} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {join, posix} from 'node:path'

import type {Fault} from '../emulation/service.js'

export interface FileServerCredentials {
  user: string
  password: string
}

/** The sandbox's file server: one folder served over FTP (with explicit TLS: FTPS) and over SFTP. */
export interface SandboxFileServers {
  ftpPort: number
  sftpPort: number
  /** PEM of the self-signed certificate FTPS presents: a profile trusts it as its CA. */
  caCert: string
  /** SHA-256 of the SFTP host key, base64 without padding (as `ssh-keygen -l` shows it). */
  hostKeySha256: string
  logins: Array<{protocol: string; user: string; at: string; accepted: boolean}>
  /** `down` closes both ports; any other fault is not applicable to a file server. */
  setFault(fault: Fault | null): Promise<void>
  stop(): Promise<void>
}

const silentLog = {
  child() {
    return silentLog
  },
  debug() {},
  error() {},
  fatal() {},
  info() {},
  trace() {},
  warn() {},
}

/** Maps a client path to a path under the root; nothing outside the root can be named. */
function localPath(root: string, clientPath: string): string {
  return join(root, posix.normalize(`/${clientPath}`))
}

function attributesOf(stats: Stats) {
  return {
    atime: Math.floor(stats.atimeMs / 1000),
    gid: 0,
    mode: stats.mode,
    mtime: Math.floor(stats.mtimeMs / 1000),
    size: stats.size,
    uid: 0,
  }
}

async function startFtp(
  root: string,
  credentials: FileServerCredentials,
  tls: {key: string; cert: string},
  logins: SandboxFileServers['logins'],
  port: number,
) {
  const {FtpSrv} = await import('ftp-srv')
  const signals = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]))
  const server = new FtpSrv({
    anonymous: false,
    greeting: 'synctrace sandbox file server',
    log: silentLog as never,
    pasv_url: '127.0.0.1',
    tls,
    url: `ftp://127.0.0.1:${port}`,
  })
  // ftp-srv finds a passive port by listening on a candidate, closing it and listening again: between the
  // two another sandbox (or an outgoing connection's ephemeral port) can take it, and the client's data
  // connection then fails or reaches nothing (under load: TLS "wrong version number", empty listings).
  // Port 0 lets the kernel hand out a free port atomically; PASV and EPSV answer with the port it gave.
  ;(server as unknown as {getNextPasvPort: () => Promise<number>}).getNextPasvPort = () => Promise.resolve(0)
  server.on(
    'login',
    (
      {password, username}: {username: string; password: string},
      resolve: (options: {root: string}) => void,
      reject: (error: Error) => void,
    ) => {
      const accepted = username === credentials.user && password === credentials.password
      logins.push({accepted, at: new Date().toISOString(), protocol: 'ftp', user: username})
      if (accepted) resolve({root})
      else reject(new Error('Invalid username or password'))
    },
  )
  server.on('client-error', () => undefined)
  await server.listen()
  const address = (server as unknown as {server: {address(): AddressInfo}}).server.address()
  // ftp-srv listens for the process's signals itself and never lets go: the sandbox stops its servers itself.
  const added = signals.map(
    (signal) => [signal, process.listeners(signal).filter((listener) => !before.get(signal)?.has(listener))] as const,
  )
  for (const [signal, listeners] of added) for (const listener of listeners) process.off(signal, listener as () => void)
  return {close: () => server.close(), port: address.port}
}

type SftpCodes = {
  OPEN_MODE: typeof import('ssh2').utils.sftp.OPEN_MODE
  STATUS_CODE: typeof import('ssh2').utils.sftp.STATUS_CODE
}

/** The open files and directory listings of one SFTP session, by the 4-byte handle sent to the client. */
class SftpHandles {
  private readonly open = new Map<number, {fd?: number; entries?: string[]; path: string}>()
  private next = 1

  add(entry: {fd?: number; entries?: string[]; path: string}): Buffer {
    const id = this.next++
    this.open.set(id, entry)
    const buffer = Buffer.alloc(4)
    buffer.writeUInt32BE(id)
    return buffer
  }

  get(buffer: Buffer) {
    return buffer.length === 4 ? this.open.get(buffer.readUInt32BE(0)) : undefined
  }

  close(buffer: Buffer): void {
    const entry = this.get(buffer)
    if (entry?.fd !== undefined) closeSync(entry.fd)
    if (buffer.length === 4) this.open.delete(buffer.readUInt32BE(0))
  }
}

/** A read-only SFTP subsystem on the folder: stat, open and read, list; every path stays inside the root. */
function serveSftp(sftp: import('ssh2').SFTPWrapper, root: string, {OPEN_MODE, STATUS_CODE}: SftpCodes): void {
  const handles = new SftpHandles()
  const stat = (reqid: number, path: string) => {
    try {
      sftp.attrs(reqid, attributesOf(statSync(localPath(root, path))))
    } catch {
      sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE)
    }
  }
  sftp.on('REALPATH', (reqid, path) => {
    const normalized = posix.normalize(`/${path}`)
    sftp.name(reqid, [{attrs: {} as never, filename: normalized, longname: normalized}])
  })
  sftp.on('STAT', stat)
  sftp.on('LSTAT', stat)
  sftp.on('OPEN', (reqid, path, flags) => {
    if (flags & (OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC))
      return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED)
    try {
      sftp.handle(reqid, handles.add({fd: openSync(localPath(root, path), 'r'), path}))
    } catch {
      sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE)
    }
  })
  sftp.on('READ', (reqid, handle, offset, length) => {
    const open = handles.get(handle)
    if (open?.fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE)
    const buffer = Buffer.alloc(length)
    const read = readSync(open.fd, buffer, 0, length, offset)
    if (read === 0) sftp.status(reqid, STATUS_CODE.EOF)
    else sftp.data(reqid, buffer.subarray(0, read))
  })
  sftp.on('FSTAT', (reqid, handle) => {
    const open = handles.get(handle)
    if (!open) return sftp.status(reqid, STATUS_CODE.FAILURE)
    stat(reqid, open.path)
  })
  sftp.on('OPENDIR', (reqid, path) => {
    try {
      sftp.handle(reqid, handles.add({entries: readdirSync(localPath(root, path)), path}))
    } catch {
      sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE)
    }
  })
  sftp.on('READDIR', (reqid, handle) => {
    const open = handles.get(handle)
    if (!open?.entries) return sftp.status(reqid, STATUS_CODE.FAILURE)
    if (open.entries.length === 0) return sftp.status(reqid, STATUS_CODE.EOF)
    const names = open.entries.splice(0).map((name) => {
      const stats = statSync(join(localPath(root, open.path), name))
      return {
        attrs: attributesOf(stats),
        filename: name,
        longname: `${stats.isDirectory() ? 'd' : '-'}rw-r--r-- 1 sandbox sandbox ${stats.size} ${name}`,
      }
    })
    sftp.name(reqid, names)
  })
  sftp.on('CLOSE', (reqid, handle) => {
    handles.close(handle)
    sftp.status(reqid, STATUS_CODE.OK)
  })
}

async function startSftp(
  root: string,
  credentials: FileServerCredentials,
  hostKey: string,
  logins: SandboxFileServers['logins'],
  port: number,
) {
  const {default: ssh2} = await import('ssh2')
  const clients = new Set<import('ssh2').Connection>()
  const server = new ssh2.Server({hostKeys: [hostKey]}, (client) => {
    clients.add(client)
    client.on('close', () => clients.delete(client))
    client.on('error', () => undefined)
    client.on('authentication', (context) => {
      if (context.method !== 'password') return context.reject(['password'])
      const accepted = context.username === credentials.user && context.password === credentials.password
      logins.push({accepted, at: new Date().toISOString(), protocol: 'sftp', user: context.username})
      if (accepted) context.accept()
      else context.reject(['password'])
    })
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        acceptSession().on('sftp', (acceptSftp) => {
          serveSftp(acceptSftp(), root, ssh2.utils.sftp)
        })
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end()
        server.close(() => resolve())
      }),
    port: (server.address() as AddressInfo).port,
  }
}

/** The FTPS certificate and the SSH host key: generated once per process (RSA keys take a while), shared by every file server. */
let cryptoMaterial: Promise<{cert: string; key: string; hostKey: string; hostKeySha256: string}> | undefined

function fileServerCrypto() {
  cryptoMaterial ??= (async () => {
    const selfsigned = await import('selfsigned')
    const pems = await selfsigned.generate([{name: 'commonName', value: '127.0.0.1'}], {
      extensions: [
        {cA: false, name: 'basicConstraints'},
        {
          altNames: [
            {ip: '127.0.0.1', type: 7},
            {type: 2, value: 'localhost'},
          ],
          name: 'subjectAltName',
        },
      ],
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    })
    const hostKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: {format: 'pem', type: 'pkcs1'},
      publicKeyEncoding: {format: 'pem', type: 'spki'},
    }).privateKey
    const {default: ssh2} = await import('ssh2')
    const parsed = ssh2.utils.parseKey(hostKey)
    if (parsed instanceof Error) throw parsed
    const key = Array.isArray(parsed) ? parsed[0] : parsed
    return {
      cert: pems.cert,
      hostKey,
      hostKeySha256: createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, ''),
      key: pems.private,
    }
  })()
  return cryptoMaterial
}

export async function startFileServers(root: string, credentials: FileServerCredentials): Promise<SandboxFileServers> {
  const material = await fileServerCrypto()
  const pems = {cert: material.cert, private: material.key}
  const {hostKey, hostKeySha256} = material
  const logins: SandboxFileServers['logins'] = []
  let ftp = await startFtp(root, credentials, {cert: pems.cert, key: pems.private}, logins, 0)
  let sftp = await startSftp(root, credentials, hostKey, logins, 0)
  let down = false
  return {
    caCert: pems.cert,
    ftpPort: ftp.port,
    hostKeySha256,
    logins,
    async setFault(fault) {
      if (fault?.kind === 'down' && !down) {
        down = true
        await Promise.all([ftp.close(), sftp.close()])
      } else if (!fault && down) {
        down = false
        ftp = await startFtp(root, credentials, {cert: pems.cert, key: pems.private}, logins, ftp.port)
        sftp = await startSftp(root, credentials, hostKey, logins, sftp.port)
      }
    },
    sftpPort: sftp.port,
    async stop() {
      if (!down) await Promise.all([ftp.close(), sftp.close()])
      down = true
    },
  }
}
