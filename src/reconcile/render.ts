import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

import {markdownCode, markdownCodeCell, markdownFooter} from '../render/markdown.js'
import {wrapText} from '../render/wrap.js'
import {formatCount} from '../util/numbers.js'
import {escapeMarkdownCell} from '../util/sanitize.js'
import {formatInZone} from '../util/time.js'
import type {ClassSummary, ReconcileClass, ReconcileRecord, ReconcileSummary} from './types.js'

/** The views of a reconcile: the summary table, then the records (terminal and Markdown: the first N per class). */

export type RecordFormat = 'csv' | 'jsonl' | 'markdown' | 'terminal'

/** Every finding of the run, one at a time, from the findings file (never all in memory). */
export async function* readRecords(path: string): AsyncGenerator<ReconcileRecord> {
  const lines = createInterface({crlfDelay: Number.POSITIVE_INFINITY, input: createReadStream(path)})
  for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as ReconcileRecord
}

/** The first `limit` findings of each class, in key order. */
export async function firstPerClass(path: string, limit: number): Promise<Map<ReconcileClass, ReconcileRecord[]>> {
  const first = new Map<ReconcileClass, ReconcileRecord[]>()
  if (limit <= 0) return first
  for await (const record of readRecords(path)) {
    const list = first.get(record.class) ?? []
    if (list.length < limit) list.push(record)
    first.set(record.class, list)
  }
  return first
}

/** How a view shows a run: in the installation's zone, at the terminal's width. */
export interface ReconcileView {
  /** Every time a person reads is shown in it, with its offset (JSON keeps ISO UTC). */
  timeZone: string
  /** Columns of the terminal; null on a pipe (nothing is wrapped). */
  width: number | null
  /** Where --output wrote every record, else null. */
  recordsFile: string | null
}

/** A time of the JSON (ISO UTC) as people read it: "2026-12-06 02:00 (+01:00)". */
export function timeInZone(iso: string | null | undefined, timeZone: string): string | null {
  if (!iso) return null
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : formatInZone(date, timeZone)
}

const pairTitle = (summary: ReconcileSummary) =>
  summary.between
    .replace(',', ' → ')
    .replace('erp', 'ERP')
    .replace('ftp', 'FTP export')
    .replace('cms', 'CMS')
    .replace('app', 'app')
    .replace('webshop', 'webshop')

function headlineOf(summary: ReconcileSummary): string {
  const findings = summary.classes.reduce((sum, entry) => sum + entry.count, 0)
  return `${formatCount(summary.compared)} ${summary.entity} compared, ${formatCount(summary.consistent)} consistent, ${formatCount(findings)} finding${findings === 1 ? '' : 's'}`
}

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length))
const actionCell = (entry: ClassSummary) => `${entry.action.kind} (${entry.action.owner})${entry.fix ? ' · --fix' : ''}`

/** The summary table: class, count, meaning (wrapped to the terminal), action and owner. */
function classTable(classes: ClassSummary[], width: number | null): string[] {
  const classWidth = Math.max(5, ...classes.map((entry) => entry.class.length))
  const countWidth = Math.max(5, ...classes.map((entry) => formatCount(entry.count).length))
  const actionWidth = Math.max(...classes.map((entry) => actionCell(entry).length))
  const longest = Math.max(7, ...classes.map((entry) => entry.meaning.length))
  const room = width === null ? longest : width - classWidth - countWidth - actionWidth - 6
  const meaningWidth = Math.min(longest, Math.max(30, room))
  const row = (klass: string, count: string, meaning: string, action: string) =>
    `${pad(klass, classWidth)}  ${count.padStart(countWidth)}  ${pad(meaning, meaningWidth)}  ${action}`.trimEnd()
  const lines = [row('class', 'count', 'meaning', 'action (owner)')]
  for (const entry of classes) {
    const [first = '', ...rest] = wrapText(entry.meaning, meaningWidth)
    lines.push(row(entry.class, formatCount(entry.count), first, actionCell(entry)))
    for (const line of rest) lines.push(row('', '', line, ''))
  }
  return lines
}

function lastSyncText(summary: ReconcileSummary, timeZone: string): string {
  if (!summary.lastSync) return 'none'
  return `${summary.lastSync.runId} started ${timeInZone(summary.lastSync.startedAt, timeZone) ?? 'at an unknown time'}`
}

