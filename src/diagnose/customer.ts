import type {CanonicalCustomer} from '../model/customer.js'
import type {CmsCustomer, Installation, SyncRecordOutcome, SyncRun} from '../connectors/platform/types.js'
import type {CustomerObservations} from '../observe/customer.js'
import type {DeviceWithUpload} from '../observe/devices.js'
import {erpDisplayName} from '../connectors/registry.js'
import {answerOf} from '../observe/fetched.js'
import type {AppUserReport, DeviceReport, Evidence, HopName, HopStatus} from '../report/types.js'
import {comparePublishedCustomer, compareSourceCustomer, type DerivedField, type NotSupplied} from '../model/mapping.js'
import {formatDuration, parseLocalDateTime} from '../util/time.js'
import type {ActionContext} from './actions.js'
import {baseReport, describeRun, diffLabels, type Presence, presenceOf, problemReport, runEvidence, time, timeEvidence} from './report-helpers.js'
import {type Assessment, type Clock, conclude, type Diagnosis, localTimeZone} from './conclude.js'
import {exportFileEvidence, exportStaleAssessment} from './export.js'
import {lastReadAt, lastSyncCovering, newerFileThanRunRead, newestFirst, nextAutoSync} from '../connectors/platform/schedule.js'

/** The CMS pushes to the webshop "within minutes"; past this, a missing or older webshop record is a fault. */
export const webshopPushGraceMs = 15 * 60_000



function assessErp(obs: CustomerObservations, viaExports: boolean): Assessment {
  const installation = answerOf(obs.installation)
  const system = obs.erpSystem ?? installation?.erpSystem ?? 'erp'
  const name = erpDisplayName(system)
  if (!obs.erp) {
    const report = baseReport('erp', system, 0, null)
    report.status = 'not-checked'
    report.summary = viaExports
      ? `${name} is only visible through its exports on the file server; this profile gives no ERP API access.`
      : 'This profile gives no ERP API access, so the chain is checked from the CMS on.'
    return {cause: null, report}
  }
  if (!obs.erp.ok) return {cause: null, report: problemReport('erp', system, obs.erp, null)}
  const report = baseReport('erp', system, obs.erp.durationMs, null)
  const record = obs.erp.value
  if (!record) {
    report.status = 'missing'
    report.summary = `${name} has no customer ${obs.code}.`
    const cmsPresence = presenceOf(obs.cms)
    if (cmsPresence === 'present') return {cause: null, report}
    return {
      cause: 'not-in-erp',
      causeSummary: `${name} has no customer ${obs.code}${cmsPresence === 'missing' ? ', and neither has the CMS' : ''}: the code may be wrong, or the customer was never created in the ERP.`,
      report,
    }
  }
  report.record = record.customer
  report.evidence = timeEvidence('erpModifiedAt', 'ERP last modified', record.modifiedAt)
  if (record.erpId) report.evidence.push({label: 'ERP id', name: 'erpId', text: record.erpId})
  report.summary = `${name} has the customer.`
  return {cause: null, report}
}

function excludedByFilter(
  record: SyncRecordOutcome | undefined,
  source: SourceView,
  installation: Installation | undefined,
): string | null {
  if (record?.outcome === 'skipped') return record.reason ?? 'skipped by the last sync (no reason given)'
  if (source.skippedBecause) return source.skippedBecause
  const erpCustomer = source.customer
  // The platform's connectors skip records with an empty code or name (connectors.md, "hidden reasons").
  if (erpCustomer && erpCustomer.name !== null && erpCustomer.name.trim() === '') return `it has no name in ${source.name}: the CMS skips records with an empty code or name`
  const filters = installation?.filters ?? {}
  if (erpCustomer?.isPrivate && filters.skipPrivateCustomers) return 'private customer; the CMS filter skipPrivateCustomers is on'
  if (erpCustomer?.blocked && filters.skipBlockedCustomers) return 'blocked customer; the CMS filter skipBlockedCustomers is on'
  return null
}

/** What the CMS is compared with: the ERP (direct installations) or its export file (ftp installations). */
export interface SourceView {
  hop: 'erp' | 'ftp'
  /** "Business Central", "the export customers.csv". */
  name: string
  /** Was the source asked at all (configured in the profile)? */
  checked: boolean
  presence: Presence
  customer: CanonicalCustomer | undefined
  modifiedAt: Date | null
  /** The record's own change time (the ERP's, or the export row's LastModified), never the file's. */
  recordModifiedAt: Date | null
  /** For an export: the file's time, against the time of the file the last sync read. */
  fileModifiedAt: Date | null
  /** The source is itself broken (a break found at it): nothing downstream is judged against it. */
  broken: boolean
  /** For an ERP whose records carry no time: did it report a change since the last sync started? */
  changedSince: {since: Date; changed: boolean} | null
  /** Fields the source declares it cannot supply. */
  notSupplied: NotSupplied[]
  /** Why the CMS's connector never reads this record, as the source itself shows (inactive in Fortnox, `~` in an export). */
  skippedBecause: string | null
  /** The source's own word on what the CMS derives (BC without the ship-to extension). */
  derived: DerivedField[]
}

