import {createInterface} from 'node:readline'
import type {Readable} from 'node:stream'

import {parse} from 'csv-parse/sync'

/** One readable row of an export file, with the line it starts on. */
export interface ExportRow {
  file: string
  line: number
  fields: Record<string, string>
}

/** A row that could not be read; `key` is what its first field seems to be, to tell whose row it was. */
export interface RowProblem {
  file: string
  line: number
  message: string
  key: string | null
}

export interface ExportSearch {
  row: ExportRow | null
  /** Rows that could not be read (up to the match, or in the whole file when there was none). */
  problems: RowProblem[]
  rowsRead: number
}

export interface CsvDialect {
  delimiter: string
  encoding: string
}

/** How many physical lines one record may span through quoted line breaks before it counts as broken. */
const maxLinesPerRecord = 10
const maxProblemsKept = 50

function countQuotes(text: string): number {
  let count = 0
  for (const char of text) if (char === '"') count++
  return count
}

function rawFirstField(line: string, delimiter: string): string | null {
  const first = line.split(delimiter)[0]
  if (first === undefined) return null
  const key = first.replace(/"/g, '').trim()
  return key === '' ? null : key
}

export async function decodedLines(stream: Readable, encoding: string): Promise<AsyncIterable<string>> {
  const iconv = await import('iconv-lite')
  // iconv-lite drops a UTF-8 BOM; windows-1252 has none.
  const decoded = stream.pipe(iconv.decodeStream(encoding)) as unknown as Readable
  stream.on('error', (error) => decoded.destroy(error))
  const lines = createInterface({crlfDelay: Number.POSITIVE_INFINITY, input: decoded})
  // A reader that stopped early (one line was enough) has no one listening any more: a late error of the
  // transfer must not become an unhandled 'error' event. A reader still iterating gets it as a rejection.
  lines.on('error', () => undefined)
  return lines
}

interface Line {
  line: number
  text: string
}

/** The decoded lines with their numbers; lines a broken record tried to swallow can be put back to be read again. */
class LineReader {
  private readonly iterator: AsyncIterator<string>
  private readonly pending: Line[] = []
  private lineNumber = 0
  private exhausted = false

  constructor(lines: AsyncIterable<string>) {
    this.iterator = lines[Symbol.asyncIterator]()
  }

  async next(): Promise<Line | null> {
    if (this.pending.length > 0) return this.pending.shift() as Line
    if (this.exhausted) return null
    const next = await this.iterator.next()
    if (next.done) {
      this.exhausted = true
      return null
    }
    this.lineNumber++
    return {line: this.lineNumber, text: next.value}
  }

  putBack(lines: Line[]): void {
    this.pending.unshift(...lines)
  }
}

/** The fields of one record, or why it cannot be read. */
function parseRecord(text: string, delimiter: string): string[] | string {
  // Most rows have no quotes at all: split them directly.
  if (!text.includes('"')) return text.split(delimiter)
  try {
    const records = parse(text, {bom: false, delimiter, relax_column_count: true}) as string[][]
    if (records.length !== 1) return `${records.length} records where one was expected`
    return records[0] as string[]
  } catch (error) {
    return String((error as Error).message).split('\n')[0] ?? 'unreadable'
  }
}

/** The header's column names (trailing empty ones dropped), or why the header cannot be read. */
async function readHeader(
  lines: LineReader,
  delimiter: string,
): Promise<{columns: string[]} | {line: number; message: string} | null> {
  for (let first = await lines.next(); first; first = await lines.next()) {
    if (first.text.trim() === '') continue
    const parsed = parseRecord(first.text, delimiter)
    if (typeof parsed === 'string') return {line: first.line, message: `the header row cannot be read: ${parsed}`}
    const columns = parsed.map((name) => name.trim())
    while (columns.length > 0 && columns[columns.length - 1] === '') columns.pop()
    return {columns}
  }
  return null
}

/** As many fields as the header has columns; one empty field more is a trailing delimiter. */
const fitsHeader = (fields: string[], header: string[]) =>
  fields.length === header.length || (fields.length === header.length + 1 && fields[fields.length - 1] === '')

type RecordRead = {kind: 'row'; fields: string[]} | {kind: 'skipped'} | {kind: 'broken'; message: string}

/**
 * The record that starts on `first`: following lines are joined while a quoted field is open, but a join
 * is only accepted when it reads as one row. A row that cannot be the one searched for (it lacks `hint`)
 * is skipped unparsed; a broken record puts back the lines it tried to swallow, to be read as rows of their own.
 */
async function readRecord(
  first: Line,
  lines: LineReader,
  header: string[],
  delimiter: string,
  hint: string | undefined,
): Promise<RecordRead> {
  let text = first.text
  const joined: Line[] = []
  let failure: string | null = null
  for (;;) {
    if (countQuotes(text) % 2 === 0) {
      // A row that cannot be the one searched for is not parsed: a large export is read at disk speed.
      if (hint !== undefined && !text.includes(hint)) return {kind: 'skipped'}
      const parsed = parseRecord(text, delimiter)
      if (typeof parsed !== 'string' && fitsHeader(parsed, header)) return {fields: parsed, kind: 'row'}
      failure = typeof parsed === 'string' ? parsed : `${parsed.length} columns where the header has ${header.length}`
      if (joined.length === 0) break
    }
    if (joined.length >= maxLinesPerRecord - 1) break
    const more = await lines.next()
    if (!more) break
    joined.push(more)
    text = `${text}\n${more.text}`
  }
  lines.putBack(joined)
  return {
    kind: 'broken',
    message: countQuotes(first.text) % 2 === 1 ? 'unbalanced quote (")' : (failure ?? 'unreadable'),
  }
}

/**
 * Streams a delimited export and stops at the first row whose key column matches. Quoted fields may hold
 * the delimiter, `""` and line breaks; a row that cannot be read (an unbalanced quote, a wrong number of
 * columns) is reported by file and line, and the rest of the file still counts.
 */
export async function findRowInCsv(
  stream: Readable,
  file: string,
  dialect: CsvDialect,
  /** May be async: the file is read on only when it resolves (a listing's consumer sets the pace). */
  matches: (fields: Record<string, string>, line: number) => boolean | Promise<boolean>,
  /** Text every matching row contains (the key): rows without it are only checked for quote balance, not parsed. */
  hint?: string,
  /** Receives every unreadable row (a full read for `reconcile`), instead of the first few kept in `problems`. */
  onProblem?: (problem: RowProblem) => void,
): Promise<ExportSearch> {
  const lines = new LineReader(await decodedLines(stream, dialect.encoding))
  const problems: RowProblem[] = []
  let rowsRead = 0
  try {
    const header = await readHeader(lines, dialect.delimiter)
    if (!header || !('columns' in header)) {
      if (header) problems.push({file, key: null, line: header.line, message: header.message})
      return {problems, row: null, rowsRead}
    }
    const {columns} = header
    for (let first = await lines.next(); first; first = await lines.next()) {
      if (first.text.trim() === '') continue
      const record = await readRecord(first, lines, columns, dialect.delimiter, hint)
      if (record.kind === 'broken') {
        const problem = {
          file,
          key: rawFirstField(first.text, dialect.delimiter),
          line: first.line,
          message: record.message,
        }
        if (onProblem) onProblem(problem)
        else if (problems.length < maxProblemsKept) problems.push(problem)
        continue
      }
      rowsRead++
      if (record.kind === 'skipped') continue
      const fields = Object.fromEntries(columns.map((name, index) => [name, record.fields[index] ?? '']))
      if (await matches(fields, first.line)) return {problems, row: {fields, file, line: first.line}, rowsRead}
    }
    return {problems, row: null, rowsRead}
  } finally {
    stream.destroy()
  }
}
