import {closeSync, openSync, readdirSync, readSync, statSync, type Stats} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {join, posix} from 'node:path'

// The sandbox file server's SFTP side: a read-only SFTP subsystem on one folder, with password logins. ssh2 is
// loaded only when the server starts (types only here).
import type {Connection, SFTPWrapper, utils} from 'ssh2'

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

type SftpCodes = {
  OPEN_MODE: typeof utils.sftp.OPEN_MODE
  STATUS_CODE: typeof utils.sftp.STATUS_CODE
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
function serveSftp(sftp: SFTPWrapper, root: string, codes: SftpCodes): void {
  const handles = new SftpHandles()
  const stat = (reqid: number, path: string) => {
    try {
      sftp.attrs(reqid, attributesOf(statSync(localPath(root, path))))
    } catch {
      sftp.status(reqid, codes.STATUS_CODE.NO_SUCH_FILE)
    }
  }
  sftp.on('REALPATH', (reqid, path) => {
    const normalized = posix.normalize(`/${path}`)
    sftp.name(reqid, [{attrs: {} as never, filename: normalized, longname: normalized}])
  })
  sftp.on('STAT', stat)
  sftp.on('LSTAT', stat)
  sftp.on('FSTAT', (reqid, handle) => {
    const open = handles.get(handle)
    if (!open) return sftp.status(reqid, codes.STATUS_CODE.FAILURE)
    stat(reqid, open.path)
  })
  serveFiles(sftp, root, codes, handles)
  serveDirectories(sftp, root, codes, handles)
  sftp.on('CLOSE', (reqid, handle) => {
    handles.close(handle)
    sftp.status(reqid, codes.STATUS_CODE.OK)
  })
}

/** Opening a file (to read only) and reading it. */
function serveFiles(sftp: SFTPWrapper, root: string, {OPEN_MODE, STATUS_CODE}: SftpCodes, handles: SftpHandles): void {
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
}

/** Opening a directory and listing it (all names in one answer, then EOF). */
function serveDirectories(sftp: SFTPWrapper, root: string, {STATUS_CODE}: SftpCodes, handles: SftpHandles): void {
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
}

/**
 * The SFTP server on the folder, on `port` (0: any); `login` says whether a user and password may log in (and
 * notes the attempt).
 */
export async function startSftp(
  root: string,
  login: (user: string, password: string) => boolean,
  hostKey: string,
  port: number,
): Promise<{close: () => Promise<void>; port: number}> {
  const {default: ssh2} = await import('ssh2')
  const clients = new Set<Connection>()
  const server = new ssh2.Server({hostKeys: [hostKey]}, (client) => {
    clients.add(client)
    client.on('close', () => clients.delete(client))
    client.on('error', () => undefined)
    client.on('authentication', (context) => {
      if (context.method !== 'password') return context.reject(['password'])
      if (login(context.username, context.password)) context.accept()
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end()
        server.close(() => resolve())
      }),
    port: (server.address() as AddressInfo).port,
  }
}
