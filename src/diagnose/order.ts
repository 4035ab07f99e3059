import {answerOf} from '../observe/fetched.js'
import {outboundChain} from '../report/entities.js'
import type {OrderObservations} from '../observe/order.js'
import type {HopName, HopReport} from '../report/types.js'
import {formatDuration} from '../util/time.js'
import type {ActionContext} from './actions.js'
import {type Assessment, type Clock, conclude, type Diagnosis, localTimeZone} from './conclude.js'
import {erpDisplayName} from '../connectors/registry.js'
import {baseReport, problemReport, time, timeEvidence} from './report-helpers.js'
import {otherStoppedExports} from './export.js'
import {fileInFolder, toErp, waitingFileGraceMs} from './waiting-file.js'
import type {OrderFileLocation, OrderFileLookup} from '../connectors/ftp/connector.js'

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`

/** A queued transfer or a file waiting in Orders/ longer than this is stuck, not just on its way. */
export const orderTransferGraceMs = 30 * 60_000

function assessOrigin(obs: OrderObservations, origin: 'app' | 'webshop', clock: Clock): Assessment {
  const cms = answerOf(obs.cms)
  if (origin === 'webshop') {
    if (!obs.webshop.ok) return {cause: null, report: problemReport('webshop', 'webshop', obs.webshop, null)}
    const report = baseReport('webshop', 'webshop', obs.webshop.durationMs, null)
    const order = obs.webshop.value
    if (!order) {
      report.status = cms ? 'not-checked' : 'missing'
      report.summary = cms ? 'The webshop no longer lists the order (the CMS has it).' : 'The webshop has no such order.'
      return {cause: null, report}
    }
    report.evidence.push(...timeEvidence('placedAt', 'Placed in the webshop', order.placedAt), ...timeEvidence('handedToCmsAt', 'Handed to the CMS', order.handedToCmsAt))
    report.summary = order.handedToCmsAt ? `Placed ${order.placedAt ? time(order.placedAt, clock) : ''}, handed to the CMS.` : 'Placed in the webshop, never handed to the CMS.'
    if (!cms && obs.cms.ok)
      return {
        cause: 'webshop-order-not-handed-over',
        causeSummary: `Order ${obs.orderNr} was placed in the webshop${order.placedAt ? ` at ${time(order.placedAt, clock)}` : ''} but never handed to the CMS.`,
        report,
      }
    return {cause: null, report}
  }
  const report = baseReport('app', 'app', obs.devices && obs.devices.ok ? obs.devices.durationMs : 0, null)
  if (cms && !obs.devices?.ok) {
    report.summary = `Uploaded from the app (${cms.receivedAt ? `received ${time(cms.receivedAt, clock)}` : 'received'}).`
    report.evidence.push(...timeEvidence('createdAt', 'Created on the device', cms.createdAt), ...timeEvidence('receivedAt', 'Received by the CMS', cms.receivedAt))
    return {cause: null, report}
  }
  if (obs.devices && !obs.devices.ok) return {cause: null, report: problemReport('app', 'app', obs.devices, null)}
  const onDevices = answerOf(obs.devices) ?? []
  if (cms) {
    report.summary = 'Uploaded from the app.'
    report.evidence.push(...timeEvidence('createdAt', 'Created on the device', cms.createdAt), ...timeEvidence('receivedAt', 'Received by the CMS', cms.receivedAt))
    return {cause: null, report}
  }
  const found = onDevices[0]
  if (!found) {
    report.status = 'missing'
    report.summary = obs.userId ? `No device of ${obs.userId} reports the order as waiting for upload.` : 'No device reports the order as waiting for upload.'
    return {cause: null, report}
  }
  const who = found.name ? `${found.name} (${found.userId})` : found.userId
  report.summary = `Still on ${who}'s ${found.device.model ?? 'device'} ${found.device.deviceId}, not uploaded.`
  report.evidence.push(
    ...timeEvidence('createdAt', 'Created on the device', found.upload.createdAt),
    ...timeEvidence('deviceLastSeenAt', `${found.device.model ?? 'Device'} ${found.device.deviceId} last seen`, found.device.lastSeenAt),
  )
  return {
    cause: 'order-not-uploaded',
    causeEvidence: report.evidence.slice(),
    causeSummary: `Order ${obs.orderNr} is still on ${who}'s ${found.device.model ?? 'device'} (${found.device.deviceId}): created ${found.upload.createdAt ? time(found.upload.createdAt, clock) : 'on the device'}, and the device last reported ${found.device.lastSeenAt ? time(found.device.lastSeenAt, clock) : 'never'}. It has not been uploaded to the CMS.`,
    report,
  }
}

