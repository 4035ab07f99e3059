import {decimal, equalPrices, netOf} from './decimal.js'

/**
 * Customer-specific prices (platform contract, "Prices: customer-specific pricing"): the inputs every hop
 * holds and the normative resolution rule that the CMS, the app, the webshop and synctrace all compute.
 * Dates without a time are `yyyy-MM-dd` in the installation's zone; ranges are inclusive; null is open.
 */

/** A price list: the ERP's list (Fortnox price list, Visma.net price class, NetSuite price level, ...). */
export interface PriceList {
  priceListCode: string
  description: string | null
  kind: 'standard' | 'action'
  /** Null: the list has no currency of its own; each row carries one. */
  currency: string | null
  pricesIncludeVat: boolean
  /** False: the list vanished from the ERP or export; it has no rows. */
  active: boolean
}

/** One price of one item on one list; key (list, item, unit, currency, fromQuantity, validFrom). */
export interface PriceRow {
  priceListCode: string
  itemCode: string
  unit: string
  currency: string
  fromQuantity: number
  price: number
  validFrom: string | null
  validTo: string | null
}

/** The customer's pricing profile (written by the `customers` run). */
export interface PricingProfile {
  customerCode: string
  /** The customer's list; null (or "" at the source) means no list: the item's base price. */
  priceListCode: string | null
  /** The list whose rows are used (differs only through the CMS's price deduplication). */
  effectivePriceListCode: string | null
  actionPriceListCode: string | null
  /** 0–100; 0 = none. */
  discountPercent: number
  discountGroupCode: string | null
  /** Null: the item's currency. */
  currency: string | null
  hidePrices: boolean
}

export interface DiscountRule {
  /** Null: a rule for every item. */
  itemCode: string | null
  fromQuantity: number
  percent: number
  validFrom: string | null
  validTo: string | null
}

export interface DiscountGroup {
  discountGroupCode: string
  description: string | null
  rules: DiscountRule[]
}

/** What the rule needs of the item: its unit, currency and base price. */
export interface PriceItem {
  itemCode: string
  unit: string | null
  currency: string | null
  /** The base price (`price` of the item); null when the hop has none. */
  price: number | null
}

/** Everything one hop holds for "what does customer C pay for item I". */
export interface PriceInputs {
  pricing: PricingProfile
  item: PriceItem
  /** The lists the profile names (effective and action), by code; a list absent here is unknown. */
  lists: Readonly<Record<string, PriceList>>
  /** The item's rows on those lists (any unit, currency and dates: the rule filters them). */
  rows: readonly PriceRow[]
  /** The profile's discount group, or null (none named, or unknown). */
  discountGroup: DiscountGroup | null
}

export type ListSource = 'priceList' | 'actionPriceList' | 'itemBasePrice' | 'none'
export type DiscountSource = 'discountGroup' | 'customer' | 'none'

/** The contract's resolved price (the CMS's `/prices/resolve` shape, without the request's echo). */
export interface ResolvedPrice {
  currency: string | null
  unit: string | null
  basePrice: number | null
  listPrice: number | null
  listSource: ListSource
  priceListCode: string | null
  row: {fromQuantity: number; validFrom: string | null; validTo: string | null} | null
  discountPercent: number
  discountSource: DiscountSource
  netPrice: number | null
  hidePrices: boolean
  pricesIncludeVat: boolean
}

const sameCode = (a: string | null, b: string | null) =>
  a !== null && b !== null && a.trim().toUpperCase() === b.trim().toUpperCase()

/** `validFrom <= date <= validTo`, open ends open (dates as `yyyy-MM-dd` compare as text). */
export function validOn(range: {validFrom: string | null; validTo: string | null}, date: string): boolean {
  return (range.validFrom === null || range.validFrom <= date) && (range.validTo === null || date <= range.validTo)
}

