import type {DiscountGroup, PriceList, PriceRow, PricingProfile} from '../model/price.js'
import {compareKeys} from '../util/key-order.js'
import type {PriceState, PublishedPrices} from './price-stores.js'
import type {InstallationState} from './state.js'

export type {CmsPrices, PriceState, PublishedPrices} from './price-stores.js'

/**
 * Customer prices as the sandbox's platform holds them (platform contract, "Prices: customer-specific
 * pricing"): the CMS's price lists, rows, discount groups and pricing profiles with their times, and what
 * was published of them to the app backend and the webshop. Kept beside the installation's state
 * (`state.prices`, created on first use) so a state built without prices (a history's) still has them.
 */

type Json = Record<string, unknown>

const published = (): PublishedPrices => ({discountGroups: new Map(), pricing: new Map(), rows: new Map()})

/** The installation's prices, created empty on first use. */
export function pricesOf(state: InstallationState): PriceState {
  state.prices ??= {
    app: published(),
    cms: {deduplicated: new Map(), discountGroups: new Map(), lists: new Map(), pricing: new Map(), rows: new Map()},
    webshop: published(),
  }
  return state.prices
}

/** The key of one item's rows on one list. */
export function rowsKey(priceListCode: string, itemCode: string): string {
  return `${priceListCode}\u0000${itemCode}`
}

/** The item codes that have rows on a list, in key order (UTF-8 bytes). */
export function itemsOfList(rows: Map<string, unknown>, priceListCode: string): string[] {
  const prefix = `${priceListCode}\u0000`
  return [...rows.keys()]
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length))
    .sort(compareKeys)
}

/** The contract's order of one item's rows: `fromQuantity`, then `validFrom` (null first). */
export function byRowOrder(a: Json, b: Json): number {
  const quantity = Number(a.fromQuantity) - Number(b.fromQuantity)
  if (quantity !== 0) return quantity
  return String(a.validFrom ?? '').localeCompare(String(b.validFrom ?? ''))
}

/**
 * The CMS's integer id of a list (`UsesPriceField`, built from a hash of the code as the real connectors do);
 * 1 means "no list: the item's base price".
 */
export function priceListIdOf(code: string | null): number {
  if (!code) return 1
  let hash = 0x811c9dc5
  for (const byte of Buffer.from(code)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return 100000 + (hash % 900000)
}

/** A customer's pricing profile as the CMS answers it; `fallback` the customer record when no profile was written. */
export function pricingAnswer(profile: Json | undefined, customer: Json): Json {
  const listCode = customer.priceListCode ? String(customer.priceListCode) : null
  const base: Json = profile ?? {
    actionPriceListCode: null,
    currency: null,
    customerCode: customer.customerCode,
    discountGroupCode: null,
    discountPercent: 0,
    effectivePriceListCode: listCode,
    erpModifiedAt: customer.erpModifiedAt ?? null,
    hidePrices: false,
    priceListCode: listCode,
    syncedAt: customer.syncedAt ?? null,
  }
  return {...base, priceListId: priceListIdOf((base.priceListCode as string | null) ?? null)}
}

/** The rule's profile from a pricing answer. */
export function profileOf(json: Json): PricingProfile {
  const code = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null)
  return {
    actionPriceListCode: code(json.actionPriceListCode),
    currency: code(json.currency),
    customerCode: String(json.customerCode),
    discountGroupCode: code(json.discountGroupCode),
    discountPercent: Number(json.discountPercent ?? 0),
    effectivePriceListCode: code(json.effectivePriceListCode) ?? code(json.priceListCode),
    hidePrices: json.hidePrices === true,
    priceListCode: code(json.priceListCode),
  }
}

export function listOf(json: Json): PriceList {
  return {
    active: json.active !== false,
    currency: (json.currency as string | null) ?? null,
    description: (json.description as string | null) ?? null,
    kind: json.kind === 'action' ? 'action' : 'standard',
    priceListCode: String(json.priceListCode),
    pricesIncludeVat: json.pricesIncludeVat === true,
  }
}

export function rowOf(json: Json): PriceRow {
  return {
    currency: String(json.currency),
    fromQuantity: Number(json.fromQuantity),
    itemCode: String(json.itemCode),
    price: Number(json.price),
    priceListCode: String(json.priceListCode),
    unit: String(json.unit),
    validFrom: (json.validFrom as string | null) ?? null,
    validTo: (json.validTo as string | null) ?? null,
  }
}

export function groupOf(json: Json): DiscountGroup {
  return {
    description: (json.description as string | null) ?? null,
    discountGroupCode: String(json.discountGroupCode),
    rules: ((json.rules as Json[] | undefined) ?? []).map((rule) => ({
      fromQuantity: Number(rule.fromQuantity ?? 0),
      itemCode: (rule.itemCode as string | null) ?? null,
      percent: Number(rule.percent),
      validFrom: (rule.validFrom as string | null) ?? null,
      validTo: (rule.validTo as string | null) ?? null,
    })),
  }
}

/** The same record apart from its times (`erpModifiedAt`, `syncedAt`, a source's `modifiedAt`), whatever the order of its fields. */
export function sameApartFromTimes(a: Json | undefined, b: Json): boolean {
  if (!a) return false
  const content = (record: Json) =>
    JSON.stringify(
      Object.keys(record)
        .filter((key) => key !== 'erpModifiedAt' && key !== 'syncedAt' && key !== 'modifiedAt')
        .sort()
        .map((key) => [key, record[key]]),
    )
  return content(a) === content(b)
}
