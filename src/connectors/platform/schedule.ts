import type {Installation, SyncRecordOutcome, SyncRun} from './types.js'
import {atLocalTime} from '../../util/time.js'

/** The newest succeeded sync run that read this key: a full/auto run, or a targeted run naming it. */
export function lastSyncCovering(runs: SyncRun[], key: string): SyncRun | undefined {
  return newestFirst(runs).find((run) => run.status === 'succeeded' && (run.keys === null || run.keys.includes(key)))
}

export function newestFirst(runs: SyncRun[]): SyncRun[] {
  return [...runs].sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0))
}

/** When the CMS's next automatic sync should start, from its schedule; null when it has none. */
export function nextAutoSync(installation: Installation | undefined, now: Date): Date | null {
  const schedule = installation?.autoSync
  if (!schedule || !schedule.at) return null
  const everyMs = Math.max(1, schedule.everyHours) * 3_600_000
  let candidate = atLocalTime(now, schedule.at, schedule.timezone)
  while (candidate.getTime() <= now.getTime()) candidate = new Date(candidate.getTime() + everyMs)
  while (candidate.getTime() - everyMs > now.getTime()) candidate = new Date(candidate.getTime() - everyMs)
  return candidate
}

const readOutcomes = new Set(['created', 'updated', 'unchanged'])

/**
 * When the CMS last demonstrably read the record from its source: its own write (`syncedAt`), or a run
 * whose outcome for the record says it read it (created, updated, unchanged; taken at that run's start).
 * A write made by a run counts from that run's start: the run read the record somewhere between its start
 * and the write, so a change in between may not be in the CMS's copy. A run that failed on the record,
 * skipped or never read it does not count.
 */
export function lastReadAt(cmsSyncedAt: Date | null, records: SyncRecordOutcome[], runs: SyncRun[]): Date | null {
  const writer = cmsSyncedAt
    ? runs.find(
        (run) =>
          run.startedAt !== null &&
          run.startedAt.getTime() <= cmsSyncedAt.getTime() &&
          run.finishedAt !== null &&
          cmsSyncedAt.getTime() <= run.finishedAt.getTime(),
      )
    : undefined
  const times = [
    writer?.startedAt ?? cmsSyncedAt,
    ...records
      .filter((record) => readOutcomes.has(record.outcome))
      .map((record) => runs.find((run) => run.runId === record.runId)?.startedAt ?? record.at),
  ]
  const known = times.filter((time): time is Date => time !== null && time !== undefined)
  return known.length > 0 ? new Date(Math.max(...known.map((time) => time.getTime()))) : null
}

/** How often the CMS syncs automatically (default daily). */
export function syncEveryHours(installation: Pick<Installation, 'autoSync'> | null | undefined): number {
  return installation?.autoSync?.everyHours ?? 24
}

/**
 * The export files whose job has stopped: written longer ago than two sync intervals plus an hour, so
 * at least two syncs in a row found nothing new (docs/diagnosis.md, `export-stale`).
 */
export function staleExportFiles<T extends {exists: boolean; modifiedAt: Date | null}>(
  files: T[],
  installation: Pick<Installation, 'autoSync'> | null | undefined,
  now: Date,
): T[] {
  const limitMs = (2 * syncEveryHours(installation) + 1) * 3_600_000
  return files.filter(
    (file) => file.exists && file.modifiedAt !== null && now.getTime() - file.modifiedAt.getTime() > limitMs,
  )
}

/** Is the export file on the server newer than the version the run read? Then it holds changes that run never saw. */
export function newerFileThanRunRead(fileModifiedAt: Date | null, run: SyncRun | undefined): boolean {
  return Boolean(
    fileModifiedAt && run?.sourceFileModifiedAt && fileModifiedAt.getTime() > run.sourceFileModifiedAt.getTime() + 1000,
  )
}

/** What the last stock run did with an item: read it (written or unchanged), failed on it, skipped it (a filter, with its reason), did not touch it, or not known (bulk). */
export type StockTouch = 'read' | 'failed' | 'skipped' | 'not-touched' | 'unknown'

/** The newest finished (succeeded or failed) stock run that covered the key: a full/auto run, or a targeted one naming it. */
export function lastStockRun(runs: SyncRun[], key: string): SyncRun | undefined {
  return newestFirst(runs.filter((run) => run.entity === 'stock')).find(
    (run) => (run.status === 'succeeded' || run.status === 'failed') && (run.keys === null || run.keys.includes(key)),
  )
}

/** What `run` did with the item, from its per-record outcomes (newest first): none for the run means it did not touch it. */
export function stockTouch(
  run: SyncRun | undefined,
  records: SyncRecordOutcome[] | null,
): {touch: StockTouch; record?: SyncRecordOutcome} {
  if (!run || records === null) return {touch: 'unknown'}
  const record = records.find((entry) => entry.runId === run.runId)
  if (!record) return {touch: 'not-touched'}
  if (record.outcome === 'failed') return {record, touch: 'failed'}
  if (record.outcome === 'skipped') return {record, touch: 'skipped'}
  return {record, touch: readOutcomes.has(record.outcome) ? 'read' : 'not-touched'}
}
