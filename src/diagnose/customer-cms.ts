import type {CmsCustomer, Installation, SyncRecordOutcome, SyncRun} from '../connectors/platform/types.js'
import type {CustomerObservations} from '../observe/customer.js'
import {answerOf} from '../observe/fetched.js'
import type {HopName, HopReport} from '../report/types.js'
import {compareSourceCustomer} from '../model/mapping.js'
import {
  describeRun,
  diffLabels,
  type Presence,
  problemReport,
  baseReport,
  runEvidence,
  time,
  timeEvidence,
} from './report-helpers.js'
import type {Assessment, Clock} from './conclude.js'
import {changedSinceEvidence, changeEvidence, newerThanCmsCopy, orderOfEvents} from './change-order.js'
import type {SourceView} from './customer-source.js'
import {customerExclusion, skippedByRun} from './exclusion.js'
import {
  lastReadAt,
  lastSyncCovering,
  newerFileThanRunRead,
  newestFirst,
  nextAutoSync,
} from '../connectors/platform/schedule.js'

/** The CMS hop of a customer: against its source (the ERP or its export), with the customer sync runs. */

/** What the CMS hop's rules look at besides the CMS's record. */
interface CmsContext {
  obs: CustomerObservations
  clock: Clock
  source: SourceView
  report: HopReport
  installation: Installation | undefined
  runs: SyncRun[]
  /** The last customer sync that covered the record. */
  lastSync: SyncRun | undefined
  /** The latest run's outcome for this record. */
  latestRecord: SyncRecordOutcome | undefined
  nextSync: Date | null
  /** The source's presence, unknown when the source is itself broken. */
  sourcePresence: Presence
}

function excludedByFilter(
  record: SyncRecordOutcome | undefined,
  source: SourceView,
  installation: Installation | undefined,
): string | null {
  return (
    skippedByRun(record) ??
    customerExclusion(
      {name: source.name, record: source.customer, skippedBecause: source.skippedBecause},
      installation?.filters ?? {},
    )
  )
}

function cmsContext(obs: CustomerObservations, clock: Clock, source: SourceView, report: HopReport): CmsContext {
  const installation = answerOf(obs.installation)
  const runs = answerOf(obs.syncRuns) ?? []
  const lastSync = lastSyncCovering(runs, obs.code)
  const latestRun = newestFirst(runs)[0]
  const latestRecord = answerOf(obs.syncRecords)?.[0]
  report.evidence.push(...runEvidence(lastSync, 'lastCustomerSync', 'Last customer sync'))
  if (latestRun && latestRun !== lastSync && latestRun.status !== 'succeeded')
    report.evidence.push(...runEvidence(latestRun, 'latestCustomerSync', 'Latest customer sync'))
  if (latestRecord)
    report.evidence.push({
      ...(latestRecord.at ? {at: latestRecord.at.toISOString()} : {}),
      label: 'Sync outcome for this record',
      name: 'syncRecordOutcome',
      runId: latestRecord.runId,
      text: `${latestRecord.outcome}${latestRecord.reason ? `: ${latestRecord.reason}` : ''} (${latestRecord.runId})`,
    })
  else if (obs.syncRecords.ok)
    report.evidence.push({
      label: 'Sync outcome for this record',
      name: 'syncRecordOutcome',
      text: 'never read by the recent runs',
    })
  const nextSync = nextAutoSync(installation, clock.now)
  if (nextSync) report.evidence.push({at: nextSync.toISOString(), label: 'Next auto-sync', name: 'nextAutoSync'})
  return {
    clock,
    installation,
    lastSync,
    latestRecord,
    nextSync,
    obs,
    report,
    runs,
    source,
    sourcePresence: source.broken ? 'unknown' : source.presence,
  }
}

export function assessCms(obs: CustomerObservations, clock: Clock, source: SourceView): Assessment {
  const comparedWith: HopName | null = source.checked ? source.hop : null
  if (!obs.cms.ok) return {cause: null, report: problemReport('cms', 'cms', obs.cms, comparedWith)}
  const context = cmsContext(obs, clock, source, baseReport('cms', 'cms', obs.cms.durationMs, comparedWith))
  return obs.cms.value ? comparedWithSource(context, obs.cms.value) : missingFromCms(context)
}

