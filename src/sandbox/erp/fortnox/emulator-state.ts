import {randomBytes} from 'node:crypto'

import {pageSizeOf} from '../../../emulation/service.js'

export type Json = Record<string, unknown>

/** Fortnox v3 as the sandbox holds it: records in Fortnox's field names, with the change time it keeps. */
export interface FortnoxState {
  token: string
  companyName: string
  organisationNumber: string
  customers: Array<{record: Json; lastModified: string}>
  articles: Array<{record: Json; lastModified: string}>
  orders: Json[]
  /** `PriceList`s (`Code`, `Description`, `Comments`, `PreSelected`) and their prices (`PriceListItem` + `Date`). */
  priceLists: Json[]
  prices: Json[]
  /** Each customer's pricing fields (`PriceList`, `InvoiceDiscount`, `Currency`), laid over its record. */
  customerPricing: Map<string, Json>
  /** The largest page a list gives (a larger `limit` is limited to it); the seed's `maxPageSize`, else 500. */
  maxPageSize: number
}

/** A new company from the seed's `emulator` section, with a fresh access token. */
export function createState(seed: Json): FortnoxState {
  return {
    articles: [],
    companyName: typeof seed.companyName === 'string' ? seed.companyName : 'History AB',
    customerPricing: new Map(),
    customers: [],
    maxPageSize: pageSizeOf(seed.maxPageSize, 500),
    orders: [],
    priceLists: [],
    prices: [],
    organisationNumber: typeof seed.organisationNumber === 'string' ? seed.organisationNumber : '556000-0000',
    token: `sbx-fortnox-${randomBytes(12).toString('base64url')}`,
  }
}
