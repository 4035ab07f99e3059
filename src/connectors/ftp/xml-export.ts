import type {Readable} from 'node:stream'

import type {ExportSearch, RowProblem} from './csv-export.js'

/**
 * Streams an XML export (`<Customers><Customer>…</Customer>…`) in its encoding, parsing one element at a
 * time, and stops at the match. Element names are mapped to the CSV layout's column names by `rename`.
 */
export async function findElementInXml(
  stream: Readable,
  file: string,
  options: {encoding: string; element: string; rename: Record<string, string>},
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
  let buffer = ''
  let lineOfBuffer = 1
  let rowsRead = 0
  try {
    for await (const chunk of decoded) {
      buffer += chunk as string
      for (;;) {
        const start = buffer.indexOf(open)
        const end = start === -1 ? -1 : buffer.indexOf(close, start)
        if (start === -1 || end === -1) break
        const line = lineOfBuffer + (buffer.slice(0, start).match(/\n/g)?.length ?? 0)
        const block = buffer.slice(start, end + close.length)
        lineOfBuffer = line + (block.match(/\n/g)?.length ?? 0)
        buffer = buffer.slice(end + close.length)
        const valid = XMLValidator.validate(block)
        if (valid !== true) {
          problems.push({file, key: /<Number>([^<]*)<\/Number>/.exec(block)?.[1]?.trim() ?? null, line: line + (valid.err.line - 1), message: valid.err.msg})
          continue
        }
        const parsed = parser.parse(block) as Record<string, Record<string, unknown>>
        const element = parsed[options.element] ?? {}
        const fields = Object.fromEntries(Object.entries(element).map(([name, value]) => [options.rename[name] ?? name, value === undefined || value === null ? '' : String(value)]))
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
    return {problems, row: null, rowsRead}
  } finally {
    stream.destroy()
  }
}
