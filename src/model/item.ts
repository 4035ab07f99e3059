import type {FieldDiff} from './compare.js'
import {normalizeText} from './normalize.js'

/** The canonical item; a field a hop does not provide is null and is not compared. */
export interface CanonicalItem {
  code: string
  description: string | null
  unit: string | null
  price: number | null
  currency: string | null
  stock: number | null
  active: boolean | null
  webshop: boolean | null
}

const cents = (value: number) => Math.round(value * 100)

/**
 * Item fields that differ between two hops, stock apart: stock moves all day and has rules of its own.
 * Prices compare to the cent; descriptions ignore spacing; units and currencies ignore case.
 */
export function compareItems(upstream: CanonicalItem, downstream: CanonicalItem): FieldDiff[] {
  const diffs: FieldDiff[] = []
  const add = <T>(field: string, up: T | null, down: T | null, same: (a: T, b: T) => boolean) => {
    if (up === null || down === null || same(up, down)) return
    diffs.push({downstream: String(down), field, upstream: String(up)})
  }
  add('description', upstream.description, downstream.description, (a, b) => normalizeText(a) === normalizeText(b))
  add(
    'unit',
    upstream.unit,
    downstream.unit,
    (a, b) => normalizeText(a).toLowerCase() === normalizeText(b).toLowerCase(),
  )
  add('price', upstream.price, downstream.price, (a, b) => cents(a) === cents(b))
  add(
    'currency',
    upstream.currency,
    downstream.currency,
    (a, b) => normalizeText(a).toUpperCase() === normalizeText(b).toUpperCase(),
  )
  add('active', upstream.active, downstream.active, (a, b) => a === b)
  add('webshop', upstream.webshop, downstream.webshop, (a, b) => a === b)
  return diffs
}

/** The stock difference between two hops, or null when either does not provide stock or they agree. */
export function stockDifference(upstream: CanonicalItem, downstream: CanonicalItem): FieldDiff | null {
  if (upstream.stock === null || downstream.stock === null || upstream.stock === downstream.stock) return null
  return {downstream: String(downstream.stock), field: 'stock', upstream: String(upstream.stock)}
}
