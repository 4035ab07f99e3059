import {constants} from 'node:fs'
import {type FileHandle, lstat, open} from 'node:fs/promises'

import {UserError} from '../util/errors.js'
import {warnUser} from '../util/warnings.js'

const maxBytes = 10 * 1024 * 1024

export type FileKind = 'config' | 'secrets' | 'audit'

/**
 * Reads a file the way ssh treats its own: only a regular file (a FIFO, a device or a directory is refused
 * without blocking on it), at most 10 MiB; a config or audit log that others can read gets a warning, a
 * secrets file that others can read is refused. A UTF-8 BOM is dropped. Returns null when it does not exist.
 * Error messages name the file, never its content.
 */
export async function readOwnFile(path: string, kind: FileKind, label: string): Promise<string | null> {
  let handle: FileHandle | undefined
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code === 'ENOENT') return null
    throw new UserError(`Cannot read the ${label} ${path} (${code ?? 'error'}).`, 'Check the file and its permissions.')
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile())
      throw new UserError(
        `The ${label} ${path} is not a regular file.`,
        `Point synctrace at a regular file for the ${label}.`,
      )
    if (stat.size > maxBytes)
      throw new UserError(
        `The ${label} ${path} is ${Math.round(stat.size / 1048576)} MiB, more than a ${label} can be.`,
        `Check that ${path} is the right file.`,
      )
    const othersMayRead = (stat.mode & 0o044) !== 0
    if (othersMayRead && kind === 'secrets')
      throw new UserError(
        `The ${label} ${path} is readable by other users, so its secrets cannot be trusted to be secret; it was not used.`,
        `Run chmod 600 ${path}, and consider replacing the secrets it holds.`,
      )
    if (othersMayRead)
      warnUser(
        `the ${label} ${path} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${path}.`,
      )
    const text = (await handle.readFile({encoding: 'utf8'})) as string
    return text.replace(/^\uFEFF/, '')
  } finally {
    await handle.close()
  }
}

/** Why JSON did not parse, without quoting the text (a wrong --config must not echo /etc/shadow). */
export function jsonErrorPosition(error: unknown, text: string): string {
  const position = /position (\d+)/.exec(String((error as Error)?.message ?? ''))
  if (!position) return 'it is not valid JSON'
  const offset = Number(position[1])
  const before = text.slice(0, offset)
  const line = (before.match(/\n/g)?.length ?? 0) + 1
  const column = offset - before.lastIndexOf('\n')
  return `it is not valid JSON (line ${line}, column ${column})`
}

/** Writing never goes through a symlink planted at the path. */
export async function refuseSymlink(path: string, label: string): Promise<void> {
  try {
    if ((await lstat(path)).isSymbolicLink())
      throw new UserError(
        `The ${label} ${path} is a symbolic link; synctrace does not write through links.`,
        `Remove the link or give the real path.`,
      )
  } catch (error) {
    if (error instanceof UserError) throw error
  }
}

/** Profile names that are properties of every object can never be profiles. */
export function isReservedName(name: string): boolean {
  return name === '__proto__' || name === 'constructor' || name === 'prototype' || name in Object.prototype
}

/** Is `name` a profile of the file (its own key, not something every object has)? */
export function hasOwnProfile(profiles: Record<string, unknown>, name: string): boolean {
  return !isReservedName(name) && Object.hasOwn(profiles, name)
}
