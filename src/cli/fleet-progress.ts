import {SingleBar} from 'cli-progress'

import type {OutStream} from '../util/io.js'

/** The fleet's progress on a terminal's stderr: done/total and how many failed so far (cli-progress). */
export function fleetProgress(
  stream: OutStream,
  total: number,
): {update(done: number, failing: boolean): void; stop(): void} {
  const bar = new SingleBar({
    clearOnComplete: true,
    format: 'Checking installations {bar} {value}/{total} | failing so far: {failing}',
    hideCursor: false,
    stream: stream as unknown as NodeJS.WritableStream,
  })
  let failing = 0
  bar.start(total, 0, {failing})
  return {
    stop: () => bar.stop(),
    update: (done, failed) => {
      if (failed) failing += 1
      bar.update(done, {failing})
    },
  }
}
