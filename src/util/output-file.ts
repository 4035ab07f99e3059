import {closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, realpathSync, type Stats} from 'node:fs'

import {UserError} from './errors.js'

/** Kernel file systems whose "regular files" are not files (`/proc/self/mem` writes into the process). */
const kernelFileSystems = ['/proc/', '/sys/']

function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link'
  if (info.isFIFO()) return 'a FIFO'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isDirectory()) return 'a folder'
  if (info.isSocket()) return 'a socket'
  return 'not a regular file'
}

function refusal(path: string, what: string): UserError {
  return new UserError(
    `--output ${path} is ${what}; synctrace writes records only to a regular file or a new path.`,
    'Give --output a new file name (.jsonl, .csv or .md) in a folder you can write to.',
  )
}

/**
 * Refuses an --output that is anything but a regular file or a path that does not exist yet: a FIFO (which
 * would block the run), a device, a folder, a symbolic link, a kernel file such as /proc/self/mem.
 */
export function checkOutputPath(path: string): void {
  let info: Stats
  try {
    info = lstatSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return
    throw refusal(path, `a path that cannot be looked at (${code ?? 'error'})`)
  }
  if (!info.isFile()) throw refusal(path, kindOf(info))
  const real = realpathSync(path)
  if (kernelFileSystems.some((prefix) => real.startsWith(prefix))) throw refusal(path, `a file of the kernel (${real})`)
}

/**
 * Opens --output for writing, emptied, after `checkOutputPath`: without following a link, without blocking
 * on a FIFO put there since, and only if what was opened is a regular file.
 */
export function openOutputFile(path: string): number {
  checkOutputPath(path)
  let fd: number
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600)
  } catch (error) {
    throw new UserError(
      `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      'Give --output a path in a folder you can write to (an existing symlink is refused).',
    )
  }
  if (!fstatSync(fd).isFile()) {
    const info = fstatSync(fd)
    closeSync(fd)
    throw refusal(path, kindOf(info))
  }
  ftruncateSync(fd, 0)
  return fd
}
