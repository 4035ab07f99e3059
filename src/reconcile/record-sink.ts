import {closeSync, constants, ftruncateSync, openSync, writeSync} from 'node:fs'

import {UserError} from '../util/errors.js'

import type {ReconcileRecord} from './types.js'

/**
 * The findings file: appended with plain writes in big chunks, flushed before every checkpoint. It is opened
 * without following a symbolic link, so a link planted in the run's folder cannot make it write elsewhere.
 */
export class RecordSink {
  private readonly fd: number
  private buffer = ''
  bytes: number

  constructor(
    readonly path: string,
    keepBytes: number,
  ) {
    try {
      this.fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW, 0o600)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ELOOP') throw error
      throw new UserError(
        `The reconcile findings file ${path} is a symbolic link; synctrace does not write through links.`,
        'Remove the link (or the whole folder) and run the reconcile again.',
      )
    }
    ftruncateSync(this.fd, keepBytes)
    this.bytes = keepBytes
  }

  write(record: ReconcileRecord): void {
    this.buffer += `${JSON.stringify(record)}\n`
    if (this.buffer.length > 1 << 20) this.flush()
  }

  flush(): void {
    if (this.buffer === '') return
    const data = Buffer.from(this.buffer, 'utf8')
    writeSync(this.fd, data)
    this.bytes += data.length
    this.buffer = ''
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }
}
