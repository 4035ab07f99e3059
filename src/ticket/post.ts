import {createHash} from 'node:crypto'

import {HelpdeskError} from '../connectors/helpdesk/errors.js'
import type {HelpdeskConnector, HelpdeskNote} from '../connectors/helpdesk/types.js'
import type {TraceReport} from '../report/types.js'
import {cleanOutput} from '../util/output.js'
import {escapeMarkdownCell} from '../util/sanitize.js'
import {renderTicketMarkdown, verdictLine} from './render.js'
import type {PostOutcome, TicketReport} from './types.js'

/** What one note is about: a ticket's records (`ticket`) or one trace (`trace customer 10042`). */
export interface NoteToAdd {
  ticket: string
  subject: string
  /** The report as Markdown, without the marker. */
  markdown: string
  /** One line per record: "customer 10042: ERP → CMS: stale (erp-changed-after-sync)". */
  verdicts: string[]
  /** What decides whether two notes say the same: causes, broken links, statuses (never times). */
  fingerprint: string
}

const hash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length)

/**
 * `synctrace:v1:<subject>:<report>`: the first 8 hex digits of sha256(subject) name what the note is about, the
 * next 16 of sha256(subject|fingerprint) what it says. An equal marker is the same report. The ticket's id is
 * not in it: the notes compared are that ticket's own, and the same ticket can be named two ways (Jira's issue
 * key SUP-4711 or its numeric id), which must not post the same report twice.
 */
export function noteMarker(note: Pick<NoteToAdd, 'subject' | 'fingerprint'>): string {
  const about = note.subject
  return `synctrace:v1:${hash(about, 8)}:${hash(`${about}|${note.fingerprint}`, 16)}`
}

/** A trace's verdict as the marker compares it: entity, key, cause, broken link and every hop's status. */
export function traceFingerprint(report: TraceReport): string {
  const link = report.verdict.brokenLink
    ? `${report.verdict.brokenLink.from ?? '-'}>${report.verdict.brokenLink.to}`
    : ''
  const statuses = report.hops.map((hop) => `${hop.hop}=${hop.status}`).join(',')
  return `${report.entity}|${report.key}|${report.verdict.cause}|${link}|${statuses}`
}

const verdictsLabel = 'Verdicts: '

/** The verdict lines a previous note of synctrace's holds (its "Verdicts:" line, as the helpdesk gives its text back). */
function verdictsIn(text: string): string[] {
  const line = text.split('\n').find((entry) => entry.trim().startsWith(verdictsLabel))
  return line ? line.trim().slice(verdictsLabel.length).split('; ').filter(Boolean) : []
}

/** The record a verdict line is about ("customer 10042"). */
const recordOf = (line: string) => line.split(': ')[0] ?? line

/** What changed between the previous note's verdicts and these: "before → after" per record, new and gone ones. */
export function verdictChanges(before: readonly string[], after: readonly string[]): string[] {
  const previous = new Map(before.map((line) => [recordOf(line), line]))
  const changes: string[] = []
  for (const line of after) {
    const was = previous.get(recordOf(line))
    if (was === undefined) changes.push(`${line} (new)`)
    else if (was !== line) changes.push(`${was} → ${line.slice(recordOf(line).length + 2)}`)
    previous.delete(recordOf(line))
  }
  for (const line of previous.values()) changes.push(`${line} (no longer named)`)
  return changes
}

/** The note as posted: what changed since synctrace's previous note (if any), the report, its verdicts line. */
function noteMarkdown(note: NoteToAdd, changes: string[], report = note.markdown): string {
  const changed =
    changes.length > 0
      ? `**Changed since synctrace's previous note:**\n\n${changes.map((line) => `- ${escapeMarkdownCell(line)}`).join('\n')}\n\n`
      : ''
  const verdicts = `${verdictsLabel}${note.verdicts.map(escapeMarkdownCell).join('; ')}`
  // Through the output boundary as everything synctrace prints: no secret, no control character.
  return cleanOutput(`${changed}${report}\n\n${verdicts}\n`, {format: 'markdown'})
}

