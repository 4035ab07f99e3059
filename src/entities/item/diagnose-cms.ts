import type {CmsItem, Installation, SyncRun} from '../../connectors/platform/types.js'
import {stockDifference} from '../../model/item.js'
import {answerOf} from '../../observe/fetched.js'
import type {ItemObservations} from './observe.js'
import type {FieldDiff} from '../../model/compare.js'
import type {Evidence, HopName, HopReport} from '../../report/types.js'
import {compareSourceItem} from '../../model/mapping.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {changedSinceEvidence, changeEvidence, newerThanCmsCopy, orderOfEvents} from '../../diagnose/change-order.js'
import {itemExclusion} from '../../diagnose/exclusion.js'
import type {ItemSource} from './diagnose-source.js'
import {
  baseReport,
  describeRun,
  diffLabels,
  needsSeconds,
  problemReport,
  runEvidence,
  time,
  timeEvidence,
} from '../../diagnose/report-helpers.js'
import {lastStockRun, lastSyncCovering, newerFileThanRunRead, nextAutoSync} from '../../connectors/platform/schedule.js'
import {stockDiffers} from './diagnose-stock.js'

/** The CMS hop of an item: against its source, with the item/price and the stock sync runs (stock has rules of its own). */

interface CmsContext {
  obs: ItemObservations
  source: ItemSource
  clock: Clock
  report: HopReport
  installation: Installation | undefined
  /** The last item or price sync that covered the item. */
  itemSync: SyncRun | undefined
  nextSync: Date | null
  /** The evidence of the order of events against a run. */
  changeEvidence(run: SyncRun | undefined, name: string, label: string): Evidence[]
}

function lastRun(runs: SyncRun[], entities: string[], key: string): SyncRun | undefined {
  return lastSyncCovering(
    runs.filter((run) => entities.includes(run.entity)),
    key,
  )
}

/**
 * Did the source change after `run` started? As for customers (`orderOfEvents`), against the run's
 * start; without a run that started, the item is news to the CMS.
 */
function changedAfter(source: ItemSource, run: SyncRun | undefined): 'after' | 'before' | 'unknown' {
  return run?.startedAt ? orderOfEvents(source, run, run.startedAt) : 'after'
}

function cmsContext(
  obs: ItemObservations,
  source: ItemSource,
  clock: Clock,
  report: HopReport,
  cms: CmsItem | null,
): CmsContext {
  const installation = answerOf(obs.installation)
  const runs = answerOf(obs.syncRuns) ?? []
  const itemSync = lastRun(runs, ['items', 'prices'], obs.code)
  report.evidence.push(
    ...runEvidence(itemSync, 'lastItemSync', 'Last item/price sync'),
    ...runEvidence(lastStockRun(runs, obs.code), 'lastStockSync', 'Last stock sync'),
  )
  const nextSync = nextAutoSync(installation, clock.now)
  if (nextSync) report.evidence.push({at: nextSync.toISOString(), label: 'Next auto-sync', name: 'nextAutoSync'})
  const changedSince = changedSinceEvidence(source, source.name, 'item')
  const evidence = (run: SyncRun | undefined, runName: string, runLabel: string) => [
    ...changeEvidence({
      changedSince,
      modified: {label: 'Source last modified', name: 'erpModifiedAt'},
      run,
      runLabel,
      runName,
      source,
    }),
    ...(cms ? timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt) : []),
  ]
  return {changeEvidence: evidence, clock, installation, itemSync, nextSync, obs, report, source}
}

export function assessCms(obs: ItemObservations, source: ItemSource, clock: Clock): Assessment {
  const comparedWith: HopName | null = source.checked ? source.hop : null
  if (!obs.cms.ok) return {cause: null, report: problemReport('cms', 'cms', obs.cms, comparedWith)}
  const cms = obs.cms.value
  const context = cmsContext(obs, source, clock, baseReport('cms', 'cms', obs.cms.durationMs, comparedWith), cms)
  return cms ? comparedWithSource(context, cms) : missingFromCms(context)
}

function missingFromCms(context: CmsContext): Assessment {
  const {clock, itemSync, obs, report, source} = context
  report.status = 'missing'
  if (source.presence !== 'present' || !source.item) {
    report.summary =
      source.presence === 'missing' ? 'Not in the CMS either.' : 'Not in the CMS; the source could not be checked.'
    return {cause: null, report}
  }
  const exclusion = itemExclusion(
    {name: source.name, record: source.item, skippedBecause: source.skippedBecause},
    context.installation?.filters ?? {},
  )
  if (exclusion) {
    report.status = 'excluded'
    report.summary = `Excluded by the CMS: ${exclusion}.`
    return {
      cause: 'item-excluded',
      causeSummary: `The CMS leaves item ${obs.code} out on purpose: ${exclusion}. A sync would skip it again.`,
      report,
    }
  }
  const order = changedAfter(source, itemSync)
  const evidence = context.changeEvidence(itemSync, 'lastItemSync', 'Last item/price sync')
  const seconds = needsSeconds(source.modifiedAt, itemSync?.startedAt)
  const lastSyncNote = itemSync ? ` (${describeRun(itemSync, clock, seconds)})` : ''
  if (order === 'after') {
    report.summary = `Not in the CMS: ${source.name} created or changed it${source.modifiedAt ? ` at ${time(source.modifiedAt, clock, seconds)}` : ''}, after the last item sync${lastSyncNote}.`
    return {
      cause: 'created-after-sync',
      causeEvidence: evidence,
      causeSummary: `Item ${obs.code} is not in the CMS yet. ${report.summary.slice('Not in the CMS: '.length)}`,
      report,
    }
  }
  if (order === 'unknown') {
    report.summary = `Not in the CMS; ${source.name} keeps no change time for it, so whether it was created after the last item sync cannot be told.`
    return {
      cause: 'change-order-unknown',
      causeEvidence: evidence,
      causeSummary: `Item ${obs.code} is in ${source.name} but not in the CMS, and ${source.name} keeps no change time for it: whether it was created after the last item sync${lastSyncNote} cannot be told.`,
      report,
    }
  }
  report.summary = 'Not in the CMS, although the last item sync ran after the last change in the source.'
  return {
    cause: 'not-read-by-sync',
    causeEvidence: evidence,
    causeSummary: `Item ${obs.code} is in ${source.name} but not in the CMS, although the last item sync ran after its last change.`,
    report,
  }
}

