import {unexplainedOutOfOrder} from './time-order.js'
import type {ActionKind, CauseCode, Evidence, HopName, HopReport, TraceReport} from './types.js'

/**
 * The rules every trace report keeps, written once and checked over any report: the broken link agrees
 * with the hop statuses, green only when everything on the record's path was checked, exit code, verdict
 * and action agree with each other and with the documented tables (docs/diagnosis.md), and evidence that
 * names a file, line, run or time carries it as a field. Returns the violations; none is a good report.
 */

/** Statuses that say the record is wrong at that hop. */
const faultStatuses = new Set(['missing', 'stale', 'differs', 'excluded', 'not-visible'])

/** A hop whose own answer is the finding (an unreadable export row) has `error` without a problem. */
export function isFault(hop: HopReport): boolean {
  return faultStatuses.has(hop.status) || (hop.status === 'error' && hop.problem === null)
}

/** A hop that could not be asked or did not answer usefully. */
export function isUnchecked(hop: HopReport): boolean {
  return (
    hop.status === 'unreachable' || hop.status === 'not-checked' || (hop.status === 'error' && hop.problem !== null)
  )
}

/** The documented action of each cause (docs/diagnosis.md), stated here independently of the code that picks it. */
export const documentedActions: Record<CauseCode, ActionKind> = {
  'app-differs-from-cms': 'contact-platform-support',
  'app-publish-behind': 'targeted-sync',
  'change-order-unknown': 'targeted-sync',
  'cms-differs-from-erp': 'contact-platform-support',
  consistent: 'none',
  'created-after-sync': 'targeted-sync',
  'customer-file-waiting': 'contact-it-partner',
  'customer-not-uploaded': 'rep-opens-app-online',
  'customer-rejected-by-erp': 'confirm-with-erp-consultant',
  'device-not-refreshed': 'app-full-refresh',
  'erp-changed-after-sync': 'targeted-sync',
  'excluded-by-filter': 'change-filter-or-erp-flag',
  'expected-stock-lag': 'none',
  'export-missing': 'contact-it-partner',
  'export-row-unreadable': 'contact-it-partner',
  'export-stale': 'contact-it-partner',
  'hop-error': 'retry-trace',
  'hop-not-checked': 'retry-trace',
  'hop-unreachable': 'retry-trace',
  'item-excluded': 'change-filter-or-erp-flag',
  'new-customer-not-in-erp': 'contact-platform-support',
  'no-app-user-for-sales-rep': 'assign-sales-rep-to-user',
  'not-a-webshop-item': 'flag-webshop-in-erp',
  'not-assigned-to-user': 'change-assignment-in-erp',
  'not-in-cms': 'check-key',
  'not-in-erp': 'check-key',
  'not-in-export': 'contact-it-partner',
  'not-published-to-app': 'targeted-sync',
  'not-published-to-webshop': 'webshop-republish',
  'not-read-by-sync': 'targeted-sync',
  'order-file-missing': 'order-retransfer',
  'order-file-waiting': 'contact-it-partner',
  'order-missing-in-erp': 'confirm-with-erp-consultant',
  'order-not-found': 'check-key',
  'order-not-uploaded': 'rep-opens-app-online',
  'order-on-hold': 'contact-platform-support',
  'order-prerequisite-missing': 'fix-in-erp-then-retransfer',
  'order-rejected-by-erp': 'fix-in-erp-then-retransfer',
  'order-transfer-failed': 'order-retransfer',
  'order-transfer-pending': 'wait',
  'order-transfer-stuck': 'order-retransfer',
  'price-changed-after-sync': 'targeted-sync',
  'price-list-not-in-export': 'contact-it-partner',
  'price-row-skipped': 'confirm-with-erp-consultant',
  'pricing-changed-after-sync': 'targeted-sync',
  'removed-from-erp': 'confirm-with-erp-consultant',
  'stock-not-synced': 'targeted-sync',
  'sync-failed-for-record': 'contact-platform-support',
  'webshop-behind': 'webshop-republish',
  'webshop-differs-from-cms': 'contact-platform-support',
  'webshop-order-not-handed-over': 'contact-platform-support',
  'webshop-push-pending': 'wait',
}

