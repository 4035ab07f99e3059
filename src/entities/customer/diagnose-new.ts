import type {CmsCustomer} from '../../connectors/platform/types.js'
import {outboundChain} from '../../report/entities.js'
import type {CustomerObservations} from './observe.js'
import type {DeviceWithUpload} from '../../observe/devices.js'
import {erpDisplayName} from '../../connectors/registry.js'
import {answerOf} from '../../observe/fetched.js'
import {compareSourceCustomer} from '../../model/mapping.js'
import {formatDuration} from '../../util/time.js'
import type {ActionContext} from '../../diagnose/actions.js'
import {baseReport, diffLabels, needsSeconds, problemReport, time, timeEvidence} from '../../diagnose/report-helpers.js'
import {type Assessment, type Clock, conclude, type Diagnosis} from '../../diagnose/conclude.js'
import {fileInFolder, toErp, waitingFileGraceMs} from '../../diagnose/waiting-file.js'

/** Customers that start outside the ERP: created on a device (not uploaded yet), or in the app or webshop (on their way to the ERP). */

/** Grace for the CMS to create a customer from the app or webshop in the ERP. */
export const newCustomerGraceMs = 30 * 60_000

/** A customer created on a device that has not uploaded it: the break is at the source. */
export function diagnoseCustomerOnDevice(
  obs: CustomerObservations,
  found: DeviceWithUpload,
  clock: Clock,
  context: Omit<ActionContext, 'key' | 'userId' | 'entity'>,
): Diagnosis {
  const installation = answerOf(obs.installation)
  const who = found.name ? `${found.name} (${found.userId})` : found.userId
  const createdVsSeen = needsSeconds(found.upload.createdAt, found.device.lastSeenAt)
  const evidence = [
    ...timeEvidence('createdAt', 'Created on the device', found.upload.createdAt),
    ...timeEvidence(
      'deviceLastSeenAt',
      `${found.device.model ?? 'Device'} ${found.device.deviceId} last seen`,
      found.device.lastSeenAt,
    ),
  ]
  // The device holds it; the CMS is the hop that lacks it: the link app → CMS.
  const origin: Assessment = {
    cause: null,
    report: {
      ...baseReport('app', 'app', obs.pendingOnDevices?.durationMs ?? 0, null),
      evidence,
      summary: `Still on ${who}'s ${found.device.model ?? 'device'} ${found.device.deviceId}, not uploaded.`,
    },
  }
  const cms: Assessment = {
    cause: 'customer-not-uploaded',
    causeEvidence: evidence,
    causeSummary: `Customer ${obs.code} was created on ${who}'s ${found.device.model ?? 'device'} (${found.device.deviceId}) ${found.upload.createdAt ? time(found.upload.createdAt, clock, createdVsSeen) : ''} and has not been uploaded: the device last reported ${found.device.lastSeenAt ? time(found.device.lastSeenAt, clock, createdVsSeen) : 'never'}.`,
    report: {
      ...baseReport('cms', 'cms', obs.cms.durationMs, 'app'),
      status: 'missing',
      summary: 'Not in the CMS (it has not been uploaded).',
    },
  }
  const erp: Assessment = {
    cause: null,
    report: {
      ...baseReport('erp', obs.erpSystem ?? 'erp', 0, 'cms'),
      status: 'not-checked',
      summary: 'Not asked: the customer has not left the device.',
    },
  }
  return conclude({
    assessments: [origin, cms, erp],
    chain: outboundChain('app', 'direct'),
    clock,
    context: {...context, entity: 'customer', key: obs.code},
    installation,
    subject: `Customer ${obs.code}`,
    upstreamOf: {cms: 'app', erp: 'cms'},
  })
}

/** The new-customer file in `Customers/` of an ftp installation: waiting, imported, or rejected. */
function assessCustomerFile(obs: CustomerObservations, cms: CmsCustomer, clock: Clock): Assessment {
  const fetched = obs.customerFile ?? null
  if (!fetched)
    return {
      cause: null,
      report: {
        ...baseReport('ftp', 'ftp', 0, 'cms'),
        status: 'not-checked',
        summary: 'This profile has no file-server credentials.',
      },
    }
  if (!fetched.ok) return {cause: null, report: problemReport('ftp', 'ftp', fetched, 'cms')}
  const report = baseReport('ftp', 'ftp', fetched.durationMs, 'cms')
  const {errorReason, file} = fetched.value
  if (!file) {
    report.status = 'missing'
    const {error, folder, processed} = fetched.value.folders
    report.summary = `No file for it in ${folder}/, ${processed}/ or ${error}/.`
    const since = cms.syncedAt ? clock.now.getTime() - cms.syncedAt.getTime() : Number.POSITIVE_INFINITY
    if (since < newCustomerGraceMs) return {cause: null, report}
    return {
      cause: 'new-customer-not-in-erp',
      causeSummary: `Customer ${obs.code} was created in the app and has been in the CMS for ${formatDuration(since)}, but the CMS has written no file for it to ${folder}/.`,
      report,
    }
  }
  const where = fileInFolder(report, 'customer', file, errorReason, clock)
  if (where.state === 'waiting') {
    if (where.ageMs < waitingFileGraceMs) return {cause: null, report}
    return {
      ...toErp,
      cause: 'customer-file-waiting',
      causeEvidence: report.evidence.slice(),
      causeSummary: `The new-customer file ${file.path} has waited in the FTP folder for ${formatDuration(where.ageMs)}: the ERP's import job is not picking it up.`,
      report,
    }
  }
  if (where.state === 'rejected')
    return {
      ...toErp,
      cause: 'customer-rejected-by-erp',
      causeEvidence: report.evidence.slice(),
      causeSummary: `The ERP's import rejected new customer ${obs.code}: "${errorReason ?? 'no reason given'}" (${file.path}).`,
      report,
    }
  return {cause: null, report}
}

