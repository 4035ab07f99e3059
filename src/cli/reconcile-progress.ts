import {recordKeyOf} from '../reconcile/price-key.js'
import {type ReconcileProgress, ReconcileInterrupted} from '../reconcile/run.js'
import {type ReconcileRequest, type ReconcileResult, runReconcile} from '../reconcile/session.js'
import type {ReconcileTarget} from '../reconcile/types.js'
import {ExitCode} from '../util/errors.js'
import {formatCount} from '../util/numbers.js'
import type {RunContext} from '../context/run-context.js'
import type {Output, OutputOptions} from '../util/output.js'

function seconds(value: number): string {
  if (value < 90) return `${Math.ceil(value)} s`
  return `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`
}

const barWidth = 20

/**
 * One progress line: a bar and the share done when the total can be estimated (the last run's count, else
 * what the last full sync read), the rate, the time left and the findings so far.
 */
export function progressText(entity: ReconcileTarget, state: ReconcileProgress): string {
  if (state.phase === 'sorting' && state.compared === 0) return `Reading and sorting ${entity}…`
  const rate = `${formatCount(Math.round(state.recordsPerSecond))}/s`
  const findings = `${formatCount(state.findings)} finding${state.findings === 1 ? '' : 's'}`
  if (!state.expected) return `${formatCount(state.compared)} ${entity} compared · ${rate} · ${findings}`
  // An estimate: more keys than expected keep the bar just short of full until the run ends.
  const share = Math.min(state.compared / state.expected, 0.99)
  const filled = Math.floor(share * barWidth)
  const left =
    state.etaSeconds !== null
      ? `about ${seconds(state.etaSeconds)} left`
      : state.compared >= state.expected
        ? 'finishing'
        : 'estimating the time left'
  return `[${'#'.repeat(filled).padEnd(barWidth, '.')}] ${Math.floor(share * 100)}% · ${formatCount(state.compared)} of ~${formatCount(state.expected)} ${entity} · ${rate} · ${left} · ${findings}`
}

/** The merge's progress as one line on stderr, redrawn in place; only on a terminal and not for JSON. */
export function reconcileProgressLine(
  entity: ReconcileTarget,
  live: boolean,
  out: Output,
): {report: (state: ReconcileProgress) => void; end: () => void} {
  let lastLine = ''
  return {
    end: () => {
      if (live && lastLine) out.redraw('')
      if (live && lastLine) out.carriageReturn()
      lastLine = ''
    },
    report: (state) => {
      if (!live || state.phase === 'done') return
      const line = progressText(entity, state)
      if (line !== lastLine) out.redraw(line)
      lastLine = line
    },
  }
}

/**
 * The run, its progress on the terminal; on Ctrl-C the line that says how far it got and the command that
 * continues it (exit 130).
 */
export async function compareWithProgress(
  request: Omit<ReconcileRequest, 'progress'>,
  options: {live: boolean; ctx: RunContext; stderr: OutputOptions; commandSuffix: string; betweenFlag?: string},
): Promise<ReconcileResult> {
  const progress = reconcileProgressLine(request.entity, options.live, options.ctx.out)
  try {
    const result = await runReconcile({...request, progress: progress.report})
    progress.end()
    return result
  } catch (error) {
    progress.end()
    if (error instanceof ReconcileInterrupted) {
      const done = error.checkpoint
      options.ctx.out.line(
        'stderr',
        options.stderr,
        `Stopped after ${formatCount(done.compared)} ${request.entity} (up to ${done.lastKey === null ? 'the start' : recordKeyOf(request.entity, done.lastKey)}); the checkpoint is kept. Continue with: synctrace reconcile ${request.entity}${options.betweenFlag ? ` --between ${options.betweenFlag}` : ''}${options.commandSuffix ? ` ${options.commandSuffix}` : ''} --resume`,
      )
      options.ctx.exitCode = ExitCode.interrupted
    }
    throw error
  }
}
