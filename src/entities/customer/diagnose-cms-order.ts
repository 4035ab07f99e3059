import type {CmsCustomer, SyncRun} from '../../connectors/platform/types.js'
import {lastReadAt, newerFileThanRunRead} from '../../connectors/platform/schedule.js'
import {answerOf} from '../../observe/fetched.js'
import {changedSinceEvidence, changeEvidence, newerThanCmsCopy, orderOfEvents} from '../../diagnose/change-order.js'
import type {Assessment} from '../../diagnose/conclude.js'
import type {CmsContext} from './diagnose-cms-context.js'
import type {SourceView} from './diagnose-source.js'
import type {Evidence} from '../../report/types.js'
import {describeRun, diffLabels, needsSeconds, time, timeEvidence} from '../../diagnose/report-helpers.js'

/** The order of events at the CMS hop of a customer: the source changed after the last sync, or a sync missed it. */

/** The source has the customer, the CMS has not: created after the last sync, or a sync did not read it. */
export function notReadYet(context: CmsContext): Assessment {
  const {clock, lastSync, nextSync, obs, report, source} = context
  const erpName = source.name
  const order = orderOfEvents(source, lastSync, lastSync?.startedAt ?? null)
  const exportFile = source.exportFile ?? 'the export'
  const fileNote = fileReadNote(context)
  const evidence = sourceChangeEvidence(source, lastSync, source.hop === 'ftp' ? 'exportRowModified' : 'erpModifiedAt')
  if (order === 'after' && fileNote && source.hop === 'ftp' && source.recordModifiedAt && !rowChangedAfter(context))
    return notReadYetByFile(context, exportFile, evidence)
  if (order === 'after') {
    const changed = sourceChangeText(source, exportFile)
    const seconds = needsSeconds(source.modifiedAt, lastSync?.startedAt)
    const when = source.modifiedAt ? ` at ${time(source.modifiedAt, clock, seconds)}` : ''
    const since = lastSync
      ? `after the last customer sync started (${describeRun(lastSync, clock, seconds)})`
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

/** Who or what put the record in the source: the ERP (by its own time), or an export file whose rows carry none. */
function sourceChangeText(source: SourceView, exportFile: string): string {
  // An export without a change time per row (Winbas) dates the record only by the file's time.
  if (source.hop !== 'ftp') return `${source.name} created or changed it`
  return source.recordModifiedAt
    ? `the ERP changed it (LastModified in ${exportFile})`
    : `${exportFile}, whose rows carry no change time, was written with it`
}

/** The export file on the server is newer than the version the last sync read: the two times, else ''. */
function fileReadNote({clock, lastSync, source}: CmsContext): string {
  const seconds = needsSeconds(lastSync?.sourceFileModifiedAt, source.fileModifiedAt)
  return newerFileThanRunRead(source.fileModifiedAt, lastSync) &&
    lastSync?.sourceFileModifiedAt &&
    source.fileModifiedAt
    ? ` That sync read ${lastSync.sourceFile ?? 'the export'} as written ${time(lastSync.sourceFileModifiedAt, clock, seconds)}; the file now on the server was written ${time(source.fileModifiedAt, clock, seconds)}.`
    : ''
}

/** The record's own change time is after the last sync's start (or there is no sync). */
function rowChangedAfter({lastSync, source}: CmsContext): boolean {
  return Boolean(
    source.recordModifiedAt &&
      (!lastSync?.startedAt || source.recordModifiedAt.getTime() > lastSync.startedAt.getTime()),
  )
}

/**
 * The row's own time is older than the sync: what shows it is new to the CMS is the file, written again after
 * the version the sync read (only called when both file times are known).
 */
function notReadYetByFile(context: CmsContext, exportFile: string, evidence: Evidence[]): Assessment {
  const {clock, nextSync, obs, report, source} = context
  const lastSync = context.lastSync as SyncRun
  const seconds = needsSeconds(source.fileModifiedAt, lastSync.startedAt, lastSync.sourceFileModifiedAt)
  const inFile = `it is in ${exportFile} as written ${time(source.fileModifiedAt as Date, clock, seconds)}, after the version the last customer sync (${describeRun(lastSync, clock, seconds)}) read, written ${time(lastSync.sourceFileModifiedAt as Date, clock, seconds)}.`
  report.summary = `Not in the CMS: ${inFile}`
  return {
    cause: 'created-after-sync',
    causeEvidence: [...evidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
    causeSummary: `Customer ${obs.code} is not in the CMS yet: ${inFile}${nextSync ? ` The next auto-sync starts ${time(nextSync, clock)}.` : ''}`,
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

export function differsFromSource(context: CmsContext, cmsRecord: CmsCustomer): Assessment {
  const {lastSync, obs, report, source} = context
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
  if (order === 'after') return staleInCms(context, cmsRecord, readAt, evidence)
  report.status = 'differs'
  const differs =
    order === 'unknown'
      ? `from ${erpName}: ${labels}. ${erpName} keeps no change time for it, so whether it changed after the last customer sync cannot be told.`
      : `from ${erpName} although the CMS synced after the ERP's last change: ${labels}.`
  report.summary = `Differs ${differs}`
  return {
    cause: order === 'unknown' ? 'change-order-unknown' : 'cms-differs-from-erp',
    causeEvidence: evidence,
    causeSummary: `The CMS differs ${differs}`,
    report,
  }
}

/** The source changed after the CMS last read the record: by its own time, or its export file written again. */
function staleInCms(
  context: CmsContext,
  cmsRecord: CmsCustomer,
  readAt: Date | null,
  evidence: Evidence[],
): Assessment {
  const {clock, lastSync, nextSync, obs, report, source} = context
  const erpName = source.name
  const labels = diffLabels(report.diff)
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
  const seconds = needsSeconds(changedAt, lastSync?.startedAt, byFile ? lastSync?.sourceFileModifiedAt : null)
  const when = changedAt ? ` at ${time(changedAt, clock, seconds)}` : ''
  const how = !source.modifiedAt && source.changedSince?.changed ? ' (its lastmodified filter lists the customer)' : ''
  const runText = lastSync ? ` (${describeRun(lastSync, clock, seconds)})` : ''
  const what = byFile
    ? `${source.exportFile ?? 'the export'} was written again${when}, after the version the last customer sync${runText} read (written ${time(lastSync?.sourceFileModifiedAt as Date, clock, seconds)})`
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
