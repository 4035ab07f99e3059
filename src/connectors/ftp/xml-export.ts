import type {Readable} from 'node:stream'

import type {ExportSearch, RowProblem} from './csv-export.js'

/**
 * Streams an XML export (`<Customers><Customer>…</Customer>…`) in its encoding, parsing one element at a
 * time, and stops at the match. Element names are mapped to the CSV layout's column names by `rename`.
 */
export async function findElementInXml(
  stream: Readable,
  file: string,
  options: {encoding: string; element: string; rename: Readonly<Record<string, string>>; keyColumn?: string},
  matches: (fields: Record<string, string>) => boolean,
): Promise<ExportSearch> {
  const iconv = await import('iconv-lite')
  const {XMLParser, XMLValidator} = await import('fast-xml-parser')
  const parser = new XMLParser({ignoreAttributes: true, parseTagValue: false, processEntities: true, trimValues: true})
  const decoded = stream.pipe(iconv.decodeStream(options.encoding)) as unknown as Readable
  stream.on('error', (error) => decoded.destroy(error))
  const open = `<${options.element}>`
  const close = `</${options.element}>`
  const problems: RowProblem[] = []
  // The key of a broken element, by any element name that maps to the key column.
  const keyColumns = new Set(options.keyColumn ? [options.keyColumn] : ['CustomerCode', 'itemcode'])
  const keyElements = [
    ...keyColumns,
    ...Object.entries(options.rename)
      .filter(([, column]) => keyColumns.has(column))
      .map(([name]) => name),
  ]
  const keyOf = (block: string) => {
    for (const name of keyElements) {
      const found = new RegExp(`<${name}>([^<]*)</${name}>`).exec(block)?.[1]?.trim()
      if (found) return found
    }
    return null
  }
  const newlines = (text: string) => text.match(/\n/g)?.length ?? 0
  let buffer = ''
  let lineOfBuffer = 1
  let rowsRead = 0
  try {
    for await (const chunk of decoded) {
      buffer += chunk as string
      for (;;) {
        const start = buffer.indexOf(open)
        const end = start === -1 ? -1 : buffer.indexOf(close, start)
        const nextOpen = start === -1 ? -1 : buffer.indexOf(open, start + open.length)
        // An element that never closes ends where the next one starts: it alone is broken, not the one after it.
        if (start !== -1 && nextOpen !== -1 && (end === -1 || nextOpen < end)) {
          const line = lineOfBuffer + newlines(buffer.slice(0, start))
          const broken = buffer.slice(start, nextOpen)
          problems.push({file, key: keyOf(broken), line, message: `<${options.element}> without ${close}`})
          lineOfBuffer = line + newlines(broken)
          buffer = buffer.slice(nextOpen)
          continue
        }
        if (start === -1 || end === -1) break
        const line = lineOfBuffer + newlines(buffer.slice(0, start))
        const block = buffer.slice(start, end + close.length)
        lineOfBuffer = line + (block.match(/\n/g)?.length ?? 0)
        buffer = buffer.slice(end + close.length)
        const valid = XMLValidator.validate(block)
        if (valid !== true) {
          problems.push({file, key: keyOf(block), line: line + (valid.err.line - 1), message: valid.err.msg})
          continue
        }
        const parsed = parser.parse(block) as Record<string, Record<string, unknown>>
        const element = parsed[options.element] ?? {}
        const fields = Object.fromEntries(
          Object.entries(element).map(([name, value]) => [options.rename[name] ?? name, value === undefined || value === null ? '' : String(value)]),
        )
        rowsRead++
        if (matches(fields)) return {problems, row: {fields, file, line}, rowsRead}
      }
      // Keep only what may still start an element, so memory stays bounded by one element.
      const partial = buffer.indexOf(open)
      const keepFrom = partial !== -1 ? partial : buffer.lastIndexOf('<')
      if (keepFrom > 0) {
        lineOfBuffer += buffer.slice(0, keepFrom).match(/\n/g)?.length ?? 0
        buffer = buffer.slice(keepFrom)
      }
      if (buffer.length > 1_000_000) {
        problems.push({file, key: null, line: lineOfBuffer, message: `an element longer than 1 MB without ${close}`})
        break
      }
    }
    const unclosed = buffer.indexOf(open)
    if (unclosed !== -1)
      problems.push({
        file,
        key: keyOf(buffer.slice(unclosed)),
        line: lineOfBuffer + newlines(buffer.slice(0, unclosed)),
        message: `<${options.element}> without ${close} at the end of the file`,
      })
    return {problems, row: null, rowsRead}
  } finally {
    stream.destroy()
  }
}
