import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import type {FtpLayout} from '../connectors/ftp/layouts/types.js'
import {
  DuplicateRows,
  discountRuleFromExport,
  type ItemDefaults,
  priceRowFromExport,
  pricingFromExport,
} from '../connectors/ftp/price-rows.js'
import type {SourcePrices} from '../emulation/erp-emulator.js'
import type {PlatformPricingJson} from '../emulation/records.js'
import {parseLocalDateTime} from '../util/time.js'
import {customerExportFields, discountGroupFile, priceListFile, type WrittenRecord} from './export-price-files.js'
import {localTime} from './export-time.js'
import type {ExportsState, InstallationState} from './state.js'

/**
 * What the CMS's `prices` and `customers` runs read from an ftp installation's price export, following
 * ftp-layouts.md "How the CMS reads pricelists.csv": the files as the sandbox writes them
 * (`export-price-files.ts`), read row by row with the connector's own rules (`price-rows.ts`).
 */

type Skipped = SourcePrices['skipped'][number] & {file: string; line: number}

/** The run's reading: a complete snapshot of the lists in the file, the skipped rows by file and line, the file read. */
export type ExportSourcePrices = SourcePrices & {
  skipped: Skipped[]
  /** The file the run read (its `sourceFile`) and when the ERP wrote it (`sourceFileModifiedAt`). */
  sourceFile: string
  sourceFileModifiedAt: string | null
}

/**
 * A run that fails and changes nothing: `pricelists.csv not found` (no price export on the server), or
 * `pricelists.csv has no rows` (a header only, unless the profile allows an empty price file).
 */
export interface PriceRunFailure {
  failure: string
}

export interface PriceRunOptions {
  /** When the run reads (ISO; default now): a row whose `ValidTo` has passed by then is not stored. */
  at?: string
  /** The CMS profile's `allowEmptyPriceFile`: a header-only file empties every list instead of failing. */
  allowEmptyPriceFile?: boolean
}

const timeZoneOf = (state: InstallationState) =>
  (state.installation.autoSync as {timezone?: string} | undefined)?.timezone ?? 'UTC'

/** The layout's price-list file the ERP wrote (the first of its names that the file server holds). */
function priceListFileOf(exports: ExportsState, layout: FtpLayout): string | null {
  return exports.prices ? (layout.prices.priceListFiles.find((name) => exports.files[name]) ?? null) : null
}

/** The `prices` run's reading of the export, or why it fails. */
export function exportSourcePrices(
  state: InstallationState,
  options: PriceRunOptions = {},
): ExportSourcePrices | PriceRunFailure {
  const exports = state.exports
  const layout = ftpLayoutFor(exports?.layout, null)
  const file = exports ? priceListFileOf(exports, layout) : null
  if (!exports?.prices || file === null) return {failure: `${layout.prices.priceListFiles[0]} not found`}
  const timeZone = timeZoneOf(state)
  const {records} = priceListFile(layout, file, exports.prices, timeZone)
  if (records.length === 0 && !options.allowEmptyPriceFile) return {failure: `${file} has no rows`}
  const today = localTime(options.at ?? new Date().toISOString(), timeZone).slice(0, 10)
  const read = readPriceRows(state, file, records, {timeZone, today})
  return {
    ...read,
    discountGroups: readDiscountGroups(exports, layout, timeZone),
    sourceFile: file,
    sourceFileModifiedAt: exports.files[file]?.modified ?? null,
  }
}

const instant = (local: string | null, timeZone: string) =>
  local ? (parseLocalDateTime(local, timeZone)?.toISOString() ?? null) : null

/** Why the CMS does not store a readable row: the item, its unit, its dates (null: it stores it). */
function cmsSkips(
  row: {itemCode: string; unit: string; validTo: string | null},
  item: ItemDefaults | null,
  today: string,
) {
  if (item === null) return `unknown item ${row.itemCode}`
  if (item.unit !== null && row.unit.toUpperCase() !== item.unit.toUpperCase())
    return `unit ${row.unit} differs from item unit ${item.unit}`
  if (row.validTo !== null && row.validTo < today) return `row expired (validTo ${row.validTo})`
  return null
}

