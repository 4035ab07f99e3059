import {mkdirSync, utimesSync} from 'node:fs'
import {join} from 'node:path'

import type {PlatformCustomerJson, PlatformItemJson} from '../../emulation/records.js'
import {writeTextFileSync} from '../../util/line-file.js'
import type {ExportsState} from '../state.js'
import {customerCsvLine, customersCsvHeader, itemCsvLine, itemsCsvHeader} from '../export-files.js'
import {iso} from './clock.js'
import type {ScaleModel} from './model.js'
import {residue} from './planted.js'

/**
 * The export files of `scale-ftp` in the generic layout, their rows written by the seeded sandbox's export
 * writer (`src/sandbox/export-files.ts`) from the generator's records a row at a time, never all of them held
 * (UTC: the installation's zone).
 */
export function writeScaleExports(model: ScaleModel, folder: string): void {
  mkdirSync(folder, {recursive: true})
  writeExportFile(model, join(folder, 'customers.csv'), customersCsvHeader, (index) => customerLine(model, index))
  writeExportFile(model, join(folder, 'items.csv'), itemsCsvHeader, (index) => itemLine(model, index))
}

/** One CSV file (BOM, CRLF), a row per generated index that has one, written in chunks of about a megabyte. */
function writeExportFile(model: ScaleModel, path: string, header: string, row: (index: number) => string | null): void {
  writeTextFileSync(path, csvLines(model.records, header, row))
  const written = new Date(model.clock.exportFileWritten)
  utimesSync(path, written, written)
}

function* csvLines(records: number, header: string, row: (index: number) => string | null): Generator<string> {
  yield `${header}\r\n`
  for (let index = 0; index < records; index++) {
    const line = row(index)
    if (line !== null) yield `${line}\r\n`
  }
}

/** Customer `index`'s row of `customers.csv` (`malformed`: the planted unreadable row); null when the export has none. */
export function scaleCustomerRow(model: ScaleModel, index: number): ExportsState['customers'][number] | null {
  const source = model.source('customers', index)
  if (!source) return null
  const record = source.record as unknown as PlatformCustomerJson
  const malformed = index % 100 === residue.unreadableRow
  return {code: record.customerCode, file: 'customers.csv', lastModified: iso(source.modified), malformed, record}
}

/** Item `index`'s row of `items.csv`; null when the export has none. */
export function scaleItemRow(model: ScaleModel, index: number): ExportsState['items'][number] | null {
  const source = model.source('items', index)
  if (!source) return null
  return {
    emptyCurrency: false,
    lastModified: iso(source.modified),
    malformed: index % 100 === residue.unreadableRow,
    record: source.record as unknown as PlatformItemJson,
  }
}

function customerLine(model: ScaleModel, index: number): string | null {
  const row = scaleCustomerRow(model, index)
  if (!row) return null
  const line = customerCsvLine({...row, malformed: false}, 'UTC')
  // The planted unreadable row: only its name's quote never closed (the rest of the row as written).
  return row.malformed ? line.replace(`"${row.record.name}";`, `"${row.record.name};`) : line
}

function itemLine(model: ScaleModel, index: number): string | null {
  const row = scaleItemRow(model, index)
  return row ? itemCsvLine(row, 'UTC') : null
}