/** The terminal view: the headline, the summary table, then the first records of each class. */
export function renderTerminal(
  summary: ReconcileSummary,
  first: Map<ReconcileClass, ReconcileRecord[]>,
  view: ReconcileView,
): string {
  const lines: string[] = []
  lines.push(
    `Reconcile ${summary.entity}: ${pairTitle(summary)} at ${summary.installation ?? summary.profile}${summary.resumed ? ' (resumed)' : ''}`,
  )
  lines.push(headlineOf(summary))
  lines.push(
    `Read ${formatCount(summary.read.upstream)} upstream, ${formatCount(summary.read.downstream)} downstream; last sync ${lastSyncText(summary, view.timeZone)}.`,
  )
  lines.push(`Checked ${timeInZone(summary.finishedAt, view.timeZone)} ${view.timeZone}.`)
  if (summary.classes.length > 0) lines.push('', ...classTable(summary.classes, view.width))
  for (const entry of summary.classes) {
    lines.push('', `${entry.class} (${formatCount(entry.count)}):`, `  Action: ${entry.action.description}`)
    const records = first.get(entry.class) ?? []
    for (const record of records) lines.push(`  ${record.key === '' ? '(no key)' : record.key}: ${record.summary}`)
    if (entry.count > records.length)
      lines.push(
        `  … and ${formatCount(entry.count - records.length)} more${view.recordsFile ? ` (all in ${view.recordsFile})` : ' (--format csv|jsonl, or --output <path>, for all)'}`,
      )
  }
  if (summary.publishedPerUser && Object.keys(summary.publishedPerUser).length > 0) {
    lines.push('')
    lines.push(
      `Published to the app per user: ${Object.entries(summary.publishedPerUser)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([user, count]) => `${user} ${formatCount(count)}`)
        .join(', ')}`,
    )
  }
  return lines.join('\n')
}

const cell = (value: string | null | undefined) => escapeMarkdownCell(value ?? '')

/** The Markdown view for a ticket: the headline, the summary table, the first records of each class, the trace's footer. */
export function renderMarkdownSummary(
  summary: ReconcileSummary,
  first: Map<ReconcileClass, ReconcileRecord[]>,
  view: Pick<ReconcileView, 'timeZone'>,
): string {
  const lines: string[] = []
  const footer = markdownFooter({
    at: summary.finishedAt,
    profile: summary.profile,
    timeZone: view.timeZone,
    version: summary.tool.version,
  })
  lines.push(
    `### synctrace reconcile: ${summary.entity} ${cell(pairTitle(summary))} at ${cell(summary.installation ?? summary.profile)}: ${cell(headlineOf(summary))}`,
  )
  lines.push('')
  lines.push(
    `Last sync: ${summary.lastSync ? `${markdownCode(summary.lastSync.runId)} started ${cell(timeInZone(summary.lastSync.startedAt, view.timeZone) ?? 'unknown')}` : 'none'} · read ${formatCount(summary.read.upstream)} / ${formatCount(summary.read.downstream)}`,
  )
  lines.push('')
  if (summary.classes.length === 0) {
    lines.push('Every record is consistent between the two hops.', '', footer)
    return lines.join('\n')
  }
  lines.push('| Class | Count | Meaning | Action | Owner |')
  lines.push('|---|---:|---|---|---|')
  for (const entry of summary.classes)
    lines.push(
      `| ${cell(entry.class)} | ${formatCount(entry.count)} | ${cell(entry.meaning)} | ${cell(entry.action.description)} | ${cell(entry.action.owner)} |`,
    )
  for (const entry of summary.classes) {
    const records = first.get(entry.class) ?? []
    lines.push('')
    lines.push(
      `**${cell(entry.class)}** (${formatCount(entry.count)}${entry.count > records.length ? `, first ${formatCount(records.length)}` : ''}):`,
    )
    for (const record of records)
      lines.push(`- ${record.key === '' ? '(no key)' : markdownCode(record.key)}: ${cell(record.summary)}`)
  }
  lines.push('', footer)
  return lines.join('\n')
}

export function markdownRecordLine(record: ReconcileRecord): string {
  return `| ${cell(record.class)} | ${record.key === '' ? '' : markdownCodeCell(record.key)} | ${cell(record.summary)} |\n`
}

export const markdownRecordsHeader = '| Class | Key | Finding |\n|---|---|---|\n'
