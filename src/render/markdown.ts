import {fieldLabel} from '../model/compare.js'
import {orderLineRows} from './order-lines.js'
import {priceLines} from './price.js'
import type {HopReport, TraceReport} from '../report/types.js'
import {escapeMarkdownCell, sanitizeForTerminal} from '../util/sanitize.js'
import {formatInZone} from '../util/time.js'
import {
  diffTitle,
  recordName,
  evidenceValue,
  listSeconds,
  headline,
  hopLabel,
  hopTitle,
  mappingNotes,
  reportTimeZone,
  statusSymbols,
} from './labels.js'

/** Inline code that survives backticks in the value: the fence is longer than any run inside. */
export function markdownCode(value: string): string {
  const clean = sanitizeForTerminal(value)
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${clean}${pad}${fence}`
}

/**
 * A value as inline code inside a table cell. GFM splits a row at every `|` not escaped by a backslash, code
 * spans included, and a code span shows a backslash as it is: a value holding `|` or a backslash is therefore
 * written as escaped text instead, which keeps its columns and shows the value as it is.
 */
export function markdownCodeCell(value: string): string {
  return /[|\\]/.test(value) ? escapeMarkdownCell(value) : markdownCode(value)
}

const cell = (value: string | null | undefined) => escapeMarkdownCell(value ?? '')

/** The ticket-ready view: summary line, chain, hop table, differences, verdict, evidence, action. */
export function renderMarkdown(report: TraceReport): string {
  const timeZone = reportTimeZone(report)
  const lines: string[] = []
  const where = report.installation
    ? `${cell(report.installation.name)} (${cell(report.installation.id)})`
    : `profile ${cell(report.profile)}`
  const name = recordName(report)
  lines.push(
    `### synctrace: ${report.entity} ${markdownCode(report.key)}${name ? ` (${cell(name)})` : ''} at ${where}: ${cell(headline(report))}`,
  )
  lines.push('')
  lines.push(
    `**Chain:** ${report.chain
      .map((name) => report.hops.find((hop) => hop.hop === name))
      .filter((hop) => hop !== undefined)
      .map((hop) => `${hopLabel(hop.hop)} ${statusSymbols[hop.status]} ${hop.status}`)
      .join(' → ')}${report.user ? ` (app user ${markdownCode(report.user)})` : ''}`,
  )
  lines.push('')
  lines.push(...hopTable(report, timeZone))
  lines.push(...priceTable(report))
  lines.push(...orderLineTable(report))
  for (const hop of report.hops.filter((entry) => entry.diff.length > 0)) lines.push(...differences(hop))
  lines.push('')
  lines.push(`**Verdict:** ${cell(report.verdict.summary)} (cause ${markdownCode(report.verdict.cause)})`)
  if (report.verdict.evidence.length > 0) {
    lines.push('')
    lines.push('**Evidence:**')
    const seconds = listSeconds(report.verdict.evidence)
    for (const evidence of report.verdict.evidence)
      lines.push(`- ${cell(evidence.label)}: ${cell(evidenceValue(evidence, timeZone, seconds))}`)
  }
  for (const finding of report.verdict.otherFindings) lines.push(`- Also: ${cell(finding)}`)
  lines.push('')
  lines.push(
    `**Action:** ${cell(report.action.description)} (${markdownCode(report.action.kind)}, by ${report.action.owner})`,
  )
  if (report.action.command) {
    lines.push('')
    lines.push('```sh')
    lines.push(sanitizeForTerminal(report.action.command))
    lines.push('```')
  }
  lines.push('')
  lines.push(markdownFooter({at: report.checkedAt, profile: report.profile, timeZone, version: report.tool.version}))
  return lines.join('\n')
}

/** The last line of every Markdown view (a trace, a reconcile): when, in which zone, with which version and profile. */
export function markdownFooter(checked: {at: string; timeZone: string; version: string; profile: string}): string {
  return `_Checked ${formatInZone(new Date(checked.at), checked.timeZone)} ${checked.timeZone} with synctrace ${checked.version}, profile ${cell(checked.profile)}._`
}

/** The hop table: each hop's status, summary, evidence, mapping notes and (app) the users' devices. */
function hopTable(report: TraceReport, timeZone: string): string[] {
  const lines = ['| Hop | Status | Details |', '|---|---|---|']
  for (const hop of report.hops) {
    const seconds = listSeconds(hop.evidence, hop)
    const details = [
      cell(hop.summary),
      ...hop.evidence.map((evidence) => `${cell(evidence.label)}: ${cell(evidenceValue(evidence, timeZone, seconds))}`),
      ...mappingNotes(hop).map(cell),
    ]
    for (const user of hop.users ?? [])
      for (const device of user.devices)
        details.push(
          `${cell(user.userId)} ${cell(device.model ?? 'device')} ${cell(device.deviceId)}: last refresh ${device.lastRefreshAt ? formatInZone(new Date(device.lastRefreshAt), timeZone, {seconds}) : 'never'}${device.holdsRecord ? '' : ' (before publication)'}`,
        )
    lines.push(`| ${cell(hopTitle(hop))} | ${statusSymbols[hop.status]} ${hop.status} | ${details.join('<br>')} |`)
  }
  return lines
}

/** `trace price`: per hop the list, row, discount and net price computed. */
function priceTable(report: TraceReport): string[] {
  const prices = priceLines(report)
  if (!prices) return []
  const lines = ['', `**${cell(prices.title)}**`, '', '| Hop | List | Row | Discount | Net |', '|---|---|---|---|---|']
  for (const line of prices.lines)
    lines.push(`| ${line.hop} | ${cell(line.list)} | ${cell(line.row)} | ${cell(line.discount)} | ${cell(line.net)} |`)
  return lines
}

/** `trace order`: each line against the customer's price at the CMS. */
function orderLineTable(report: TraceReport): string[] {
  const section = orderLineRows(report)
  if (!section) return []
  const lines = [
    '',
    `**${cell(section.title)}**`,
    '',
    "| Line | Ordered | Customer's price | Outcome |",
    '|---|---|---|---|',
  ]
  for (const row of section.rows)
    lines.push(
      `| ${cell(row.line)} | ${cell(row.ordered)} | ${cell(row.customer)} | ${row.mark} ${cell(row.outcome)} |`,
    )
  return lines
}

/** One hop's differences from its upstream, field by field. */
function differences(hop: HopReport): string[] {
  const lines = ['', `**Differences ${diffTitle(hop)}**`, '']
  lines.push(`| Field | ${hop.comparedWith ? hopLabel(hop.comparedWith) : 'upstream'} | ${hopLabel(hop.hop)} |`)
  lines.push('|---|---|---|')
  for (const diff of hop.diff)
    lines.push(
      `| ${cell(fieldLabel(diff.field))} | ${diff.upstream === null ? '_(none)_' : cell(diff.upstream)} | ${diff.downstream === null ? '_(none)_' : cell(diff.downstream)} |`,
    )
  return lines
}
