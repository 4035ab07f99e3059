import type {CmsOrder} from '../../connectors/platform/types.js'
import {answerOf} from '../../observe/fetched.js'
import type {OrderObservations} from './observe.js'
import type {HopName, HopReport} from '../../report/types.js'
import {formatDuration} from '../../util/time.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import type {OrderOrigin} from './diagnose-origin.js'
import {baseReport, problemReport, time, timeEvidence} from '../../diagnose/report-helpers.js'

export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`

/** A queued transfer or a file waiting in Orders/ longer than this is stuck, not just on its way. */
export const orderTransferGraceMs = 30 * 60_000

/** The CMS hop: has it the order, and how far did its transfer to the ERP (or the order folder) get? */
export function assessCms(
  obs: OrderObservations,
  origin: OrderOrigin,
  originFound: boolean,
  next: HopName,
  clock: Clock,
): Assessment {
  const assessment = assessCmsHop(obs, origin, originFound, clock)
  // A transfer the CMS did not make breaks the link out of the CMS, not into it.
  const outbound = [
    'order-transfer-pending',
    'order-transfer-stuck',
    'order-on-hold',
    'order-transfer-failed',
    'order-prerequisite-missing',
  ]
  return assessment.cause && outbound.includes(assessment.cause)
    ? {...assessment, brokenLink: {from: 'cms', to: next}}
    : assessment
}

function assessCmsHop(obs: OrderObservations, origin: OrderOrigin, originFound: boolean, clock: Clock): Assessment {
  if (!obs.cms.ok) return {cause: null, report: problemReport('cms', 'cms', obs.cms, origin)}
  const report = baseReport('cms', 'cms', obs.cms.durationMs, origin)
  const order = obs.cms.value
  if (!order) {
    report.status = 'missing'
    report.summary = 'The CMS has no such order.'
    if (originFound) return {cause: null, report}
    return {
      cause: 'order-not-found',
      causeSummary: `No device, webshop or CMS knows order ${obs.orderNr}: the number may be wrong.`,
      report,
    }
  }
  const {transfer} = order
  report.evidence.push(...transferEvidence(order))
  if (transfer.status === 'queued') return queued(obs, order, report, clock)
  if (transfer.status === 'on-hold') {
    report.status = 'stale'
    report.summary = 'On hold in the CMS.'
    return {
      cause: 'order-on-hold',
      causeSummary: `Order ${obs.orderNr} is on hold in the CMS and is not transferred.`,
      report,
    }
  }
  if (transfer.status === 'failed') return failed(obs, order, report)
  report.summary = `Sent to the ERP${transfer.erpDocumentNumber ? ` as ${transfer.erpDocumentNumber}` : transfer.file ? ` as ${transfer.file}` : ''}.`
  return {cause: null, report}
}

function transferEvidence(order: CmsOrder): HopReport['evidence'] {
  const {transfer} = order
  return [
    {label: 'Customer', name: 'customerCode', text: order.customerCode},
    {
      label: 'Transfer',
      name: 'transferStatus',
      text: `${transfer.status}, ${plural(transfer.attempts, 'attempt')}${transfer.error ? `: ${transfer.error}` : ''}`,
    },
    ...timeEvidence('receivedAt', 'Received by the CMS', order.receivedAt),
    ...timeEvidence('lastAttemptAt', 'Last transfer attempt', transfer.lastAttemptAt),
    ...(transfer.erpDocumentNumber
      ? [{label: 'ERP document', name: 'erpDocumentNumber', text: transfer.erpDocumentNumber}]
      : []),
    ...(transfer.file ? [{file: transfer.file, label: 'Order file', name: 'orderFile', text: transfer.file}] : []),
  ]
}

/** Queued for transfer: on its way within the grace, else stuck. */
function queued(obs: OrderObservations, order: CmsOrder, report: HopReport, clock: Clock): Assessment {
  const since = order.receivedAt ? clock.now.getTime() - order.receivedAt.getTime() : 0
  report.status = 'stale'
  report.summary = `Queued for transfer for ${formatDuration(since)}.`
  if (since < orderTransferGraceMs)
    return {
      cause: 'order-transfer-pending',
      causeSummary: `Order ${obs.orderNr} is queued in the CMS since ${formatDuration(since)}; the CMS transfers within minutes.`,
      report,
    }
  return {
    cause: 'order-transfer-stuck',
    causeEvidence: report.evidence.slice(),
    causeSummary: `Order ${obs.orderNr} has been queued in the CMS for ${formatDuration(since)} (received ${order.receivedAt ? time(order.receivedAt, clock) : '?'}) without being transferred.`,
    report,
  }
}

/** The transfer failed: because the ERP lacks the order's customer or items, or for the reason the CMS gives. */
function failed(obs: OrderObservations, order: CmsOrder, report: HopReport): Assessment {
  const {transfer} = order
  report.status = 'error'
  const missing = answerOf(obs.prerequisites)
  const lacking = missing
    ? [...missing.customers.map((code) => `customer ${code}`), ...missing.items.map((code) => `item ${code}`)]
    : []
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
  // The lookup of the customer and items failed: say so, never imply the ERP has them.
  const unchecked =
    obs.prerequisites && !obs.prerequisites.ok
      ? ` Whether the ERP lacks its customer or items could not be checked (${obs.prerequisites.problem.message}): trace again before retransferring.`
      : ''
  return {
    cause: 'order-transfer-failed',
    causeEvidence: report.evidence.slice(),
    causeSummary: `The transfer of order ${obs.orderNr} failed: ${transfer.error ?? 'no reason given'}.${unchecked}`,
    report,
  }
}
