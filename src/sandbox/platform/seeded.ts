import {publishCustomer, publishItem} from '../jobs.js'
import {pricesOf} from '../price-state.js'
import {republishPrices} from '../publish-prices.js'
import {mapStore} from '../record-store.js'
import type {InstallationState} from '../state.js'
import type {PlatformBacking} from './backing.js'
import {priceStoresOf} from './price-backing.js'
import {retransferOrder} from './retransfer.js'
import {startSyncJob} from './sync-jobs.js'

/** The platform of a seeded installation (or a history's): its state's records, read at each request. */
export function seededPlatform(state: InstallationState): PlatformBacking {
  const prices = priceStoresOf(() => pricesOf(state))
  return {
    app: {
      customers: mapStore(() => state.app.customers),
      get devices() {
        return state.app.devices
      },
      items: mapStore(() => state.app.items),
      get users() {
        return state.app.users
      },
    },
    cms: {
      customers: mapStore(() => state.cms.customers),
      items: mapStore(() => state.cms.items),
      get orders() {
        return state.cms.orders
      },
      get records() {
        return state.cms.records
      },
      get runs() {
        return state.cms.runs
      },
    },
    installation: () => state.installation,
    maxPageSize: () => state.platformMaxPageSize,
    prices: () => prices,
    republish(entity, keys, doneAt) {
      if (entity === 'prices') republishPrices(state, keys, doneAt)
      else if (entity === 'customers')
        for (const code of keys ?? [...state.cms.customers.keys()])
          publishCustomer(state, code, doneAt, {app: false, webshop: true})
      else
        for (const code of keys ?? [...state.cms.items.keys()])
          publishItem(state, code, doneAt, {app: false, webshop: true})
    },
    retransferOrder: (jobs, orderNr, requestedBy) => retransferOrder(state, jobs, orderNr, requestedBy),
    startSyncJob: (jobs, body, requestedBy) => startSyncJob(state, jobs, body, requestedBy),
    webshop: {
      customers: mapStore(() => state.webshop.customers),
      items: mapStore(() => state.webshop.items),
      get orders() {
        return state.webshop.orders
      },
    },
  }
}