function assessFtp(obs: CustomerObservations, clock: Clock): Assessment {
  const installation = answerOf(obs.installation)
  const erpName = erpDisplayName(installation?.erpSystem)
  if (!obs.ftp) {
    const report = baseReport('ftp', 'ftp', 0, null)
    report.status = 'not-checked'
    report.summary = 'This profile has no file-server credentials, so the export files were not read.'
    return {cause: null, report}
  }
  if (!obs.ftp.ok) return {cause: null, report: problemReport('ftp', 'ftp', obs.ftp, null)}
  const lookup = obs.ftp.value
  const report = baseReport('ftp', 'ftp', obs.ftp.durationMs, null)
  report.evidence.push({label: 'File server', name: 'fileServer', text: lookup.location})
  for (const file of lookup.files) report.evidence.push(exportFileEvidence(file))
  const existing = lookup.files.filter((file) => file.exists)
  if (existing.length === 0) {
    report.status = 'error'
    report.summary = `No customer export (${lookup.files.map((file) => file.path).join(', ')}) in ${lookup.location}.`
    return {cause: 'export-missing', causeEvidence: report.evidence.slice(), causeSummary: `${report.summary} The ERP's export has not been written where the CMS reads it.`, report}
  }
  if (lookup.otherProblems.length > 0)
    report.evidence.push({label: 'Other unreadable rows', name: 'otherUnreadableRows', text: lookup.otherProblems.slice(0, 5).map((problem) => `${problem.file} line ${problem.line}`).join(', ')})
  const staleCause = (): Assessment | null => exportStaleAssessment({clock, erpName, files: lookup.files, installation, location: lookup.location, report})
  if (lookup.unreadable) {
    const {file, line, message} = lookup.unreadable
    report.status = 'error'
    report.summary = `The row for ${obs.code} in ${file} (line ${line}) cannot be read: ${message}.`
    report.evidence.push({file, label: 'Unreadable row', line, name: 'exportUnreadableRow', text: `${file} line ${line}: ${message}`})
    return staleCause() ?? {cause: 'export-row-unreadable', causeEvidence: report.evidence.filter((entry) => entry.name !== 'otherUnreadableRows'), causeSummary: `The ERP export has a row for customer ${obs.code} that cannot be read: ${file}, line ${line}: ${message}. The CMS cannot import it.`, report}
  }
  if (!lookup.record) {
    report.status = 'missing'
    report.summary = `Not in the export files (${existing.map((file) => file.path).join(', ')}).`
    return staleCause() ?? {
      cause: 'not-in-export',
      causeEvidence: report.evidence.slice(),
      causeSummary: `Customer ${obs.code} is not in ${erpName}'s export files (${existing.map((file) => file.path).join(', ')}), which are otherwise readable and current. ${erpName} itself is only visible through these exports.`,
      report,
    }
  }
  const {record} = lookup
  report.record = record.value
  const rowModified = record.lastModifiedLocal ? parseLocalDateTime(record.lastModifiedLocal, clock.timeZone) : null
  report.evidence.push({file: record.file, label: 'Row', line: record.line, name: 'exportRow', text: `${record.file} line ${record.line}${record.inactive ? ' (marked inactive with ~)' : ''}`})
  report.evidence.push(...timeEvidence('exportRowModified', 'Row LastModified', rowModified))
  report.summary = `In ${record.file}, line ${record.line}${record.inactive ? ', marked inactive' : ''}.`
  return staleCause() ?? {cause: null, report}
}

/** What the CMS is compared with, from the ERP hop or the export hop. */
function sourceView(obs: CustomerObservations, viaExports: boolean, sourceAssessment: Assessment, clock: Clock): SourceView {
  const installation = answerOf(obs.installation)
  const broken = sourceAssessment.cause !== null && sourceAssessment.cause !== 'not-in-erp' && sourceAssessment.cause !== 'not-in-export'
  if (viaExports) {
    const lookup = answerOf(obs.ftp)
    const file = lookup?.record ? lookup.files.find((entry) => entry.path === lookup.record?.file) : undefined
    const rowModified = lookup?.record?.lastModifiedLocal ? parseLocalDateTime(lookup.record.lastModifiedLocal, clock.timeZone) : null
    return {
      broken,
      changedSince: null,
      checked: obs.ftp !== null,
      customer: lookup?.record?.value,
      derived: [],
      fileModifiedAt: file?.modifiedAt ?? null,
      hop: 'ftp',
      modifiedAt: rowModified ?? file?.modifiedAt ?? null,
      recordModifiedAt: rowModified,
      name: lookup?.record ? `the export ${lookup.record.file}` : 'the export',
      notSupplied: lookup?.record?.notSupplied ?? [],
      skippedBecause: lookup?.record?.skippedBecause ?? (lookup?.record?.inactive ? `marked inactive in ${lookup.record.file} (its code starts with ~)` : null),
      presence: !obs.ftp || !obs.ftp.ok || lookup?.unreadable ? 'unknown' : lookup?.record ? 'present' : 'missing',
    }
  }
  const erp = answerOf(obs.erp)
  return {
    broken,
    changedSince: erp?.changedSince ?? null,
    checked: obs.erp !== null,
    customer: erp?.customer,
    derived: erp?.derived ?? [],
    fileModifiedAt: null,
    hop: 'erp',
    modifiedAt: erp?.modifiedAt ?? null,
    recordModifiedAt: erp?.modifiedAt ?? null,
    name: erpDisplayName(obs.erpSystem ?? installation?.erpSystem),
    notSupplied: erp?.notSupplied ?? [],
    presence: presenceOf(obs.erp),
    skippedBecause: erp?.skippedBecause ?? null,
  }
}

/**
 * Did the source change after the last sync that covered the record started? Only from times in hand: the
 * record's change time, the ERP's answer to "changed since" (Fortnox `lastmodified`), or a newer export
 * file than the one the sync read; without any of them the order of events is unknown.
 */
function orderOfEvents(source: SourceView, lastSync: SyncRun | undefined, reference: Date | null): 'after' | 'before' | 'unknown' {
  if (newerFileThanSyncRead(source, lastSync)) return 'after'
  // The ERP was asked exactly this question, at the reference time (see observeCustomer).
  if (source.changedSince) return source.changedSince.changed ? 'after' : 'before'
  if (!reference) return 'after'
  if (source.modifiedAt) return source.modifiedAt > reference ? 'after' : 'before'
  return 'unknown'
}

