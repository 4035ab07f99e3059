import {lastStockRun, stockTouch} from '../../connectors/platform/schedule.js'
import type {SyncRecordOutcome, SyncRun} from '../../connectors/platform/types.js'
import type {FieldDiff} from '../../model/compare.js'
import {answerOf} from '../../observe/fetched.js'
import type {ItemObservations} from './observe.js'
import type {Evidence, HopReport} from '../../report/types.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import type {ItemSource} from './diagnose-source.js'
import {needsSeconds, runEvidence, time, timeEvidence} from '../../diagnose/report-helpers.js'
import {type StockOrder, stockOrder} from '../../diagnose/stock-order.js'

/** The CMS hop of an item whose stock alone differs: lag or fault, decided by the last stock run's record of the item (stock-order.ts). */

export interface StockContext {
  obs: ItemObservations
  source: ItemSource
  clock: Clock
  report: HopReport
  nextSync: Date | null
}

interface StockCase extends StockContext {
  stock: FieldDiff
  run: SyncRun | undefined
  record: SyncRecordOutcome | undefined
  order: StockOrder
  evidence: Evidence[]
}

function recordText(record: SyncRecordOutcome | undefined, recordsKnown: boolean): string {
  if (record) return `${record.outcome}${record.reason ? `: ${record.reason}` : ''} (${record.runId})`
  return recordsKnown ? 'not touched by the last stock sync' : 'not known: the sync records could not be read'
}

/** The times the verdict rests on: the run (start, finish), the item's outcome in it, and the source's times for the stock. */
function stockEvidence(c: Omit<StockCase, 'evidence' | 'order'>): Evidence[] {
  const {record, run, source} = c
  const asked = source.stockChangedSince
  return [
    ...runEvidence(run, 'lastStockSync', 'Last stock sync'),
    ...(run?.finishedAt
      ? [
          {
            at: run.finishedAt.toISOString(),
            label: 'Last stock sync finished',
            name: 'lastStockSyncFinished',
            runId: run.runId,
          },
        ]
      : []),
    ...(run
      ? [
          {
            ...(record?.at ? {at: record.at.toISOString()} : {}),
            label: 'Last stock sync, this item',
            name: 'stockRecordOutcome',
            runId: run.runId,
            text: recordText(record, c.obs.stockRecords.ok),
          },
        ]
      : []),
    ...(asked
      ? [
          {
            at: asked.since.toISOString(),
            label: `${source.name} asked for changes since`,
            name: 'erpStockChangedSince',
            text: asked.changed ? 'lists the item: changed since then' : 'does not list the item: unchanged since then',
          },
        ]
      : []),
    ...timeEvidence('erpStockModifiedAt', 'Stock last moved', source.stockModifiedAt),
    ...timeEvidence('exportFileModified', 'Export file written', source.fileModifiedAt),
    ...timeEvidence('syncReadFileModified', 'File version the last stock sync read', run?.sourceFileModifiedAt),
    ...timeEvidence('nextAutoSync', 'Next auto-sync', c.nextSync),
  ]
}

/** Seconds for every time of a case's sentence (the run's, and what `because` compares with it) when two share a minute. */
function sentenceSeconds({order, run, source}: StockCase): boolean {
  const by = 'by' in order ? order.by : null
  const compared =
    by === 'file'
      ? [source.fileModifiedAt, run?.sourceFileModifiedAt]
      : by === 'stock-time'
        ? [source.stockModifiedAt]
        : []
  return needsSeconds(run?.startedAt, run?.finishedAt, ...compared)
}

/** The last stock run in words: "run r-1, started 02:13, finished 02:14". */
function runWords(c: StockCase): string {
  const {clock} = c
  const run = c.run as SyncRun
  const seconds = sentenceSeconds(c)
  const started = run.startedAt ? `started ${time(run.startedAt, clock, seconds)}` : 'start unknown'
  return `run ${run.runId}, ${run.mode}, ${started}${run.finishedAt ? `, finished ${time(run.finishedAt, clock, seconds)}` : ''}${run.status === 'failed' ? `, failed: ${run.error ?? 'no error given'}` : ''}`
}

/** Why the order is what it is, in words. */
function because(c: StockCase): string {
  const {clock, run, source} = c
  const order = c.order
  const seconds = sentenceSeconds(c)
  if (order.order === 'failed' || order.order === 'skipped' || order.order === 'unknown' || !run)
    return 'no stock sync has run'
  if (order.by === 'file')
    return `${source.name} was written ${time(source.fileModifiedAt as Date, clock, seconds)}, ${order.order === 'after' ? 'after' : 'the same version as'} the one the last stock sync read (written ${time(run.sourceFileModifiedAt as Date, clock, seconds)})`
  if (order.by === 'run-read') return `that run read the item (${c.record?.outcome}), so ${source.name} moved after it`
  if (order.by === 'changed-since')
    return `${source.name} ${order.order === 'after' ? 'lists' : 'does not list'} the item as changed since that run started, and the run did not touch it`
  if (order.by === 'stock-time')
    return `its stock last moved at ${time(source.stockModifiedAt as Date, clock, seconds)}, ${order.order} that run started, and the run did not touch it`
  return 'no stock sync has run'
}

