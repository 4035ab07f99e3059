import {randomBytes} from 'node:crypto'

import {pageSizeOf} from '../../../emulation/service.js'

export type Json = Record<string, unknown>

export interface DiscountRuleJson {
  itemCode: string | null
  fromQuantity: number
  percent: number
  validFrom: string | null
  validTo: string | null
}

/** Visma eAccounting as the sandbox holds it: records in the API's wire form, the client, the tokens. */
export interface VismaEAccountingState {
  companyName: string
  organisationNumber: string
  clientId: string
  clientSecret: string
  /** The one refresh token Visma Connect accepts now; every refresh spends it and issues the next. */
  refreshToken: string
  /** Visma Connect's "one-time" refresh tokens (the default) or "reuse" (the same one comes back). */
  refreshTokenUsage: 'one-time' | 'reuse'
  accessTokens: Set<string>
  customers: Json[]
  articles: Json[]
  orders: Json[]
  /** Pro variant prices in the API's wire form: `SalesPriceListApi`, `SalesPriceListRowApi`, `DiscountAgreementApi`. */
  salesPriceLists: Json[]
  salesPrices: Json[]
  discountAgreements: Json[]
  /** What the API does not show but eAccounting applies: each agreement's rules (by its Id), each price's article number (by ArticleId). */
  agreementRules: Map<string, DiscountRuleJson[]>
  priceArticleNumbers: Map<string, string>
  /** Each customer's pricing fields (`SalesPriceListId`, `DiscountAgreementId`, `DiscountPercentage`, ...), laid over its record. */
  customerPricing: Map<string, Json>
  /** The largest page the company's API gives (`$pagesize` above it is limited to it); the seed's `maxPageSize`. */
  maxPageSize: number
  /** 600 per minute per client and endpoint; a seed may make it smaller to see it at work. */
  rateLimit: {limit: number; windowMs: number}
  /** Requests answered 429 so far (a test reads it). */
  rejectedForRate: number
  /** Refresh tokens presented again after they were spent (a test reads it). */
  spentTokenReuses: number
}

/** A new company from the seed's `emulator` section, with a fresh client secret and refresh token. */
export function createState(seed: Json): VismaEAccountingState {
  const rateLimit = (seed.rateLimit ?? {}) as {limit?: number; windowMs?: number}
  return {
    accessTokens: new Set(),
    agreementRules: new Map(),
    articles: [],
    clientId: 'synctrace-sandbox',
    clientSecret: `sbx-visma-secret-${randomBytes(12).toString('base64url')}`,
    companyName: typeof seed.companyName === 'string' ? seed.companyName : 'Sandbox AB',
    customerPricing: new Map(),
    customers: [],
    discountAgreements: [],
    maxPageSize: pageSizeOf(seed.maxPageSize, 1000),
    orders: [],
    priceArticleNumbers: new Map(),
    organisationNumber: typeof seed.organisationNumber === 'string' ? seed.organisationNumber : '556000-0000',
    rateLimit: {limit: rateLimit.limit ?? 600, windowMs: rateLimit.windowMs ?? 60_000},
    refreshToken: `sbx-visma-refresh-${randomBytes(18).toString('base64url')}`,
    refreshTokenUsage: seed.refreshTokenUsage === 'reuse' ? 'reuse' : 'one-time',
    rejectedForRate: 0,
    salesPriceLists: [],
    salesPrices: [],
    spentTokenReuses: 0,
  }
}
