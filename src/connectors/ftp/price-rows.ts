import type {DiscountRule, PriceRow, PricingProfile} from '../../model/price.js'
import type {ErpPriceRow} from '../erp.js'
import {exportFlag, exportNumber} from './layouts/types.js'

/**
 * One row of the price export (ftp-layouts.md "Prices") read as the CMS reads it: `pricelists.csv`
 * columns (or XML elements mapped to them), `discountgroups.csv` rules, the pricing columns of
 * `customers.csv`. Pure: the file server's resource (`price.ts`) and the sandbox's CMS (`export-prices.ts`)
 * both read rows through these, so what the trace reports skipped is what the CMS skips.
 */

/** A price row as the export gives it, with what the list's own columns say. */
export interface ParsedPriceRow extends PriceRow {
  kind: 'standard' | 'action'
  description: string | null
  /** `LastModified` as written (`yyyy-MM-dd HH:mm:ss`, the installation's local time), or null. */
  lastModifiedLocal: string | null
}

/** A price row as the file server's resource gives it: where it is, the file's time, its time as written. */
export type ExportPriceRow = ErpPriceRow & {
  file: string
  line: number
  /** When the ERP last wrote the file (an old file: the ERP has not exported prices again). */
  fileModifiedAt: Date | null
  lastModifiedLocal: string | null
}

/** The row, or why the CMS skips it (the contract's reasons, without the file and line). */
export type PriceRowRead = {row: ParsedPriceRow} | {skippedBecause: string}

/** What an empty `Unit` or `Currency` stands for: the item's (null when the item is not known here). */
export interface ItemDefaults {
  unit: string | null
  currency: string | null
}

const text = (value: string | undefined) => (value ?? '').trim()

/** `yyyy-MM-dd`, a real date; empty is open (null); anything else is a reason to skip the row. */
export function exportDate(value: string | undefined, column: string): {date: string | null} | {problem: string} {
  const date = text(value)
  if (date === '') return {date: null}
  const parsed = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date)
  const day = parsed ? new Date(Date.UTC(Number(parsed[1]), Number(parsed[2]) - 1, Number(parsed[3]))) : null
  if (!day || day.toISOString().slice(0, 10) !== date) return {problem: `${column} ${date} is not a date (yyyy-MM-dd)`}
  return {date}
}

/** `ValidFrom`, `ValidTo`: both dates, the range not reversed. */
function validity(fields: Record<string, string>): {validFrom: string | null; validTo: string | null} | string {
  const from = exportDate(fields.ValidFrom, 'ValidFrom')
  if ('problem' in from) return from.problem
  const to = exportDate(fields.ValidTo, 'ValidTo')
  if ('problem' in to) return to.problem
  if (from.date !== null && to.date !== null && to.date < from.date)
    return `ValidTo ${to.date} before ValidFrom ${from.date}`
  return {validFrom: from.date, validTo: to.date}
}

/** A quantity column: empty = 0; a number ≥ 0. */
function fromQuantityOf(value: string | undefined, decimal: string): number | string {
  if (text(value) === '') return 0
  const quantity = exportNumber(value, decimal)
  return quantity === null || quantity < 0 ? `FromQuantity ${text(value)} is not a number ≥ 0` : quantity
}