function changedSinceEvidence(source: SourceView, erpName: string): Evidence[] {
  const asked = source.changedSince
  if (!asked) return []
  return [{at: asked.since.toISOString(), label: `${erpName} asked for changes since`, name: 'erpChangedSince', text: asked.changed ? 'lists the record: changed since then' : 'does not list the record: unchanged since then'}]
}

/** The CMS stores the ERP's change time with the record (truncated to seconds): a newer one in the source is a change it has not got. */
export function newerThanCmsCopy(recordModifiedAt: Date | null, cmsErpModifiedAt: Date | null): boolean {
  return Boolean(recordModifiedAt && cmsErpModifiedAt && recordModifiedAt.getTime() >= cmsErpModifiedAt.getTime() + 1000)
}

/** Did the last sync read an older version of the export file than the one on the server now? */
function newerFileThanSyncRead(source: SourceView, lastSync: SyncRun | undefined): boolean {
  return newerFileThanRunRead(source.fileModifiedAt, lastSync)
}

function assessCms(obs: CustomerObservations, clock: Clock, source: SourceView): Assessment {
  const comparedWith: HopName | null = source.checked ? source.hop : null
  if (!obs.cms.ok) return {cause: null, report: problemReport('cms', 'cms', obs.cms, comparedWith)}
  const report = baseReport('cms', 'cms', obs.cms.durationMs, comparedWith)
  const installation = answerOf(obs.installation)
  const runs = answerOf(obs.syncRuns) ?? []
  const lastSync = lastSyncCovering(runs, obs.code)
  const latestRun = newestFirst(runs)[0]
  const latestRecord = answerOf(obs.syncRecords)?.[0]
  const erpRecord = source.customer ? {customer: source.customer, modifiedAt: source.modifiedAt} : undefined
  const erpPresence: Presence = source.broken ? 'unknown' : source.presence
  const erpName = source.name
  const cmsRecord = obs.cms.value

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
  else if (obs.syncRecords.ok) report.evidence.push({label: 'Sync outcome for this record', name: 'syncRecordOutcome', text: 'never read by the recent runs'})
  const nextSync = nextAutoSync(installation, clock.now)
  if (nextSync) report.evidence.push({at: nextSync.toISOString(), label: 'Next auto-sync', name: 'nextAutoSync'})

  if (!cmsRecord) {
    report.status = 'missing'
    if (erpPresence === 'missing') {
      report.summary = `Not in the CMS either (${source.hop === 'ftp' ? 'the export does' : 'the ERP does'} not have it).`
      return {cause: null, report}
    }
    const exclusion = excludedByFilter(latestRecord, source, installation)
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
    if (erpPresence === 'unknown') {
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
    const order = orderOfEvents(source, lastSync, lastSync?.startedAt ?? null)
    const fileNewer = newerFileThanSyncRead(source, lastSync)
    const exportFile = source.name.replace(/^the export /, '')
    // An export without a change time per row (Winbas) dates the record only by the file's time.
    const changed = source.hop === 'ftp' ? (source.recordModifiedAt ? `the ERP changed it (LastModified in ${exportFile})` : `${exportFile}, whose rows carry no change time, was written with it`) : `${erpName} created or changed it`
    const fileNote = fileNewer && lastSync?.sourceFileModifiedAt && source.fileModifiedAt
      ? ` That sync read ${lastSync.sourceFile ?? 'the export'} as written ${time(lastSync.sourceFileModifiedAt, clock)}; the file now on the server was written ${time(source.fileModifiedAt, clock)}.`
      : ''
    const changeEvidence = [
      ...timeEvidence(source.hop === 'ftp' ? 'exportRowModified' : 'erpModifiedAt', source.hop === 'ftp' ? 'Row LastModified' : 'ERP last modified', source.hop === 'ftp' ? source.recordModifiedAt : source.modifiedAt),
      ...changedSinceEvidence(source, erpName),
      ...timeEvidence('exportFileModified', 'Export file written', source.fileModifiedAt),
      ...runEvidence(lastSync, 'lastCustomerSync', 'Last customer sync'),
      ...timeEvidence('syncReadFileModified', 'File version the last sync read', lastSync?.sourceFileModifiedAt),
    ]
    if (order === 'after') {
      const when = source.modifiedAt ? ` at ${time(source.modifiedAt, clock)}` : ''
      const since = lastSync ? `after the last customer sync started (${describeRun(lastSync, clock)})` : 'and the CMS reports no successful customer sync'
      const how = !source.modifiedAt && source.changedSince?.changed ? ` (its lastmodified filter lists the customer)` : ''
      report.summary = `Not in the CMS: ${changed}${when}, ${since}${how}.${fileNote}`
      return {
        cause: 'created-after-sync',
        causeEvidence: [...changeEvidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
        causeSummary: `Customer ${obs.code} is not in the CMS yet: ${changed}${when}, ${since}${how}.${fileNote}${nextSync ? ` The next auto-sync starts ${time(nextSync, clock)}.` : ''}`,
        report,
      }
    }
    if (order === 'unknown') {
      report.summary = `Not in the CMS; ${erpName} keeps no change time for it, so whether it was created after the last customer sync${lastSync ? ` (${describeRun(lastSync, clock)})` : ''} cannot be told.`
      return {
        cause: 'change-order-unknown',
        causeEvidence: changeEvidence,
        causeSummary: `Customer ${obs.code} is in ${erpName} but not in the CMS, and ${erpName} keeps no change time for it: whether it was created after the last customer sync${lastSync ? ` (${describeRun(lastSync, clock)})` : ''} cannot be told.`,
        report,
      }
    }
    report.summary = `Not in the CMS, although the last customer sync (${describeRun(lastSync as SyncRun, clock)}) ran after ${erpName}'s last change and did not read it.`
    return {cause: 'not-read-by-sync', causeEvidence: changeEvidence, causeSummary: `Customer ${obs.code} is in ${erpName} but not in the CMS: ${report.summary.slice(20)}`, report}
  }

  report.record = cmsRecord.customer
  report.evidence.unshift(...timeEvidence('cmsSyncedAt', 'CMS record written', cmsRecord.syncedAt), ...timeEvidence('cmsErpModifiedAt', 'ERP modified, as the CMS got it', cmsRecord.erpModifiedAt))
  if (erpPresence === 'missing') {
    report.status = 'differs'
    report.summary = `The CMS holds customer ${obs.code}, which ${erpName} does not have (anymore).`
    return {brokenLink: source.hop === 'ftp' ? {from: 'erp', to: 'ftp'} : {from: null, to: 'erp'}, cause: 'removed-from-erp', causeSummary: `${report.summary} It was deleted or renumbered in the ERP, or the CMS record was created elsewhere.`, report}
  }
  if (!erpRecord || source.broken) {
    report.summary = source.checked ? `Present; not compared, because ${source.hop === 'ftp' ? 'the export' : 'the ERP'} could not be read.` : 'Present.'
    return {cause: null, report}
  }
  const comparison = compareSourceCustomer(erpRecord.customer, cmsRecord.customer, source.notSupplied, {downstream: 'the CMS', upstream: erpName})
  report.diff = comparison.diff
  report.notCompared = comparison.notCompared
  report.derived = comparison.derived.length > 0 && source.derived.length > 0 ? source.derived : comparison.derived
  if (report.diff.length === 0) {
    report.summary = `Matches ${erpName}.`
    return {cause: null, report}
  }
  // Against the last time the CMS demonstrably read the record (its own write, or a run whose outcome for it
  // says it read it): a run that failed on it or never read it does not count. An ERP time newer than the
  // one the CMS stored with the record is news to it as well.
  const readAt = lastReadAt(cmsRecord.syncedAt, answerOf(obs.syncRecords) ?? [], runs)
  const order = newerThanCmsCopy(source.recordModifiedAt, cmsRecord.erpModifiedAt) ? 'after' : orderOfEvents(source, lastSync, readAt)
  const changeEvidence = [
    ...timeEvidence('erpModifiedAt', source.hop === 'ftp' ? 'Row LastModified' : 'ERP last modified', source.hop === 'ftp' ? source.recordModifiedAt : source.modifiedAt),
    ...changedSinceEvidence(source, erpName),
    ...timeEvidence('exportFileModified', 'Export file written', source.fileModifiedAt),
    ...runEvidence(lastSync, 'lastCustomerSync', 'Last customer sync'),
    ...timeEvidence('syncReadFileModified', 'File version the last sync read', lastSync?.sourceFileModifiedAt),
    ...timeEvidence('cmsSyncedAt', 'CMS record written', cmsRecord.syncedAt),
    ...timeEvidence('cmsErpModifiedAt', 'ERP modified, as the CMS got it', cmsRecord.erpModifiedAt),
  ]
  if (order === 'after') {
    report.status = 'stale'
    const when = source.modifiedAt ? ` at ${time(source.modifiedAt, clock)}` : ''
    const how = !source.modifiedAt && source.changedSince?.changed ? ' (its lastmodified filter lists the customer)' : ''
    report.summary = `Older than ${erpName}: changed there${when}, after the CMS last got it${how}. Differs: ${diffLabels(report.diff)}.`
    return {
      cause: 'erp-changed-after-sync',
      causeEvidence: [...changeEvidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
      causeSummary: `The CMS has an older version of customer ${obs.code}: ${erpName} changed it${when}, after the last customer sync${
        lastSync ? ` (${describeRun(lastSync, clock)})` : ''
      }${how}. Differs: ${diffLabels(report.diff)}.${nextSync ? ` The next auto-sync starts ${time(nextSync, clock)}.` : ''}`,
      report,
    }
  }
  if (order === 'unknown') {
    report.status = 'differs'
    report.summary = `Differs from ${erpName}: ${diffLabels(report.diff)}. ${erpName} keeps no change time for it, so whether it changed after the last customer sync cannot be told.`
    return {cause: 'change-order-unknown', causeEvidence: changeEvidence, causeSummary: `The CMS ${report.summary.charAt(0).toLowerCase()}${report.summary.slice(1)}`, report}
  }
  report.status = 'differs'
  report.summary = `Differs from ${erpName} although the CMS synced after the ERP's last change: ${diffLabels(report.diff)}.`
  return {cause: 'cms-differs-from-erp', causeEvidence: changeEvidence, causeSummary: `The CMS ${report.summary.charAt(0).toLowerCase()}${report.summary.slice(1)}`, report}
}

const userStatusRank: Record<HopStatus, number> = {
  error: 7,
  excluded: 3,
  missing: 4,
  'not-checked': 1,
  'not-visible': 6,
  present: 0,
  stale: 5,
  differs: 5,
  unreachable: 8,
}

function latestRefresh(device: {lastRefreshAt: Date | null; lastFullRefreshAt: Date | null}): Date | null {
  const times = [device.lastRefreshAt, device.lastFullRefreshAt].filter((date): date is Date => date !== null)
  return times.length > 0 ? new Date(Math.max(...times.map((date) => date.getTime()))) : null
}

function assessApp(obs: CustomerObservations, clock: Clock): Assessment {
  const cmsPresence = presenceOf(obs.cms)
  const comparedWith: HopName = 'cms'
  if (!obs.appCustomer.ok) return {cause: null, report: problemReport('app', 'app', obs.appCustomer, comparedWith)}
  if (!obs.appUsers.ok) return {cause: null, report: problemReport('app', 'app', {...obs.appUsers, durationMs: obs.appUsers.durationMs + obs.appCustomer.durationMs}, comparedWith)}
  const report = baseReport('app', 'app', Math.max(obs.appCustomer.durationMs, obs.appUsers.durationMs), comparedWith)
  const published = obs.appCustomer.value
  const cms = answerOf(obs.cms)
  const {salesRepCodes, users} = obs.appUsers.value

  if (!published) {
    report.status = 'missing'
    if (cmsPresence === 'present' && cms) {
      report.summary = 'Never published to the app, although the CMS has the customer.'
      return {
        cause: 'not-published-to-app',
        causeEvidence: timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt),
        causeSummary: `The CMS has customer ${obs.code}${cms.syncedAt ? ` since ${time(cms.syncedAt, clock)}` : ''}, but it was never published to the app.`,
        report,
      }
    }
    report.summary = cmsPresence === 'unknown' ? 'Not in the app; the CMS could not be checked.' : 'Not in the app (nor in the CMS).'
    return {cause: null, report}
  }
  report.record = published.customer
  report.evidence.push(...timeEvidence('appPublishedAt', 'Published to the app', published.publishedAt))
  report.evidence.push({label: 'Visible to users', name: 'visibleToUserIds', text: published.visibleToUserIds.join(', ') || 'nobody'})

  if (cms) {
    const comparison = comparePublishedCustomer(cms.customer, published.customer, {downstream: 'the app backend', upstream: 'the CMS'})
    report.diff = comparison.diff
    report.notCompared = comparison.notCompared
    if (report.diff.length > 0) {
      const behind = published.publishedAt !== null && cms.syncedAt !== null && published.publishedAt < cms.syncedAt
      report.status = behind ? 'stale' : 'differs'
      report.summary = `${behind ? 'The app was last published an older version' : 'The app holds different values'} than the CMS: ${diffLabels(report.diff)}.`
      return {
        cause: behind ? 'app-publish-behind' : 'app-differs-from-cms',
        causeEvidence: [...timeEvidence('appPublishedAt', 'Published to the app', published.publishedAt), ...timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt)],
        causeSummary: `${report.summary}${behind && published.publishedAt && cms.syncedAt ? ` Published ${time(published.publishedAt, clock)}; the CMS wrote it ${time(cms.syncedAt, clock)}.` : ''}`,
        report,
      }
    }
  }

  const userReports: AppUserReport[] = users.map((user) => {
    const base = {devices: [] as DeviceReport[], name: user.name, userId: user.userId}
    const who = user.name ? `${user.name} (${user.userId})` : user.userId
    if (user.devices === null) return {...base, status: 'not-checked' as HopStatus, summary: `The app backend has no user ${user.userId}.`}
    base.devices = user.devices.map((device) => {
      const refreshedAt = latestRefresh(device)
      return {
        deviceId: device.deviceId,
        holdsRecord: published.publishedAt !== null && refreshedAt !== null && refreshedAt >= published.publishedAt,
        lastFullRefreshAt: device.lastFullRefreshAt?.toISOString() ?? null,
        lastRefreshAt: device.lastRefreshAt?.toISOString() ?? null,
        lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
        model: device.model,
      }
    })
    if (published.publishedAt === null && base.devices.length > 0)
      return {...base, status: 'not-checked' as HopStatus, summary: `The app backend gives no publication time, so whether ${who}'s devices hold this version cannot be told.`}
    if (!published.visibleToUserIds.includes(user.userId))
      return {...base, status: 'not-visible' as HopStatus, summary: `Not visible to ${who}: the customer is published to ${published.visibleToUserIds.join(', ') || 'nobody'}.`}
    // No device to hold it: what the app backend holds for the user is all there is to check.
    if (base.devices.length === 0) return {...base, status: 'present' as HopStatus, summary: `${who} has no registered device; the app backend holds the current version for them.`}
    const stale = base.devices.filter((device) => !device.holdsRecord)
    if (stale.length === 0) return {...base, status: 'present' as HopStatus, summary: `Every device of ${who} has the current version.`}
    const describeDevice = (device: DeviceReport) =>
      `${device.model ?? 'device'} ${device.deviceId} last refreshed ${device.lastRefreshAt || device.lastFullRefreshAt ? time(new Date(Math.max(Date.parse(device.lastRefreshAt ?? '0'), Date.parse(device.lastFullRefreshAt ?? '0'))), clock) : 'never'}`
    return {
      ...base,
      status: 'stale' as HopStatus,
      summary: `${who}: ${stale.map(describeDevice).join('; ')}, before the customer was published${published.publishedAt ? ` (${time(published.publishedAt, clock)})` : ''}.`,
    }
  })
  report.users = userReports

  if (userReports.length === 0) {
    if (salesRepCodes && salesRepCodes.length > 0) {
      report.status = 'not-visible'
      report.summary = `No app user has the sales rep code ${salesRepCodes.join(', ')}, so no rep sees the customer.`
      return {cause: 'no-app-user-for-sales-rep', causeSummary: `Customer ${obs.code} belongs to sales rep ${salesRepCodes.join(', ')}, but no app user has that code.`, report}
    }
    report.summary = 'Published to the app; the customer has no sales rep, so no user was checked (use --user).'
    return {cause: null, report}
  }
  const worst = [...userReports].sort((a, b) => userStatusRank[b.status] - userStatusRank[a.status])[0] as AppUserReport
  report.status = worst.status === 'not-checked' && userReports.some((user) => user.status === 'present') ? 'present' : worst.status
  report.summary = userReports.map((user) => user.summary).join(' ')
  if (worst.status === 'not-visible') {
    const reps = published.customer.salesRepCodes?.join(', ') || cms?.customer.salesRepCodes?.join(', ') || 'another rep'
    return {
      cause: 'not-assigned-to-user',
      causeEvidence: [
        {label: 'Customer sales reps', name: 'salesRepCodes', text: reps},
        {label: 'Visible to users', name: 'visibleToUserIds', text: published.visibleToUserIds.join(', ') || 'nobody'},
      ],
      causeSummary: `Customer ${obs.code} is not visible to ${worst.name ? `${worst.name} (${worst.userId})` : worst.userId} in the app: it is assigned to sales rep ${reps} (visible to ${published.visibleToUserIds.join(', ') || 'nobody'}).`,
      report,
      userId: worst.userId,
    }
  }
  if (worst.status === 'stale')
    return {
      cause: 'device-not-refreshed',
      causeEvidence: [
        ...timeEvidence('appPublishedAt', 'Published to the app', published.publishedAt),
        ...worst.devices.flatMap((device) =>
          timeEvidence(`deviceRefreshedAt:${device.deviceId}`, `${device.model ?? 'Device'} ${device.deviceId} last refresh`, latestRefresh({lastFullRefreshAt: device.lastFullRefreshAt ? new Date(device.lastFullRefreshAt) : null, lastRefreshAt: device.lastRefreshAt ? new Date(device.lastRefreshAt) : null})),
        ),
      ],
      causeSummary: `The app on ${worst.name ? `${worst.name}'s (${worst.userId})` : `${worst.userId}'s`} device does not have customer ${obs.code} as the CMS has it: ${worst.summary.slice(worst.summary.indexOf(':') + 2)}`,
      report,
      userId: worst.userId,
    }
  return {cause: null, report}
}

function assessWebshop(obs: CustomerObservations, clock: Clock): Assessment {
  if (!obs.webshop.ok) return {cause: null, report: problemReport('webshop', 'webshop', obs.webshop, 'cms')}
  const report = baseReport('webshop', 'webshop', obs.webshop.durationMs, 'cms')
  const published = obs.webshop.value
  const cms = answerOf(obs.cms)
  const cmsPresence = presenceOf(obs.cms)
  const sinceCmsWrite = cms?.syncedAt ? clock.now.getTime() - cms.syncedAt.getTime() : Number.POSITIVE_INFINITY
  const pending = sinceCmsWrite < webshopPushGraceMs

  if (!published) {
    report.status = 'missing'
    if (cmsPresence === 'present' && cms) {
      report.evidence.push(...timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt))
      if (pending) {
        report.summary = `Not in the webshop yet; the CMS wrote it ${formatDuration(sinceCmsWrite)} ago and pushes within minutes.`
        return {cause: 'webshop-push-pending', causeSummary: report.summary, report}
      }
      report.summary = `Never reached the webshop, although the CMS has had it${cms.syncedAt ? ` since ${time(cms.syncedAt, clock)} (${formatDuration(sinceCmsWrite)})` : ''}.`
      return {
        cause: 'not-published-to-webshop',
        causeEvidence: report.evidence.slice(),
        causeSummary: `The webshop does not have customer ${obs.code}, although the CMS has had it${cms.syncedAt ? ` since ${time(cms.syncedAt, clock)}, ${formatDuration(sinceCmsWrite)} ago` : ''}; the CMS pushes to the webshop within minutes.`,
        report,
      }
    }
    report.summary = cmsPresence === 'unknown' ? 'Not in the webshop; the CMS could not be checked.' : 'Not in the webshop (nor in the CMS).'
    return {cause: null, report}
  }
  report.record = published.customer
  report.evidence.push(...timeEvidence('webshopPublishedAt', 'Published to the webshop', published.publishedAt))
  if (published.accounts.length > 0)
    report.evidence.push({label: 'Webshop logins', name: 'webshopAccounts', text: published.accounts.map((account) => `${account.login}${account.active ? '' : ' (inactive)'}`).join(', ')})
  if (!cms) {
    report.summary = cmsPresence === 'unknown' ? 'Present; not compared, because the CMS could not be checked.' : 'Present in the webshop, although the CMS has no such customer.'
    return {cause: null, report}
  }
  const comparison = comparePublishedCustomer(cms.customer, published.customer, {downstream: 'the webshop', upstream: 'the CMS'})
  report.diff = comparison.diff
  report.notCompared = comparison.notCompared
  if (report.diff.length === 0) {
    report.summary = 'Matches the CMS.'
    return {cause: null, report}
  }
  const behind = published.publishedAt !== null && cms.syncedAt !== null && published.publishedAt < cms.syncedAt
  if (behind && pending) {
    report.status = 'stale'
    report.summary = `The webshop still has the previous version; the CMS wrote the new one ${formatDuration(sinceCmsWrite)} ago and pushes within minutes.`
    return {cause: 'webshop-push-pending', causeSummary: report.summary, report}
  }
  report.status = behind ? 'stale' : 'differs'
  report.summary = `${behind ? 'Older than' : 'Differs from'} the CMS: ${diffLabels(report.diff)}.`
  return {
    cause: behind ? 'webshop-behind' : 'webshop-differs-from-cms',
    causeEvidence: [...timeEvidence('webshopPublishedAt', 'Published to the webshop', published.publishedAt), ...timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt)],
    causeSummary: `The webshop ${behind ? 'has an older version of' : 'holds different values for'} customer ${obs.code} than the CMS: ${diffLabels(report.diff)}.`,
    report,
  }
}


