import {createHash, generateKeyPairSync} from 'node:crypto'
import type {AddressInfo} from 'node:net'

import type {Fault} from '../emulation/service.js'
import {listenAgain} from '../emulation/listen-again.js'
import {startSftp} from './sftp-server.js'

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
  const sftpLogin = (user: string, password: string) => {
    const accepted = user === credentials.user && password === credentials.password
    logins.push({accepted, at: new Date().toISOString(), protocol: 'sftp', user})
    return accepted
  }
  let sftp = await startSftp(root, sftpLogin, hostKey, 0)
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
        const {port: ftpPort} = ftp
        const {port: sftpPort} = sftp
        ftp = await listenAgain(
          () => startFtp(root, credentials, {cert: pems.cert, key: pems.private}, logins, ftpPort),
          ftpPort,
        )
        sftp = await listenAgain(() => startSftp(root, sftpLogin, hostKey, sftpPort), sftpPort)
      }
    },
    sftpPort: sftp.port,
    async stop() {
      if (!down) await Promise.all([ftp.close(), sftp.close()])
      down = true
    },
  }
}
