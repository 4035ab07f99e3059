import type {ChalkInstance} from 'chalk'

import type {DoctorReport, HealthStatus} from '../doctor/doctor.js'
import {escapeMarkdownCell, sanitizeForTerminal} from '../util/sanitize.js'
import {formatDuration, formatInZone, localTimeZone} from '../util/time.js'
import type {HopName} from '../report/types.js'
import {hopLabel} from './labels.js'

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

export async function renderDoctorTerminal(
  report: DoctorReport,
  chalk: ChalkInstance,
  color: boolean,
): Promise<string> {
  const {default: Table} = await import('cli-table3')
  const table = new Table({
    colWidths: [9, 17, 9, 6, 10, 70],
    head: headers,
    style: color ? {border: ['gray'], head: ['bold']} : {border: [], head: []},
    wordWrap: true,
  })
  for (const row of rows(report)) table.push(row.map((cell) => sanitizeForTerminal(cell)))
  const lines = [
    chalk.bold(
      `synctrace doctor · profile ${sanitizeForTerminal(report.profile)}${report.installation ? ` · ${sanitizeForTerminal(report.installation.name)} (${sanitizeForTerminal(report.installation.id)}), ${report.installation.connection}` : ''}`,
    ),
    table.toString(),
  ]
  if (report.syncs.length > 0) {
    lines.push(chalk.bold('Automatic syncs'))
    for (const sync of report.syncs)
      lines.push(
        `  ${sync.overdue ? chalk.yellow('⚠') : chalk.green('✔')} ${sync.entity.padEnd(10)} ${sanitizeForTerminal(sync.summary)}`,
      )
  }
  lines.push(
    report.problems.length === 0
      ? chalk.green('Healthy.')
      : chalk.yellow(
          `${report.problems.length} ${report.problems.length === 1 ? 'problem' : 'problems'}:\n${report.problems.map((problem) => `  - ${sanitizeForTerminal(problem)}`).join('\n')}`,
        ),
  )
  return lines.join('\n')
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
  if (report.syncs.length > 0) {
    lines.push('', '**Automatic syncs**', '')
    for (const sync of report.syncs)
      lines.push(`- ${sync.overdue ? '⚠' : '✔'} ${sync.entity}: ${escapeMarkdownCell(sync.summary)}`)
  }
  lines.push(
    '',
    report.problems.length === 0
      ? '**Healthy.**'
      : `**Problems:**\n${report.problems.map((problem) => `- ${escapeMarkdownCell(problem)}`).join('\n')}`,
  )
  // The installation's time with its zone, as every other view; the version says which rules judged.
  lines.push(
    '',
    `_Checked ${formatInZone(new Date(report.checkedAt), zone)} ${zone}${version ? ` with synctrace ${version}` : ''}, profile ${escapeMarkdownCell(report.profile)}._`,
  )
  return lines.join('\n')
}