export function stockDiffers(context: StockContext, stock: FieldDiff): Assessment {
  const {obs, report, source} = context
  report.diff.push(stock)
  const run = lastStockRun(answerOf(obs.syncRuns) ?? [], obs.code)
  const {record, touch} = stockTouch(run, obs.stockRecords.ok ? obs.stockRecords.value : null)
  const partial = {...context, record, run, stock}
  const order = stockOrder({
    changedSince: source.stockChangedSince,
    file: source.file ?? null,
    fileModifiedAt: source.fileModifiedAt,
    record,
    run,
    stockModifiedAt: source.stockModifiedAt,
    touch,
  })
  const c: StockCase = {...partial, evidence: stockEvidence(partial), order}
  report.evidence.push(...c.evidence.filter((entry) => !report.evidence.some((held) => held.name === entry.name)))
  if (order.order === 'failed') return failedOnItem(c)
  if (order.order === 'skipped') return skippedByRun(c)
  if (order.order === 'after') return lag(c)
  return order.order === 'before' ? olderThanRun(c) : orderUnknown(c)
}

const numbers = (c: StockCase) => `${c.stock.upstream} in ${c.source.name}, ${c.stock.downstream} in the CMS`

function failedOnItem(c: StockCase): Assessment {
  const {obs, report} = c
  report.status = 'stale'
  const failed = `the last stock sync (${runWords(c)}) failed on this item: ${c.record?.reason ?? 'no reason given'}.`
  report.summary = `Stock ${numbers(c)}: ${failed}`
  return {
    cause: 'sync-failed-for-record',
    causeEvidence: c.evidence,
    causeSummary: `The stock of item ${obs.code} differs (${numbers(c)}): ${failed}`,
    report,
  }
}

function skippedByRun(c: StockCase): Assessment {
  const {obs, report} = c
  report.status = 'stale'
  report.summary = `Stock ${numbers(c)}: the last stock sync (${runWords(c)}) skipped this item: ${c.record?.reason ?? 'no reason given'}.`
  return {
    cause: 'item-excluded',
    causeEvidence: c.evidence,
    causeSummary: `The stock of item ${obs.code} differs (${numbers(c)}) because the stock sync skips it by a filter (${c.record?.reason ?? 'no reason given'}): a sync would skip it again.`,
    report,
  }
}

function lag(c: StockCase): Assessment {
  const {clock, nextSync, obs, report, run} = c
  const next = nextSync ? `the next sync (${time(nextSync, clock)})` : 'the next stock sync'
  const sinceRun = run ? `after the last stock sync (${runWords(c)}): ${because(c)}` : 'and no stock sync has run yet'
  report.summary = `Stock ${numbers(c)}: expected lag, the stock moved ${sinceRun}.`
  return {
    cause: null,
    note: {
      cause: 'expected-stock-lag',
      evidence: c.evidence,
      summary: `Stock of item ${obs.code} differs (${numbers(c)}) by a movement ${sinceRun}: expected lag until ${next}, which brings it.`,
    },
    report,
  }
}

function olderThanRun(c: StockCase): Assessment {
  const {obs, report} = c
  report.status = 'stale'
  report.summary = `Stock ${numbers(c)}, older than the last stock sync (${runWords(c)}): ${because(c)}.`
  return {
    cause: 'stock-not-synced',
    causeEvidence: c.evidence,
    causeSummary: `The stock of item ${obs.code} in the CMS is not what ${c.source.name} has (${numbers(c)}), and the difference is older than the last stock sync (${runWords(c)}): ${because(c)}.`,
    report,
  }
}

function orderUnknown(c: StockCase): Assessment {
  const {obs, report, source} = c
  report.status = 'differs'
  const touched = recordText(c.record, obs.stockRecords.ok)
  const why = c.run
    ? `the last stock sync (${runWords(c)}) did not read it (${touched}), and ${source.name} keeps no time for its stock`
    : `no stock sync that covered it was found (${obs.syncRuns.ok ? 'none among the recent runs' : 'the sync runs could not be read'})`
  report.summary = `Stock ${numbers(c)}; ${why}, so whether it moved before or after a stock sync cannot be told.`
  return {
    cause: 'change-order-unknown',
    causeEvidence: c.evidence,
    causeSummary: `The stock of item ${obs.code} differs (${numbers(c)}); ${why}: whether it moved before or after a stock sync cannot be told.`,
    report,
  }
}
