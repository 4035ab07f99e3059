import {itemsOfList, type PriceState} from '../price-state.js'
import {mapStore, type RecordStore} from '../record-store.js'

type Json = Record<string, unknown>

/** Records by key, read one at a time (a Map is one). */
export interface Lookup<V> {
  get(key: string): V | undefined
}

/**
 * The rows of a hop's price lists by `rowsKey(list, item)` (the CMS: the item's rows; a published hop: its entry),
 * and the items that have rows on a list, a page at a time in key order (UTF-8 bytes) after `after`.
 */
export interface ListRows<V> extends Lookup<V> {
  itemsOf(priceListCode: string, after: string | null, limit: number): {items: string[]; next: string | null}
}

/** What the app backend or the webshop holds as published (shapes as `PublishedPrices` in price-stores.ts). */
export interface PublishedPriceStores {
  pricing: Lookup<Json>
  rows: ListRows<Json>
  discountGroups: Lookup<Json>
}

/**
 * Customer prices at every hop as the platform's price routes read them (`cms-prices.ts`, `published-prices.ts`,
 * `price-views.ts`): the seeded installation's Maps (`priceStoresOf`), or the scale sandbox's generated rows
 * (`src/sandbox/scale/price-stores.ts`), so both sandboxes answer through the same routes.
 */
export interface PriceStores {
  cms: {lists: RecordStore; rows: ListRows<Json[]>; pricing: Lookup<Json>; discountGroups: RecordStore}
  app: PublishedPriceStores
  webshop: PublishedPriceStores
}

/** The items of a Map of rows on one list after `after`, at most `limit`, and the last of the page when more follow. */
function mapItemsOf(rows: () => Map<string, unknown>): ListRows<never>['itemsOf'] {
  return (priceListCode, after, limit) => {
    const items = itemsOfList(rows(), priceListCode)
    const start =
      after === null ? 0 : items.filter((item) => Buffer.compare(Buffer.from(item), Buffer.from(after)) <= 0).length
    const page = items.slice(start, start + limit)
    return {items: page, next: start + limit < items.length ? (page.at(-1) ?? null) : null}
  }
}

function mapRows<V>(rows: () => Map<string, V>): ListRows<V> {
  return {get: (key) => rows().get(key), itemsOf: mapItemsOf(rows)}
}

/** The seeded installation's prices (its `PriceState`, read at each call) as stores. */
export function priceStoresOf(prices: () => PriceState): PriceStores {
  const published = (hop: 'app' | 'webshop'): PublishedPriceStores => ({
    discountGroups: {get: (key) => prices()[hop].discountGroups.get(key)},
    pricing: {get: (key) => prices()[hop].pricing.get(key)},
    rows: mapRows(() => prices()[hop].rows),
  })
  return {
    app: published('app'),
    cms: {
      discountGroups: mapStore(() => prices().cms.discountGroups),
      lists: mapStore(() => prices().cms.lists),
      pricing: {get: (key) => prices().cms.pricing.get(key)},
      rows: mapRows(() => prices().cms.rows),
    },
    webshop: published('webshop'),
  }
}

/** A platform without prices (an empty state's). */
export const noPriceStores = (): PriceStores => {
  const none = (): PriceState => ({
    app: {discountGroups: new Map(), pricing: new Map(), rows: new Map()},
    cms: {deduplicated: new Map(), discountGroups: new Map(), lists: new Map(), pricing: new Map(), rows: new Map()},
    webshop: {discountGroups: new Map(), pricing: new Map(), rows: new Map()},
  })
  const empty = none()
  return priceStoresOf(() => empty)
}
