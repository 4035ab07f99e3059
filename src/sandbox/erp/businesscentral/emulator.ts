import {defineErpEmulator} from '../../../emulation/erp-emulator.js'
import {businessCentralHandler} from './emulator-handler.js'
import {businessCentralSourcePrices, businessCentralSourcePricing, putBusinessCentralPrices} from './emulator-prices.js'
import {
  businessCentralProfile,
  sourceCustomers,
  sourceItems,
  toBusinessCentral,
  toBusinessCentralItem,
  toBusinessCentralSalesOrder,
} from './emulator-records.js'
import {type BusinessCentralState, createState} from './emulator-state.js'

export type {BusinessCentralState} from './emulator-state.js'

function removeCustomer(state: BusinessCentralState, code: string): void {
  state.customers = state.customers.filter((entity) => entity.number !== code)
  state.shipToAddresses = state.shipToAddresses.filter((entity) => entity.customerNumber !== code)
}

function removeItem(state: BusinessCentralState, code: string): void {
  state.items = state.items.filter((entity) => entity.number !== code)
}

/** Business Central API v2.0 in the sandbox: one company, its Entra ID app, and the platform's ship-to extension (or not: the seed's `shipToExtension`) with its price pages (the seed's `priceExtension`). */
export const businessCentralEmulator = defineErpEmulator<BusinessCentralState>({
  clearOrders: (state) => {
    state.salesOrders = []
  },
  cmsSystem: 'businesscentral',
  create: createState,
  handler: businessCentralHandler,
  hasCustomer: (state, code) => state.customers.some((customer) => customer.number === code),
  hasItem: (state, code) => state.items.some((item) => item.number === code),
  historyOrder: {documentNumber: '101044', noted: true},
  keepCredentials: (running, next) => {
    const {clientId, clientSecret, companyId, environment, tenant, tokens} = running
    Object.assign(next, {clientId, clientSecret, companyId, environment, tenant, tokens})
  },
  // The profile says whether the platform's extension gives price lists, as a real installation's would.
  profile: (state, url) => ({...businessCentralProfile(state, url), priceExtension: state.priceExtension === true}),
  putCustomer: (state, record, modifiedAt, times) => {
    removeCustomer(state, record.customerCode)
    const {customer, shipTos} = toBusinessCentral(record, modifiedAt, state.companyId, times)
    state.customers.push(customer)
    state.shipToAddresses.push(...shipTos)
  },
  putItem: (state, item, modifiedAt) => {
    removeItem(state, item.itemCode)
    state.items.push(toBusinessCentralItem(item, modifiedAt, state.companyId))
  },
  putPrices: putBusinessCentralPrices,
  putOrder: (state, order) => {
    state.salesOrders.push(toBusinessCentralSalesOrder(order, state.companyId))
  },
  removeCustomer,
  removeItem,
  secrets: (state) => [state.clientSecret],
  sourceCustomers,
  sourceItems,
  sourcePrices: businessCentralSourcePrices,
  sourcePricing: businessCentralSourcePricing,
  system: 'businesscentral',
  // Business Central numbers its sales orders on from the seeded ones; the entity the CMS creates carries no total.
  takeResentOrder: (state, order) => {
    if (order.missing) return {failure: order.missing}
    const number = String(101_043 + state.salesOrders.length + 1)
    state.salesOrders.push({
      customerNumber: order.customerCode,
      externalDocumentNumber: order.orderNr,
      id: `so-${number}`,
      lastModifiedDateTime: order.now,
      number,
      orderDate: order.orderDate,
      status: 'Open',
    })
    return {documentNumber: number}
  },
})