function comparedWithSource(context: CmsContext, cms: CmsItem): Assessment {
  const {obs, report, source} = context
  report.record = cms.item
  report.evidence.unshift(...timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt))
  if (source.presence === 'missing') {
    report.status = 'differs'
    report.summary = `The CMS holds item ${obs.code}, which ${source.name} does not have (anymore).`
    return {
      brokenLink: source.hop === 'ftp' ? {from: 'erp', to: 'ftp'} : {from: null, to: 'erp'},
      cause: 'removed-from-erp',
      causeSummary: `${report.summary} It was deleted or renumbered in the ERP, or left out of its export.`,
      report,
    }
  }
  if (!source.item) {
    report.summary = source.checked ? 'Present; not compared, because the source could not be checked.' : 'Present.'
    return {cause: null, report}
  }
  const comparison = compareSourceItem(source.item, cms.item, source.notSupplied, {
    downstream: 'the CMS',
    upstream: source.name,
  })
  report.diff = comparison.diff
  report.notCompared = comparison.notCompared
  const stock = stockDifference(source.item, cms.item)
  if (report.diff.length > 0) return differsFromSource(context, cms, stock)
  if (stock) return stockDiffers(context, stock)
  report.summary = `Matches ${source.name}.`
  return {cause: null, report}
}

/** Fields other than stock differ (a price, first of all): which changed last, the source or the CMS? */
function differsFromSource(context: CmsContext, cms: CmsItem, stock: FieldDiff | null): Assessment {
  const {clock, itemSync, nextSync, obs, report, source} = context
  const writtenBeforeChange = Boolean(source.modifiedAt && cms.syncedAt && source.modifiedAt > cms.syncedAt)
  const order =
    writtenBeforeChange || newerThanCmsCopy(source.recordModifiedAt, cms.erpModifiedAt)
      ? 'after'
      : changedAfter(source, itemSync)
  if (stock) report.diff.push(stock)
  const price = report.diff.find((entry) => entry.field === 'price')
  report.status = order === 'after' ? 'stale' : 'differs'
  const what = price
    ? `the price (${price.upstream} in ${source.name}, ${price.downstream} in the CMS)`
    : diffLabels(report.diff)
  const evidence = context.changeEvidence(itemSync, 'lastItemSync', 'Last item/price sync')
  if (order === 'after') {
    // The record's own time, else the export file written again after the version the last sync read: the
    // text names the time that shows it (an export row's own time may be older than the sync).
    const reference = itemSync?.startedAt ?? cms.syncedAt ?? null
    const rowAfter =
      Boolean(source.recordModifiedAt && (!reference || source.recordModifiedAt > reference)) ||
      newerThanCmsCopy(source.recordModifiedAt, cms.erpModifiedAt)
    const byFile =
      source.hop === 'ftp' &&
      !rowAfter &&
      newerFileThanRunRead(source.fileModifiedAt, itemSync) &&
      source.fileModifiedAt &&
      itemSync?.sourceFileModifiedAt
    const seconds = byFile
      ? needsSeconds(source.fileModifiedAt, itemSync?.sourceFileModifiedAt, itemSync?.startedAt)
      : needsSeconds(source.modifiedAt, itemSync?.startedAt)
    const when = byFile
      ? `: ${source.name} was written again at ${time(source.fileModifiedAt as Date, clock, seconds)}, after the version the last item sync read (written ${time(itemSync?.sourceFileModifiedAt as Date, clock, seconds)})`
      : source.modifiedAt
        ? ` at ${time(source.modifiedAt, clock, seconds)}, after the last item sync`
        : ' (its lastmodified filter lists the item), after the last item sync'
    report.summary = `Older than ${source.name}: ${what} changed there${when}.`
    return {
      cause: 'erp-changed-after-sync',
      causeEvidence: [...evidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
      causeSummary: `The CMS has an older version of item ${obs.code}: ${what} changed in ${source.name}${when}${itemSync ? ` (${describeRun(itemSync, clock, seconds)})` : ''}.`,
      report,
    }
  }
  report.summary =
    order === 'unknown'
      ? `Differs from ${source.name}: ${what}. ${source.name} keeps no change time for it, so whether it changed after the last item sync cannot be told.`
      : `Differs from ${source.name} although the CMS synced after its last change: ${diffLabels(report.diff)}.`
  return {
    cause: order === 'unknown' ? 'change-order-unknown' : 'cms-differs-from-erp',
    causeEvidence: evidence,
    causeSummary: `The CMS ${report.summary.charAt(0).toLowerCase()}${report.summary.slice(1)}`,
    report,
  }
}
