import iconv from 'iconv-lite'

import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import type {FtpLayout} from '../connectors/ftp/layouts/types.js'
import type {EmulatedPrices} from '../emulation/erp-emulator.js'
import {localTime} from './export-time.js'
import type {ExportCustomer, ExportsState} from './state.js'

/**
 * The ERP's price export as the sandbox writes it (ftp-layouts.md "Prices"): every row of
 * `state.exports.prices` in the layout's price-list file (`pricelists.csv`/`.xml`, Winbas `_pricelists.xml`,
 * Monitor `pricelists.xml`), the discount groups in `discountgroups.csv` where the layout has one, and the
 * customers' pricing fields in the customer export. Each file is a list of records with the line each
 * starts on, so the CMS's reading of it (`export-prices.ts`) names the same lines the file has.
 */

/** One record of a written file: its fields by the contract's column names, and the line it starts on. */
export interface WrittenRecord {
  fields: Record<string, string>
  line: number
}

export const priceListColumns = [
  'PriceList',
  'Description',
  'Kind',
  'ItemCode',
  'Unit',
  'Currency',
  'FromQuantity',
  'Price',
  'ValidFrom',
  'ValidTo',
  'LastModified',
]
const discountGroupColumns = [
  'DiscountGroup',
  'ItemCode',
  'FromQuantity',
  'Percent',
  'ValidFrom',
  'ValidTo',
  'LastModified',
]
export const pricingColumns = ['Discount', 'DiscountGroup', 'ActionPriceList', 'HidePrices', 'Currency']

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`
const xmlEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
/** Decimals invariant: `129.00`, more places only where the value has them. */
const amount = (value: number) => (Number(value.toFixed(2)) === value ? value.toFixed(2) : String(value))
/** A line break inside a field would move every later line: the export job writes a space. */
const oneLine = (value: string | null) => (value ?? '').replace(/[\r\n]+/g, ' ')

/** One price row with the contract's columns (its list's description and kind beside it). */
export function priceRowFields(
  row: EmulatedPrices['rows'][number],
  list: EmulatedPrices['lists'][number] | undefined,
  timeZone: string,
): Record<string, string> {
  return {
    Currency: row.currency,
    Description: oneLine(list?.description ?? null),
    FromQuantity: String(row.fromQuantity),
    ItemCode: row.itemCode,
    Kind: list?.kind ?? 'standard',
    LastModified: localTime(row.modifiedAt, timeZone),
    Price: amount(row.price),
    PriceList: row.priceListCode,
    Unit: row.unit,
    ValidFrom: row.validFrom ?? '',
    ValidTo: row.validTo ?? '',
  }
}

/** The price rows in file order, each with the contract's columns. */
export function priceListFields(prices: EmulatedPrices, timeZone: string): Array<Record<string, string>> {
  const lists = new Map(prices.lists.map((list) => [list.priceListCode, list]))
  return prices.rows.map((row) => priceRowFields(row, lists.get(row.priceListCode), timeZone))
}

/** One CSV line (without its line break) of the columns' fields: `;`, text quoted. */
export const csvLine = (columns: string[], fields: Record<string, string>) =>
  columns.map((column) => quote(fields[column] ?? '')).join(';')

/** The discount rules in file order, one row per rule. */
export function discountGroupFields(prices: EmulatedPrices, timeZone: string): Array<Record<string, string>> {
  return prices.discountGroups.flatMap((group) =>
    group.rules.map((rule) => ({
      DiscountGroup: group.discountGroupCode,
      FromQuantity: String(rule.fromQuantity),
      ItemCode: rule.itemCode ?? '',
      LastModified: localTime(group.modifiedAt, timeZone),
      Percent: String(rule.percent),
      ValidFrom: rule.validFrom ?? '',
      ValidTo: rule.validTo ?? '',
    })),
  )
}

/** `;`, UTF-8 with a BOM, CRLF, text quoted; the header on line 1, record i on line i + 2. */
export function csvFile(
  columns: string[],
  rows: Array<Record<string, string>>,
): {text: string; records: WrittenRecord[]} {
  const lines = rows.map((fields) => csvLine(columns, fields))
  return {
    records: rows.map((fields, index) => ({fields, line: index + 2})),
    text: `\uFEFF${[columns.join(';'), ...lines].join('\r\n')}\r\n`,
  }
}

/** `<Root><Row><Child>…</Child>…</Row>…</Root>`, one child a line, names as the layout's (`rename` inverted). */
export function xmlFile(
  layout: FtpLayout,
  encoding: string,
  rows: Array<Record<string, string>>,
): {text: string; records: WrittenRecord[]} {
  const elementOf = Object.fromEntries(
    Object.entries(layout.prices.xmlRename).map(([element, column]) => [column, element]),
  )
  const row = layout.prices.xmlElement
  const root = row === 'price' ? 'pricelists' : 'PriceLists'
  const lines = [`<?xml version="1.0" encoding="${encoding}"?>`, `<${root}>`]
  const records: WrittenRecord[] = []
  for (const fields of rows) {
    records.push({fields, line: lines.length + 1})
    lines.push(`  <${row}>`)
    for (const column of priceListColumns) {
      const name = elementOf[column] ?? column
      lines.push(`    <${name}>${xmlEscape(fields[column] ?? '')}</${name}>`)
    }
    lines.push(`  </${row}>`)
  }
  lines.push(`</${root}>`)
  return {records, text: `${lines.join('\r\n')}\r\n`}
}

/** A price-list file of the layout, by its name: its bytes and its records. */
export function priceListFile(
  layout: FtpLayout,
  name: string,
  prices: EmulatedPrices,
  timeZone: string,
): {content: Buffer; records: WrittenRecord[]} {
  const rows = priceListFields(prices, timeZone)
  if (!name.toLowerCase().endsWith('.xml')) {
    const file = csvFile(priceListColumns, rows)
    return {content: iconv.encode(file.text, layout.csvEncoding), records: file.records}
  }
  const file = xmlFile(layout, layout.xmlEncoding, rows)
  return {content: iconv.encode(file.text, layout.xmlEncoding), records: file.records}
}

/** A discount-group file (`discountgroups.csv`): its bytes and its records. */
export function discountGroupFile(
  prices: EmulatedPrices,
  timeZone: string,
): {content: Buffer; records: WrittenRecord[]} {
  const file = csvFile(discountGroupColumns, discountGroupFields(prices, timeZone))
  return {content: Buffer.from(file.text, 'utf8'), records: file.records}
}

/** Every price file of the layout (those the state does not list are removed afterwards, as the other exports). */
export function priceExportFiles(exports: ExportsState, timeZone: string): Record<string, Buffer> {
  const prices = exports.prices
  if (!prices) return {}
  const layout = ftpLayoutFor(exports.layout, null)
  const files: Record<string, Buffer> = {}
  for (const name of layout.prices.priceListFiles) files[name] = priceListFile(layout, name, prices, timeZone).content
  for (const name of layout.prices.discountGroupFiles) files[name] = discountGroupFile(prices, timeZone).content
  return files
}

/** The price file names any layout writes (an unlisted one is not on the file server). */
export const priceExportFileNames = ['pricelists.csv', 'pricelists.xml', '_pricelists.xml', 'discountgroups.csv']

/**
 * The pricing columns of a customer's row (`Discount`, …, by the contract's names); empty without a profile.
 * `PriceList` stays the customer record's `priceListCode` (the customer's own column): the seed keeps the
 * profile's list equal to it.
 */
export function pricingFields(customer: ExportCustomer, prices: EmulatedPrices | undefined): Record<string, string> {
  const pricing = prices?.pricing.find((entry) => entry.customerCode === customer.code.replace(/^~/, ''))
  return {
    ActionPriceList: pricing?.actionPriceListCode ?? '',
    Currency: pricing?.currency ?? '',
    Discount: pricing && pricing.discountPercent > 0 ? String(pricing.discountPercent) : '',
    DiscountGroup: pricing?.discountGroupCode ?? '',
    HidePrices: pricing?.hidePrices ? '1' : '0',
  }
}

/**
 * The customer's fields the CMS's `customers` run reads for pricing, by the contract's names, as the layout
 * writes them: the generic customers.csv all pricing columns (with a price export), Winbas `PriceList` and
 * `GeneralDiscount`, Monitor `usesprice`, `actionpricelist`, `discount`, `hideprices`.
 */
export function customerExportFields(
  customer: ExportCustomer,
  exports: ExportsState,
  layout: FtpLayout,
): Record<string, string> {
  const all: Record<string, string> = {
    CustomerCode: customer.code,
    PriceList: customer.record.priceListCode,
    ...(exports.prices ? pricingFields(customer, exports.prices) : {}),
  }
  const renamed = Object.values(layout.prices.customerRename)
  if (renamed.length === 0) return all
  if (!exports.prices) return {CustomerCode: customer.code}
  const written = new Set(['CustomerCode', 'PriceList', ...renamed])
  return Object.fromEntries(Object.entries(all).filter(([column]) => written.has(column)))
}
