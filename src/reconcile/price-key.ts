import type {PriceRow} from '../model/price.js'
import {compareKeys} from '../util/key-order.js'
import type {PriceRowKey, ReconcileTarget} from './types.js'

/**
 * The key `reconcile prices` merges price rows by: the contract's row key (list, item, unit, currency,
 * fromQuantity, validFrom) joined by NUL, which sorts below every character a code can hold, so that the
 * merge's UTF-8 byte order is list by list, item by item, as the CMS pages them (`/pricelists`, then each
 * list's rows paged by item). Within one item the CMS orders by fromQuantity and validFrom; a side re-sorts
 * one item's rows by this key (all of them are on one page). A finding names the row by `displayPriceKey`.
 */
export function priceMergeKey(row: PriceRowKey): string {
  return [row.priceListCode, row.itemCode, row.unit, row.currency, String(row.fromQuantity), row.validFrom ?? ''].join(
    '\u0000',
  )
}

/** The key's parts again (a key of another shape: null). */
export function priceKeyParts(key: string): PriceRowKey | null {
  const parts = key.split('\u0000')
  if (parts.length !== 6) return null
  const [priceListCode, itemCode, unit, currency, fromQuantity, validFrom] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  return {currency, fromQuantity: Number(fromQuantity), itemCode, priceListCode, unit, validFrom: validFrom || null}
}

/** `B2B-A|P-100|st|SEK|10|2026-11-01` (an open validFrom empty): how findings, views and `--fix`'s check name a row. */
export function displayPriceKey(key: string): string {
  return key.split('\u0000').join('|')
}

/** The key a finding carries: a price row's readable form, any other record's own key. */
export function recordKeyOf(entity: ReconcileTarget, key: string): string {
  return entity === 'prices' ? displayPriceKey(key) : key
}

/** One page's rows in merge-key order (the CMS gives every row of an item on the same page). */
export function sortedRows<T extends {key: string}>(entries: T[]): T[] {
  return [...entries].sort((a, b) => compareKeys(a.key, b.key))
}

/** A row without its times: what is compared. */
export function plainRow(row: PriceRow): PriceRow {
  const {currency, fromQuantity, itemCode, price, priceListCode, unit, validFrom, validTo} = row
  return {currency, fromQuantity, itemCode, price, priceListCode, unit, validFrom, validTo}
}
