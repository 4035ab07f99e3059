import {
  ftpLayoutFor,
  type InstallationState,
  type PlatformCustomerJson,
  type PlatformItemJson,
  runCustomerSync,
  runItemSync,
} from './library.js'

import type {CustomerEvent, History, ItemEvent, SalesRep} from './types.js'

/** The history player's steps that every entity shares: the ERP (or its export) edited as an event says, a sync run, a device refresh. */

export type Json = Record<string, unknown>

export const timeZone = 'Europe/Stockholm'

/** The ERP's own view of a customer: its address, its delivery addresses (the first is the default), and change times. */
export interface ErpCustomer {
  code: string
  name: string
  email: string
  phone: string
  isPrivate: boolean
  rep: SalesRep
  own: {addressLine1: string; postCode: string; city: string}
  deliveries: Array<{addressLine1: string; postCode: string; city: string; modifiedAt: string}>
  /** The customer record's own change time (Business Central keeps it apart from the ship-tos'). */
  modifiedAt: string
}

export function address(line1: string, postCode: string, city: string) {
  return {addressLine1: line1, addressLine2: '', city, countryCode: 'SE', postCode}
}

/** The customer as a platform-shaped record: own address as Invoice, each delivery address as Delivery. */
export function platformShape(customer: ErpCustomer): PlatformCustomerJson {
  return {
    addresses: [
      {
        ...address(customer.own.addressLine1, customer.own.postCode, customer.own.city),
        addressType: 'Invoice',
        isMain: true,
      },
      ...customer.deliveries.map((delivery, index) => ({
        ...address(delivery.addressLine1, delivery.postCode, delivery.city),
        addressType: 'Delivery',
        isMain: index === 0,
      })),
    ],
    blocked: false,
    customerCode: customer.code,
    email: customer.email,
    isPrivate: customer.isPrivate,
    name: customer.name,
    phone: customer.phone,
    priceListCode: 'STD',
    salesRepCodes: [customer.rep],
  }
}

/** Writes the ERP's customer into the state's ERP, with the change times of the record and of each delivery address. */
export function putErpCustomer(state: InstallationState, customer: ErpCustomer | null, code: string): void {
  const erp = state.erp
  if (!erp) return
  erp.emulator.removeCustomer(erp.state, code)
  if (customer)
    erp.emulator.putCustomer(erp.state, platformShape(customer), latestChange(customer), {
      deliveries: customer.deliveries.map((delivery) => delivery.modifiedAt),
      record: customer.modifiedAt,
    })
}

export function latestChange(customer: ErpCustomer): string {
  return [customer.modifiedAt, ...customer.deliveries.map((delivery) => delivery.modifiedAt)].sort().at(-1) as string
}

export interface Clock {
  iso(ago: number): string
}

let runCounter = 0

export function playSync(
  state: InstallationState,
  clock: Clock,
  event: Extract<CustomerEvent | ItemEvent, {kind: 'sync'}>,
  key: string,
  entity: 'customers' | 'items' | 'stock',
): void {
  const runId = `r-${++runCounter}`
  const run = {
    keys: event.mode === 'targeted' ? [event.covers ? key : 'OTHER-1'] : null,
    mode: event.mode,
    requestedBy: event.mode === 'auto' ? 'auto' : 'admin@platform.example',
    runId,
    startedAt: clock.iso(event.ago),
  }
  const options = {
    at: clock.iso(event.ago - 1),
    fail: event.outcome === 'fail' ? [key] : [],
    miss: event.outcome === 'miss' ? [key] : [],
    publish: {app: event.publishApp, webshop: event.publishWebshop},
    ...(event.runFails ? {runError: 'the connection to the ERP was lost'} : {}),
  }
  if (entity === 'customers') runCustomerSync(state, run, options)
  else runItemSync(state, {...run, entity}, options)
  const recorded = state.cms.runs[0] as Json
  recorded.finishedAt = clock.iso(event.ago - 2)
}

export function refreshDevice(state: InstallationState, userId: string, at: string): void {
  for (const device of state.app.devices.get(userId) ?? []) Object.assign(device, {lastRefreshAt: at, lastSeenAt: at})
}

/** ftp: the export job writes every export file now, from the ERP's current customers and items. */
export function writeExport(
  state: InstallationState,
  history: History,
  at: string,
  customer: ErpCustomer | null,
  item: ErpItem | null,
  malformed: boolean,
): void {
  const exports = state.exports
  if (!exports) return
  const layout = ftpLayoutFor(exports.layout, null)
  const named = exports.fileNames
  // Files named by the connector's settings: the ERP writes those (one per kind), never the layout's defaults.
  const written = named
    ? [named.customers, named.items].filter((name): name is string => name !== undefined)
    : exports.layout === 'generic'
      ? ['customers.csv', 'customers.xml', 'items.csv']
      : [...layout.customers.defaultFiles, ...layout.items.defaultFiles]
  exports.files = Object.fromEntries(written.map((name) => [name, {modified: at}]))
  exports.customers = customer
    ? [
        {
          code: customer.code,
          // The layout's file the row is written into (renamed on the server when the settings name it).
          file:
            exports.layout === 'generic' && !named
              ? history.knobs.customerFile
              : (layout.customers.defaultFiles[0] as string),
          lastModified: latestChange(customer),
          malformed,
          record: platformShape({...customer, deliveries: customer.deliveries.slice(0, 1)}),
        },
      ]
    : []
  exports.items = item ? [{emptyCurrency: false, lastModified: item.modifiedAt, record: itemRecord(item)}] : []
}

export interface ErpItem {
  code: string
  description: string
  price: number
  stock: number
  active: boolean
  webshop: boolean
  modifiedAt: string
}

export function itemRecord(item: ErpItem): PlatformItemJson {
  return {
    active: item.active,
    currency: 'SEK',
    description: item.description,
    itemCode: item.code,
    price: item.price,
    stock: item.stock,
    unit: 'st',
    webshop: item.webshop,
  }
}

export function putErpItem(state: InstallationState, item: ErpItem): void {
  const erp = state.erp
  if (erp) {
    erp.emulator.removeItem(erp.state, item.code)
    erp.emulator.putItem(erp.state, itemRecord(item), item.modifiedAt)
  }
}
