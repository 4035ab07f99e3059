import {defineErpEmulator} from '../../../emulation/erp-emulator.js'
import {fortnoxHandler} from './emulator-handler.js'
import {sourceCustomers, sourceItems, toFortnoxArticle, toFortnoxCustomer, toFortnoxOrder} from './emulator-records.js'
import {createState, type FortnoxState} from './emulator-state.js'
import {applyPricing, putPrices, sourcePrices, sourcePricing} from './emulator-prices.js'

export type {FortnoxState} from './emulator-state.js'

function removeCustomer(state: FortnoxState, code: string): void {
  state.customers = state.customers.filter((entry) => entry.record.CustomerNumber !== code)
}

function removeItem(state: FortnoxState, code: string): void {
  state.articles = state.articles.filter((entry) => entry.record.ArticleNumber !== code)
}

/** Fortnox API v3 in the sandbox: one company, its access token, the 25-requests-per-5-s limit per token. */
export const fortnoxEmulator = defineErpEmulator<FortnoxState>({
  clearOrders: (state) => {
    state.orders = []
  },
  cmsSystem: 'fortnox',
  create: createState,
  handler: (state) => fortnoxHandler(state),
  hasCustomer: (state, code) => state.customers.some((entry) => entry.record.CustomerNumber === code),
  hasItem: (state, code) => state.articles.some((entry) => entry.record.ArticleNumber === code),
  // The CMS's Fortnox connector finds its orders by the platform's order number: it notes no document number.
  historyOrder: {documentNumber: '1044', noted: false},
  noChangeTimes: true,
  // A new state brings a new access token, which the running handler then checks.
  keepCredentials: () => undefined,
  profile: (state, url) => ({system: 'fortnox', token: state.token, url}),
  putCustomer: (state, customer, modifiedAt) => {
    removeCustomer(state, customer.customerCode)
    const record = toFortnoxCustomer(customer)
    applyPricing(state, record)
    state.customers.push({lastModified: modifiedAt, record})
  },
  putItem: (state, item, modifiedAt) => {
    removeItem(state, item.itemCode)
    state.articles.push({lastModified: modifiedAt, record: toFortnoxArticle(item)})
  },
  putOrder: (state, order) => {
    state.orders.push(toFortnoxOrder(order))
  },
  putPrices,
  removeCustomer,
  removeItem,
  secrets: (state) => [state.token],
  sourceCustomers,
  sourceItems,
  sourcePrices,
  sourcePricing,
  system: 'fortnox',
  // The sandbox's Fortnox API only reads (its handler answers 405 to anything but GET): an order sent again leaves no record there.
  takeResentOrder: () => ({documentNumber: null}),
})
