import {erpDisplayName} from '../connectors/registry.js'
import {fieldLabel} from '../model/compare.js'
import {entities} from '../entities/index.js'
import {hopLabels} from '../report/entities.js'
import type {Evidence, HopName, HopReport, HopStatus, TraceReport} from '../report/types.js'
import {sanitizeForTerminal, truncateForDisplay} from '../util/sanitize.js'
import {formatInZone, isTimeZone, localTimeZone, needsSeconds} from '../util/time.js'

/** Words shared by the terminal and Markdown views. */

export function entityLabel(entity: TraceReport['entity']): string {
  return entities[entity].label
}

export function hopLabel(hop: HopName): string {
  return hopLabels[hop].label
}

export function hopTitle(hop: HopReport): string {
  // The ERP's name comes from the CMS (`erp.system`): remote text, neutralised like any other.
  if (hop.hop === 'erp') {
    const name: unknown = erpDisplayName(hop.system)
    return `ERP (${sanitizeForTerminal(truncateForDisplay(typeof name === 'string' ? name : String(hop.system), 60))})`
  }
  return hopLabel(hop.hop)
}

export const statusSymbols: Record<HopStatus, string> = {
  differs: '≠',
  error: '⚠',
  excluded: '⊘',
  missing: '✘',
  'not-checked': '–',
  'not-visible': '◌',
  present: '✔',
  stale: '◐',
  unreachable: '⚠',
}

/**
 * Do the times shown together (one hop's evidence and its devices' refreshes, or the verdict's evidence)
 * need seconds to keep their order (`needsSeconds`)? Then all of them show seconds.
 */
export function listSeconds(evidence: Evidence[], hop?: HopReport): boolean {
  const devices = (hop?.users ?? []).flatMap((user) => user.devices.map((device) => device.lastRefreshAt))
  return needsSeconds(...[...evidence.map((entry) => entry.at), ...devices].map((at) => (at ? new Date(at) : null)))
}

/** One evidence line's value; `seconds` when the list it stands in has two times in one minute (`needsSeconds`). */
export function evidenceValue(evidence: Evidence, timeZone: string, seconds = false): string {
  const when = evidence.at ? formatInZone(new Date(evidence.at), timeZone, {seconds}) : ''
  return [when, evidence.text ?? ''].filter(Boolean).join(' · ')
}

export function reportTimeZone(report: TraceReport): string {
  return isTimeZone(report.installation?.timezone) ? report.installation.timezone : localTimeZone()
}

export function linkLabel(report: TraceReport): string | null {
  const link = report.verdict.brokenLink
  if (!link) return null
  return link.from ? `${hopLabel(link.from)} → ${hopLabel(link.to)}` : hopLabel(link.to)
}

/** "ERP → CMS stale", "ok", "incomplete": the headline of a report. */
export function headline(report: TraceReport): string {
  if (report.verdict.ok) return 'consistent everywhere'
  const link = linkLabel(report)
  if (!link) return 'could not be fully checked'
  const broken = report.hops.find((hop) => hop.hop === report.verdict.brokenLink?.to)
  return `${link}: ${broken?.status ?? 'broken'}`
}

export function diffTitle(hop: HopReport): string {
  return `${hop.comparedWith ? hopLabel(hop.comparedWith) : '?'} → ${hopLabel(hop.hop)}`
}

/** "Delivery address taken from Invoice address: …" and "Not compared: price list (…)": what a comparison left out or derived. */
export function mappingNotes(hop: Pick<HopReport, 'derived' | 'notCompared'>): string[] {
  return [
    ...hop.derived.map(
      (entry) =>
        `${fieldLabel(entry.field)} compared as the CMS derives it, from the ${fieldLabel(entry.from)}: ${entry.reason}`,
    ),
    ...hop.notCompared.map((entry) => `Not compared: ${fieldLabel(entry.field)} (${entry.reason})`),
  ]
}

/** The record's own name for a view's header: the customer's name, the item's description, the order's customer. */
export function recordName(report: TraceReport): string | null {
  return entities[report.entity].recordName(report)
}
