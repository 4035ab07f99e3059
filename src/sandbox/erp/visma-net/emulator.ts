import {type BookedOrder, defineErpEmulator} from '../../../emulation/erp-emulator.js'
import {handler} from './emulator-handler.js'
import {
  sourceCustomer,
  sourceItem,
  text,
  toVismaNetCustomer,
  toVismaNetInventory,
  toVismaNetSalesOrder,
} from './emulator-records.js'
import {applyPriceClass, putPrices, sourcePrices, sourcePricing} from './emulator-prices.js'
import {createState, type VismaNetState} from './emulator-state.js'

export type {VismaNetState} from './emulator-state.js'

/** Visma.net ERP in the sandbox: its DTOs, the Visma Connect client, the fixed window per company and client. */
export const vismaNetEmulator = defineErpEmulator<VismaNetState>({
  clearOrders: (state) => {
    state.salesOrders = []
  },
  cannotSupply: ['salesRep', 'isPrivate', 'webshopFlag'],
  cmsSystem: 'visma',
  create: createState,
  handler: (state) => handler(state),
  hasCustomer: (state, code) => state.customers.some((entry) => entry.number === code),
  hasItem: (state, code) => state.inventory.some((entry) => entry.inventoryNumber === code),
  keepCredentials: (running, next) => {
    Object.assign(next, {
      clientSecret: running.clientSecret,
      rejected: running.rejected,
      tokens: running.tokens,
      window: running.window,
    })
  },
  profile: (state, url) => ({
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    companyId: state.companyId,
    scope: 'vismanet_erp_service_api:read',
    system: 'visma-net',
    tenantId: state.tenantId,
    tokenUrl: `${url}/connect/token`,
    url,
  }),
  putCustomer: (state, customer, modifiedAt) => {
    const record = toVismaNetCustomer(customer, modifiedAt, state.companyId)
    applyPriceClass(state, record)
    state.customers = [...state.customers.filter((entry) => entry.number !== customer.customerCode), record]
  },
  putItem: (state, item, modifiedAt) => {
    state.inventory = [
      ...state.inventory.filter((entry) => entry.inventoryNumber !== item.itemCode),
      toVismaNetInventory(item, modifiedAt, state.companyId),
    ]
  },
  putPrices,
  putOrder: (state, order: BookedOrder) => {
    state.salesOrders = [
      ...state.salesOrders.filter((entry) => entry.orderNo !== order.documentNumber),
      toVismaNetSalesOrder(order),
    ]
  },
  removeCustomer: (state, code) => {
    state.customers = state.customers.filter((entry) => entry.number !== code)
  },
  removeItem: (state, code) => {
    state.inventory = state.inventory.filter((entry) => entry.inventoryNumber !== code)
  },
  secrets: (state) => [state.clientSecret, ...state.tokens],
  // The platform's Visma.net connector reads active customers only; fields the DTO lacks keep the CMS's value.
  sourceCustomers: (state, previous) =>
    state.customers
      .filter((entry) => entry.status !== 'Inactive')
      .map((entry) => sourceCustomer(entry, previous(text(entry.number)))),
  sourceItems: (state, previous) =>
    state.inventory.map((entry) => sourceItem(entry, previous(text(entry.inventoryNumber)))),
  sourcePrices,
  sourcePricing,
  system: 'visma-net',
})