export type CustomerDiagnosis = Diagnosis

/** Grace for the CMS to create a customer from the app or webshop in the ERP. */
export const newCustomerGraceMs = 30 * 60_000

/** A customer created on a device that has not uploaded it: the break is at the source. */
function diagnoseCustomerOnDevice(obs: CustomerObservations, found: DeviceWithUpload, clock: Clock, context: Omit<ActionContext, 'key' | 'userId' | 'entity'>): Diagnosis {
  const installation = answerOf(obs.installation)
  const who = found.name ? `${found.name} (${found.userId})` : found.userId
  const evidence = [...timeEvidence('createdAt', 'Created on the device', found.upload.createdAt), ...timeEvidence('deviceLastSeenAt', `${found.device.model ?? 'Device'} ${found.device.deviceId} last seen`, found.device.lastSeenAt)]
  // The device holds it; the CMS is the hop that lacks it: the link app → CMS.
  const origin: Assessment = {
    cause: null,
    report: {...baseReport('app', 'app', obs.pendingOnDevices?.durationMs ?? 0, null), evidence, summary: `Still on ${who}'s ${found.device.model ?? 'device'} ${found.device.deviceId}, not uploaded.`},
  }
  const cms: Assessment = {
    cause: 'customer-not-uploaded',
    causeEvidence: evidence,
    causeSummary: `Customer ${obs.code} was created on ${who}'s ${found.device.model ?? 'device'} (${found.device.deviceId}) ${found.upload.createdAt ? time(found.upload.createdAt, clock) : ''} and has not been uploaded: the device last reported ${found.device.lastSeenAt ? time(found.device.lastSeenAt, clock) : 'never'}.`,
    report: {...baseReport('cms', 'cms', obs.cms.durationMs, 'app'), status: 'missing', summary: 'Not in the CMS (it has not been uploaded).'},
  }
  const erp: Assessment = {cause: null, report: {...baseReport('erp', obs.erpSystem ?? 'erp', 0, 'cms'), status: 'not-checked', summary: 'Not asked: the customer has not left the device.'}}
  return conclude({assessments: [origin, cms, erp], chain: ['app', 'cms', 'erp'], clock, context: {...context, entity: 'customer', key: obs.code}, installation, subject: `Customer ${obs.code}`, upstreamOf: {cms: 'app', erp: 'cms'}})
}