/** The CMS lacks the customer: on purpose, after a failed sync, or not read yet (and why). */
function missingFromCms(context: CmsContext): Assessment {
  const {obs, report, source} = context
  const {latestRecord} = context
  report.status = 'missing'
  if (context.sourcePresence === 'missing') {
    report.summary = `Not in the CMS either (${source.hop === 'ftp' ? 'the export does' : 'the ERP does'} not have it).`
    return {cause: null, report}
  }
  const exclusion = excludedByFilter(latestRecord, source, context.installation)
  if (exclusion) {
    report.status = 'excluded'
    report.summary = `Excluded by the CMS: ${exclusion}.`
    return {
      cause: 'excluded-by-filter',
      causeEvidence: report.evidence.filter((entry) => entry.name === 'syncRecordOutcome'),
      causeSummary: `The CMS left customer ${obs.code} out on purpose: ${exclusion}${latestRecord ? ` (run ${latestRecord.runId})` : ''}. A sync would skip it again.`,
      report,
    }
  }
  if (latestRecord?.outcome === 'failed') {
    report.summary = `The last sync failed on this customer: ${latestRecord.reason ?? 'no reason given'}.`
    return {cause: 'sync-failed-for-record', causeSummary: report.summary, report}
  }
  if (context.sourcePresence === 'unknown') {
    report.summary = source.broken
      ? `Not in the CMS (${source.hop === 'ftp' ? 'the export' : 'the ERP'} is itself the problem, see above).`
      : source.checked
        ? `Not in the CMS; whether ${source.hop === 'ftp' ? 'the export' : 'the ERP'} has it could not be checked.`
        : 'Not in the CMS (the ERP is not checked with this profile).'
    if (source.checked) return {cause: null, report}
    return {
      cause: 'not-in-cms',
      causeSummary: `The CMS has no customer ${obs.code}; the ERP is not visible to this profile, so it cannot be told whether the ERP has it.`,
      report,
    }
  }
  return notReadYet(context)
}

