import {residue} from './planted.js'

/**
 * The scale sandbox's planted price differences: which residue of a price row's index (mod 100) plants which
 * class, and how many each pair of hops holds. A row is one price of one item on one list (key: list, item,
 * unit, currency, fromQuantity, validFrom); every other row is the same at every hop. The residues are apart
 * from the customers' and items' (`planted.ts`), and the rows' items are items no customer/item class touches.
 */
export const priceResidue = {
  /** In the source, changed after the last `prices` run: not in the CMS (nor published). */
  createdAfterSync: 31,
  /** In the CMS (and the app), gone from the source: stale. */
  removedFromSource: 32,
  /** The source's price is 1 higher, changed after the last run. */
  priceDiffers: 33,
  /** The source's row starts at `fromQuantity` 5, the CMS's at 0 (changed after the last run). */
  tierDiffers: 34,
  /** The source's row ends (`validTo`) 2027-06-30, the CMS's is open-ended (changed after the last run). */
  datesDiffer: 35,
  /** The source's row names an item that no hop has: the run skipped it (`unknown item …`). */
  unknownItem: 36,
  /** The source's row is in `kg`, the item in `st`: skipped (`unit kg differs from item unit st`). */
  unitDiffers: 37,
  /** The source's row had expired when the run read it: skipped (`row expired (validTo 2020-12-31)`). */
  expired: 38,
  /** In the CMS, never published to the app. */
  notPublishedToApp: 41,
  /** The app holds the row published before the CMS's write, with the price 1 lower. */
  appBehind: 42,
} as const

/** How many standard lists the rows are spread over (a contiguous block of indices each). */
export const standardLists = ['B2B', 'B2B-DK', 'B2B-FI', 'B2B-NO'] as const

/**
 * The customers with an action list of their own (`ACT-<code>`, one row for item `P00000000`): every 10 000th
 * from 500 (a few: `cms,webshop` compares each one's price of every item). The webshop holds their action row published before the CMS's last write, 1 higher: the price the
 * customer sees there differs from the CMS's for that item.
 */
export const pricedCustomerResidue = 500
export const pricedCustomerEvery = 10_000

/** How many indices below `records` are `r` modulo `every`. */
export function countResidue(records: number, r: number, every = 100): number {
  return records > r ? Math.floor((records - 1 - r) / every) + 1 : 0
}

/** The planted classes of prices per pair of hops. */
export type PlantedPriceCounts = Record<string, Record<string, number>>

/**
 * What `reconcile prices` must find, exactly, per pair: the source against the CMS (rows missing, stale,
 * differing in price, tier or dates, skipped by the run with their reason), the CMS against the app, and the
 * customers' prices in the webshop: of the priced customers (the others have no pricing of their own), every
 * item the webshop or the CMS prices for them.
 */
export function plantedPriceCounts(id: string, records: number): PlantedPriceCounts {
  const n = (r: number) => countResidue(records, r)
  const ftp = id === 'scale-ftp'
  const priced = countResidue(records, pricedCustomerResidue, pricedCustomerEvery)
  return {
    'cms,app': {
      'app-publish-behind': n(priceResidue.appBehind),
      'not-published-to-app': n(priceResidue.notPublishedToApp),
    },
    // Each priced customer's prices of every item: its action row, and the items' own webshop classes
    // (`planted.ts`) seen through the base price (their items are on no list). These names are the sandbox's
    // own, not yet reconcile's (`webshop-behind`, ...): `cms,webshop` is not run at scale (README).
    'cms,webshop': {
      'not-published-to-webshop': priced * (n(residue.notPublishedToWebshop) + n(residue.notAWebshopItem)),
      'only-in-webshop': priced * n(residue.onlyInWebshop),
      'webshop-base-price-differs': priced * (n(residue.webshopBehind) + n(residue.webshopDiffers)),
      'webshop-price-differs': priced,
    },
    // As `reconcile prices` keys rows (list, item, unit, currency, fromQuantity, validFrom) and classes them by
    // times: a changed tier is a new row (changed after the run started: created after it) and an old one the
    // source no longer has; a price or `validTo` changed after the run is `price-changed-after-sync`; the rows
    // the run skipped are `price-row-skipped` (their reason from `/sync/records`).
    [ftp ? 'ftp,cms' : 'erp,cms']: {
      'created-after-sync': n(priceResidue.createdAfterSync) + n(priceResidue.tierDiffers),
      [ftp ? 'not-in-export' : 'removed-from-erp']: n(priceResidue.removedFromSource) + n(priceResidue.tierDiffers),
      'price-changed-after-sync': n(priceResidue.priceDiffers) + n(priceResidue.datesDiffer),
      'price-row-skipped': n(priceResidue.unknownItem) + n(priceResidue.unitDiffers) + n(priceResidue.expired),
    },
  }
}