/** The report's first `count` lines, a code block it cuts closed, and where the whole report is. */
function shortenedReport(lines: readonly string[], count: number, command: string): string {
  const kept = lines.slice(0, count)
  const fences = kept.filter((line) => /^ {0,3}(```|~~~)/.test(line)).length
  return [
    ...kept,
    ...(fences % 2 === 1 ? ['```'] : []),
    '',
    `*Report shortened: run \`${command}\` for the whole report.*`,
  ].join('\n')
}

/**
 * The note as posted, within the helpdesk's limit on a comment's size (Jira's): whole when it fits; else the
 * most lines of the report that fit, then a line naming the command that prints the whole report. What changed,
 * the verdicts line and the marker are always kept (the next run compares them).
 */
export async function fittedNote(
  connector: Pick<HelpdeskConnector, 'fitsNote'>,
  note: NoteToAdd,
  changes: string[],
  marker: string,
): Promise<string> {
  const whole = noteMarkdown(note, changes)
  const fits = async (markdown: string) => (await connector.fitsNote?.({markdown, marker})) ?? true
  if (await fits(whole)) return whole
  const command = note.subject === 'ticket' ? `synctrace ticket ${note.ticket}` : `synctrace ${note.subject}`
  const lines = note.markdown.split('\n')
  const withLines = (count: number) => noteMarkdown(note, changes, shortenedReport(lines, count, command))
  // The most lines that fit, by halving: each try converts the note once.
  let [low, high] = [0, lines.length - 1]
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (await fits(withLines(middle))) low = middle
    else high = middle - 1
  }
  return withLines(low)
}

/** synctrace's notes on this subject, oldest first: internal ones only (a requester can write any marker). */
function ownNotes(notes: readonly HelpdeskNote[], marker: string): HelpdeskNote[] {
  const about = marker.split(':').slice(0, 3).join(':')
  return notes
    .filter((note) => note.internal && note.markers.some((entry) => entry.startsWith(`${about}:`)))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

/**
 * Adds the report to the ticket as one internal note, once: the ticket's notes are read first, and a note
 * with the same marker means it is already there. A changed report is a new note that says what changed. A
 * note whose answer was lost is never sent again: the notes are read again to see whether it arrived.
 */
export async function postOnce(connector: HelpdeskConnector, note: NoteToAdd): Promise<PostOutcome> {
  const marker = noteMarker(note)
  const ours = ownNotes(await connector.listNotes(note.ticket), marker)
  const base = {marker, ticket: note.ticket}
  const same = ours.find((entry) => entry.markers.includes(marker))
  if (same) return {...base, changes: [], noteId: same.id, status: 'already-on-ticket'}
  const previous = ours.at(-1)
  const changes = previous ? verdictChanges(verdictsIn(previous.text), note.verdicts) : []
  try {
    const markdown = await fittedNote(connector, note, changes, marker)
    const posted = await connector.postInternalNote(note.ticket, {markdown, marker})
    return {...base, changes, noteId: posted.noteId || null, status: 'posted'}
  } catch (error) {
    if (!(error instanceof HelpdeskError) || error.reason !== 'unreachable') throw error
    const arrived = (await connector.listNotes(note.ticket)).find((entry) => entry.markers.includes(marker))
    return {...base, changes, noteId: arrived?.id ?? null, status: arrived ? 'posted' : 'unconfirmed'}
  }
}

/**
 * The note of `synctrace ticket --post`: the ticket's report; its fingerprint the records' verdicts, the ones
 * not traced and the codes rejected (so a ticket looked at with nothing found is noted once, too).
 */
export function ticketNote(report: TicketReport): NoteToAdd {
  const traced = report.records.map((record) =>
    record.report ? traceFingerprint(record.report) : `${record.entity}|${record.key}|not traced`,
  )
  const rest = [
    ...report.notTraced.map((entry) => `listed|${entry.entity}|${entry.key}`),
    ...report.rejected.map((entry) => `rejected|${entry.candidate}|${entry.unchecked ? 'unchecked' : 'no record'}`),
  ]
  const verdicts = report.records.map((record) => verdictLine(record.entity, record.key, record.report, record.error))
  return {
    fingerprint: [...traced, ...rest].join('\n'),
    markdown: renderTicketMarkdown(report),
    subject: 'ticket',
    ticket: report.ticket.id,
    verdicts: verdicts.length > 0 ? verdicts : ['no record named'],
  }
}