/** The new-customer file in `Customers/` of an ftp installation: waiting, imported, or rejected. */
function assessCustomerFile(obs: CustomerObservations, cms: CmsCustomer, clock: Clock): Assessment {
  const fetched = obs.customerFile ?? null
  if (!fetched) return {cause: null, report: {...baseReport('ftp', 'ftp', 0, 'cms'), status: 'not-checked', summary: 'This profile has no file-server credentials.'}}
  if (!fetched.ok) return {cause: null, report: problemReport('ftp', 'ftp', fetched, 'cms')}
  const report = baseReport('ftp', 'ftp', fetched.durationMs, 'cms')
  const file = fetched.value.file
  if (!file) {
    report.status = 'missing'
    const {error, folder, processed} = fetched.value.folders
    report.summary = `No file for it in ${folder}/, ${processed}/ or ${error}/.`
    const since = cms.syncedAt ? clock.now.getTime() - cms.syncedAt.getTime() : Number.POSITIVE_INFINITY
    if (since < newCustomerGraceMs) return {cause: null, report}
    return {cause: 'new-customer-not-in-erp', causeSummary: `Customer ${obs.code} was created in the app and has been in the CMS for ${formatDuration(since)}, but the CMS has written no file for it to ${folder}/.`, report}
  }
  report.evidence.push({...(file.modifiedAt ? {at: file.modifiedAt.toISOString()} : {}), file: file.path, label: 'Customer file', name: 'customerFile', text: file.path})
  const age = file.modifiedAt ? clock.now.getTime() - file.modifiedAt.getTime() : 0
  // The CMS delivered the file: what follows is the ERP's import, the link FTP → ERP.
  const toErp = {brokenLink: {from: 'ftp' as const, to: 'erp' as const}}
  if (file.state === 'waiting') {
    report.summary = `${file.path} has waited ${formatDuration(age)} for the ERP's import.`
    if (age < newCustomerGraceMs) return {cause: null, report}
    return {...toErp, cause: 'customer-file-waiting', causeEvidence: report.evidence.slice(), causeSummary: `The new-customer file ${file.path} has waited in the FTP folder for ${formatDuration(age)}: the ERP's import job is not picking it up.`, report}
  }
  if (file.state === 'rejected') {
    report.summary = `The ERP rejected it: ${file.path}${fetched.value.errorReason ? `, reason "${fetched.value.errorReason}"` : ''}.`
    report.evidence.push({label: 'ERP import error', name: 'customerErrorReason', text: fetched.value.errorReason ?? 'no .err.txt beside the file'})
    return {...toErp, cause: 'customer-rejected-by-erp', causeEvidence: report.evidence.slice(), causeSummary: `The ERP's import rejected new customer ${obs.code}: "${fetched.value.errorReason ?? 'no reason given'}" (${file.path}).`, report}
  }
  report.summary = `Imported by the ERP (${file.path}).`
  return {cause: null, report}
}

