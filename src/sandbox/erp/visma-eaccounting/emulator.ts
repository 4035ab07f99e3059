import {type BookedOrder, defineErpEmulator, type EmulatedErpSection} from '../../../emulation/erp-emulator.js'
import type {PlatformItemJson} from '../../../emulation/records.js'
import {handler} from './emulator-handler.js'
import {sourceCustomer, sourceItem, toWireArticle, toWireCustomer, toWireOrder} from './emulator-records.js'
import {applyPricing, putPrices, sourcePrices, sourcePricing} from './emulator-prices.js'
import {createState, type VismaEAccountingState} from './emulator-state.js'

export type {VismaEAccountingState} from './emulator-state.js'

/** Visma eAccounting in the sandbox: its records, the Visma Connect client with rotating refresh tokens, the quota per endpoint. */
export const vismaEAccountingEmulator = defineErpEmulator<VismaEAccountingState>({
  clearOrders: (state) => {
    state.orders = []
  },
  cannotSupply: ['salesRep'],
  cmsSystem: 'visma',
  create: createState,
  handler: (state) => handler(state),
  hasCustomer: (state, code) => state.customers.some((entry) => entry.CustomerNumber === code),
  hasItem: (state, code) => state.articles.some((entry) => entry.Number === code),
  keepCredentials: (running, next) => {
    Object.assign(next, {
      accessTokens: running.accessTokens,
      clientId: running.clientId,
      clientSecret: running.clientSecret,
      refreshToken: running.refreshToken,
      refreshTokenUsage: running.refreshTokenUsage,
    })
  },
  profile: (state, url): EmulatedErpSection => ({
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    refreshToken: state.refreshToken,
    system: 'visma-eaccounting',
    tokenUrl: `${url}/connect/token`,
    url,
  }),
  putCustomer: (state, customer, modifiedAt) => {
    const record = toWireCustomer(customer, modifiedAt)
    applyPricing(state, record)
    state.customers = [...state.customers.filter((entry) => entry.CustomerNumber !== customer.customerCode), record]
  },
  putItem: (state, item: PlatformItemJson, modifiedAt) => {
    state.articles = [
      ...state.articles.filter((entry) => entry.Number !== item.itemCode),
      toWireArticle(item, modifiedAt),
    ]
  },
  putPrices,
  putOrder: (state, order: BookedOrder) => {
    const customer = state.customers.find((entry) => entry.CustomerNumber === order.customerCode)
    state.orders = [
      ...state.orders.filter((entry) => String(entry.Number) !== order.documentNumber),
      toWireOrder(order, customer),
    ]
  },
  removeCustomer: (state, code) => {
    state.customers = state.customers.filter((entry) => entry.CustomerNumber !== code)
  },
  removeItem: (state, code) => {
    state.articles = state.articles.filter((entry) => entry.Number !== code)
  },
  secrets: (state) => [state.clientSecret, state.refreshToken, ...state.accessTokens],
  // The platform lists customers with IsActive eq true; CustomerCode and CustomerName are mandatory.
  sourceCustomers: (state, previous) =>
    state.customers.filter((entry) => entry.IsActive !== false).map((entry) => sourceCustomer(entry, previous)),
  sourceItems: (state, previous) => state.articles.map((entry) => sourceItem(entry, previous(String(entry.Number)))),
  sourcePrices,
  sourcePricing,
  system: 'visma-eaccounting',
})
