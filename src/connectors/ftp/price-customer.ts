import type {NotSupplied} from '../../model/mapping.js'
import type {PricingProfile} from '../../model/price.js'
import {parseLocalDateTime} from '../../util/time.js'
import {type ExportFile, exportFilesOf, type FtpSettings, layoutOf, searchExport, statFiles} from './connector.js'
import type {RowProblem} from './csv-export.js'
import type {FileServer} from './file-server.js'
import {exportKeyMatches, exportRowSkippedBecause} from './layout.js'
import type {ExportKind, FtpLayout} from './layouts/types.js'
import {pathInBase} from './location.js'
import {type ItemDefaults, pricingFromExport} from './price-rows.js'
import type {ExportEntity} from './source-file.js'

/** The customer export read for pricing: the customer kind with the layout's price fields named as the contract's columns. */
export function pricingKind(layout: FtpLayout): ExportKind<unknown> {
  return {...layout.customers, xmlRename: {...layout.customers.xmlRename, ...layout.prices.customerRename}}
}

/** The first row of `code` in the chosen files of one kind, with every file's time. */
async function findRow(
  server: FileServer,
  basePath: string,
  settings: FtpSettings,
  lookup: {entity: ExportEntity; kind: ExportKind<unknown>; code: string},
): Promise<{
  files: ExportFile[]
  row: {fields: Record<string, string>; file: string; line: number} | null
  problems: RowProblem[]
}> {
  const chosen = exportFilesOf(settings, lookup.entity)
  const files = (await statFiles(server, basePath, chosen.files)).map((file) => ({...file, because: chosen.because}))
  const problems: RowProblem[] = []
  for (const file of files.filter((entry) => entry.exists)) {
    const stream = await server.read(pathInBase(basePath, file.path))
    const search = await searchExport(stream, file.path, lookup.code, layoutOf(settings), lookup.kind, settings)
    problems.push(...search.problems.filter((problem) => exportKeyMatches(problem.key ?? undefined, lookup.code)))
    if (search.row) return {files, problems, row: search.row}
  }
  return {files, problems, row: null}
}

/** The pricing columns and the profile's fields they fill. */
const pricingColumnFields: Array<[string, string]> = [
  ['PriceList', 'pricing.priceListCode'],
  ['Discount', 'pricing.discountPercent'],
  ['DiscountGroup', 'pricing.discountGroupCode'],
  ['ActionPriceList', 'pricing.actionPriceListCode'],
  ['HidePrices', 'pricing.hidePrices'],
  ['Currency', 'pricing.currency'],
]

/** The pricing columns are optional, read by the customers run only when present: an absent one is never compared. */
function absentColumns(fields: Record<string, string>, file: string, layout: FtpLayout): NotSupplied[] {
  const declared = new Set(layout.prices.notSupplied.map((entry) => entry.field))
  return pricingColumnFields
    .filter(([column, field]) => fields[column] === undefined && !declared.has(field))
    .map(([column, field]) => ({
      field,
      reason: `${file} has no ${column}: the customers run reads it only when present`,
    }))
}

/** The customer's pricing profile from its row of the customer export (null: no such row), and the row's time. */
export async function readCustomerPricing(
  server: FileServer,
  basePath: string,
  settings: FtpSettings,
  code: string,
  timeZone: string,
): Promise<{
  pricing: PricingProfile | null
  /** Pricing columns the customer's file does not have. */
  absent: NotSupplied[]
  modifiedAt: Date | null
  row: {file: string; line: number; skippedBecause: string | null} | null
  files: ExportFile[]
  problems: RowProblem[]
}> {
  const layout = layoutOf(settings)
  const found = await findRow(server, basePath, settings, {code, entity: 'customers', kind: pricingKind(layout)})
  if (!found.row)
    return {absent: [], files: found.files, modifiedAt: null, pricing: null, problems: found.problems, row: null}
  const {fields, file, line} = found.row
  const mapped = layout.customers.map(fields, {decimal: settings.decimal ?? '.'})
  return {
    absent: absentColumns(fields, file, layout),
    files: found.files,
    // Winbas writes no change time per customer: only the file's time says when it exported.
    modifiedAt: mapped.lastModified ? parseLocalDateTime(mapped.lastModified, timeZone) : null,
    pricing: pricingFromExport(fields, settings.decimal ?? '.'),
    problems: found.problems,
    row: {file, line, skippedBecause: exportRowSkippedBecause(mapped, file)},
  }
}

/** What an empty `Unit` and `Currency` of a price row mean: the item's, from the item export (null: not in it). */
export async function readItemDefaults(
  server: FileServer,
  basePath: string,
  settings: FtpSettings,
  code: string,
): Promise<{defaults: ItemDefaults | null; files: ExportFile[]}> {
  const layout = layoutOf(settings)
  const found = await findRow(server, basePath, settings, {
    code,
    entity: 'items',
    kind: layout.items as ExportKind<unknown>,
  })
  if (!found.row) return {defaults: null, files: found.files}
  const {value} = layout.items.map(found.row.fields, {decimal: settings.decimal ?? '.'})
  return {defaults: {currency: value.currency, unit: value.unit}, files: found.files}
}
