/** The shapes of the platform's customer prices in the sandbox's state (`price-state.ts` works on them). */

type Json = Record<string, unknown>

/** The CMS's prices. Rows by `rowsKey(list, item)`, in the contract's order; every record carries `syncedAt`. */
export interface CmsPrices {
  lists: Map<string, Json>
  rows: Map<string, Json[]>
  /** Each customer's pricing profile, written by the `customers` run; absent: the customer record's list, nothing else. */
  pricing: Map<string, Json>
  discountGroups: Map<string, Json>
  /** Customers the CMS's price deduplication maps onto another list with the same prices: customer → that list. */
  deduplicated: Map<string, string>
}

/**
 * What a hop (the app backend, the webshop) holds as published: `{customerCode, publishedAt, visibleToUserIds?, record}`
 * per customer, `{priceListCode, itemCode, publishedAt, record: {prices}}` per list and item, `{discountGroupCode, publishedAt, record}`.
 */
export interface PublishedPrices {
  pricing: Map<string, Json>
  rows: Map<string, Json>
  discountGroups: Map<string, Json>
}

export interface PriceState {
  cms: CmsPrices
  app: PublishedPrices
  webshop: PublishedPrices
}