function assessCms(obs: OrderObservations, origin: 'app' | 'webshop', originFound: boolean, next: HopName, clock: Clock): Assessment {
  const assessment = assessCmsHop(obs, origin, originFound, clock)
  // A transfer the CMS did not make breaks the link out of the CMS, not into it.
  const outbound = ['order-transfer-pending', 'order-transfer-stuck', 'order-on-hold', 'order-transfer-failed', 'order-prerequisite-missing']
  return assessment.cause && outbound.includes(assessment.cause) ? {...assessment, brokenLink: {from: 'cms', to: next}} : assessment
}

function assessCmsHop(obs: OrderObservations, origin: 'app' | 'webshop', originFound: boolean, clock: Clock): Assessment {
  if (!obs.cms.ok) return {cause: null, report: problemReport('cms', 'cms', obs.cms, origin)}
  const report = baseReport('cms', 'cms', obs.cms.durationMs, origin)
  const order = obs.cms.value
  if (!order) {
    report.status = 'missing'
    report.summary = 'The CMS has no such order.'
    if (originFound) return {cause: null, report}
    return {cause: 'order-not-found', causeSummary: `No device, webshop or CMS knows order ${obs.orderNr}: the number may be wrong.`, report}
  }
  const {transfer} = order
  report.evidence.push(
    {label: 'Customer', name: 'customerCode', text: order.customerCode},
    {label: 'Transfer', name: 'transferStatus', text: `${transfer.status}, ${plural(transfer.attempts, 'attempt')}${transfer.error ? `: ${transfer.error}` : ''}`},
    ...timeEvidence('receivedAt', 'Received by the CMS', order.receivedAt),
    ...timeEvidence('lastAttemptAt', 'Last transfer attempt', transfer.lastAttemptAt),
  )
  if (transfer.erpDocumentNumber) report.evidence.push({label: 'ERP document', name: 'erpDocumentNumber', text: transfer.erpDocumentNumber})
  if (transfer.file) report.evidence.push({file: transfer.file, label: 'Order file', name: 'orderFile', text: transfer.file})
  const since = order.receivedAt ? clock.now.getTime() - order.receivedAt.getTime() : 0
  if (transfer.status === 'queued') {
    report.status = 'stale'
    report.summary = `Queued for transfer for ${formatDuration(since)}.`
    if (since < orderTransferGraceMs)
      return {cause: 'order-transfer-pending', causeSummary: `Order ${obs.orderNr} is queued in the CMS since ${formatDuration(since)}; the CMS transfers within minutes.`, report}
    return {
      cause: 'order-transfer-stuck',
      causeEvidence: report.evidence.slice(),
      causeSummary: `Order ${obs.orderNr} has been queued in the CMS for ${formatDuration(since)} (received ${order.receivedAt ? time(order.receivedAt, clock) : '?'}) without being transferred.`,
      report,
    }
  }
  if (transfer.status === 'on-hold') {
    report.status = 'stale'
    report.summary = 'On hold in the CMS.'
    return {cause: 'order-on-hold', causeSummary: `Order ${obs.orderNr} is on hold in the CMS and is not transferred.`, report}
  }
  if (transfer.status === 'failed') {
    report.status = 'error'
    const missing = answerOf(obs.prerequisites)
    const lacking = missing ? [...missing.customers.map((code) => `customer ${code}`), ...missing.items.map((code) => `item ${code}`)] : []
    report.summary = `The transfer failed after ${plural(transfer.attempts, 'attempt')}: ${transfer.error ?? 'no reason given'}.`
    if (lacking.length > 0) {
      report.evidence.push({label: 'Missing in the ERP', name: 'missingPrerequisites', text: lacking.join(', ')})
      return {
        cause: 'order-prerequisite-missing',
        causeEvidence: report.evidence.slice(),
        causeSummary: `The ERP refused order ${obs.orderNr} because it lacks ${lacking.join(' and ')} (the CMS reports: "${transfer.error ?? 'transfer failed'}"). Retransferring alone would fail again.`,
        report,
      }
    }
    return {
      cause: 'order-transfer-failed',
      causeEvidence: report.evidence.slice(),
      causeSummary: `The transfer of order ${obs.orderNr} failed: ${transfer.error ?? 'no reason given'}.`,
      report,
    }
  }
  report.summary = `Sent to the ERP${transfer.erpDocumentNumber ? ` as ${transfer.erpDocumentNumber}` : transfer.file ? ` as ${transfer.file}` : ''}.`
  return {cause: null, report}
}