/**
 * A customer created in the app or webshop travels the other way: origin → CMS → ERP. The CMS has it;
 * the question is whether the ERP has it yet.
 */
export function diagnoseNewCustomer(
  obs: CustomerObservations,
  cms: CmsCustomer,
  origin: 'app' | 'webshop',
  clock: Clock,
  context: Omit<ActionContext, 'key' | 'userId' | 'entity'>,
): Diagnosis {
  const installation = answerOf(obs.installation)
  const originReport = {
    ...baseReport(origin, origin, 0, null),
    summary: `Created in the ${origin === 'app' ? 'sales app' : 'webshop'}.`,
  }
  const cmsAssessment: Assessment = {
    cause: null,
    report: {
      ...baseReport('cms', 'cms', obs.cms.durationMs, origin),
      evidence: [...timeEvidence('cmsSyncedAt', 'In the CMS since', cms?.syncedAt)],
      record: cms?.customer ?? null,
      summary: `In the CMS (origin: ${origin}).`,
    },
  }
  const erpName = erpDisplayName(obs.erpSystem ?? installation?.erpSystem)
  if (installation?.connection === 'ftp') {
    const fileAssessment = assessCustomerFile(obs, cms, clock)
    const lookup = answerOf(obs.customerFile)
    const folders = lookup?.folders
    const erp: Assessment = {
      cause: null,
      report: {
        ...baseReport('erp', installation.erpSystem, 0, 'ftp'),
        status: 'not-checked',
        summary: `${erpName} is only visible through the ${folders?.folder ?? 'Customers'}/ folders.`,
      },
    }
    if (fileAssessment.brokenLink) {
      erp.report.status = 'missing'
      erp.report.summary = `Not imported by ${erpName}: the file is ${lookup?.file?.state === 'rejected' ? `in ${folders?.error ?? 'Customers/error'}/ (rejected)` : `still waiting in ${folders?.folder ?? 'Customers'}/`}.`
    }
    return conclude({
      assessments: [{cause: null, report: originReport}, cmsAssessment, fileAssessment, erp],
      chain: outboundChain(origin, 'ftp'),
      clock,
      context: {...context, entity: 'customer', key: obs.code},
      installation,
      subject: `Customer ${obs.code}`,
      upstreamOf: {cms: origin, erp: 'ftp', ftp: 'cms'},
    })
  }
  const erpAssessment = assessErpOfNewCustomer(obs, cms, origin, erpName, clock)
  return conclude({
    assessments: [{cause: null, report: originReport}, cmsAssessment, erpAssessment],
    chain: outboundChain(origin, 'direct'),
    clock,
    context: {...context, entity: 'customer', key: obs.code},
    installation,
    subject: `Customer ${obs.code}`,
    upstreamOf: {cms: origin, erp: 'cms'},
  })
}

/** Outbound, the CMS is upstream of the ERP: has the ERP created the customer yet? */
function assessErpOfNewCustomer(
  obs: CustomerObservations,
  cms: CmsCustomer,
  origin: 'app' | 'webshop',
  erpName: string,
  clock: Clock,
): Assessment {
  if (!obs.erp)
    return {
      cause: null,
      report: {
        ...baseReport('erp', obs.erpSystem ?? 'erp', 0, 'cms'),
        status: 'not-checked',
        summary: 'This profile gives no ERP API access.',
      },
    }
  if (!obs.erp.ok) return {cause: null, report: problemReport('erp', obs.erpSystem ?? 'erp', obs.erp, 'cms')}
  const report = baseReport('erp', obs.erpSystem ?? 'erp', obs.erp.durationMs, 'cms')
  const record = obs.erp.value
  if (record) {
    report.record = record.customer
    // Outbound the CMS is upstream: what the ERP cannot hold (a price list on standard BC) is not compared.
    const comparison = compareSourceCustomer(record.customer, cms.customer, record.notSupplied, {
      downstream: 'the CMS',
      upstream: erpName,
    })
    report.diff = comparison.diff.map((entry) => ({
      downstream: entry.upstream,
      field: entry.field,
      upstream: entry.downstream,
    }))
    report.notCompared = comparison.notCompared
    // Once the ERP has created it, the ERP is its master: other values there reach the CMS with the next
    // customer sync, so they are shown, not a break of the outbound chain.
    report.summary =
      report.diff.length === 0
        ? `${erpName} has it.`
        : `${erpName} has it, with other values (${diffLabels(report.diff)}); it is now the master of the record, and the next customer sync brings its values to the CMS.`
    return {cause: null, report}
  }
  report.status = 'missing'
  const since = cms.syncedAt ? clock.now.getTime() - cms.syncedAt.getTime() : Number.POSITIVE_INFINITY
  if (since < newCustomerGraceMs)
    return {
      cause: null,
      report: {...report, summary: `${erpName} does not have it yet; the CMS got it ${formatDuration(since)} ago.`},
    }
  report.summary = `${erpName} does not have it yet.`
  return {
    cause: 'new-customer-not-in-erp',
    causeEvidence: timeEvidence('cmsSyncedAt', 'In the CMS since', cms.syncedAt),
    causeSummary: `Customer ${obs.code} was created in the ${origin === 'app' ? 'sales app' : 'webshop'} and has been in the CMS${cms.syncedAt ? ` since ${time(cms.syncedAt, clock)} (${formatDuration(since)})` : ''}, but ${erpName} does not have it: the CMS has not created it in the ERP.`,
    report,
  }
}
