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

/**
 * Streams a delimited export and stops at the first row whose key column matches. Quoted fields may hold
 * the delimiter, `""` and line breaks; a row that cannot be read (an unbalanced quote, a wrong number of
 * columns) is reported by file and line, and the rest of the file still counts.
 */
export async function findRowInCsv(
  stream: Readable,
  file: string,
  dialect: CsvDialect,
  matches: (fields: Record<string, string>) => boolean,
  /** Text every matching row contains (the key): rows without it are only checked for quote balance, not parsed. */
  hint?: string,
  /** Receives every unreadable row (a full read for `reconcile`), instead of the first few kept in `problems`. */
  onProblem?: (problem: RowProblem) => void,
): Promise<ExportSearch> {
  const lines = await decodedLines(stream, dialect.encoding)
  const problems: RowProblem[] = []
  let header: string[] | null = null
  let rowsRead = 0
  const pending: Array<{line: number; text: string}> = []
  let lineNumber = 0
  const iterator = (lines as AsyncIterable<string>)[Symbol.asyncIterator]()
  let exhausted = false

  const nextLine = async (): Promise<{line: number; text: string} | null> => {
    if (pending.length > 0) return pending.shift() as {line: number; text: string}
    if (exhausted) return null
    const next = await iterator.next()
    if (next.done) {
      exhausted = true
      return null
    }
    lineNumber++
    return {line: lineNumber, text: next.value}
  }

  const parseRecord = (text: string): string[] | string => {
    // Most rows have no quotes at all: split them directly.
    if (!text.includes('"')) return text.split(dialect.delimiter)
    try {
      const records = parse(text, {bom: false, delimiter: dialect.delimiter, relax_column_count: true}) as string[][]
      if (records.length !== 1) return `${records.length} records where one was expected`
      return records[0] as string[]
    } catch (error) {
      return String((error as Error).message).split('\n')[0] ?? 'unreadable'
    }
  }

  const fitsHeader = (fields: string[]) => header !== null && (fields.length === header.length || (fields.length === header.length + 1 && fields[fields.length - 1] === ''))

  try {
    for (;;) {
      const first = await nextLine()
      if (!first) break
      if (first.text.trim() === '') continue
      if (!header) {
        const parsed = parseRecord(first.text)
        if (typeof parsed === 'string') {
          problems.push({file, key: null, line: first.line, message: `the header row cannot be read: ${parsed}`})
          break
        }
        header = parsed.map((name) => name.trim())
        while (header.length > 0 && header[header.length - 1] === '') header.pop()
        continue
      }
      // Join following lines while a quoted field is open, but only accept a join that reads as one row.
      let text = first.text
      const joined: Array<{line: number; text: string}> = []
      let fields: string[] | null = null
      let failure: string | null = null
      for (;;) {
        if (countQuotes(text) % 2 === 0) {
          // A row that cannot be the one searched for is not parsed: a large export is read at disk speed.
          if (hint !== undefined && !text.includes(hint)) break
          const parsed = parseRecord(text)
          if (typeof parsed !== 'string' && fitsHeader(parsed)) {
            fields = parsed
            break
          }
          failure = typeof parsed === 'string' ? parsed : `${parsed.length} columns where the header has ${header.length}`
          if (joined.length === 0) break
        }
        if (joined.length >= maxLinesPerRecord - 1) break
        const more = await nextLine()
        if (!more) break
        joined.push(more)
        text = `${text}\n${more.text}`
      }
      if (!fields && hint !== undefined && countQuotes(text) % 2 === 0 && !text.includes(hint)) {
        rowsRead++
        continue
      }
      if (!fields) {
        // Not a row: report its first line, and read the lines it tried to swallow as rows of their own.
        pending.unshift(...joined)
        const message = countQuotes(first.text) % 2 === 1 ? 'unbalanced quote (")' : (failure ?? 'unreadable')
        const problem = {file, key: rawFirstField(first.text, dialect.delimiter), line: first.line, message}
        if (onProblem) onProblem(problem)
        else if (problems.length < maxProblemsKept) problems.push(problem)
        continue
      }
      rowsRead++
      const record = Object.fromEntries(header.map((name, index) => [name, fields[index] ?? '']))
      if (matches(record)) return {problems, row: {fields: record, file, line: first.line}, rowsRead}
    }
    return {problems, row: null, rowsRead}
  } finally {
    stream.destroy()
  }
}