function assessFtp(obs: OrderObservations, clock: Clock, alsoStopped: {finding: string | null}): Assessment {
  if (!obs.ftp) return {cause: null, report: {...baseReport('ftp', 'ftp', 0, 'cms'), status: 'not-checked', summary: 'This profile has no file-server credentials.'}}
  if (!obs.ftp.ok) return {cause: null, report: problemReport('ftp', 'ftp', obs.ftp, 'cms')}
  const report = baseReport('ftp', 'ftp', obs.ftp.durationMs, 'cms')
  const lookup = obs.ftp.value
  const order = answerOf(obs.cms)
  report.evidence.push({label: 'File server', name: 'fileServer', text: lookup.location})
  if (lookup.refusedNames.length > 0) report.evidence.push({label: 'Ignored unsafe names in the listing', name: 'refusedNames', text: lookup.refusedNames.slice(0, 5).join(', ')})
  const file = lookup.file
  if (!file) {
    report.status = 'missing'
    const {error, folder, processed} = lookup.folders
    report.summary = `No order file in ${folder}/, ${processed}/ or ${error}/.`
    if (order?.transfer.status === 'sent')
      return {
        cause: 'order-file-missing',
        causeSummary: `The CMS reports order ${obs.orderNr} as sent to ${order.transfer.file ?? `the ${folder} folder`}, but no file for it is in ${folder}/, ${processed}/ or ${error}/.`,
        report,
      }
    return {cause: null, report}
  }
  const where = fileInFolder(report, 'order', file, lookup.errorReason, clock)
  if (where.state === 'waiting') return orderFileWaiting(obs, lookup, report, where.ageMs, clock, alsoStopped)
  if (where.state === 'rejected')
    return {
      ...toErp,
      cause: 'order-rejected-by-erp',
      causeEvidence: report.evidence.slice(),
      causeSummary: `The ERP's import rejected order ${obs.orderNr}: "${lookup.errorReason ?? 'no reason given'}" (${file.path}, moved there ${file.modifiedAt ? time(file.modifiedAt, clock) : ''}).`,
      report,
    }
  return {cause: null, report}
}