/**
 * A customer created in the app or webshop travels the other way: origin → CMS → ERP. The CMS has it;
 * the question is whether the ERP has it yet.
 */
function diagnoseNewCustomer(obs: CustomerObservations, cms: CmsCustomer, origin: 'app' | 'webshop', clock: Clock, context: Omit<ActionContext, 'key' | 'userId' | 'entity'>): Diagnosis {
  const installation = answerOf(obs.installation)
  const originReport = {...baseReport(origin, origin, 0, null), summary: `Created in the ${origin === 'app' ? 'sales app' : 'webshop'}.`}
  const cmsAssessment: Assessment = {cause: null, report: {...baseReport('cms', 'cms', obs.cms.durationMs, origin), evidence: [...timeEvidence('cmsSyncedAt', 'In the CMS since', cms?.syncedAt)], record: cms?.customer ?? null, summary: `In the CMS (origin: ${origin}).`}}
  const erpName = erpDisplayName(obs.erpSystem ?? installation?.erpSystem)
  if (installation?.connection === 'ftp') {
    const fileAssessment = assessCustomerFile(obs, cms, clock)
    const file = answerOf(obs.customerFile)?.file
    const erp: Assessment = {cause: null, report: {...baseReport('erp', installation.erpSystem, 0, 'ftp'), status: 'not-checked', summary: `${erpName} is only visible through the Customers/ folders.`}}
    if (fileAssessment.brokenLink) {
      erp.report.status = 'missing'
      erp.report.summary = `Not imported by ${erpName}: the file is ${file?.folder === 'Customers/error' ? 'in Customers/error/ (rejected)' : 'still waiting in Customers/'}.`
    }
    return conclude({
      assessments: [{cause: null, report: originReport}, cmsAssessment, fileAssessment, erp],
      chain: [origin, 'cms', 'ftp', 'erp'],
      clock,
      context: {...context, entity: 'customer', key: obs.code},
      installation,
      subject: `Customer ${obs.code}`,
      upstreamOf: {cms: origin, erp: 'ftp', ftp: 'cms'},
    })
  }
  let erpAssessment: Assessment
  if (!obs.erp) erpAssessment = {cause: null, report: {...baseReport('erp', obs.erpSystem ?? 'erp', 0, 'cms'), status: 'not-checked', summary: 'This profile gives no ERP API access.'}}
  else if (!obs.erp.ok) erpAssessment = {cause: null, report: problemReport('erp', obs.erpSystem ?? 'erp', obs.erp, 'cms')}
  else {
    const report = baseReport('erp', obs.erpSystem ?? 'erp', obs.erp.durationMs, 'cms')
    const record = obs.erp.value
    if (record) {
      report.record = record.customer
      // Outbound the CMS is upstream: what the ERP cannot hold (a price list on standard BC) is not compared.
      const comparison = compareSourceCustomer(record.customer, cms.customer, record.notSupplied, {downstream: 'the CMS', upstream: erpName})
      report.diff = comparison.diff.map((entry) => ({downstream: entry.upstream, field: entry.field, upstream: entry.downstream}))
      report.notCompared = comparison.notCompared
      // Once the ERP has created it, the ERP is its master: other values there reach the CMS with the next
      // customer sync, so they are shown, not a break of the outbound chain.
      report.summary =
        report.diff.length === 0
          ? `${erpName} has it.`
          : `${erpName} has it, with other values (${diffLabels(report.diff)}); it is now the master of the record, and the next customer sync brings its values to the CMS.`
      erpAssessment = {cause: null, report}
    } else {
      report.status = 'missing'
      const since = cms.syncedAt ? clock.now.getTime() - cms.syncedAt.getTime() : Number.POSITIVE_INFINITY
      report.summary = `${erpName} does not have it yet.`
      erpAssessment =
        since < newCustomerGraceMs
          ? {cause: null, report: {...report, summary: `${erpName} does not have it yet; the CMS got it ${formatDuration(since)} ago.`}}
          : {
              cause: 'new-customer-not-in-erp',
              causeEvidence: timeEvidence('cmsSyncedAt', 'In the CMS since', cms.syncedAt),
              causeSummary: `Customer ${obs.code} was created in the ${origin === 'app' ? 'sales app' : 'webshop'} and has been in the CMS${cms.syncedAt ? ` since ${time(cms.syncedAt, clock)} (${formatDuration(since)})` : ''}, but ${erpName} does not have it: the CMS has not created it in the ERP.`,
              report,
            }
    }
  }
  return conclude({
    assessments: [{cause: null, report: originReport}, cmsAssessment, erpAssessment],
    chain: [origin, 'cms', 'erp'],
    clock,
    context: {...context, entity: 'customer', key: obs.code},
    installation,
    subject: `Customer ${obs.code}`,
    upstreamOf: {cms: origin, erp: 'cms'},
  })
}

