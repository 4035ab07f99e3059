import {randomBytes} from 'node:crypto'

import {pageSizeOf} from '../../../emulation/service.js'

export type Json = Record<string, unknown>

/** Visma.net ERP as the sandbox holds it: DTOs in the API's own field names, the Visma Connect client, the window. */
export interface VismaNetState {
  tenantId: string
  clientId: string
  clientSecret: string
  companyId: string
  companyName: string
  customers: Json[]
  inventory: Json[]
  salesOrders: Json[]
  /** `CustomerSalesPriceDto`s (ScreenId AR202000), by `recordId`. */
  salesPrices: Json[]
  /** Each customer's price class as the prices set it, laid over its record. */
  customerPriceClasses: Map<string, {priceClass: string | null; modifiedAt: string}>
  /** The fixed window per company and client, as `X-RateLimit-*` states it. */
  rateLimit: {limit: number; windowMs: number}
  window: {startedAt: number; count: number}
  /**
   * The tenant's maximum page size: a larger `pageSize` is limited to it ("will be limited to max page
   * size"), and each entry's `metadata.maxPageSize` states it. 1000 unless the seed's `maxPageSize` says less.
   */
  maxPageSize: number
  /** Requests answered 429, for tests to see that the client kept below the limit. */
  rejected: number
  tokens: string[]
}

/** A new company from the seed's `emulator` section, with a fresh client secret. */
export function createState(seed: Json): VismaNetState {
  const rate = (seed.rateLimit ?? {}) as {limit?: number; windowSeconds?: number}
  return {
    clientId: typeof seed.clientId === 'string' ? seed.clientId : 'a4s-synctrace',
    clientSecret: `sbx-vnet-secret-${randomBytes(12).toString('base64url')}`,
    companyId: typeof seed.companyId === 'string' ? seed.companyId : '1234567',
    companyName: typeof seed.companyName === 'string' ? seed.companyName : 'History AB',
    customerPriceClasses: new Map(),
    customers: [],
    inventory: [],
    maxPageSize: pageSizeOf(seed.maxPageSize, 1000),
    rateLimit: {limit: rate.limit ?? 120, windowMs: (rate.windowSeconds ?? 10) * 1000},
    rejected: 0,
    salesOrders: [],
    salesPrices: [],
    tenantId: typeof seed.tenantId === 'string' ? seed.tenantId : 'f3b9c2d4-7a1e-4c55-9e0b-2d6a8f4c1b70',
    tokens: [],
    window: {count: 0, startedAt: 0},
  }
}
