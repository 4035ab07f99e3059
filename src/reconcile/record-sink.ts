import {closeSync, ftruncateSync, openSync, writeSync} from 'node:fs'

import type {ReconcileRecord} from './types.js'

/** The findings file: appended with plain writes in big chunks, flushed before every checkpoint. */
export class RecordSink {
  private readonly fd: number
  private buffer = ''
  bytes: number

  constructor(
    readonly path: string,
    keepBytes: number,
  ) {
    this.fd = openSync(path, 'a+', 0o600)
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
