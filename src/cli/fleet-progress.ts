import type {Output} from '../util/output.js'

const barWidth = 20

/** "Checking installations [#####...............] 9/40 | failing so far: 4" */
export function fleetProgressText(done: number, total: number, failing: number): string {
  const filled = total > 0 ? Math.floor((done / total) * barWidth) : barWidth
  return `Checking installations [${'#'.repeat(filled).padEnd(barWidth, '.')}] ${done}/${total} | failing so far: ${failing}`
}

/**
 * The fleet's progress as one line on a terminal's stderr, redrawn in place through the run's output
 * boundary (the one drawer of progress lines, as reconcile's and the trace's), erased when the run is done.
 */
export function fleetProgress(
  out: Output,
  total: number,
): {update(done: number, failing: boolean): void; stop(): void} {
  let failing = 0
  let live = true
  out.redraw(fleetProgressText(0, total, failing))
  return {
    stop: () => {
      if (live) out.redraw('')
      live = false
    },
    update: (done, failed) => {
      if (failed) failing += 1
      if (live) out.redraw(fleetProgressText(done, total, failing))
    },
  }
}
