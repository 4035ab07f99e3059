import type {Installation, SyncRun} from '../connectors/platform/types.js'
import {newestFirst} from '../connectors/platform/schedule.js'
import {formatDuration} from '../util/time.js'

export interface SyncHealth {
  entity: string
  lastRunAt: string | null
  lastRunStatus: string | null
  lastSucceededAt: string | null
  overdue: boolean
  summary: string
}

/** One entity's automatic sync: its latest run, the last successful scheduled one, and whether it is overdue. */
export function syncHealth(entity: string, runs: SyncRun[], installation: Installation | null, now: Date): SyncHealth {
  const ordered = newestFirst(runs)
  const last = ordered[0]
  const lastScheduled = ordered.find((run) => run.status === 'succeeded' && run.keys === null)
  const everyHours = installation?.autoSync?.everyHours ?? 24
  const dueMs = (everyHours + 1) * 3_600_000
  const sinceMs = lastScheduled?.startedAt
    ? now.getTime() - lastScheduled.startedAt.getTime()
    : Number.POSITIVE_INFINITY
  const overdue = sinceMs > dueMs
  const summary = !lastScheduled
    ? `no successful full or automatic ${entity} sync in the recent runs`
    : overdue
      ? `the last successful ${entity} sync was ${formatDuration(sinceMs)} ago, but it should run every ${everyHours} h`
      : `last successful ${formatDuration(sinceMs)} ago (${lastScheduled.runId}, ${lastScheduled.mode})`
  return {
    entity,
    lastRunAt: last?.startedAt?.toISOString() ?? null,
    lastRunStatus: last?.status ?? null,
    lastSucceededAt: lastScheduled?.startedAt?.toISOString() ?? null,
    overdue: overdue || last?.status === 'failed',
    summary:
      last?.status === 'failed'
        ? `the latest ${entity} sync (${last.runId}) failed: ${last.error ?? 'no reason given'}; ${summary}`
        : summary,
  }
}
