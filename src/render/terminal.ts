import type {ChalkInstance} from 'chalk'

import {erpDisplayName} from '../connectors/erp.js'
import {fieldLabel} from '../model/compare.js'
import type {HopName, HopStatus, TraceReport} from '../report/types.js'
import {formatInZone} from '../util/time.js'
import {sanitizeForTerminal, truncateForDisplay} from '../util/sanitize.js'
import {diffTitle, recordName, evidenceValue, headline, hopLabel, hopTitle, mappingNotes, reportTimeZone, statusSymbols} from './labels.js'

export interface TerminalOptions {
  chalk: ChalkInstance
  color: boolean
  /** Columns available; tables wrap within it. */
  width: number
}

const clean = (value: string | null | undefined, max = 200) => sanitizeForTerminal(truncateForDisplay(value ?? '', max))

function paint(chalk: ChalkInstance, status: HopStatus, text: string): string {
  switch (status) {
    case 'present':
      return chalk.green(text)
    case 'missing':
    case 'unreachable':
    case 'error':
      return chalk.red(text)
    case 'stale':
    case 'differs':
    case 'not-visible':
      return chalk.yellow(text)
    case 'excluded':
      return chalk.magenta(text)
    default:
      return chalk.gray(text)
  }
}

function statusCell(chalk: ChalkInstance, status: HopStatus): string {
  return paint(chalk, status, `${statusSymbols[status]} ${status}`)
}

function chainLine(report: TraceReport, chalk: ChalkInstance): string {
  const byHop = new Map(report.hops.map((hop) => [hop.hop, hop]))
  const node = (name: HopName) => {
    const hop = byHop.get(name)
    return hop ? `${hopLabel(hop.hop)} ${statusCell(chalk, hop.status)}` : hopLabel(name)
  }
  // Inbound, the CMS feeds the app and the webshop side by side; outbound, the chain is one line.
  const cms = report.chain.indexOf('cms')
  if (report.direction === 'outbound' || cms === -1) return report.chain.map(node).join(' ──▶ ')
  const line = report.chain.slice(0, cms + 1).map(node).join(' ──▶ ')
  const leaves = report.chain.slice(cms + 1).map(node)
  return leaves.length > 0 ? `${line} ──▶ ${leaves.join(chalk.gray('  ·  '))}` : line
}

/** The terminal view: chain at a glance, hop table, field differences, verdict and action. */
export async function renderTerminal(report: TraceReport, options: TerminalOptions): Promise<string> {
  const {default: Table} = await import('cli-table3')
  const {chalk} = options
  const timeZone = reportTimeZone(report)
  const tableStyle = options.color ? {border: ['gray'], head: ['bold']} : {border: [], head: []}
  const lines: string[] = []
  const installation = report.installation
  const where = installation
    ? `${clean(installation.name)} (${clean(installation.id)}) · ${installation.connection} · ${clean(erpDisplayName(installation.erp))}`
    : `profile ${clean(report.profile)} (installation unknown: the CMS could not be reached)`
  const entityLabel = {customer: 'Customer', item: 'Item', order: 'Order'}[report.entity]
  const name = recordName(report)
  lines.push(chalk.bold(`${entityLabel} ${clean(report.key)}${name ? ` ${clean(name, 80)}` : ''}`) + chalk.gray(` · ${where}`))
  lines.push(chalk.gray(`checked ${formatInZone(new Date(report.checkedAt), timeZone)} ${timeZone}${report.user ? ` · app user ${clean(report.user)}` : ''}`))
  lines.push('')
  lines.push(`  ${chainLine(report, chalk)}`)
  lines.push('')

  const detailWidth = Math.max(30, Math.min(90, options.width - 40))
  const hopTable = new Table({
    colWidths: [18, 15, detailWidth],
    head: ['Hop', 'Status', 'Details'],
    style: tableStyle,
    wordWrap: true,
  })
  for (const hop of report.hops) {
    const details = [clean(hop.summary, 400)]
    for (const evidence of hop.evidence) details.push(chalk.gray(`${evidence.label}: ${clean(evidenceValue(evidence, timeZone))}`))
    for (const note of mappingNotes(hop)) details.push(chalk.gray(clean(note, 300)))
    for (const user of hop.users ?? []) {
      details.push(`${paint(chalk, user.status, statusSymbols[user.status])} ${clean(user.name ? `${user.name} (${user.userId})` : user.userId)}`)
      for (const device of user.devices)
        details.push(
          chalk.gray(
            `   ${clean(device.model ?? 'device')} ${clean(device.deviceId)}: refreshed ${device.lastRefreshAt ? formatInZone(new Date(device.lastRefreshAt), timeZone) : 'never'}${device.holdsRecord ? '' : ' (before the record was published)'}`,
          ),
        )
    }
    hopTable.push([hopTitle(hop), statusCell(chalk, hop.status), details.join('\n')])
  }
  lines.push(hopTable.toString())

  for (const hop of report.hops.filter((entry) => entry.diff.length > 0)) {
    lines.push('')
    lines.push(chalk.bold(`Differences ${diffTitle(hop)}`))
    const valueWidth = Math.max(16, Math.floor((options.width - 34) / 2))
    const diffTable = new Table({
      colWidths: [28, valueWidth, valueWidth],
      head: ['Field', hop.comparedWith ? hopLabel(hop.comparedWith) : 'upstream', hopLabel(hop.hop)],
      style: tableStyle,
      wordWrap: true,
    })
    for (const diff of hop.diff)
      diffTable.push([fieldLabel(diff.field), diff.upstream === null ? chalk.gray('(none)') : clean(diff.upstream), diff.downstream === null ? chalk.gray('(none)') : clean(diff.downstream)])
    lines.push(diffTable.toString())
  }

  const {action, verdict} = report
  lines.push('')
  const mark = verdict.ok ? chalk.green('✔') : verdict.brokenLink ? chalk.red('✘') : chalk.yellow('⚠')
  lines.push(`${chalk.bold('Verdict')}  ${mark} ${chalk.bold(clean(headline(report)))}`)
  lines.push(`  ${clean(verdict.summary, 600)}`)
  if (verdict.evidence.length > 0) {
    lines.push(chalk.gray('  Evidence:'))
    for (const evidence of verdict.evidence) lines.push(`    ${chalk.gray(`${evidence.label}:`)} ${clean(evidenceValue(evidence, timeZone))}`)
  }
  for (const finding of verdict.otherFindings) lines.push(chalk.yellow(`  Also: ${clean(finding, 400)}`))
  lines.push('')
  lines.push(`${chalk.bold('Action')}   ${clean(action.description, 600)}`)
  lines.push(chalk.gray(`  kind ${action.kind} · by ${action.owner}${action.automatable ? ' · synctrace can do it' : ''}`))
  if (action.command) lines.push(`  ${chalk.cyan(`$ ${clean(action.command, 400)}`)}`)
  return lines.join('\n')
}