/** Rule 1: the rows that apply, and the best of them (greatest fromQuantity, then latest validFrom, then lowest price). */
export function bestRow(
  rows: readonly PriceRow[],
  listCode: string | null,
  item: PriceItem,
  currency: string | null,
  quantity: number,
  date: string,
): PriceRow | null {
  if (listCode === null || currency === null) return null
  const candidates = rows.filter(
    (row) =>
      row.priceListCode === listCode &&
      row.itemCode === item.itemCode &&
      sameCode(row.unit, item.unit) &&
      sameCode(row.currency, currency) &&
      validOn(row, date) &&
      row.fromQuantity <= quantity,
  )
  let best: PriceRow | null = null
  for (const row of candidates) if (best === null || better(row, best)) best = row
  return best
}

function better(row: PriceRow, than: PriceRow): boolean {
  if (row.fromQuantity !== than.fromQuantity) return row.fromQuantity > than.fromQuantity
  const from = row.validFrom ?? ''
  const thanFrom = than.validFrom ?? ''
  if (from !== thanFrom) return from > thanFrom
  return decimal(row.price) < decimal(than.price)
}

/** Rule 3's matching discount rule of a group: one with the item beats one for every item, then greatest fromQuantity. */
export function matchingRule(
  group: DiscountGroup | null,
  itemCode: string,
  quantity: number,
  date: string,
): DiscountRule | null {
  if (group === null) return null
  const applies = group.rules.filter(
    (rule) =>
      (rule.itemCode === null || rule.itemCode === itemCode) && rule.fromQuantity <= quantity && validOn(rule, date),
  )
  let best: DiscountRule | null = null
  for (const rule of applies) {
    if (best === null) best = rule
    else if ((rule.itemCode !== null) !== (best.itemCode !== null)) best = rule.itemCode !== null ? rule : best
    else if (rule.fromQuantity > best.fromQuantity) best = rule
  }
  return best
}

/** The normative resolution rule (rules 1–5), in exact decimal arithmetic. */
export function resolvePrice(inputs: PriceInputs, quantity: number, date: string): ResolvedPrice {
  const {pricing, item} = inputs
  const currency = pricing.currency ?? item.currency
  const listRow = bestRow(inputs.rows, pricing.effectivePriceListCode, item, currency, quantity, date)
  const actionRow = bestRow(inputs.rows, pricing.actionPriceListCode, item, currency, quantity, date)
  const useAction = actionRow !== null && (listRow === null || decimal(actionRow.price) < decimal(listRow.price))
  const row = useAction ? actionRow : listRow
  const listSource: ListSource = row
    ? useAction
      ? 'actionPriceList'
      : 'priceList'
    : item.price !== null && sameCode(item.currency, currency)
      ? 'itemBasePrice'
      : 'none'
  const listPrice = row ? row.price : listSource === 'itemBasePrice' ? item.price : null
  const discount = useAction ? null : discountOf(inputs, pricing, item.itemCode, quantity, date)
  const list = row ? inputs.lists[row.priceListCode] : undefined
  return {
    basePrice: item.price,
    currency,
    discountPercent: discount?.percent ?? 0,
    discountSource: discount?.source ?? 'none',
    hidePrices: pricing.hidePrices,
    listPrice,
    listSource,
    netPrice: listPrice === null ? null : netOf(listPrice, discount?.percent ?? 0),
    priceListCode: row ? row.priceListCode : null,
    pricesIncludeVat: list?.pricesIncludeVat ?? false,
    row: row ? {fromQuantity: row.fromQuantity, validFrom: row.validFrom, validTo: row.validTo} : null,
    unit: item.unit,
  }
}

function discountOf(
  inputs: PriceInputs,
  pricing: PricingProfile,
  itemCode: string,
  quantity: number,
  date: string,
): {percent: number; source: DiscountSource} | null {
  const rule = matchingRule(inputs.discountGroup, itemCode, quantity, date)
  if (rule) return {percent: rule.percent, source: 'discountGroup'}
  if (pricing.discountPercent > 0) return {percent: pricing.discountPercent, source: 'customer'}
  return null
}

/** Rule 4's equality: two prices are equal when they differ by less than 0.005 (null equals only null). */
export function samePrice(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b
  return equalPrices(a, b)
}
