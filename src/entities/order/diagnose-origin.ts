import type {OrderObservations} from './observe.js'
import {answerOf} from '../../observe/fetched.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {baseReport, needsSeconds, problemReport, time, timeEvidence} from '../../diagnose/report-helpers.js'

/** Where an order comes from: the webshop, or the app (a device, until it is uploaded). */
export type OrderOrigin = 'app' | 'webshop'

/**
 * The origin of an order. Without the CMS's word it is where the order was found; a webshop that could
 * not be asked may be it, and then nothing can be said to be "not found".
 */
export function originOf(obs: OrderObservations): OrderOrigin {
  const cms = answerOf(obs.cms)
  if (cms) return cms.channel === 'webshop' ? 'webshop' : 'app'
  if ((answerOf(obs.devices) ?? []).length > 0) return 'app'
  if (answerOf(obs.webshop)) return 'webshop'
  return !obs.webshop.ok && obs.devices?.ok !== false ? 'webshop' : 'app'
}

/** The origin hop: the order placed in the webshop, or still on a device. */
export function assessOrigin(obs: OrderObservations, origin: OrderOrigin, clock: Clock): Assessment {
  return origin === 'webshop' ? assessWebshop(obs, clock) : assessApp(obs, clock)
}

function assessWebshop(obs: OrderObservations, clock: Clock): Assessment {
  const cms = answerOf(obs.cms)
  if (!obs.webshop.ok) return {cause: null, report: problemReport('webshop', 'webshop', obs.webshop, null)}
  const report = baseReport('webshop', 'webshop', obs.webshop.durationMs, null)
  const order = obs.webshop.value
  if (!order) {
    report.status = cms ? 'not-checked' : 'missing'
    report.summary = cms ? 'The webshop no longer lists the order (the CMS has it).' : 'The webshop has no such order.'
    return {cause: null, report}
  }
  report.evidence.push(
    ...timeEvidence('placedAt', 'Placed in the webshop', order.placedAt),
    ...timeEvidence('handedToCmsAt', 'Handed to the CMS', order.handedToCmsAt),
  )
  report.summary = order.handedToCmsAt
    ? `Placed ${order.placedAt ? time(order.placedAt, clock) : ''}, handed to the CMS.`
    : 'Placed in the webshop, never handed to the CMS.'
  if (!cms && obs.cms.ok)
    return {
      cause: 'webshop-order-not-handed-over',
      causeSummary: `Order ${obs.orderNr} was placed in the webshop${order.placedAt ? ` at ${time(order.placedAt, clock)}` : ''} but never handed to the CMS.`,
      report,
    }
  return {cause: null, report}
}

function assessApp(obs: OrderObservations, clock: Clock): Assessment {
  const cms = answerOf(obs.cms)
  const report = baseReport('app', 'app', obs.devices && obs.devices.ok ? obs.devices.durationMs : 0, null)
  if (cms && !obs.devices?.ok) {
    report.summary = `Uploaded from the app (${cms.receivedAt ? `received ${time(cms.receivedAt, clock)}` : 'received'}).`
    report.evidence.push(
      ...timeEvidence('createdAt', 'Created on the device', cms.createdAt),
      ...timeEvidence('receivedAt', 'Received by the CMS', cms.receivedAt),
    )
    return {cause: null, report}
  }
  if (obs.devices && !obs.devices.ok) return {cause: null, report: problemReport('app', 'app', obs.devices, null)}
  const onDevices = answerOf(obs.devices) ?? []
  if (cms) {
    report.summary = 'Uploaded from the app.'
    report.evidence.push(
      ...timeEvidence('createdAt', 'Created on the device', cms.createdAt),
      ...timeEvidence('receivedAt', 'Received by the CMS', cms.receivedAt),
    )
    return {cause: null, report}
  }
  const found = onDevices[0]
  if (!found) {
    report.status = 'missing'
    report.summary = obs.userId
      ? `No device of ${obs.userId} reports the order as waiting for upload.`
      : 'No device reports the order as waiting for upload.'
    return {cause: null, report}
  }
  const createdVsSeen = needsSeconds(found.upload.createdAt, found.device.lastSeenAt)
  const who = found.name ? `${found.name} (${found.userId})` : found.userId
  report.summary = `Still on ${who}'s ${found.device.model ?? 'device'} ${found.device.deviceId}, not uploaded.`
  report.evidence.push(
    ...timeEvidence('createdAt', 'Created on the device', found.upload.createdAt),
    ...timeEvidence(
      'deviceLastSeenAt',
      `${found.device.model ?? 'Device'} ${found.device.deviceId} last seen`,
      found.device.lastSeenAt,
    ),
  )
  return {
    cause: 'order-not-uploaded',
    causeEvidence: report.evidence.slice(),
    causeSummary: `Order ${obs.orderNr} is still on ${who}'s ${found.device.model ?? 'device'} (${found.device.deviceId}): created ${found.upload.createdAt ? time(found.upload.createdAt, clock, createdVsSeen) : 'on the device'}, and the device last reported ${found.device.lastSeenAt ? time(found.device.lastSeenAt, clock, createdVsSeen) : 'never'}. It has not been uploaded to the CMS.`,
    report,
  }
}
