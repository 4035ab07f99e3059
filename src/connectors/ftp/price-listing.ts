import type {CanonicalItem} from '../../model/item.js'
import type {ErpListing} from '../erp.js'
import type {Listed} from '../listing.js'
import {parseLocalDateTime} from '../../util/time.js'
import {type ExportFile, exportFilesOf, type FtpSettings, layoutOf, openSession, statFiles} from './connector.js'
import type {FileServer} from './file-server.js'
import {readExportRows} from './listing.js'
import {parseFileServerUrl} from './location.js'
import {readPriceFile} from './price-files.js'
import {type ExportPriceRow, type ItemDefaults, priceRowFromExport, priceRowKey} from './price-rows.js'
import {rowChannel} from './row-channel.js'

type Entry = Listed<ExportPriceRow>

/**
 * Every row of every list in the price-list files, for `reconcile prices`: in file order (not key order),
 * each row the CMS keeps as a record (`key`: the contract's row key, list + item + unit + currency +
 * fromQuantity + validFrom joined by NUL) and each row it skips as an error naming file, line and reason.
 * The files are read twice, so that an earlier row of a duplicate key is known as `duplicate of line N`
 * before it is given out: memory holds one entry per distinct key and the item export's unit and currency
 * per item (what an empty `Unit`/`Currency` means), never the rows.
 */
export function listPriceRows(settings: FtpSettings, timeZone: string): ErpListing<ExportPriceRow> {
  const entries = rowChannel<Entry>((push) => producePriceRows(settings, timeZone, push))
  return {entries, ordered: false, records: recordsOf(entries)}
}

async function* recordsOf(entries: AsyncIterable<Entry>): AsyncIterable<ExportPriceRow> {
  for await (const entry of entries) if (entry.value) yield entry.value
}

/** Each item's unit and currency from the item export; none when it cannot be read (rows keep their own). */
async function itemDefaults(settings: FtpSettings): Promise<Map<string, ItemDefaults>> {
  const items = new Map<string, ItemDefaults>()
  try {
    await readExportRows<CanonicalItem>(
      settings,
      'items',
      (row) => items.set(row.key, {currency: row.value.currency, unit: row.value.unit}),
      () => undefined,
    )
  } catch {
    // No item export: an empty Unit or Currency stays empty.
  }
  return items
}

async function producePriceRows(settings: FtpSettings, timeZone: string, push: (entry: Entry) => Promise<void>) {
  const location = parseFileServerUrl(settings.url)
  const chosen = exportFilesOf(settings, 'prices')
  const items = await itemDefaults(settings)
  const server = await openSession(settings, location)
  try {
    const files = (await statFiles(server, location.basePath, chosen.files)).filter((file) => file.exists)
    if (files.length === 0)
      throw new Error(`${chosen.files.join(', ')} not found (${chosen.because}): the ERP's price export is not there`)
    const reading = {basePath: location.basePath, items, server, settings}
    const lastLineOf = new Map<string, string>()
    for (const file of files)
      await eachRow(reading, file, (read, line) => {
        if ('row' in read) lastLineOf.set(priceRowKey(read.row), `${file.path}\u0000${line}`)
      })
    for (const file of files) {
      const problems = await eachRow(reading, file, async (read, line) => {
        if ('skippedBecause' in read)
          return push({error: `${file.path} line ${line}: ${read.skippedBecause}`, key: null, value: null})
        const key = priceRowKey(read.row)
        const [lastFile, lastLine] = (lastLineOf.get(key) ?? '').split('\u0000')
        if (lastFile !== file.path || Number(lastLine) !== line)
          return push({error: `${file.path} line ${line}: duplicate of line ${lastLine}`, key, value: null})
        const {description: _description, kind: _kind, lastModifiedLocal, ...row} = read.row
        const modifiedAt = lastModifiedLocal ? parseLocalDateTime(lastModifiedLocal, timeZone) : null
        return push({
          error: null,
          key,
          value: {...row, file: file.path, fileModifiedAt: file.modifiedAt, lastModifiedLocal, line, modifiedAt},
        })
      })
      for (const problem of problems)
        await push({error: `${problem.file} line ${problem.line}: ${problem.message}`, key: problem.key, value: null})
    }
  } finally {
    await server.close()
  }
}

/** Every row of one price-list file, read as the CMS reads it (an empty Unit/Currency the item's). */
function eachRow(
  reading: {server: FileServer; basePath: string; settings: FtpSettings; items: Map<string, ItemDefaults>},
  file: ExportFile,
  onRow: (read: ReturnType<typeof priceRowFromExport>, line: number) => void | Promise<void>,
) {
  const {basePath, items, server, settings} = reading
  return readPriceFile(
    server,
    basePath,
    file.path,
    {keyColumn: 'PriceList', layout: layoutOf(settings), settings},
    (fields, line) =>
      onRow(
        priceRowFromExport(fields, settings.decimal ?? '.', items.get((fields.ItemCode ?? '').trim()) ?? null),
        line,
      ),
  )
}
