import type {CmsCustomer, Installation, SyncRecordOutcome} from '../../connectors/platform/types.js'
import {compareSourceCustomer} from '../../model/mapping.js'
import type {CustomerObservations} from './observe.js'
import type {HopName} from '../../report/types.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {type CmsContext, cmsContext} from './diagnose-cms-context.js'
import {differsFromSource, notReadYet} from './diagnose-cms-order.js'
import type {SourceView} from './diagnose-source.js'
import {customerExclusion, skippedByRun} from '../../diagnose/exclusion.js'
import {baseReport, problemReport, timeEvidence} from '../../diagnose/report-helpers.js'

/** The CMS hop of a customer: against its source (the ERP or its export), with the customer sync runs. */

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
