/**
 * Price histories: one customer's price of one item (a quantity, today) through ERP (→ export) → CMS → app,
 * webshop. The ERP (or its export) writes the customer's pricing profile and the rows of two lists; the
 * CMS's `customers` and `prices` runs carry them; publishing, device refreshes and webshop republishes move
 * them on. Every time is in minutes before now.
 */

type At = {ago: number}
type UserId = 'u-1' | 'u-2'

/** The two lists of the histories: the customer points at one of them (or at none: the base price). */
export const priceLists = ['HL-A', 'HL-B'] as const
export type PriceListCode = (typeof priceLists)[number]

/** A list's rows for the item: the price from quantity 0 and the tier from quantity 10. */
export interface ListRows {
  base: number
  tier: number
}

export type PriceRunEvent = At & {
  kind: 'sync'
  entity: 'customers' | 'prices'
  mode: 'auto' | 'full' | 'targeted'
  /** A targeted customers run names the customer (or another one); a targeted prices run names this list. */
  covers: boolean
  list: PriceListCode
  publishApp: boolean
  publishWebshop: boolean
}

export type PriceEvent =
  /** The ERP holds the customer (sales rep SR1), the item and both lists from here on. */
  | (At & {kind: 'erp-setup'; list: PriceListCode | null; discount: number; rows: Record<PriceListCode, ListRows>})
  /** The ERP writes the customer's pricing profile: another list (or none), another discount. */
  | (At & {kind: 'erp-pricing'; list: PriceListCode | null; discount: number})
  /** The ERP changes the item's rows on a list. */
  | (At & {kind: 'erp-row'; list: PriceListCode; rows: ListRows})
  /** ftp: the export job writes every file from the ERP's data; `omits`: a list it leaves out of the price file. */
  | (At & {kind: 'export'; omits: PriceListCode | null})
  | PriceRunEvent
  | (At & {kind: 'refresh'; user: UserId})
  /** The webshop's prices (every list) and the customer republished from the CMS. */
  | (At & {kind: 'republish'})

export interface PriceHistory {
  entity: 'price'
  /** The quantity traced (`--quantity`): 1 prices from the base row, 12 from the tier. */
  quantity: number
  events: PriceEvent[]
}

/** The customer and item of the price histories (`trace price 41200 H-300`). */
export const priceKeys = {customer: '41200', item: 'H-300', basePrice: 250} as const