/** The order's file waits in Orders/: on its way, or stuck with the others waiting there. */
function orderFileWaiting(obs: OrderObservations, lookup: OrderFileLookup, report: HopReport, ageMs: number, clock: Clock, alsoStopped: {finding: string | null}): Assessment {
  const file = lookup.file as OrderFileLocation
  report.evidence.push({
    label: `Files waiting in ${lookup.folders.folder}/`,
    name: 'waitingCount',
    text: `${lookup.waitingCount}${lookup.oldestWaitingAt ? `, the oldest since ${time(lookup.oldestWaitingAt, clock)}` : ''}`,
  })
  // The ERP's jobs on the file server (its exports and its import of Orders/) run on the same side: a stopped export is evidence the import stopped too.
  alsoStopped.finding = otherStoppedExports({
    clock,
    consequence: `Its import of ${lookup.folders.folder}/ runs on the same side as the export: ask the IT partner about both.`,
    files: lookup.exportFiles,
    installation: answerOf(obs.installation),
    report,
  })
  if (ageMs < waitingFileGraceMs)
    return {
      ...toErp,
      cause: 'order-transfer-pending',
      causeEvidence: report.evidence.slice(),
      causeSummary: `${file.path} was written ${formatDuration(ageMs)} ago; the ERP's import picks it up shortly.`,
      report,
    }
  const others = lookup.waitingCount - 1
  return {
    ...toErp,
    cause: 'order-file-waiting',
    causeEvidence: report.evidence.slice(),
    causeSummary: `The order file ${file.path} has waited in the FTP folder for ${formatDuration(ageMs)} (written ${file.modifiedAt ? time(file.modifiedAt, clock) : '?'}): the ERP's import job is not picking it up${others > 0 ? `, and ${plural(others, 'other file')} ${others === 1 ? 'waits' : 'wait'} with it` : ''}.`,
    report,
  }
}

function assessErp(obs: OrderObservations, viaFiles: boolean, clock: Clock): Assessment {
  const installation = answerOf(obs.installation)
  const name = erpDisplayName(installation?.erpSystem)
  const upstream: HopName = viaFiles ? 'ftp' : 'cms'
  if (viaFiles || !obs.erp) {
    return {
      cause: null,
      report: {
        ...baseReport('erp', installation?.erpSystem ?? 'erp', 0, upstream),
        status: 'not-checked',
        summary: viaFiles ? `${name} is only visible through the order folders.` : 'This profile gives no ERP API access.',
      },
    }
  }
  if (!obs.erp.ok) return {cause: null, report: problemReport('erp', installation?.erpSystem ?? 'erp', obs.erp, upstream)}
  const report = baseReport('erp', installation?.erpSystem ?? 'erp', obs.erp.durationMs, upstream)
  const booked = obs.erp.value
  const cms = answerOf(obs.cms)
  if (!booked) {
    report.status = 'missing'
    report.summary = `${name} has no sales order for ${obs.orderNr}.`
    if (cms?.transfer.status === 'sent')
      return {
        cause: 'order-missing-in-erp',
        causeSummary: `The CMS reports order ${obs.orderNr} as sent${cms.transfer.erpDocumentNumber ? ` (${cms.transfer.erpDocumentNumber})` : ''}, but ${name} has no sales order for it.`,
        report,
      }
    return {cause: null, report}
  }
  report.evidence.push(
    {label: 'ERP document', name: 'erpDocumentNumber', text: `${booked.documentNumber}${booked.status ? `, ${booked.status}` : ''}`},
    ...timeEvidence('erpModifiedAt', 'ERP last modified', booked.modifiedAt),
  )
  report.summary = `Booked in ${name} as ${booked.documentNumber}${booked.status ? ` (${booked.status})` : ''}${booked.modifiedAt ? `, ${time(booked.modifiedAt, clock)}` : ''}.`
  return {cause: null, report}
}

