import type {ChalkInstance} from 'chalk'

import {ownerLabel} from '../doctor/advice.js'
import type {DoctorReport, HealthStatus} from '../doctor/doctor.js'
import {helpdeskLine} from '../doctor/helpdesk.js'
import {escapeMarkdownCell, sanitizeForTerminal} from '../util/sanitize.js'
import {formatDuration, formatInZone, localTimeZone} from '../util/time.js'
import type {HopName} from '../report/types.js'
import {hopLabel} from './labels.js'
import {wrapLines, wrapText} from './wrap.js'

const mark: Record<HealthStatus, string> = {'not-configured': '–', ok: '✔', problem: '⚠', unreachable: '✘'}

function rows(report: DoctorReport): string[][] {
  return report.hops.map((hop) => [
    hopLabel(hop.hop as HopName),
    `${mark[hop.status]} ${hop.status}`,
    hop.latencyMs === null ? '' : `${hop.latencyMs} ms`,
    hop.authenticated === null ? '' : hop.authenticated ? 'yes' : 'no',
    hop.clockOffsetMs === null
      ? ''
      : hop.clockOffsetMs === 0
        ? 'in sync'
        : `${hop.clockOffsetMs > 0 ? '+' : '-'}${formatDuration(hop.clockOffsetMs)}`,
    [
      Object.entries(hop.reports)
        .map(([key, value]) => `${key}: ${value}`)
        .join(', '),
      hop.problem?.message ?? '',
      ...hop.notes,
    ]
      .filter(Boolean)
      .join('; '),
  ])
}

const headers = ['Hop', 'Status', 'Latency', 'Auth', 'Clock', 'Reports']
/** The fixed columns' widths; the reports column takes the rest of the terminal (70 on a pipe). */
const fixedWidths = [9, 17, 9, 6, 10]
const borders = fixedWidths.length + 2

/** Each problem, then who acts and what they do, and the command where one fits. */
function problemLines(report: DoctorReport): string[] {
  return report.problems.flatMap((problem, index) => {
    const advice = report.advice[index]
    return [
      `  - ${sanitizeForTerminal(problem)}`,
      ...(advice
        ? [
            `    who: ${ownerLabel(advice.owner)} · ${sanitizeForTerminal(advice.description)}`,
            ...(advice.command ? [`      $ ${sanitizeForTerminal(advice.command)}`] : []),
          ]
        : []),
    ]
  })
}

/** "  ✔ customers  last successful …": the summary wrapped beside the entity column. */
function syncLine(sync: DoctorReport['syncs'][number], chalk: ChalkInstance, width: number | null): string {
  const lead = `  ${sync.overdue ? chalk.yellow('⚠') : chalk.green('✔')} ${sync.entity.padEnd(10)} `
  const indent = ' '.repeat(15)
  const summary = sanitizeForTerminal(sync.summary)
  if (width === null) return lead + summary
  return wrapText(summary, width - indent.length)
    .map((line, index) => (index === 0 ? lead + line : indent + line))
    .join('\n')
}

export async function renderDoctorTerminal(
  report: DoctorReport,
  options: {chalk: ChalkInstance; color: boolean; width: number | null},
): Promise<string> {
  const {chalk, color, width} = options
  const {default: Table} = await import('cli-table3')
  const fixed = fixedWidths.reduce((sum, columns) => sum + columns, 0)
  const table = new Table({
    colWidths: [...fixedWidths, width === null ? 70 : Math.max(20, width - fixed - borders)],
    head: headers,
    style: color ? {border: ['gray'], head: ['bold']} : {border: [], head: []},
    wordWrap: true,
  })
  for (const row of rows(report)) table.push(row.map((cell) => sanitizeForTerminal(cell)))
  const wrap = (text: string) => wrapLines(text, width)
  const lines = [
    chalk.bold(
      wrap(
        `synctrace doctor · profile ${sanitizeForTerminal(report.profile)}${report.installation ? ` · ${sanitizeForTerminal(report.installation.name)} (${sanitizeForTerminal(report.installation.id)}), ${report.installation.connection}` : ''}`,
      ),
    ),
    table.toString(),
  ]
  if (report.helpdesk) lines.push(wrap(sanitizeForTerminal(helpdeskLine(report.helpdesk))))
  if (report.syncs.length > 0) {
    lines.push(chalk.bold('Automatic syncs'))
    for (const sync of report.syncs) lines.push(syncLine(sync, chalk, width))
  }
  const count = `${report.problems.length} ${report.problems.length === 1 ? 'problem' : 'problems'}:`
  lines.push(
    report.problems.length === 0
      ? chalk.green('Healthy.')
      : chalk.yellow(`${count}\n${wrap(problemLines(report).join('\n'))}`),
  )
  return lines.join('\n')
}

/** Who acts and what they do, under the problem: "  - **platform support:** … `command`". */
function adviceMarkdown(advice: DoctorReport['advice'][number] | undefined): string {
  if (!advice) return ''
  const command = advice.command ? ` \`${advice.command.replaceAll('`', "'")}\`` : ''
  return `\n  - **${ownerLabel(advice.owner)}:** ${escapeMarkdownCell(advice.description)}${command}`
}

/** The report as Markdown; its time in `zone`, the installation's when its CMS said it, else this machine's. */
export function renderDoctorMarkdown(report: DoctorReport, version?: string, zone = localTimeZone()): string {
  const lines = [
    `### synctrace doctor: profile ${escapeMarkdownCell(report.profile)}${report.installation ? `, ${escapeMarkdownCell(report.installation.name)} (${escapeMarkdownCell(report.installation.id)})` : ''}`,
    '',
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
  ]
  for (const row of rows(report)) lines.push(`| ${row.map(escapeMarkdownCell).join(' | ')} |`)
  if (report.helpdesk) lines.push('', escapeMarkdownCell(helpdeskLine(report.helpdesk)))
  if (report.syncs.length > 0) {
    lines.push('', '**Automatic syncs**', '')
    for (const sync of report.syncs)
      lines.push(`- ${sync.overdue ? '⚠' : '✔'} ${sync.entity}: ${escapeMarkdownCell(sync.summary)}`)
  }
  lines.push(
    '',
    report.problems.length === 0
      ? '**Healthy.**'
      : `**Problems:**\n${report.problems.map((problem, index) => `- ${escapeMarkdownCell(problem)}${adviceMarkdown(report.advice[index])}`).join('\n')}`,
  )
  // The installation's time with its zone, as every other view; the version says which rules judged.
  lines.push(
    '',
    `_Checked ${formatInZone(new Date(report.checkedAt), zone)} ${zone}${version ? ` with synctrace ${version}` : ''}, profile ${escapeMarkdownCell(report.profile)}._`,
  )
  return lines.join('\n')
}
