import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

import {markdownCode, markdownCodeCell} from '../render/markdown.js'
import {escapeMarkdownCell} from '../util/sanitize.js'
import {formatInZone, isoInZone} from '../util/time.js'
import type {ReconcileClass, ReconcileRecord, ReconcileSummary} from './types.js'

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
  return `${summary.compared} ${summary.entity} compared, ${summary.consistent} consistent, ${findings} finding${findings === 1 ? '' : 's'}`
}

/** A summary's time as every view shows it (`formatInZone`); an unreadable one as it is. */
function timeIn(iso: string, timeZone: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : formatInZone(date, timeZone)
}

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length))

export function renderTerminal(
  summary: ReconcileSummary,
  first: Map<ReconcileClass, ReconcileRecord[]>,
  recordsFile: string | null,
  timeZone: string,
): string {
  const lines: string[] = []
  lines.push(
    `Reconcile ${summary.entity}: ${pairTitle(summary)} at ${summary.installation ?? summary.profile}${summary.resumed ? ' (resumed)' : ''}`,
  )
  lines.push(headlineOf(summary))
  lines.push(
    `Read ${summary.read.upstream} upstream, ${summary.read.downstream} downstream; last sync ${summary.lastSync ? `${summary.lastSync.runId} started ${summary.lastSync.startedAt ? `${timeIn(summary.lastSync.startedAt, timeZone)} ${timeZone}` : 'at an unknown time'}` : 'none'}.`,
  )
  if (summary.classes.length > 0) {
    const width = Math.max(5, ...summary.classes.map((entry) => entry.class.length))
    lines.push('')
    lines.push(`${pad('class', width)}  ${pad('count', 7)}  action (owner)`)
    for (const entry of summary.classes)
      lines.push(
        `${pad(entry.class, width)}  ${pad(String(entry.count), 7)}  ${entry.action.kind} (${entry.action.owner})${entry.fix ? ' · --fix' : ''}`,
      )
    for (const entry of summary.classes) {
      lines.push('')
      lines.push(`${entry.class} (${entry.count}): ${entry.meaning}.`)
      lines.push(`  Action: ${entry.action.description}`)
      const records = first.get(entry.class) ?? []
      for (const record of records) lines.push(`  ${record.key === '' ? '(no key)' : record.key}: ${record.summary}`)
      if (entry.count > records.length)
        lines.push(
          `  … and ${entry.count - records.length} more${recordsFile ? ` (all in ${recordsFile})` : ' (--format csv|jsonl, or --output <path>, for all)'}`,
        )
    }
  }
  if (summary.publishedPerUser && Object.keys(summary.publishedPerUser).length > 0) {
    lines.push('')
    lines.push(
      `Published to the app per user: ${Object.entries(summary.publishedPerUser)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([user, count]) => `${user} ${count}`)
        .join(', ')}`,
    )
  }
  return lines.join('\n')
}

const cell = (value: string | null | undefined) => escapeMarkdownCell(value ?? '')

export function renderMarkdownSummary(
  summary: ReconcileSummary,
  first: Map<ReconcileClass, ReconcileRecord[]>,
  timeZone: string,
): string {
  const lines: string[] = []
  lines.push(
    `### synctrace reconcile: ${summary.entity} ${cell(pairTitle(summary))} at ${cell(summary.installation ?? summary.profile)}: ${cell(headlineOf(summary))}`,
  )
  lines.push('')
  lines.push(
    `Last sync: ${summary.lastSync ? `${markdownCode(summary.lastSync.runId)} started ${cell(summary.lastSync.startedAt ? timeIn(summary.lastSync.startedAt, timeZone) : 'unknown')}` : 'none'} · read ${summary.read.upstream} / ${summary.read.downstream} · checked ${cell(timeIn(summary.finishedAt, timeZone))} ${cell(timeZone)}`,
  )
  lines.push('')
  if (summary.classes.length === 0) {
    lines.push('Every record is consistent between the two hops.')
    return lines.join('\n')
  }
  lines.push('| Class | Count | Meaning | Action | Owner |')
  lines.push('|---|---:|---|---|---|')
  for (const entry of summary.classes)
    lines.push(
      `| ${cell(entry.class)} | ${entry.count} | ${cell(entry.meaning)} | ${cell(entry.action.description)} | ${cell(entry.action.owner)} |`,
    )
  for (const entry of summary.classes) {
    const records = first.get(entry.class) ?? []
    lines.push('')
    lines.push(
      `**${cell(entry.class)}** (${entry.count}${entry.count > records.length ? `, first ${records.length}` : ''}):`,
    )
    for (const record of records)
      lines.push(`- ${record.key === '' ? '(no key)' : markdownCode(record.key)}: ${cell(record.summary)}`)
  }
  return lines.join('\n')
}

const csvColumns = [
  'class',
  'key',
  'cause',
  'summary',
  'fields',
  'upstreamModifiedAt',
  'lastSyncStartedAt',
  'cmsSyncedAt',
  'publishedAt',
  'users',
  'side',
  'error',
  'file',
  'line',
] as const

function csvValue(value: string): string {
  // A cell a spreadsheet would run as a formula is prefixed with a quote (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function csvHeader(): string {
  return `${csvColumns.join(',')}\n`
}

/**
 * One record as a CSV line. Its times are ISO 8601 in the installation's zone with that zone's offset
 * ("2026-12-06T02:00:00+01:00"): the wall clock a person reads in the other views, and still one instant
 * a spreadsheet or a script reads without knowing the zone.
 */
export function csvLine(record: ReconcileRecord, timeZone: string): string {
  const at = (iso: string | null | undefined) => (iso ? isoInZone(iso, timeZone) : '')
  const values: Record<(typeof csvColumns)[number], string> = {
    cause: record.cause ?? '',
    class: record.class,
    cmsSyncedAt: at(record.times.cmsSyncedAt),
    error: record.error ?? '',
    fields: record.diff.map((entry) => entry.field).join(' '),
    file: record.file ?? '',
    key: record.key,
    lastSyncStartedAt: at(record.times.lastSyncStartedAt),
    line: record.line === undefined ? '' : String(record.line),
    publishedAt: at(record.times.publishedAt),
    side: record.side ?? '',
    summary: record.summary,
    upstreamModifiedAt: at(record.times.upstreamModifiedAt),
    users: (record.users ?? []).join(' '),
  }
  return `${csvColumns.map((column) => csvValue(values[column])).join(',')}\n`
}

export function markdownRecordLine(record: ReconcileRecord): string {
  return `| ${cell(record.class)} | ${record.key === '' ? '' : markdownCodeCell(record.key)} | ${cell(record.summary)} |\n`
}

export const markdownRecordsHeader = '| Class | Key | Finding |\n|---|---|---|\n'