/** Diagnosis: hop statuses from the observations, the first broken link, its cause and the action. */
export function diagnoseCustomer(obs: CustomerObservations, context: Omit<ActionContext, 'key' | 'userId' | 'entity'>): CustomerDiagnosis {
  const installation = answerOf(obs.installation)
  const clock: Clock = {now: obs.now, timeZone: installation?.autoSync?.timezone ?? localTimeZone()}
  const cmsRecord = answerOf(obs.cms)
  if (cmsRecord && (cmsRecord.origin === 'app' || cmsRecord.origin === 'webshop')) return diagnoseNewCustomer(obs, cmsRecord, cmsRecord.origin, clock, context)
  const onDevice = answerOf(obs.pendingOnDevices ?? null)?.[0]
  if (!cmsRecord && onDevice) return diagnoseCustomerOnDevice(obs, onDevice, clock, context)
  // An ftp installation (or a profile that reads exports but has no ERP API) is traced from its exports.
  const viaExports = installation ? installation.connection === 'ftp' : obs.ftp !== null && obs.erp === null
  const erpAssessment = assessErp(obs, viaExports)
  const ftpAssessment = viaExports ? assessFtp(obs, clock) : null
  const source = sourceView(obs, viaExports, ftpAssessment ?? erpAssessment, clock)
  return conclude({
    assessments: [erpAssessment, ...(ftpAssessment ? [ftpAssessment] : []), assessCms(obs, clock, source), assessApp(obs, clock), assessWebshop(obs, clock)],
    chain: viaExports ? ['erp', 'ftp', 'cms', 'app', 'webshop'] : ['erp', 'cms', 'app', 'webshop'],
    clock,
    context: {...context, entity: 'customer', key: obs.code, userId: obs.userId ?? undefined},
    installation,
    subject: `Customer ${obs.code}`,
    upstreamOf: {app: 'cms', cms: source.hop, erp: null, ftp: 'erp', webshop: 'cms'},
  })
}
