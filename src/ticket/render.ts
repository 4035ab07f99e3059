import type {ChalkInstance} from 'chalk'

import {headline} from '../render/labels.js'
import {markdownCode, renderMarkdown} from '../render/markdown.js'
import {renderTerminal} from '../render/terminal.js'
import type {TraceReport} from '../report/types.js'
import {escapeMarkdownCell, sanitizeForTerminal} from '../util/sanitize.js'
import type {TicketRecord, TicketReport} from './types.js'

const routeWords: Record<TicketReport['routedBy'], string> = {
  default: 'the default profile',
  domain: "by the requester's e-mail domain",
  organization: "by the ticket's organization",
  profile: 'by --profile',
  sandbox: 'the sandbox',
}

/** One record's verdict in a line: "customer 10042: ERP → CMS: stale (erp-changed-after-sync)". */
export function verdictLine(entity: string, key: string, report: TraceReport | null, error: string | null): string {
  if (!report) return `${entity} ${key}: not traced (${error ?? 'failed'})`
  return `${entity} ${key}: ${headline(report)} (${report.verdict.cause})`
}

const recordLine = (record: TicketRecord) => verdictLine(record.entity, record.key, record.report, record.error)

/** Who asks: the requester, their e-mail and organization, each as the helpdesk gave it (data, never markup). */
function askedBy(report: TicketReport, quote: (value: string) => string): string {
  const {organization, requester} = report.ticket
  const email = requester.email ? ` <${quote(requester.email)}>` : ''
  return `${quote(requester.name)}${email}${organization ? `, ${quote(organization)}` : ''}`
}

/** The lines after the records: the codes found but not traced, and the rejected ones with why. */
function restLines(report: TicketReport, quote: (value: string) => string, bullet: string): string[] {
  const lines: string[] = []
  if (report.notTraced.length > 0)
    lines.push(
      '',
      `Not traced (beyond --max-records): ${report.notTraced.map((entry) => `${entry.entity} ${quote(entry.key)}`).join(', ')}`,
    )
  if (report.rejected.length > 0) {
    lines.push('', 'Not records:')
    for (const entry of report.rejected) lines.push(`${bullet}${quote(entry.candidate)}: ${entry.reason}`)
  }
  return lines
}

/** The first lines of both views: the ticket, who asks, which installation, what was found. */
function summaryLines(
  report: TicketReport,
  quote: (value: string) => string,
  bold: (text: string) => string,
): string[] {
  const found =
    report.records.length === 0
      ? 'No record of this installation is named in the ticket.'
      : `${bold('Found')}: ${report.records.map((record) => quote(recordLine(record))).join('; ')}`
  return [
    `Ticket ${quote(report.ticket.id)} (${report.ticket.system}): ${quote(report.ticket.subject)}`,
    `Asked by ${askedBy(report, quote)}`,
    `Installation: profile ${quote(report.profile)} (${routeWords[report.routedBy]})`,
    found,
  ]
}

/** The ticket's report for a terminal: the summary, then each record's trace as `trace` prints it. */
export async function renderTicketTerminal(
  report: TicketReport,
  options: {chalk: ChalkInstance; color: boolean; width: number | null},
): Promise<string> {
  const quote = (value: string) => sanitizeForTerminal(value)
  const parts = [summaryLines(report, quote, (text) => options.chalk.bold(text)).join('\n')]
  for (const record of report.records)
    parts.push(record.report ? await renderTerminal(record.report, options) : quote(recordLine(record)))
  const rest = restLines(report, quote, '  - ')
  if (rest.length > 0) parts.push(rest.slice(1).join('\n'))
  return parts.join('\n\n')
}

/** The ticket's report in Markdown (also the note `--post` adds): every value from the ticket as inline code. */
export function renderTicketMarkdown(report: TicketReport): string {
  const lines = summaryLines(report, markdownCode, (text) => `**${text}**`).map((line) => `${line}  `)
  const parts = [`### synctrace: ticket ${markdownCode(report.ticket.id)}`, lines.join('\n').trimEnd()]
  for (const record of report.records)
    parts.push(record.report ? renderMarkdown(record.report) : escapeMarkdownCell(recordLine(record)))
  const rest = restLines(report, markdownCode, '- ')
  if (rest.length > 0) parts.push(rest.slice(1).join('\n'))
  return parts.join('\n\n')
}
