import {posix} from 'node:path'

import {UserError} from '../../util/errors.js'

export type FileProtocol = 'ftp' | 'ftps' | 'sftp'

export interface FileServerLocation {
  protocol: FileProtocol
  host: string
  port: number
  /** The base folder every layout path is relative to, e.g. `/a4s`. */
  basePath: string
}

/** `sftp://files.acme.example:22/a4s`: the scheme picks the protocol. User info in the URL is ignored (credentials come from the profile). */
export function parseFileServerUrl(url: string): FileServerLocation {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UserError(
      `The FTP URL "${url.slice(0, 100)}" is not a URL.`,
      'Use ftp://, ftps:// or sftp://host[:port]/folder.',
    )
  }
  const protocol = parsed.protocol.replace(':', '')
  if (protocol !== 'ftp' && protocol !== 'ftps' && protocol !== 'sftp')
    throw new UserError(
      `The FTP URL scheme "${protocol}" is not supported.`,
      'Use ftp://, ftps:// (explicit TLS) or sftp://.',
    )
  const port = parsed.port ? Number(parsed.port) : protocol === 'sftp' ? 22 : 21
  const basePath = posix.normalize(decodeURIComponent(parsed.pathname || '/')).replace(/\/+$/, '') || '/'
  return {basePath, host: parsed.hostname.replace(/^\[|\]$/g, ''), port, protocol}
}

/**
 * A path inside the base folder. Names from a profile or a listing must stay inside it: `..`, absolute
 * paths, backslashes and NUL are refused.
 */
export function pathInBase(basePath: string, relative: string): string {
  if (
    relative.includes('\0') ||
    relative.includes('\\') ||
    posix.isAbsolute(relative) ||
    relative.split('/').some((part) => part === '..')
  )
    throw new Error(
      `refused file name "${relative.replace(/\0/g, '\\0').slice(0, 100)}": it would leave the base folder`,
    )
  const joined = posix.normalize(posix.join(basePath, relative))
  const base = basePath === '/' ? '/' : `${basePath}/`
  if (joined !== basePath && !joined.startsWith(base))
    throw new Error(`refused file name "${relative.slice(0, 100)}": it would leave the base folder`)
  return joined
}

/** A plain file name from a directory listing: no separators, not `.`/`..`, no NUL. */
export function isSafeListedName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/\0]/.test(name)
}