/** The source has the customer, the CMS has not: created after the last sync, or a sync did not read it. */
function notReadYet(context: CmsContext): Assessment {
  const {clock, lastSync, nextSync, obs, report, source} = context
  const erpName = source.name
  const order = orderOfEvents(source, lastSync, lastSync?.startedAt ?? null)
  const exportFile = source.name.replace(/^the export /, '')
  // An export without a change time per row (Winbas) dates the record only by the file's time.
  const changed =
    source.hop === 'ftp'
      ? source.recordModifiedAt
        ? `the ERP changed it (LastModified in ${exportFile})`
        : `${exportFile}, whose rows carry no change time, was written with it`
      : `${erpName} created or changed it`
  const fileNote =
    newerFileThanRunRead(source.fileModifiedAt, lastSync) && lastSync?.sourceFileModifiedAt && source.fileModifiedAt
      ? ` That sync read ${lastSync.sourceFile ?? 'the export'} as written ${time(lastSync.sourceFileModifiedAt, clock)}; the file now on the server was written ${time(source.fileModifiedAt, clock)}.`
      : ''
  const evidence = sourceChangeEvidence(source, lastSync, source.hop === 'ftp' ? 'exportRowModified' : 'erpModifiedAt')
  const rowAfter = Boolean(
    source.recordModifiedAt &&
      (!lastSync?.startedAt || source.recordModifiedAt.getTime() > lastSync.startedAt.getTime()),
  )
  if (
    order === 'after' &&
    source.hop === 'ftp' &&
    source.recordModifiedAt &&
    !rowAfter &&
    fileNote &&
    lastSync?.sourceFileModifiedAt &&
    source.fileModifiedAt
  ) {
    // The row's own time is older than the sync: what shows it is new to the CMS is the file, written again after the version the sync read.
    report.summary = `Not in the CMS: it is in ${exportFile} as written ${time(source.fileModifiedAt, clock)}, after the version the last customer sync (${describeRun(lastSync, clock)}) read, written ${time(lastSync.sourceFileModifiedAt, clock)}.`
    return {
      cause: 'created-after-sync',
      causeEvidence: [...evidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
      causeSummary: `Customer ${obs.code} is not in the CMS yet: ${report.summary.slice('Not in the CMS: '.length)}${nextSync ? ` The next auto-sync starts ${time(nextSync, clock)}.` : ''}`,
      report,
    }
  }
  if (order === 'after') {
    const when = source.modifiedAt ? ` at ${time(source.modifiedAt, clock)}` : ''
    const since = lastSync
      ? `after the last customer sync started (${describeRun(lastSync, clock)})`
      : 'and the CMS reports no successful customer sync'
    const how =
      !source.modifiedAt && source.changedSince?.changed ? ` (its lastmodified filter lists the customer)` : ''
    report.summary = `Not in the CMS: ${changed}${when}, ${since}${how}.${fileNote}`
    return {
      cause: 'created-after-sync',
      causeEvidence: [...evidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
      causeSummary: `Customer ${obs.code} is not in the CMS yet: ${changed}${when}, ${since}${how}.${fileNote}${nextSync ? ` The next auto-sync starts ${time(nextSync, clock)}.` : ''}`,
      report,
    }
  }
  const lastSyncNote = lastSync ? ` (${describeRun(lastSync, clock)})` : ''
  if (order === 'unknown') {
    report.summary = `Not in the CMS; ${erpName} keeps no change time for it, so whether it was created after the last customer sync${lastSyncNote} cannot be told.`
    return {
      cause: 'change-order-unknown',
      causeEvidence: evidence,
      causeSummary: `Customer ${obs.code} is in ${erpName} but not in the CMS, and ${erpName} keeps no change time for it: whether it was created after the last customer sync${lastSyncNote} cannot be told.`,
      report,
    }
  }
  const notRead = `although the last customer sync (${describeRun(lastSync as SyncRun, clock)}) ran after ${erpName}'s last change and did not read it.`
  report.summary = `Not in the CMS, ${notRead}`
  return {
    cause: 'not-read-by-sync',
    causeEvidence: evidence,
    causeSummary: `Customer ${obs.code} is in ${erpName} but not in the CMS, ${notRead}`,
    report,
  }
}

function sourceChangeEvidence(source: SourceView, lastSync: SyncRun | undefined, modifiedName: string) {
  return changeEvidence({
    changedSince: changedSinceEvidence(source, source.name, 'record'),
    // An export row's own time only: a layout whose rows carry none (Winbas) is dated by the file, shown as such.
    modified: {
      at: source.hop === 'ftp' ? source.recordModifiedAt : source.modifiedAt,
      label: source.hop === 'ftp' ? 'Row LastModified' : 'ERP last modified',
      name: modifiedName,
    },
    run: lastSync,
    runLabel: 'Last customer sync',
    runName: 'lastCustomerSync',
    source,
  })
}

/** The CMS has the customer: compared with the source, and when they differ, which changed last. */
function comparedWithSource(context: CmsContext, cmsRecord: CmsCustomer): Assessment {
  const {report, source} = context
  const erpName = source.name
  report.record = cmsRecord.customer
  report.evidence.unshift(
    ...timeEvidence('cmsSyncedAt', 'CMS record written', cmsRecord.syncedAt),
    ...timeEvidence('cmsErpModifiedAt', 'ERP modified, as the CMS got it', cmsRecord.erpModifiedAt),
  )
  if (context.sourcePresence === 'missing') {
    report.status = 'differs'
    report.summary = `The CMS holds customer ${context.obs.code}, which ${erpName} does not have (anymore).`
    return {
      brokenLink: source.hop === 'ftp' ? {from: 'erp', to: 'ftp'} : {from: null, to: 'erp'},
      cause: 'removed-from-erp',
      causeSummary: `${report.summary} It was deleted or renumbered in the ERP, or the CMS record was created elsewhere.`,
      report,
    }
  }
  if (!source.customer || source.broken) {
    report.summary = source.checked
      ? `Present; not compared, because ${source.hop === 'ftp' ? 'the export' : 'the ERP'} could not be read.`
      : 'Present.'
    return {cause: null, report}
  }
  const comparison = compareSourceCustomer(source.customer, cmsRecord.customer, source.notSupplied, {
    downstream: 'the CMS',
    upstream: erpName,
  })
  report.diff = comparison.diff
  report.notCompared = comparison.notCompared
  report.derived = comparison.derived.length > 0 && source.derived.length > 0 ? source.derived : comparison.derived
  if (report.diff.length === 0) {
    report.summary = `Matches ${erpName}.`
    return {cause: null, report}
  }
  return differsFromSource(context, cmsRecord)
}

function differsFromSource(context: CmsContext, cmsRecord: CmsCustomer): Assessment {
  const {clock, lastSync, nextSync, obs, report, source} = context
  const erpName = source.name
  // Against the last time the CMS demonstrably read the record (its own write, or a run whose outcome for it
  // says it read it): a run that failed on it or never read it does not count. An ERP time newer than the
  // one the CMS stored with the record is news to it as well.
  const readAt = lastReadAt(cmsRecord.syncedAt, answerOf(obs.syncRecords) ?? [], context.runs)
  const order = newerThanCmsCopy(source.recordModifiedAt, cmsRecord.erpModifiedAt)
    ? 'after'
    : orderOfEvents(source, lastSync, readAt)
  const evidence = [
    ...sourceChangeEvidence(source, lastSync, 'erpModifiedAt'),
    ...timeEvidence('cmsSyncedAt', 'CMS record written', cmsRecord.syncedAt),
    ...timeEvidence('cmsErpModifiedAt', 'ERP modified, as the CMS got it', cmsRecord.erpModifiedAt),
  ]
  const labels = diffLabels(report.diff)
  if (order === 'after') {
    report.status = 'stale'
    const reference = readAt ?? lastSync?.startedAt ?? null
    // Which time says it changed after the CMS got it: the record's own, else the export file written again
    // after the version the last sync read (the row's own time may be older: the text must not claim it).
    const rowAfter =
      Boolean(source.recordModifiedAt && (!reference || source.recordModifiedAt.getTime() > reference.getTime())) ||
      newerThanCmsCopy(source.recordModifiedAt, cmsRecord.erpModifiedAt)
    const byFile =
      source.hop === 'ftp' &&
      !rowAfter &&
      newerFileThanRunRead(source.fileModifiedAt, lastSync) &&
      source.fileModifiedAt &&
      lastSync?.sourceFileModifiedAt
    const changedAt = byFile ? source.fileModifiedAt : source.modifiedAt
    const when = changedAt ? ` at ${time(changedAt, clock)}` : ''
    const how =
      !source.modifiedAt && source.changedSince?.changed ? ' (its lastmodified filter lists the customer)' : ''
    const runText = lastSync ? ` (${describeRun(lastSync, clock)})` : ''
    const what = byFile
      ? `${erpName.replace(/^the export /, '')} was written again${when}, after the version the last customer sync${runText} read (written ${time(lastSync?.sourceFileModifiedAt as Date, clock)})`
      : `${erpName} changed it${when}, after the last customer sync${runText}`
    report.summary = byFile
      ? `Older than ${erpName}: ${what}. Differs: ${labels}.`
      : `Older than ${erpName}: changed there${when}, after the CMS last got it${how}. Differs: ${labels}.`
    return {
      cause: 'erp-changed-after-sync',
      causeEvidence: [...evidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
      causeSummary: `The CMS has an older version of customer ${obs.code}: ${what}${how}. Differs: ${labels}.${
        nextSync ? ` The next auto-sync starts ${time(nextSync, clock)}.` : ''
      }`,
      report,
    }
  }
  report.status = 'differs'
  report.summary =
    order === 'unknown'
      ? `Differs from ${erpName}: ${labels}. ${erpName} keeps no change time for it, so whether it changed after the last customer sync cannot be told.`
      : `Differs from ${erpName} although the CMS synced after the ERP's last change: ${labels}.`
  return {
    cause: order === 'unknown' ? 'change-order-unknown' : 'cms-differs-from-erp',
    causeEvidence: evidence,
    causeSummary: `The CMS ${report.summary.charAt(0).toLowerCase()}${report.summary.slice(1)}`,
    report,
  }
}
