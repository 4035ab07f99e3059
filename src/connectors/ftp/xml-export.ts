import type {Readable} from 'node:stream'

import type {ExportSearch, RowProblem} from './csv-export.js'

interface XmlExportOptions {
  encoding: string
  element: string
  rename: Readonly<Record<string, string>>
  keyColumn?: string
  /** A row may hold a leaf child of its own name (`<Price>…<Price>119.00</Price></Price>`, the contract's price rows). */
  leafOfSameName?: boolean
}

/** Memory stays bounded by one element: a longer one is reported, and the rest of the file is not read. */
const maxElementChars = 1_000_000

const newlines = (text: string) => text.match(/\n/g)?.length ?? 0

/** The key of a broken element, by any element name that maps to the key column. */
function keyFinder(options: XmlExportOptions): (block: string) => string | null {
  const keyColumns = new Set(options.keyColumn ? [options.keyColumn] : ['CustomerCode', 'itemcode'])
  const keyElements = [
    ...keyColumns,
    ...Object.entries(options.rename)
      .filter(([, column]) => keyColumns.has(column))
      .map(([name]) => name),
  ]
  return (block) => {
    for (const name of keyElements) {
      const found = new RegExp(`<${name}>([^<]*)</${name}>`).exec(block)?.[1]?.trim()
      if (found) return found
    }
    return null
  }
}

type Cut = {kind: 'element' | 'unclosed'; block: string; line: number}

/** The decoded text not read yet, cut into elements as they complete, with the line each starts on. */
class ElementCutter {
  private buffer = ''
  private lineOfBuffer = 1

  constructor(
    private readonly open: string,
    private readonly close: string,
    private readonly leafOfSameName = false,
  ) {}

  /** Does the open tag at `at` start a row (its next text is a child element), not a leaf? Null: not known yet. */
  private opensRow(at: number): boolean | null {
    if (!this.leafOfSameName) return true
    let index = at + this.open.length
    while (index < this.buffer.length && /\s/.test(this.buffer[index] as string)) index++
    if (index + 1 >= this.buffer.length) return null
    return this.buffer[index] === '<' && this.buffer[index + 1] !== '/'
  }

  /** The first open tag from `from` that starts a row (-1: none; null: not known yet). */
  private rowOpen(from: number): number | null {
    for (let at = this.buffer.indexOf(this.open, from); at !== -1; at = this.buffer.indexOf(this.open, at + 1)) {
      const row = this.opensRow(at)
      if (row !== false) return row === null ? null : at
    }
    return -1
  }

  /** Where the row opened at `start` ends: its close, or the next row's open (unclosed); null until more text comes. */
  private rowEnd(start: number): {end: number; kind: Cut['kind']} | null {
    const {close, open} = this
    let from = start + open.length
    for (;;) {
      const nextClose = this.buffer.indexOf(close, from)
      const nextOpen = this.buffer.indexOf(open, from)
      if (nextOpen !== -1 && (nextClose === -1 || nextOpen < nextClose)) {
        const row = this.opensRow(nextOpen)
        if (row === null) return null
        if (row) return {end: nextOpen, kind: 'unclosed'}
        const leafClose = this.buffer.indexOf(close, nextOpen)
        if (leafClose === -1) return null
        from = leafClose + close.length
        continue
      }
      return nextClose === -1 ? null : {end: nextClose + close.length, kind: 'element'}
    }
  }

  get line(): number {
    return this.lineOfBuffer
  }

  append(chunk: string): void {
    this.buffer += chunk
  }

  /** The next complete element, or one that never closes (it ends where the next one starts); null until more text comes. */
  next(): Cut | null {
    const start = this.rowOpen(0)
    if (start === null || start === -1) return null
    // An element that never closes ends where the next one starts: it alone is broken, not the one after it.
    const end = this.rowEnd(start)
    return end === null ? null : this.take(start, end.end, end.kind)
  }

  private take(start: number, end: number, kind: Cut['kind']): Cut {
    const line = this.lineOfBuffer + newlines(this.buffer.slice(0, start))
    const block = this.buffer.slice(start, end)
    this.lineOfBuffer = line + newlines(block)
    this.buffer = this.buffer.slice(end)
    return {block, kind, line}
  }

  /** Keeps only what may still start an element; false when that has grown beyond one element's bound. */
  dropRead(): boolean {
    const partial = this.buffer.indexOf(this.open)
    const keepFrom = partial !== -1 ? partial : this.buffer.lastIndexOf('<')
    if (keepFrom > 0) {
      this.lineOfBuffer += newlines(this.buffer.slice(0, keepFrom))
      this.buffer = this.buffer.slice(keepFrom)
    }
    return this.buffer.length <= maxElementChars
  }

  /** An element still open at the end of the file. */
  unclosed(): Omit<Cut, 'kind'> | null {
    const start = this.buffer.indexOf(this.open)
    return start === -1
      ? null
      : {block: this.buffer.slice(start), line: this.lineOfBuffer + newlines(this.buffer.slice(0, start))}
  }
}

/**
 * Streams an XML export (`<Customers><Customer>…</Customer>…`) in its encoding, parsing one element at a
 * time, and stops at the match. Element names are mapped to the CSV layout's column names by `rename`.
 */
export async function findElementInXml(
  stream: Readable,
  file: string,
  options: XmlExportOptions,
  matches: (fields: Record<string, string>, line: number) => boolean | Promise<boolean>,
): Promise<ExportSearch> {
  const iconv = await import('iconv-lite')
  const {XMLParser, XMLValidator} = await import('fast-xml-parser')
  const parser = new XMLParser({ignoreAttributes: true, parseTagValue: false, processEntities: true, trimValues: true})
  const decoded = stream.pipe(iconv.decodeStream(options.encoding)) as unknown as Readable
  stream.on('error', (error) => decoded.destroy(error))
  const close = `</${options.element}>`
  const cutter = new ElementCutter(`<${options.element}>`, close, options.leafOfSameName)
  const keyOf = keyFinder(options)
  const problems: RowProblem[] = []
  let rowsRead = 0
  try {
    for await (const chunk of decoded) {
      cutter.append(chunk as string)
      for (let cut = cutter.next(); cut; cut = cutter.next()) {
        const {block, line} = cut
        if (cut.kind === 'unclosed') {
          problems.push({file, key: keyOf(block), line, message: `<${options.element}> without ${close}`})
          continue
        }
        const valid = XMLValidator.validate(block)
        if (valid !== true) {
          problems.push({file, key: keyOf(block), line: line + (valid.err.line - 1), message: valid.err.msg})
          continue
        }
        const element = (parser.parse(block) as Record<string, Record<string, unknown>>)[options.element] ?? {}
        const fields = Object.fromEntries(
          Object.entries(element).map(([name, value]) => [
            options.rename[name] ?? name,
            value === undefined || value === null ? '' : String(value),
          ]),
        )
        rowsRead++
        if (await matches(fields, line)) return {problems, row: {fields, file, line}, rowsRead}
      }
      if (!cutter.dropRead()) {
        problems.push({file, key: null, line: cutter.line, message: `an element longer than 1 MB without ${close}`})
        break
      }
    }
    const unclosed = cutter.unclosed()
    if (unclosed)
      problems.push({
        file,
        key: keyOf(unclosed.block),
        line: unclosed.line,
        message: `<${options.element}> without ${close} at the end of the file`,
      })
    return {problems, row: null, rowsRead}
  } finally {
    stream.destroy()
  }
}