/** Causes decided by the upstream hop's own record of a transfer it did not make: the hop after it may be unchecked. */
const upstreamWordCauses = new Set<CauseCode>([
  'order-transfer-pending',
  'order-transfer-stuck',
  'order-on-hold',
  'order-transfer-failed',
  'order-prerequisite-missing',
])

const okCauses = new Set<CauseCode>(['consistent', 'expected-stock-lag'])
const incompleteCauses = new Set<CauseCode>(['hop-unreachable', 'hop-error', 'hop-not-checked'])

/** The hop a hop's record comes from: the one before it in the chain; inbound, the webshop is fed by the CMS. */
export function upstreamHop(report: Pick<TraceReport, 'chain' | 'direction'>, hop: HopName): HopName | null {
  if (report.direction === 'inbound' && hop === 'webshop' && report.chain.includes('cms')) return 'cms'
  const index = report.chain.indexOf(hop)
  return index > 0 ? (report.chain[index - 1] as HopName) : null
}

/**
 * A hop that may stay unchecked in a green report: the ERP of an ftp installation is seen through its
 * files on the file server, and the origin of an outbound record that the CMS already holds.
 */
export function offPath(
  report: Pick<TraceReport, 'chain' | 'direction'>,
  hop: HopReport,
  byName: Map<HopName, HopReport>,
): boolean {
  if (hop.status !== 'not-checked') return false
  if (hop.hop === 'erp' && report.chain.includes('ftp')) return byName.get('ftp')?.status !== 'not-checked'
  if (report.direction === 'outbound' && hop.hop === report.chain[0]) return byName.get('cms')?.status === 'present'
  return false
}

/** The hops on the record's path that were not checked (unreachable, an error answer, or not asked). */
export function uncheckedOnPath(report: Pick<TraceReport, 'chain' | 'direction' | 'hops'>): HopReport[] {
  const byName = new Map(report.hops.map((hop) => [hop.hop, hop]))
  return report.chain
    .map((name) => byName.get(name))
    .filter((hop): hop is HopReport => hop !== undefined && isUnchecked(hop) && !offPath(report, hop, byName))
}

/**
 * A fault that is news at this hop: its upstream holds the record (or it has none). A hop after one that
 * lacks the record or could not be checked lacks it as a consequence, not as a new fault.
 */
function newFault(report: TraceReport, hop: HopReport, byName: Map<HopName, HopReport>): boolean {
  if (!isFault(hop)) return false
  const upstream = upstreamHop(report, hop.hop)
  const upstreamReport = upstream ? byName.get(upstream) : undefined
  return upstreamReport === undefined || upstreamReport.status === 'present' || offPath(report, upstreamReport, byName)
}

const rowEvidence = new Set(['exportRow', 'exportUnreadableRow'])
const fileEvidence = new Set(['exportFile', 'orderFile', 'customerFile'])
const runEvidence = new Set(['lastCustomerSync', 'latestCustomerSync', 'lastItemSync', 'lastStockSync'])

function evidenceViolations(where: string, evidence: Evidence[]): string[] {
  const violations: string[] = []
  for (const entry of evidence) {
    const label = `${where} evidence ${entry.name}`
    if (entry.at !== undefined && Number.isNaN(Date.parse(entry.at)))
      violations.push(`${label}: "at" is not a time (${entry.at})`)
    if (rowEvidence.has(entry.name) && (typeof entry.file !== 'string' || typeof entry.line !== 'number'))
      violations.push(`${label} names a row but has no file and line fields`)
    if (fileEvidence.has(entry.name) && typeof entry.file !== 'string')
      violations.push(`${label} names a file but has no file field`)
    if (runEvidence.has(entry.name) && entry.text !== 'none found' && typeof entry.runId !== 'string')
      violations.push(`${label} names a sync run but has no runId field`)
    if (entry.name === 'syncRecordOutcome' && /\(r[-\w]*\)$/.test(entry.text ?? '') && typeof entry.runId !== 'string')
      violations.push(`${label} names a sync run but has no runId field`)
    if (/(At|Modified)$/.test(entry.name) && entry.at === undefined)
      violations.push(`${label} is a time but has no "at" field`)
  }
  // Times that must be ordered are ordered, or the list says which clocks disagree.
  for (const problem of unexplainedOutOfOrder(evidence)) violations.push(`${where} evidence: ${problem}`)
  return violations
}

