import {generateKeyPairSync, randomBytes} from 'node:crypto'

import {pageSizeOf} from '../../../emulation/service.js'

export type Json = Record<string, unknown>

/** What the emulator counts, for tests: requests refused over the concurrency limit, the most in flight. */
export interface NetSuiteStats {
  rejectedForConcurrency: number
  maxInFlight: number
  refusedLogins: number
}

/** One price of the matrix: an item's price on a level in a currency from a quantity break (`priceqty`) on. */
export interface PricingLine {
  item: string
  pricelevel: string
  currency: string
  /** The break's number (1 the first); `priceqty` its lower bound. */
  quantity: number
  priceqty: number
  saleunit: string
  unitprice: number
}

/** NetSuite as the sandbox holds it: records in the REST record API's wire form, by internal id. */
export interface NetSuiteState {
  accountId: string
  companyName: string
  /** How the sandbox's profile signs in: token-based authentication or OAuth 2.0 client credentials. */
  auth: 'tba' | 'oauth2'
  consumerKey: string
  consumerSecret: string
  tokenId: string
  tokenSecret: string
  clientId: string
  certificateId: string
  privateKey: string
  publicKey: string
  /** The account's concurrency limit (a developer account has 5). */
  concurrencyLimit: number
  /** Requests other integrations of the account hold in flight (the platform's own connector, say). */
  othersInFlight: number
  /** How long the emulated server works on one request, so that requests overlap as on the real one. */
  workMs: number
  /** Does the integration's role have the SuiteQL permission (SuiteAnalytics Workbook)? */
  suiteqlAllowed: boolean
  /** A OneWorld account has subsidiaries; any other has no subsidiary record type at all. */
  oneWorld: boolean
  /** The largest page the account gives (a larger `limit` is limited to it); the seed's `maxPageSize`, else 1000. */
  maxPageSize: number
  customers: Array<{id: string; record: Json}>
  items: Array<{id: string; itemType: string; record: Json}>
  salesOrders: Array<{id: string; record: Json}>
  /** SuiteQL `pricelevel` (id 1 the base price level), `currency` and `pricing` (the matrix of the other levels). */
  priceLevels: Array<{id: string; name: string; discountpct: number; isinactive: 'T' | 'F'}>
  currencies: Array<{id: string; name: string; symbol: string}>
  pricing: PricingLine[]
  nextId: number
  stats: NetSuiteStats
}

let certificateKeys: {privateKey: string; publicKey: string} | null = null

/**
 * The certificate's RSA key pair, made once per process: a 2048-bit key takes about 100 ms to make, which a
 * fleet of hundreds of sandbox accounts would pay each time. Each account keeps its own certificate id.
 */
function sharedCertificateKeys(): {privateKey: string; publicKey: string} {
  if (!certificateKeys) {
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    certificateKeys = {
      privateKey: privateKey.export({format: 'pem', type: 'pkcs8'}).toString(),
      publicKey: publicKey.export({format: 'pem', type: 'spki'}).toString(),
    }
  }
  return certificateKeys
}

/** A new account from the seed's `emulator` section: fresh secrets and a certificate (the process's key pair). */
export function createState(seed: Json): NetSuiteState {
  const {privateKey, publicKey} = sharedCertificateKeys()
  const secret = (kind: string) => `sbx-ns-${kind}-${randomBytes(16).toString('hex')}`
  return {
    accountId: typeof seed.accountId === 'string' ? seed.accountId : '7654321_SB1',
    auth: seed.auth === 'oauth2' ? 'oauth2' : 'tba',
    certificateId: `sbx-cert-${randomBytes(8).toString('hex')}`,
    clientId: randomBytes(32).toString('hex'),
    companyName: typeof seed.companyName === 'string' ? seed.companyName : 'History AB',
    concurrencyLimit: typeof seed.concurrencyLimit === 'number' ? seed.concurrencyLimit : 5,
    consumerKey: randomBytes(32).toString('hex'),
    consumerSecret: secret('consumer'),
    currencies: [{id: '1', name: 'Swedish Krona', symbol: 'SEK'}],
    customers: [],
    items: [],
    maxPageSize: pageSizeOf(seed.maxPageSize, 1000),
    nextId: 100,
    oneWorld: seed.oneWorld !== false,
    othersInFlight: 0,
    priceLevels: [{discountpct: 0, id: '1', isinactive: 'F', name: 'Base Price'}],
    pricing: [],
    privateKey,
    publicKey,
    salesOrders: [],
    stats: {maxInFlight: 0, refusedLogins: 0, rejectedForConcurrency: 0},
    suiteqlAllowed: seed.suiteqlAllowed !== false,
    tokenId: randomBytes(32).toString('hex'),
    tokenSecret: secret('token'),
    workMs: typeof seed.workMs === 'number' ? seed.workMs : 5,
  }
}
