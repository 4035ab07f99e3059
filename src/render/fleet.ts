import type {FleetEntry, FleetResult} from '../doctor/fleet.js'
import {ownerLabel} from '../doctor/advice.js'

const statusWords: Record<FleetEntry['status'], string> = {
  healthy: 'healthy',
  'not-checked': 'not checked',
  problems: 'problems',
}

/** One line's cells: installation, status, worst problem (with how many more), owner, action. */
function cells(entry: FleetEntry): [string, string, string, string, string] {
  const worst = entry.problems[0]
  const more = entry.problems.length > 1 ? ` (+${entry.problems.length - 1} more)` : ''
  return [
    entry.installation && entry.installation !== entry.profile
      ? `${entry.profile} (${entry.installation})`
      : entry.profile,
    statusWords[entry.status],
    worst ? `${worst.summary}${more}` : '',
    worst ? ownerLabel(worst.owner) : '',
    worst ? `${worst.action}${worst.command ? ` \`${worst.command}\`` : ''}` : '',
  ]
}

function headline(result: FleetResult): string {
  const count = (status: FleetEntry['status']) => result.entries.filter((entry) => entry.status === status).length
  return `${result.entries.length} installations checked: ${count('not-checked')} not checked, ${count('problems')} with problems, ${count('healthy')} healthy`
}

const healthyLine = (result: FleetResult) => {
  const healthy = result.entries.filter((entry) => entry.status === 'healthy').length
  return healthy > 0 ? `${healthy} healthy installation${healthy === 1 ? '' : 's'}` : ''
}

/** The fleet view on a terminal: one line per installation with a problem, worst first, then the healthy count. */
export function renderFleetTerminal(result: FleetResult): string {
  const lines = [headline(result), '']
  for (const entry of result.entries.filter((item) => item.status !== 'healthy')) {
    const [name, status, problem, owner, action] = cells(entry)
    lines.push(`${status === 'not checked' ? '✖' : '!'} ${name}: ${problem}`, `    ${owner}: ${action}`)
  }
  const healthy = healthyLine(result)
  if (healthy) lines.push(`✔ ${healthy}`)
  return lines.join('\n')
}

const markdownCell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The fleet view as a Markdown table (a ticket, a wiki page). */
export function renderFleetMarkdown(result: FleetResult): string {
  const lines = [
    '# Fleet health',
    '',
    headline(result),
    '',
    '| Installation | Status | Worst problem | Owner | Action |',
    '|---|---|---|---|---|',
  ]
  for (const entry of result.entries.filter((item) => item.status !== 'healthy'))
    lines.push(`| ${cells(entry).map(markdownCell).join(' | ')} |`)
  const healthy = healthyLine(result)
  if (healthy) lines.push('', `${healthy}.`)
  return lines.join('\n')
}

const csvField = (text: string) => {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The fleet view as CSV: one row per installation, the healthy ones too (a spreadsheet sorts its own). */
export function renderFleetCsv(result: FleetResult): string {
  const header = [
    'profile',
    'installation',
    'status',
    'kind',
    'severity',
    'since',
    'problem',
    'owner',
    'action',
    'command',
    'problems',
  ]
  const rows = result.entries.map((entry) => {
    const worst = entry.problems[0]
    return [
      entry.profile,
      entry.installation ?? '',
      entry.status,
      worst?.kind ?? '',
      worst?.severity ?? '',
      worst?.since ?? '',
      worst?.summary ?? '',
      worst?.owner ?? '',
      worst?.action ?? '',
      worst?.command ?? '',
      String(entry.problems.length),
    ]
  })
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')
}
