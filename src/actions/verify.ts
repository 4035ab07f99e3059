import type {InstallationClients} from '../connectors/installation.js'
import {headline} from '../render/labels.js'
import type {TraceReport} from '../report/types.js'
import type {RemainingBreak, VerificationResult} from './types.js'
import type {RecordToVerify} from './target.js'

/** After the action: the records traced again, before → after, and the devices of an app refresh. */

export function remainingBreak(report: TraceReport): RemainingBreak | null {
  if (report.verdict.ok) return null
  return {
    action: report.action,
    cause: report.verdict.cause,
    headline: headline(report),
    summary: report.verdict.summary,
  }
}

function sameBreak(before: TraceReport, after: TraceReport): boolean {
  const a = before.verdict.brokenLink
  const b = after.verdict.brokenLink
  return Boolean(a && b && a.from === b.from && a.to === b.to && before.verdict.cause === after.verdict.cause)
}

/** Each record before and after: fixed only when consistent at every hop; otherwise what remains. */
export function verification(
  records: RecordToVerify[],
  before: TraceReport[],
  after: TraceReport[],
): VerificationResult[] {
  return records.map(({entity, key}, index) => {
    const was = before[index] as TraceReport
    const now = after[index] as TraceReport
    return {
      after: {
        brokenLink: now.verdict.brokenLink,
        cause: now.verdict.cause,
        headline: headline(now),
        summary: now.verdict.summary,
      },
      alreadyConsistent: was.verdict.ok,
      before: {brokenLink: was.verdict.brokenLink, cause: was.verdict.cause, headline: headline(was)},
      breakGone: was.verdict.ok ? now.verdict.ok : !sameBreak(was, now) && now.verdict.complete,
      consistent: now.verdict.ok,
      entity,
      key,
      remaining: remainingBreak(now),
    }
  })
}

/** After an app refresh: has each device of the user run it (since the request was sent)? */
export async function refreshedDevices(
  clients: InstallationClients,
  userId: string,
  sentAt: Date,
): Promise<Array<{deviceId: string; lastFullRefreshAt: string | null; refreshed: boolean}>> {
  const devices = (await clients.app.devices(userId)) ?? []
  return devices.map((device) => ({
    deviceId: device.deviceId,
    lastFullRefreshAt: device.lastFullRefreshAt?.toISOString() ?? null,
    refreshed: device.lastFullRefreshAt !== null && device.lastFullRefreshAt.getTime() >= sentAt.getTime() - 1000,
  }))
}

/** Where the ERP already holds the order (its document number, or the processed file): a retransfer would duplicate it. */
export function orderAlreadyInErp(report: TraceReport): string | null {
  const erp = report.hops.find((hop) => hop.hop === 'erp')
  if (erp?.status === 'present') {
    const document =
      erp.evidence.find((entry) => entry.name === 'erpDocumentNumber')?.text ??
      report.hops.flatMap((hop) => hop.evidence).find((entry) => entry.name === 'erpDocumentNumber')?.text
    return document ? `the ERP already has it as document ${document.split(',')[0]}` : 'the ERP already has it'
  }
  const processed = report.hops
    .find((hop) => hop.hop === 'ftp')
    ?.evidence.find((entry) => entry.name === 'orderFile' && /(^|\/)processed\//.test(entry.file ?? entry.text ?? ''))
  if (processed) return `the ERP already imported it (${processed.file ?? processed.text})`
  return null
}
