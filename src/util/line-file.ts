import {closeSync, openSync, writeSync} from 'node:fs'

/**
 * Writes a file (mode 0600) from a sequence of text pieces, synchronously and a megabyte at a time: the
 * pieces are never all in memory, and no write is smaller than it needs to be.
 */
export function writeTextFileSync(path: string, pieces: Iterable<string>): void {
  const fd = openSync(path, 'w', 0o600)
  try {
    let buffer = ''
    for (const piece of pieces) {
      buffer += piece
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer)
        buffer = ''
      }
    }
    writeSync(fd, buffer)
  } finally {
    closeSync(fd)
  }
}
