import type {SandboxRequest} from '../../emulation/service.js'
import {type PriceInputs, type ResolvedPrice, resolvePrice} from '../../model/price.js'
import {groupOf, listOf, pricingAnswer, profileOf, rowOf, rowsKey} from '../price-state.js'
import type {PlatformBacking} from './backing.js'
import type {PriceStores, PublishedPriceStores} from './price-backing.js'

type Json = Record<string, unknown>

/**
 * What one hop of the platform holds of a price's inputs (the CMS's records, or what was published to the app
 * backend or the webshop, with when), and the contract's rule computed over them.
 */
export interface PriceHopView {
  /** The customer's pricing profile as the hop holds it, with its publish time (the CMS: its sync time). */
  pricing(customerCode: string): {record: Json; publishedAt: unknown} | undefined
  item(itemCode: string): {record: Json; publishedAt: unknown} | undefined
  rows(priceListCode: string, itemCode: string): {rows: Json[]; publishedAt: unknown} | undefined
  group(code: string): {record: Json; publishedAt: unknown} | undefined
}

/** The CMS's own records. */
export function cmsView(backing: PlatformBacking, prices: PriceStores): PriceHopView {
  return {
    group: (code) => {
      const record = prices.cms.discountGroups.get(code)
      return record && {publishedAt: record.syncedAt, record}
    },
    item: (code) => {
      const record = backing.cms.items.get(code)
      return record && {publishedAt: record.syncedAt, record}
    },
    pricing: (code) => {
      const customer = backing.cms.customers.get(code)
      if (!customer) return undefined
      const record = pricingAnswer(prices.cms.pricing.get(code), customer)
      return {publishedAt: record.syncedAt, record}
    },
    rows: (list, item) => {
      const rows = prices.cms.rows.get(rowsKey(list, item))
      return rows && {publishedAt: rows[0]?.syncedAt ?? null, rows}
    },
  }
}

/** What was published to the app backend (its customer's profile, else the published customer record's list). */
export function appView(backing: PlatformBacking, prices: PriceStores): PriceHopView {
  return publishedView(prices.app, {
    customer: (code) => backing.app.customers.get(code),
    item: (code) => {
      const entry = backing.app.items.get(code)
      return entry && {publishedAt: entry.publishedAt, record: entry.record as Json}
    },
  })
}

/** What was published to the webshop: its item's base price; the unit and currency it prices in are the CMS item's. */
export function webshopView(backing: PlatformBacking, prices: PriceStores): PriceHopView {
  return publishedView(prices.webshop, {
    customer: (code) => backing.webshop.customers.get(code),
    item: (code) => {
      const entry = backing.webshop.items.get(code)
      if (!entry) return undefined
      const cms = backing.cms.items.get(code) ?? {}
      return {
        publishedAt: entry.publishedAt,
        record: {currency: cms.currency ?? null, itemCode: code, price: entry.price, unit: cms.unit ?? null},
      }
    },
  })
}

function publishedView(
  hop: PublishedPriceStores,
  records: {
    customer: (code: string) => Json | undefined
    item: (code: string) => {record: Json; publishedAt: unknown} | undefined
  },
): PriceHopView {
  return {
    group: (code) => {
      const entry = hop.discountGroups.get(code)
      return entry && {publishedAt: entry.publishedAt, record: entry.record as Json}
    },
    item: records.item,
    pricing: (code) => {
      const entry = hop.pricing.get(code)
      if (entry) return {publishedAt: entry.publishedAt, record: entry.record as Json}
      const customer = records.customer(code)
      return customer && {publishedAt: customer.publishedAt, record: pricingAnswer(undefined, customer.record as Json)}
    },
    rows: (list, item) => {
      const entry = hop.rows.get(rowsKey(list, item))
      return entry && {publishedAt: entry.publishedAt, rows: (entry.record as {prices: Json[]}).prices}
    },
  }
}

/** The inputs one hop holds for a customer and an item, with the publish time of each; undefined when either is unknown. */
export function hopInputs(view: PriceHopView, prices: PriceStores, customerCode: string, itemCode: string) {
  const pricing = view.pricing(customerCode)
  const item = view.item(itemCode)
  if (!pricing || !item) return undefined
  const profile = profileOf(pricing.record)
  const listRows = profile.effectivePriceListCode ? view.rows(profile.effectivePriceListCode, itemCode) : undefined
  const actionRows = profile.actionPriceListCode ? view.rows(profile.actionPriceListCode, itemCode) : undefined
  const group = profile.discountGroupCode ? view.group(profile.discountGroupCode) : undefined
  const lists: Record<string, ReturnType<typeof listOf>> = {}
  for (const code of [profile.effectivePriceListCode, profile.actionPriceListCode]) {
    const list = code ? prices.cms.lists.get(code) : undefined
    if (code && list) lists[code] = listOf(list)
  }
  const inputs: PriceInputs = {
    discountGroup: group ? groupOf(group.record) : null,
    item: {
      currency: (item.record.currency as string | null) ?? null,
      itemCode,
      price: typeof item.record.price === 'number' ? item.record.price : null,
      unit: (item.record.unit as string | null) ?? null,
    },
    lists,
    pricing: profile,
    rows: [...(listRows?.rows ?? []), ...(actionRows?.rows ?? [])].map(rowOf),
  }
  const publishedAt = {
    actionPriceListRows: profile.actionPriceListCode ? (actionRows?.publishedAt ?? null) : null,
    customer: pricing.publishedAt ?? null,
    discountGroup: profile.discountGroupCode ? (group?.publishedAt ?? null) : null,
    item: item.publishedAt ?? null,
    priceListRows: profile.effectivePriceListCode ? (listRows?.publishedAt ?? null) : null,
  }
  return {inputs, publishedAt}
}

/** `quantity` (a whole number ≥ 1, default 1) and `date` (`yyyy-MM-dd`, default today in the installation's zone), or why not. */
export function priceQuery(
  request: SandboxRequest,
  backing: PlatformBacking,
): {quantity: number; date: string} | {problem: string} {
  const rawQuantity = request.query.get('quantity')
  const quantity = rawQuantity === null ? 1 : Number(rawQuantity)
  if (!Number.isInteger(quantity) || quantity < 1) return {problem: 'quantity must be a whole number of at least 1.'}
  const date = request.query.get('date') ?? todayIn(backing)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
    return {problem: 'date must be a date as yyyy-MM-dd.'}
  return {date, quantity}
}

/** Today in the installation's zone (its auto-sync's), as `yyyy-MM-dd`. */
function todayIn(backing: PlatformBacking): string {
  const zone = ((backing.installation().autoSync as {timezone?: string} | undefined)?.timezone ?? 'UTC') || 'UTC'
  return new Intl.DateTimeFormat('en-CA', {day: '2-digit', month: '2-digit', timeZone: zone, year: 'numeric'}).format(
    new Date(),
  )
}

/** The CMS's `/prices/resolve` answer (the request echoed, then the rule's result). */
export function resolvedAnswer(
  customerCode: string,
  itemCode: string,
  query: {quantity: number; date: string},
  resolved: ResolvedPrice,
): Json {
  return {customerCode, date: query.date, itemCode, quantity: query.quantity, ...resolved}
}

export {resolvePrice}