function readPriceRows(
  state: InstallationState,
  file: string,
  records: WrittenRecord[],
  at: {timeZone: string; today: string},
): Pick<ExportSourcePrices, 'lists' | 'rows' | 'skipped'> {
  const lists = new Map<string, ExportSourcePrices['lists'][number]>()
  const skipped: Skipped[] = []
  const kept = new DuplicateRows<{line: number; row: ExportSourcePrices['rows'][number]}>()
  for (const {fields, line} of records) {
    const where = {file, itemCode: (fields.ItemCode ?? '').trim(), line, priceListCode: (fields.PriceList ?? '').trim()}
    const cmsItem = state.cms.items.get(where.itemCode) as {unit?: string; currency?: string} | undefined
    const item = cmsItem ? {currency: cmsItem.currency ?? null, unit: cmsItem.unit ?? null} : null
    const parsed = priceRowFromExport(fields, '.', item)
    if (where.priceListCode !== '')
      noteList(lists, where.priceListCode, fields, instant(fields.LastModified ?? null, at.timeZone))
    if ('skippedBecause' in parsed) {
      skipped.push({...where, reason: parsed.skippedBecause})
      continue
    }
    const {description: _description, kind: _kind, lastModifiedLocal, ...row} = parsed.row
    const reason = cmsSkips(row, item, at.today)
    if (reason !== null) {
      skipped.push({...where, reason})
      continue
    }
    const key = [row.priceListCode, row.itemCode, row.unit, row.currency, row.fromQuantity, row.validFrom ?? ''].join(
      '\u0000',
    )
    const replaced = kept.add(key, {line, row: {...row, modifiedAt: instant(lastModifiedLocal, at.timeZone)}})
    if (replaced) skipped.push({...where, line: replaced.replaced.line, reason: replaced.reason})
  }
  return {
    lists: [...lists.values()],
    rows: kept
      .kept()
      .sort((a, b) => a.line - b.line)
      .map((entry) => entry.row),
    skipped: skipped.sort((a, b) => a.line - b.line),
  }
}

/** Every list the file names is in the snapshot; its description and kind are the first non-empty ones, its time the latest row's. */
function noteList(
  lists: Map<string, ExportSourcePrices['lists'][number]>,
  code: string,
  fields: Record<string, string>,
  modifiedAt: string | null,
): void {
  const list = lists.get(code) ?? {
    active: true,
    currency: null,
    description: null,
    kind: (fields.Kind ?? '').trim().toLowerCase() === 'action' ? 'action' : 'standard',
    modifiedAt: null,
    priceListCode: code,
    pricesIncludeVat: false,
  }
  list.description ??= (fields.Description ?? '').trim() || null
  if (modifiedAt !== null && (list.modifiedAt === null || modifiedAt > list.modifiedAt)) list.modifiedAt = modifiedAt
  lists.set(code, list)
}

/** The discount groups of `discountgroups.csv` (optional: none when the layout or the server has none). */
function readDiscountGroups(
  exports: ExportsState,
  layout: FtpLayout,
  timeZone: string,
): SourcePrices['discountGroups'] {
  const prices = exports.prices
  const file = layout.prices.discountGroupFiles.find((name) => exports.files[name])
  if (!prices || !file) return []
  const groups = new Map<string, SourcePrices['discountGroups'][number]>()
  for (const {fields} of discountGroupFile(prices, timeZone).records) {
    const read = discountRuleFromExport(fields, '.')
    if ('skippedBecause' in read) continue
    const group = groups.get(read.group) ?? {
      description: null,
      discountGroupCode: read.group,
      modifiedAt: null,
      rules: [],
    }
    group.rules.push(read.rule)
    const modifiedAt = instant(read.lastModifiedLocal, timeZone)
    if (modifiedAt !== null && (group.modifiedAt === null || modifiedAt > group.modifiedAt))
      group.modifiedAt = modifiedAt
    groups.set(read.group, group)
  }
  return [...groups.values()]
}

/**
 * Each customer's pricing profile as the `customers` run reads it from the customer export: the layout's
 * price fields (generic: the pricing columns; Monitor `usesprice`, `actionpricelist`, `discount`, `hideprices`;
 * Winbas `PriceList`, `GeneralDiscount`), changed at the row's `LastModified` (Winbas: none). Rows that cannot
 * be read and inactive ones (`~`) are not read.
 */
export function exportSourcePricing(
  state: InstallationState,
): Array<PlatformPricingJson & {modifiedAt: string | null}> {
  const exports = state.exports
  if (!exports) return []
  const layout = ftpLayoutFor(exports.layout, null)
  const timeZone = timeZoneOf(state)
  return exports.customers
    .filter((customer) => !customer.malformed && !customer.code.startsWith('~'))
    .map((customer) => {
      const fields = customerExportFields(customer, exports, layout)
      const pricing = pricingFromExport(fields, '.')
      // Winbas writes no change time per customer; the others a local time to the second.
      const modifiedAt =
        exports.layout === 'winbas' ? null : instant(localTime(customer.lastModified, timeZone), timeZone)
      return {...pricing, modifiedAt}
    })
}
