import type {SyncRun} from '../connectors/platform/types.js'
import {stockOrder} from '../diagnose/stock-order.js'
import type {FieldDiff} from '../model/compare.js'
import {sentenceTimes} from './classify-context.js'
import type {ReconcileRecord, SideEntry} from './types.js'

/**
 * Reconcile's stock rule: the trace's (`stockOrder`, src/diagnose/stock-order.ts) with what a listing has.
 * A listing carries no per-record run outcome, so the last stock run counts as having written the item only
 * when the CMS's own write of it (`syncedAt`) falls within that run; otherwise only the export file's time
 * decides, else the order is unknown.
 */
export function stockFinding(options: {
  key: string
  run: SyncRun | undefined
  up: SideEntry
  down: SideEntry
  stock: FieldDiff
  upstreamName: string
  timeZone?: string
}): ReconcileRecord | null {
  const {down, key, run, stock, up} = options
  const written = down.info.syncedAt ?? null
  const start = run?.startedAt?.getTime() ?? null
  const end = run?.finishedAt?.getTime() ?? null
  const wroteIt = written !== null && start !== null && end !== null && written >= start && written <= end
  const order = stockOrder({
    changedSince: null,
    file: up.info.file ?? null,
    fileModifiedAt: up.info.fileModifiedAt ? new Date(up.info.fileModifiedAt) : null,
    run,
    stockModifiedAt: null,
    touch: wroteIt ? 'read' : 'unknown',
  })
  if (order.order === 'after') return null
  const iso = (time: number | null | undefined) =>
    time === null || time === undefined ? null : new Date(time).toISOString()
  const times = {
    cmsSyncedAt: iso(written),
    lastSyncStartedAt: iso(start),
    upstreamModifiedAt: iso(up.info.fileModifiedAt ?? up.info.modifiedAt),
  }
  const numbers = `${stock.upstream} in ${options.upstreamName}, ${stock.downstream} in the CMS`
  const runWords = run ? `run ${run.runId}, started ${sentenceTimes(options.timeZone)(start)}` : 'none found'
  if (order.order === 'before')
    return {
      cause: 'stock-not-synced',
      class: 'stock-not-synced',
      diff: [stock],
      key,
      summary: `Stock differs (${numbers}) and is older than the last stock sync (${runWords}): ${up.info.file ?? 'the export'} is the version that sync read.`,
      times,
    }
  return {
    cause: 'change-order-unknown',
    class: 'change-order-unknown',
    diff: [stock],
    key,
    summary: `Stock differs (${numbers}); the last stock sync (${runWords}) did not write the item and ${options.upstreamName} keeps no time for its stock, so whether it moved after that sync cannot be told (trace item ${key} asks the sync's record of it).`,
    times,
  }
}