/** A `pricelists.csv` row (or a mapped XML element): the row, or why the CMS skips it. */
export function priceRowFromExport(
  fields: Record<string, string>,
  decimal: string,
  item: ItemDefaults | null,
): PriceRowRead {
  const priceListCode = text(fields.PriceList)
  const itemCode = text(fields.ItemCode)
  if (priceListCode === '') return {skippedBecause: 'PriceList is empty'}
  if (itemCode === '') return {skippedBecause: 'ItemCode is empty'}
  if (text(fields.Price) === '') return {skippedBecause: 'Price is empty (an empty price is not 0)'}
  const price = exportNumber(fields.Price, decimal)
  if (price === null) return {skippedBecause: `Price ${text(fields.Price)} is not a number`}
  const fromQuantity = fromQuantityOf(fields.FromQuantity, decimal)
  if (typeof fromQuantity === 'string') return {skippedBecause: fromQuantity}
  const dates = validity(fields)
  if (typeof dates === 'string') return {skippedBecause: dates}
  return {
    row: {
      currency: text(fields.Currency) || item?.currency || '',
      description: text(fields.Description) || null,
      fromQuantity,
      itemCode,
      kind: text(fields.Kind).toLowerCase() === 'action' ? 'action' : 'standard',
      lastModifiedLocal: text(fields.LastModified) || null,
      price,
      priceListCode,
      unit: text(fields.Unit) || item?.unit || '',
      ...dates,
    },
  }
}

/** The contract's duplicate key: (`PriceList`, `ItemCode`, `Unit`, `Currency`, `FromQuantity`, `ValidFrom`). */
export function priceRowKey(row: PriceRow): string {
  return [row.priceListCode, row.itemCode, row.unit, row.currency, String(row.fromQuantity), row.validFrom ?? ''].join(
    '\u0000',
  )
}

/**
 * "The last row wins and the earlier one is reported as `duplicate of line N`": rows go in in file order,
 * each earlier row of the same key comes back as the one to skip.
 */
export class DuplicateRows<T extends {line: number}> {
  private readonly byKey = new Map<string, T>()

  /** Keeps `entry` under `key`; the entry it replaces, if any, with its reason. */
  add(key: string, entry: T): {replaced: T; reason: string} | null {
    const earlier = this.byKey.get(key)
    this.byKey.set(key, entry)
    return earlier ? {reason: `duplicate of line ${entry.line}`, replaced: earlier} : null
  }

  kept(): T[] {
    return [...this.byKey.values()]
  }
}

/** A `discountgroups.csv` row: the group's code and rule, or why it is skipped. */
export function discountRuleFromExport(
  fields: Record<string, string>,
  decimal: string,
): {group: string; rule: DiscountRule; lastModifiedLocal: string | null} | {skippedBecause: string} {
  const group = text(fields.DiscountGroup)
  if (group === '') return {skippedBecause: 'DiscountGroup is empty'}
  const percent = exportNumber(fields.Percent, decimal)
  if (percent === null || percent < 0 || percent > 100)
    return {skippedBecause: `Percent ${text(fields.Percent)} is not a number from 0 to 100`}
  const fromQuantity = fromQuantityOf(fields.FromQuantity, decimal)
  if (typeof fromQuantity === 'string') return {skippedBecause: fromQuantity}
  const dates = validity(fields)
  if (typeof dates === 'string') return {skippedBecause: dates}
  return {
    group,
    lastModifiedLocal: text(fields.LastModified) || null,
    rule: {fromQuantity, itemCode: text(fields.ItemCode) || null, percent, ...dates},
  }
}

/**
 * The pricing columns of a `customers.csv` row (or the layout's customer elements mapped onto them):
 * `PriceList` empty = no list, `Discount` empty = 0, `Currency` empty = the item's; no price deduplication
 * in an export, so the effective list is the customer's list.
 */
export function pricingFromExport(fields: Record<string, string>, decimal: string): PricingProfile {
  const priceListCode = text(fields.PriceList) || null
  const discount = exportNumber(fields.Discount, decimal)
  return {
    actionPriceListCode: text(fields.ActionPriceList) || null,
    currency: text(fields.Currency) || null,
    customerCode: text(fields.CustomerCode).replace(/^~/, ''),
    discountGroupCode: text(fields.DiscountGroup) || null,
    discountPercent: discount !== null && discount > 0 && discount <= 100 ? discount : 0,
    effectivePriceListCode: priceListCode,
    hidePrices: exportFlag(fields.HidePrices) === true,
    priceListCode,
  }
}
