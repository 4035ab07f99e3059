import {randomBytes} from 'node:crypto'

import {pageSizeOf} from '../../../emulation/service.js'

export type Json = Record<string, unknown>

/** Business Central as the sandbox holds it: one company's API entities, and the Entra ID app that reaches it. */
export interface BusinessCentralState {
  tenant: string
  environment: string
  companyId: string
  companyName: string
  clientId: string
  clientSecret: string
  customers: Json[]
  shipToAddresses: Json[]
  items: Json[]
  salesOrders: Json[]
  /** The platform extension's price pages: `Price List Header`s, `Price List Line`s, each customer's price settings. */
  priceLists: Json[]
  priceListLines: Json[]
  customerPricing: Json[]
  /** The largest page the environment gives, whatever `odata.maxpagesize` asks: 20 000 online, else the seed's `maxPageSize`. */
  maxPageSize: number
  /** Does this Business Central have the platform's AL extension? Without it the ship-to route answers 404. */
  shipToExtension: boolean
  /** Does the extension have its price pages (the seed's `priceExtension`, default: as `shipToExtension`)? */
  priceExtension?: boolean
  /**
   * The access tokens the token endpoint issued and how many token requests it answered (a test counts them,
   * or revokes every token by clearing `issued`). Made on the first request.
   */
  tokens?: {issued: Set<string>; requests: number}
}

/** Business Central apart from its records: the company, the app registration, the environment's limits. */
export type BusinessCentralCompany = Omit<
  BusinessCentralState,
  'customers' | 'shipToAddresses' | 'items' | 'salesOrders' | 'priceLists' | 'priceListLines' | 'customerPricing'
>

const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback)

/** A new company from the seed's `emulator` section (a history's: its `shipToExtension` and `maxPageSize` knobs), with a fresh client secret. */
export function createState(seed: Json): BusinessCentralState {
  return {
    clientId: text(seed.clientId, 'history-client'),
    clientSecret: `sbx-bc-secret-${randomBytes(9).toString('base64url')}`,
    companyId: text(seed.companyId, '0b6d2e61-9f0a-4c1e-8a55-3d7e2b9c4f10'),
    companyName: text(seed.companyName, 'History AB'),
    customerPricing: [],
    customers: [],
    environment: text(seed.environment, 'Production'),
    items: [],
    maxPageSize: pageSizeOf(seed.maxPageSize, 20_000),
    priceExtension: typeof seed.priceExtension === 'boolean' ? seed.priceExtension : seed.shipToExtension !== false,
    priceListLines: [],
    priceLists: [],
    salesOrders: [],
    shipToAddresses: [],
    shipToExtension: seed.shipToExtension !== false,
    tenant: text(seed.tenant, 'history-tenant'),
  }
}
