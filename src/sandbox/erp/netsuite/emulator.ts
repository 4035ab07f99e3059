import {
  type BookedOrder,
  defineErpEmulator,
  type SourceCustomer,
  type SourceItem,
  type EmulatedErpSection,
} from '../../../emulation/erp-emulator.js'
import {handler} from './emulator-handler.js'
import {netSuiteSourcePrices, netSuiteSourcePricing, putNetSuitePrices} from './emulator-prices.js'
import {
  platformCustomer,
  platformItem,
  text,
  toNetSuiteCustomer,
  toNetSuiteItem,
  toNetSuiteSalesOrder,
} from './emulator-records.js'
import {createState, type NetSuiteState} from './emulator-state.js'

export type {NetSuiteState, NetSuiteStats} from './emulator-state.js'

const credentialFields = [
  'accountId',
  'consumerKey',
  'consumerSecret',
  'tokenId',
  'tokenSecret',
  'clientId',
  'certificateId',
  'privateKey',
  'publicKey',
] as const

/**
 * Oracle NetSuite's SuiteTalk REST on loopback: TBA with a real HMAC-SHA256 check (nonces refused twice) and
 * the client-credentials token endpoint (PS256/ES256 JWTs), the account's concurrency limit (429
 * CONCURRENCY_LIMIT_EXCEEDED), record collections with `q` and `limit`/`offset` pages, records with and
 * without their sublists, `eid:` external ids, the item SuiteQL of the connector, and prices (price levels, the
 * pricing matrix, customers' levels: `emulator-prices.ts`).
 */
export const netsuiteEmulator = defineErpEmulator<NetSuiteState>({
  clearOrders: (state) => {
    state.salesOrders = []
  },
  cmsSystem: 'netsuite',
  create: createState,
  handler,
  hasCustomer: (state, code) => state.customers.some((entry) => entry.record.entityId === code),
  hasItem: (state, code) => state.items.some((entry) => entry.record.itemId === code),
  keepCredentials: (running, next) => {
    for (const field of credentialFields) next[field] = running[field]
    next.stats = running.stats
  },
  profile: (state, url): EmulatedErpSection => ({
    accountId: state.accountId,
    concurrency: 2,
    system: 'netsuite',
    url,
    ...(state.auth === 'oauth2'
      ? {certificateId: state.certificateId, clientId: state.clientId, privateKey: state.privateKey}
      : {
          consumerKey: state.consumerKey,
          consumerSecret: state.consumerSecret,
          tokenId: state.tokenId,
          tokenSecret: state.tokenSecret,
        }),
  }),
  putCustomer: (state, customer, modifiedAt) => {
    const existing = state.customers.find((entry) => entry.record.entityId === customer.customerCode)
    const id = existing?.id ?? String(state.nextId++)
    const record = toNetSuiteCustomer(state, id, customer, modifiedAt)
    if (existing) existing.record = record
    else state.customers.push({id, record})
  },
  putItem: (state, item, modifiedAt) => {
    const existing = state.items.find((entry) => entry.record.itemId === item.itemCode)
    const id = existing?.id ?? String(state.nextId++)
    const record = toNetSuiteItem(id, item, modifiedAt)
    if (existing) existing.record = record
    else state.items.push({id, itemType: 'InvtPart', record})
  },
  putPrices: putNetSuitePrices,
  putOrder: (state, order: BookedOrder) => {
    const customer = state.customers.find((entry) => entry.record.entityId === order.customerCode)
    const id = String(state.nextId++)
    state.salesOrders = state.salesOrders.filter((entry) => entry.record.externalId !== order.orderNr)
    state.salesOrders.push({id, record: toNetSuiteSalesOrder(id, order, customer)})
  },
  removeCustomer: (state, code) => {
    state.customers = state.customers.filter((entry) => entry.record.entityId !== code)
  },
  removeItem: (state, code) => {
    state.items = state.items.filter((entry) => entry.record.itemId !== code)
  },
  secrets: (state) => [state.consumerKey, state.consumerSecret, state.tokenId, state.tokenSecret, state.privateKey],
  // The platform's NetSuite connector reads active customers only, and skips one without a code or name.
  sourceCustomers: (state, previous): SourceCustomer[] =>
    state.customers
      .filter(({record}) => record.isInactive !== true)
      .map(({record}) => ({
        code: text(record.entityId),
        modifiedAt: record.lastModifiedDate ?? null,
        problem: null,
        record: platformCustomer(record, previous(text(record.entityId))),
      }))
      .filter((entry) => entry.code !== '' && entry.record.name !== ''),
  sourcePrices: netSuiteSourcePrices,
  sourcePricing: netSuiteSourcePricing,
  sourceItems: (state, previous): SourceItem[] =>
    state.items.map(({record}) => ({
      code: text(record.itemId),
      modifiedAt: record.lastModifiedDate ?? null,
      record: platformItem(record, previous(text(record.itemId))),
    })),
  system: 'netsuite',
})
