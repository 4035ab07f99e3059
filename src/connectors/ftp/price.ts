import {redactUrl} from '../../http/redact.js'
import {parseLocalDateTime} from '../../util/time.js'
import type {NotSupplied} from '../../model/mapping.js'
import type {PriceList} from '../../model/price.js'
import type {ErpListing, ErpPriceRecord, PriceResource} from '../erp.js'
import {type ExportFile, exportFilesOf, type FtpSettings, layoutOf, openSession, statFiles} from './connector.js'
import type {RowProblem} from './csv-export.js'
import type {FileServer} from './file-server.js'
import {parseFileServerUrl} from './location.js'
import {readCustomerPricing, readItemDefaults} from './price-customer.js'
import {readDiscountGroup} from './price-discounts.js'
import {readPriceFile} from './price-files.js'
import {listPriceRows} from './price-listing.js'
import {DuplicateRows, type ExportPriceRow, type ItemDefaults, priceRowFromExport, priceRowKey} from './price-rows.js'
import type {ExportFileChoice} from './source-file.js'

export type {ExportPriceRow} from './price-rows.js'

/** A row the CMS skips, by file and line (`Price is empty (an empty price is not 0)`, `duplicate of line 17`). */
export interface SkippedPriceRow {
  file: string
  line: number
  priceListCode: string
  itemCode: string
  reason: string
}

/**
 * What the export files say for one customer and item (ErpPriceRecord), and where it was read: every file
 * with its modification time (the run's `sourceFileModifiedAt` rule: an old file means the ERP has not
 * exported again), the customer's row, the rows the CMS would skip, the lists the customer names that no row
 * of the price file holds ("list missing from export").
 */
export interface ExportPriceRecord extends ErpPriceRecord {
  rows: ExportPriceRow[]
  location: string
  layout: string
  files: {priceLists: ExportFile[]; discountGroups: ExportFile[]; customers: ExportFile[]; items: ExportFile[]}
  /** Which price-list files were read, and why those (the profile's, the CMS's last `prices` run's, the layout's). */
  chosen: ExportFileChoice
  customerRow: {file: string; line: number; skippedBecause: string | null} | null
  /** The item's own row in the item export gave an empty `Unit`/`Currency` its meaning; false: not in it. */
  itemInExport: boolean
  skipped: SkippedPriceRow[]
  /** Lists the customer names (list, action list) that no row of the price-list files holds. */
  missingLists: string[]
  /** The customer names a discount group that the discount-group file lacks. */
  missingDiscountGroup: string | null
  /** Rows that could not be read at all (an unbalanced quote, a broken element), up to 50. */
  problems: RowProblem[]
}

const maxProblemsKept = 50

/** The file server's `entities.price`: what the export files say, with where each part was read. */
export interface ExportPriceResource extends PriceResource {
  /** `at.alsoLists`: lists to read the item's rows of beside the customer's own (ones the export does not name for it). */
  find(
    customerCode: string,
    itemCode: string,
    at: {quantity: number; date: string; alsoLists?: string[]},
  ): Promise<ExportPriceRecord>
  /** Every row of every list in file order (not key order); the rows the CMS skips as errors, by file and line. */
  listRows(): ErpListing<ExportPriceRow>
}

/**
 * The file server's prices, as an ERP's `entities.price` (times as the installation's zone reads them,
 * `timeZone`, default UTC). The export gives inputs only: `resolved` is null, the rule computes the price.
 */
export function exportPrices(settings: FtpSettings, options: {timeZone?: string} = {}): ExportPriceResource {
  const timeZone = options.timeZone ?? 'UTC'
  return {
    find: (customerCode, itemCode, at) => findPrices(settings, customerCode, itemCode, timeZone, at?.alsoLists ?? []),
    listRows: () => listPriceRows(settings, timeZone),
  }
}

/** One session for one piece of work: an FTP session cannot go on after a read stopped at its match. */
async function inSession<T>(settings: FtpSettings, work: (server: FileServer, basePath: string) => Promise<T>) {
  const location = parseFileServerUrl(settings.url)
  const server = await openSession(settings, location)
  try {
    return await work(server, location.basePath)
  } finally {
    await server.close()
  }
}