/** The broken link is the first fault, walking the chain from the origin. */
function brokenLinkViolations(report: TraceReport, byName: Map<HopName, HopReport>, chainHops: HopReport[]): string[] {
  const violations: string[] = []
  const {verdict} = report
  const link = verdict.brokenLink
  if (link) {
    const to = byName.get(link.to)
    if (!to || !report.chain.includes(link.to)) violations.push(`brokenLink.to ${link.to} is not a hop of the chain`)
    else {
      if (!isFault(to) && !(isUnchecked(to) && upstreamWordCauses.has(verdict.cause)))
        violations.push(`brokenLink.to is ${link.to}, whose status ${to.status} is not a fault`)
      const expectedFrom = upstreamHop(report, link.to)
      if (link.from !== expectedFrom)
        violations.push(`brokenLink.from is ${link.from}, but the hop before ${link.to} is ${expectedFrom}`)
      for (const hop of chainHops.slice(0, report.chain.indexOf(link.to)))
        if (newFault(report, hop, byName))
          violations.push(`hop ${hop.hop} (${hop.status}) comes before brokenLink.to ${link.to} and is already a fault`)
    }
  } else if (!verdict.ok) {
    const fault = chainHops.find((hop) => newFault(report, hop, byName))
    if (fault) violations.push(`no broken link, although hop ${fault.hop} is ${fault.status}`)
  }
  return violations
}

export function checkReportInvariants(report: TraceReport): string[] {
  const violations: string[] = []
  const {verdict} = report
  const byName = new Map(report.hops.map((hop) => [hop.hop, hop]))
  for (const name of report.chain)
    if (!byName.has(name)) violations.push(`the chain names ${name}, which has no hop report`)
  for (const hop of report.hops)
    if (!report.chain.includes(hop.hop)) violations.push(`hop ${hop.hop} is reported but not on the chain`)
  const chainHops = report.chain.map((name) => byName.get(name)).filter((hop): hop is HopReport => hop !== undefined)
  const unchecked = uncheckedOnPath(report)

  // Exit code, verdict and action agree.
  const expectedExit = verdict.ok ? 0 : verdict.brokenLink ? 3 : 4
  if (report.exitCode !== expectedExit)
    violations.push(
      `exit code ${report.exitCode}, but the verdict (ok ${verdict.ok}, brokenLink ${JSON.stringify(verdict.brokenLink)}) means ${expectedExit}`,
    )
  if (verdict.ok && verdict.brokenLink) violations.push('verdict.ok is true although a link is broken')
  if (verdict.ok !== okCauses.has(verdict.cause))
    violations.push(`verdict.ok is ${verdict.ok} with cause ${verdict.cause}`)
  if (!verdict.ok && !verdict.brokenLink && !incompleteCauses.has(verdict.cause))
    violations.push(
      `cause ${verdict.cause} without a broken link (only hop-unreachable, hop-error, hop-not-checked may have none)`,
    )
  if (verdict.brokenLink && incompleteCauses.has(verdict.cause))
    violations.push(`cause ${verdict.cause} with a broken link`)
  const documented = documentedActions[verdict.cause]
  if (documented === undefined) violations.push(`cause ${verdict.cause} is not documented`)
  else if (report.action.kind !== documented)
    violations.push(`cause ${verdict.cause} has action ${report.action.kind}; documented: ${documented}`)
  if ((report.action.kind === 'none') !== verdict.ok)
    violations.push(`action ${report.action.kind} with verdict.ok ${verdict.ok}`)

  // Green only when everything on the path was checked and found consistent.
  if (verdict.ok) {
    for (const hop of chainHops)
      if (hop.status !== 'present' && !offPath(report, hop, byName))
        violations.push(`verdict.ok although hop ${hop.hop} is ${hop.status}`)
  }
  if (verdict.complete !== (unchecked.length === 0))
    violations.push(
      `verdict.complete is ${verdict.complete}, but ${unchecked.length === 0 ? 'every hop on the path was checked' : `${unchecked.map((hop) => `${hop.hop} is ${hop.status}`).join(', ')}`}`,
    )

  violations.push(...brokenLinkViolations(report, byName, chainHops))
  violations.push(...evidenceViolations('verdict', verdict.evidence))
  for (const hop of report.hops) violations.push(...evidenceViolations(`hop ${hop.hop}`, hop.evidence))
  return violations
}
