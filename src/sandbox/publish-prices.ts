import {itemsOfList, pricesOf, pricingAnswer, rowsKey} from './price-state.js'
import type {InstallationState} from './state.js'

type Json = Record<string, unknown>
type Targets = {app: boolean; webshop: boolean}

/** What a published record carries of the CMS's: not its sync times. */
const withoutTimes = ({erpModifiedAt: _e, syncedAt: _s, ...rest}: Json): Json => rest

/**
 * Publishes a customer's pricing profile with the customer (the CMS's rule: republishing a customer
 * republishes its pricing): to the app for the users who see the customer, and to the webshop.
 */
export function publishPricing(state: InstallationState, code: string, at: string, targets: Targets): void {
  const customer = state.cms.customers.get(code)
  if (!customer) return
  const prices = pricesOf(state)
  const record = withoutTimes(pricingAnswer(prices.cms.pricing.get(code), customer))
  if (targets.app) {
    const visibleToUserIds = (state.app.customers.get(code)?.visibleToUserIds as string[] | undefined) ?? []
    prices.app.pricing.set(code, {customerCode: code, publishedAt: at, record, visibleToUserIds})
  }
  if (targets.webshop) prices.webshop.pricing.set(code, {customerCode: code, publishedAt: at, record})
}

/** Publishes one list's rows of one item (none left: the item's rows are gone from that hop too). */
export function publishRows(
  state: InstallationState,
  priceListCode: string,
  itemCode: string,
  at: string,
  targets: Targets,
): void {
  const prices = pricesOf(state)
  const key = rowsKey(priceListCode, itemCode)
  const rows = prices.cms.rows.get(key)
  for (const hop of [targets.app ? prices.app : null, targets.webshop ? prices.webshop : null]) {
    if (!hop) continue
    if (!rows) hop.rows.delete(key)
    else hop.rows.set(key, {itemCode, priceListCode, publishedAt: at, record: {prices: rows.map(withoutTimes)}})
  }
}

/** Publishes a discount group as the CMS holds it. */
export function publishGroup(state: InstallationState, code: string, at: string, targets: Targets): void {
  const prices = pricesOf(state)
  const group = prices.cms.discountGroups.get(code)
  if (!group) return
  const entry = {discountGroupCode: code, publishedAt: at, record: withoutTimes(group)}
  if (targets.app) prices.app.discountGroups.set(code, entry)
  if (targets.webshop) prices.webshop.discountGroups.set(code, {...entry})
}

/**
 * `POST /republish {entity: "prices", keys}` done: the rows of those lists (null: every list), and every
 * discount group, pushed to the webshop again; items whose rows the CMS no longer holds leave it.
 */
export function republishPrices(state: InstallationState, keys: string[] | null, doneAt: string): void {
  const prices = pricesOf(state)
  const lists = keys ?? [...prices.cms.lists.keys()]
  const targets = {app: false, webshop: true}
  for (const list of lists) {
    const items = new Set([...itemsOfList(prices.cms.rows, list), ...itemsOfList(prices.webshop.rows, list)])
    for (const item of items) publishRows(state, list, item, doneAt, targets)
  }
  for (const code of prices.cms.discountGroups.keys()) publishGroup(state, code, doneAt, targets)
}