/** Diagnosis of an order on its way out: device or webshop → CMS → (order folder) → ERP. */
export function diagnoseOrder(obs: OrderObservations, context: Omit<ActionContext, 'key' | 'userId' | 'entity'>): Diagnosis {
  const installation = answerOf(obs.installation)
  const clock: Clock = {now: obs.now, timeZone: installation?.autoSync?.timezone ?? localTimeZone()}
  const cms = answerOf(obs.cms)
  const shop = answerOf(obs.webshop)
  const onDevice = (answerOf(obs.devices) ?? []).length > 0
  // Without the CMS's word the origin is where the order was found; a webshop that could not be asked
  // may be it, and then nothing can be said to be "not found".
  const origin: 'app' | 'webshop' = cms
    ? cms.channel === 'webshop'
      ? 'webshop'
      : 'app'
    : onDevice
      ? 'app'
      : shop
        ? 'webshop'
        : !obs.webshop.ok && obs.devices?.ok !== false
          ? 'webshop'
          : 'app'
  const originChecked = obs.webshop.ok && obs.devices?.ok !== false
  const viaFiles = installation ? installation.connection === 'ftp' : obs.ftp !== null
  const next: HopName = viaFiles ? 'ftp' : 'erp'
  let originAssessment = assessOrigin(obs, origin, clock)
  let cmsAssessment = assessCms(obs, origin, onDevice || Boolean(shop) || !originChecked, next, clock)
  const alsoStopped: {finding: string | null} = {finding: null}
  const ftpAssessment = viaFiles ? assessFtp(obs, clock, alsoStopped) : null
  const erpAssessment = assessErp(obs, viaFiles, clock)
  // An order the origin holds and never handed over breaks the link origin → CMS: the CMS is the hop that lacks it.
  if (originAssessment.cause === 'order-not-uploaded' || originAssessment.cause === 'webshop-order-not-handed-over') {
    const {cause, causeEvidence, causeSummary} = originAssessment
    cmsAssessment = {...cmsAssessment, cause, causeEvidence: causeEvidence ?? originAssessment.report.evidence, causeSummary}
    originAssessment = {...originAssessment, cause: null}
  }
  // Nobody knows the order: the fault is at the origin itself.
  if (cmsAssessment.cause === 'order-not-found') cmsAssessment = {...cmsAssessment, brokenLink: {from: null, to: origin}}
  const breakAfterCms = cmsAssessment.brokenLink?.from === 'cms' ? cmsAssessment : ftpAssessment?.brokenLink?.from === 'ftp' ? ftpAssessment : null
  if (breakAfterCms) {
    // The hop before the break holds the order; the hop after it lacks it, as the upstream hop's own state shows.
    const folders = answerOf(obs.ftp)?.folders
    const holder = breakAfterCms === cmsAssessment ? cmsAssessment.report : (ftpAssessment as Assessment).report
    holder.status = 'present'
    const lacking = breakAfterCms === cmsAssessment ? (ftpAssessment ?? erpAssessment).report : erpAssessment.report
    if (lacking.status === 'present' || lacking.status === 'not-checked') {
      lacking.status = 'missing'
      lacking.summary =
        breakAfterCms === cmsAssessment
          ? `Not transferred: the CMS reports the transfer as ${cms?.transfer.status ?? 'not made'}.`
          : `Not imported: the order file is ${ftpAssessment?.cause === 'order-rejected-by-erp' ? `in ${folders?.error ?? 'Orders/error'}/ (rejected)` : `still waiting in ${folders?.folder ?? 'Orders'}/`}.`
    }
  }
  const assessments = [originAssessment, cmsAssessment, ...(ftpAssessment ? [ftpAssessment] : []), erpAssessment]
  const chain = outboundChain(origin, viaFiles ? 'ftp' : 'direct')
  const diagnosis = conclude({
    assessments,
    chain,
    clock,
    context: {...context, entity: 'order', key: obs.orderNr, userId: obs.userId ?? undefined},
    installation,
    subject: `Order ${obs.orderNr}`,
    upstreamOf: {app: null, cms: origin, erp: viaFiles ? 'ftp' : 'cms', ftp: 'cms', webshop: null},
  })
  if (alsoStopped.finding) diagnosis.verdict.otherFindings.push(alsoStopped.finding)
  return diagnosis
}
