import type {ChalkInstance} from 'chalk'

import {type OrderLineRow, orderLineRows} from './order-lines.js'
import {priceLines} from './price.js'
import {erpDisplayName} from '../connectors/registry.js'
import {fieldLabel} from '../model/compare.js'
import type {HopName, HopReport, HopStatus, TraceReport} from '../report/types.js'
import {formatInZone} from '../util/time.js'
import {sanitizeForTerminal, truncateForDisplay} from '../util/sanitize.js'
import {renderGrid} from './grid.js'
import {wrapParts, wrapText} from './wrap.js'
import {
  diffTitle,
  entityLabel,
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

export interface TerminalOptions {
  chalk: ChalkInstance
  color: boolean
  /** Columns available; tables and lines wrap within it. Null when unknown (a pipe): tables as for 115 columns, lines unwrapped. */
  width: number | null
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

function chainLines(report: TraceReport, chalk: ChalkInstance, width: number): string[] {
  const byHop = new Map(report.hops.map((hop) => [hop.hop, hop]))
  const node = (name: HopName) => {
    const hop = byHop.get(name)
    const plain = hop ? `${hopLabel(hop.hop)} ${statusSymbols[hop.status]} ${hop.status}` : hopLabel(name)
    return {
      length: Array.from(plain).length,
      text: hop ? `${hopLabel(hop.hop)} ${statusCell(chalk, hop.status)}` : hopLabel(name),
    }
  }
  // Inbound, the CMS feeds the app and the webshop side by side; outbound, the chain is one line.
  const cms = report.chain.indexOf('cms')
  const parts = report.chain.map((name, index) => ({
    ...node(name),
    separator: report.direction === 'inbound' && cms !== -1 && index > cms + 1 ? chalk.gray('  ·  ') : ' ──▶ ',
    separatorLength: 5,
  }))
  return wrapParts(parts, width, '  ')
}

/** What every part of the view needs: colours, the report's zone, the widths, the tables' style. */
interface View {
  chalk: ChalkInstance
  timeZone: string
  /** The width of every table: the terminal's, at most 130 columns. */
  width: number
  /** Where text lines wrap (infinite on a pipe). */
  lineWidth: number
  tableStyle: {border: string[]; head: string[]}
}

/** Wraps text at word boundaries to the view; each piece is coloured after wrapping. */
function sayTo(lines: string[], view: View) {
  return (text: string, indent = '', style: (line: string) => string = (line) => line) => {
    for (const line of wrapText(text, view.lineWidth, indent)) lines.push(style(line))
  }
}

const cellLines = (text: string, cellWidth: number, style: (line: string) => string = (line) => line) =>
  wrapText(text, cellWidth - 2)
    .map(style)
    .join('\n')

function headerLines(report: TraceReport, view: View): string[] {
  const {chalk, lineWidth, timeZone} = view
  const lines: string[] = []
  const installation = report.installation
  const where = installation
    ? `${clean(installation.name)} (${clean(installation.id)}) · ${installation.connection} · ${clean(erpDisplayName(installation.erp))}`
    : `profile ${clean(report.profile)} (installation unknown: the CMS could not be reached)`
  const name = recordName(report)
  const heading = `${entityLabel(report.entity)} ${clean(report.key)}${name ? ` ${clean(name, 80)}` : ''}`
  const headingLines = wrapText(`${heading} · ${where}`, lineWidth, '  ')
  lines.push(
    ...headingLines.map((line, index) =>
      index === 0 && line.startsWith(heading)
        ? chalk.bold(heading) + chalk.gray(line.slice(heading.length))
        : chalk.gray(line),
    ),
  )
  sayTo(lines, view)(
    `checked ${formatInZone(new Date(report.checkedAt), timeZone)} ${timeZone}${report.user ? ` · app user ${clean(report.user)}` : ''}`,
    '  ',
    (line) => chalk.gray(line),
  )
  lines.push('', ...chainLines(report, chalk, lineWidth), '')
  return lines
}

/** The app hop's users and their devices, inside the hop table's details cell. */
function userDetails(hop: HopReport, view: View, detailWidth: number): string[] {
  const {chalk, timeZone} = view
  const gray = (line: string) => chalk.gray(line)
  const details: string[] = []
  for (const user of hop.users ?? []) {
    const userLines = wrapText(clean(user.name ? `${user.name} (${user.userId})` : user.userId), detailWidth - 4, '  ')
    details.push(
      [`${paint(chalk, user.status, statusSymbols[user.status])} ${userLines[0]}`, ...userLines.slice(1)].join('\n'),
    )
    for (const device of user.devices)
      details.push(
        wrapText(
          `   ${clean(device.model ?? 'device')} ${clean(device.deviceId)}: refreshed ${device.lastRefreshAt ? formatInZone(new Date(device.lastRefreshAt), timeZone, {seconds: listSeconds(hop.evidence, hop)}) : 'never'}${device.holdsRecord ? '' : ' (before the record was published)'}`,
          detailWidth - 2,
          '     ',
        )
          .map(gray)
          .join('\n'),
      )
  }
  return details
}

function hopTable(report: TraceReport, view: View): string {
  const {chalk, timeZone, width} = view
  // cli-table3 adds one border column per column plus one, and one space of padding each side of a cell.
  const hopWidth = 16
  const statusWidth = 15
  const detailWidth = width - hopWidth - statusWidth - 4
  const rows: string[][] = []
  const gray = (line: string) => chalk.gray(line)
  for (const hop of report.hops) {
    const details = [cellLines(clean(hop.summary, 400), detailWidth)]
    const seconds = listSeconds(hop.evidence, hop)
    for (const evidence of hop.evidence)
      details.push(
        cellLines(`${evidence.label}: ${clean(evidenceValue(evidence, timeZone, seconds))}`, detailWidth, gray),
      )
    for (const note of mappingNotes(hop)) details.push(cellLines(clean(note, 300), detailWidth, gray))
    details.push(...userDetails(hop, view, detailWidth))
    rows.push([cellLines(hopTitle(hop), hopWidth), statusCell(chalk, hop.status), details.join('\n')])
  }
  return renderGrid(
    {colWidths: [hopWidth, statusWidth, detailWidth], head: ['Hop', 'Status', 'Details'], style: view.tableStyle},
    rows,
  )
}

/** `trace price`: per hop the list, row, discount and net price computed. */
function priceTable(report: TraceReport, view: View): string[] {
  const prices = priceLines(report)
  if (!prices) return []
  // Hop, then the list, row, discount and net price, sharing what the table's width leaves (borders: 6).
  const hopWidth = 12
  const rest = Math.max(40, view.width - hopWidth - 6)
  const [list, row, discount] = [Math.floor(rest * 0.3), Math.floor(rest * 0.3), Math.floor(rest * 0.2)]
  const colWidths = [hopWidth, list, row, discount, rest - list - row - discount]
  const rows = prices.lines.map((line) =>
    [line.hop, clean(line.list), clean(line.row), clean(line.discount), clean(line.net)].map((text, index) =>
      cellLines(text, colWidths[index] as number),
    ),
  )
  const table = renderGrid({colWidths, head: ['Hop', 'List', 'Row', 'Discount', 'Net'], style: view.tableStyle}, rows)
  return ['', view.chalk.bold(prices.title), table]
}

/** `trace order`: each line against the customer's price, one wrapped line each. */
function orderLineLines(report: TraceReport, view: View): string[] {
  const section = orderLineRows(report)
  const text = (row: OrderLineRow) =>
    `  ${row.mark} line ${clean(row.line)}: ordered ${row.ordered} · customer's price ${clean(row.customer)} · ${clean(row.outcome, 400)}`
  if (!section) return []
  return [
    '',
    ...wrapText(section.title, view.lineWidth, '').map((line) => view.chalk.bold(line)),
    ...section.rows.flatMap((row) => wrapText(text(row), view.lineWidth, '      ')),
  ]
}

function diffTables(report: TraceReport, view: View): string[] {
  const {chalk, width} = view
  const lines: string[] = []
  for (const hop of report.hops.filter((entry) => entry.diff.length > 0)) {
    lines.push('')
    lines.push(chalk.bold(`Differences ${diffTitle(hop)}`))
    const fieldWidth = Math.min(28, Math.floor((width - 4) / 3))
    const valueWidth = Math.floor((width - 4 - fieldWidth) / 2)
    // The field column takes what the halving leaves, so the table is exactly as wide as the hop table.
    const colWidths = [width - 4 - 2 * valueWidth, valueWidth, valueWidth]
    const head = ['Field', hop.comparedWith ? hopLabel(hop.comparedWith) : 'upstream', hopLabel(hop.hop)]
    const value = (text: string | null) => (text === null ? chalk.gray('(none)') : cellLines(clean(text), valueWidth))
    const rows = hop.diff.map((diff) => [
      cellLines(fieldLabel(diff.field), width - 4 - 2 * valueWidth),
      value(diff.upstream),
      value(diff.downstream),
    ])
    lines.push(renderGrid({colWidths, head, style: view.tableStyle}, rows))
  }
  return lines
}

function verdictLines(report: TraceReport, view: View): string[] {
  const {chalk, lineWidth, timeZone} = view
  const {verdict} = report
  const lines: string[] = ['']
  const say = sayTo(lines, view)
  const mark = verdict.ok ? chalk.green('✔') : verdict.brokenLink ? chalk.red('✘') : chalk.yellow('⚠')
  lines.push(`${chalk.bold('Verdict')}  ${mark} ${chalk.bold(clean(headline(report)))}`)
  say(`  ${clean(verdict.summary, 600)}`, '  ')
  if (verdict.evidence.length > 0) {
    lines.push(chalk.gray('  Evidence:'))
    const seconds = listSeconds(verdict.evidence)
    for (const evidence of verdict.evidence) {
      const label = `${evidence.label}:`
      const [first = '', ...rest] = wrapText(
        `    ${label} ${clean(evidenceValue(evidence, timeZone, seconds))}`,
        lineWidth,
        '      ',
      )
      lines.push(
        first.startsWith(`    ${label}`) ? `    ${chalk.gray(label)}${first.slice(4 + label.length)}` : first,
        ...rest,
      )
    }
  }
  for (const finding of verdict.otherFindings)
    say(`  Also: ${clean(finding, 400)}`, '    ', (line) => chalk.yellow(line))
  return lines
}

function actionLines(report: TraceReport, view: View): string[] {
  const {chalk, lineWidth} = view
  const {action} = report
  const lines: string[] = ['']
  const wrapped = wrapText(`         ${clean(action.description, 600)}`, lineWidth, '  ')
  lines.push(`${chalk.bold('Action')}   ${(wrapped[0] ?? '').slice(9)}`, ...wrapped.slice(1))
  sayTo(lines, view)(
    `  kind ${action.kind} · by ${action.owner}${action.automatable ? ' · synctrace can do it' : ''}`,
    '  ',
    (line) => chalk.gray(line),
  )
  // A long command goes on over lines with the shell's continuation, so it still pastes as one.
  if (action.command)
    lines.push(
      ...wrapText(`$ ${clean(action.command, 400)}`, lineWidth - 4, '    ').map(
        (line, index, all) => `  ${chalk.cyan(`${line}${index < all.length - 1 ? ' \\' : ''}`)}`,
      ),
    )
  return lines
}

/** The terminal view: chain at a glance, hop table, field differences, verdict and action. */
export async function renderTerminal(report: TraceReport, options: TerminalOptions): Promise<string> {
  const width = Math.max(60, Math.min(130, options.width ?? 115))
  const view: View = {
    chalk: options.chalk,
    lineWidth: options.width === null ? Number.POSITIVE_INFINITY : width,
    tableStyle: options.color ? {border: ['gray'], head: ['bold']} : {border: [], head: []},
    timeZone: reportTimeZone(report),
    width,
  }
  return [
    ...headerLines(report, view),
    hopTable(report, view),
    ...priceTable(report, view),
    ...orderLineLines(report, view),
    ...diffTables(report, view),
    ...verdictLines(report, view),
    ...actionLines(report, view),
  ].join('\n')
}