async function findPrices(
  settings: FtpSettings,
  customerCode: string,
  itemCode: string,
  timeZone: string,
  alsoLists: string[] = [],
): Promise<ExportPriceRecord> {
  const layout = layoutOf(settings)
  const chosen = exportFilesOf(settings, 'prices')
  const [customer, item] = await Promise.all([
    inSession(settings, (server, base) => readCustomerPricing(server, base, settings, customerCode, timeZone)),
    inSession(settings, (server, base) => readItemDefaults(server, base, settings, itemCode)),
  ])
  const record: ExportPriceRecord = {
    chosen,
    customerRow: customer.row,
    discountGroup: null,
    files: {customers: customer.files, discountGroups: [], items: item.files, priceLists: []},
    itemInExport: item.defaults !== null,
    layout: layout.id,
    lists: {},
    location: redactUrl(settings.url),
    missingDiscountGroup: null,
    missingLists: [],
    notSupplied: [...layout.prices.notSupplied, ...customer.absent, ...itemNotSupplied(item.defaults)],
    pricing: customer.pricing,
    pricingModifiedAt: customer.modifiedAt,
    problems: customer.problems,
    resolved: null,
    rows: [],
    skipped: [],
  }
  const named = [customer.pricing?.effectivePriceListCode, customer.pricing?.actionPriceListCode].filter(
    (code): code is string => typeof code === 'string',
  )
  const group = customer.pricing?.discountGroupCode ?? null
  await inSession(settings, async (server, base) => {
    record.files.priceLists = (await statFiles(server, base, chosen.files)).map((file) => ({
      ...file,
      because: chosen.because,
    }))
    const wanted = {also: alsoLists, item: item.defaults, itemCode, named, timeZone}
    await readItemRows(server, base, settings, record, wanted)
    if (group === null || layout.prices.discountGroupFiles.length === 0) return
    const read = await readDiscountGroup(server, base, settings, group, timeZone)
    record.files.discountGroups = read.files
    record.discountGroup = read.group
    record.missingDiscountGroup = read.group === null ? group : null
    record.skipped.push(...read.skipped)
    record.problems.push(...read.problems)
  })
  record.problems = record.problems.slice(0, maxProblemsKept)
  return record
}

/** An empty `Unit` or `Currency` is the item's: unknown when the item export does not give it. */
function itemNotSupplied(item: ItemDefaults | null): NotSupplied[] {
  if (item === null)
    return [{field: 'rows.unit', reason: 'an empty Unit is the item’s unit, and the item is not in the item export'}]
  return item.currency === null
    ? [{field: 'rows.currency', reason: "an empty Currency is the item's, which the item export does not give"}]
    : []
}

/** The item's rows on the named lists (the last of a duplicate key wins), the lists' own columns, the skipped rows. */
async function readItemRows(
  server: FileServer,
  basePath: string,
  settings: FtpSettings,
  record: ExportPriceRecord,
  wanted: {also: string[]; item: ItemDefaults | null; itemCode: string; named: string[]; timeZone: string},
): Promise<void> {
  const layout = layoutOf(settings)
  const seen = new Map<string, {list: PriceList; kindGiven: boolean}>()
  const rows = new DuplicateRows<ExportPriceRow>()
  for (const file of record.files.priceLists.filter((entry) => entry.exists)) {
    const problems = await readPriceFile(
      server,
      basePath,
      file.path,
      {keyColumn: 'PriceList', layout, settings},
      (fields, line) => {
        const listCode = (fields.PriceList ?? '').trim()
        if (!wanted.named.includes(listCode) && !wanted.also.includes(listCode)) return
        noteList(seen, listCode, fields)
        if ((fields.ItemCode ?? '').trim() !== wanted.itemCode) return
        const read = priceRowFromExport(fields, settings.decimal ?? '.', wanted.item)
        const where = {file: file.path, itemCode: wanted.itemCode, line, priceListCode: listCode}
        if ('skippedBecause' in read) return void record.skipped.push({...where, reason: read.skippedBecause})
        const {description: _description, kind: _kind, lastModifiedLocal, ...row} = read.row
        const modifiedAt = lastModifiedLocal ? parseLocalDateTime(lastModifiedLocal, wanted.timeZone) : null
        const replaced = rows.add(priceRowKey(row), {
          ...row,
          file: file.path,
          fileModifiedAt: file.modifiedAt,
          lastModifiedLocal,
          line,
          modifiedAt,
        })
        if (replaced)
          record.skipped.push({
            ...where,
            file: replaced.replaced.file,
            line: replaced.replaced.line,
            reason: replaced.reason,
          })
      },
    )
    record.problems.push(...problems)
  }
  const fileOrder = (row: ExportPriceRow) => record.files.priceLists.findIndex((file) => file.path === row.file)
  record.rows = rows.kept().sort((a, b) => fileOrder(a) - fileOrder(b) || a.line - b.line)
  record.lists = Object.fromEntries([...seen].map(([code, entry]) => [code, entry.list]))
  record.missingLists = wanted.named.filter((code) => !seen.has(code))
}

/** A list is in the file when a row names it; its description and kind are the first non-empty ones. */
export function noteList(
  seen: Map<string, {list: PriceList; kindGiven: boolean}>,
  code: string,
  fields: Record<string, string>,
): void {
  const entry = seen.get(code) ?? {
    kindGiven: false,
    list: {
      active: true,
      currency: null,
      description: null,
      kind: 'standard',
      priceListCode: code,
      pricesIncludeVat: false,
    },
  }
  entry.list.description ??= (fields.Description ?? '').trim() || null
  const kind = (fields.Kind ?? '').trim().toLowerCase()
  if (!entry.kindGiven && kind !== '') {
    entry.list.kind = kind === 'action' ? 'action' : 'standard'
    entry.kindGiven = true
  }
  seen.set(code, entry)
}
