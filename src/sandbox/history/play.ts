import {randomBytes} from 'node:crypto'

import {ftpLayoutFor} from '../../connectors/ftp/layouts/registry.js'

import type {EmulatedErp} from '../erp/emulator.js'
import {emulatorFor} from '../erp/registry.js'
import {publishCustomer, publishItem, runCustomerSync, runItemSync} from '../jobs.js'
import type {InstallationState, PlatformCustomerJson, PlatformItemJson} from '../state.js'
import {stableGuid, toFortnoxCustomer} from '../wire.js'
import {type CustomerEvent, type ErpKind, type History, historyKeys, type ItemEvent, type SalesRep} from './types.js'

/**
 * The history player: builds an installation by playing a history's events, oldest first, through the
 * sandbox's own platform processes (the CMS's sync runs, its publishing to the app and webshop, the
 * devices' refreshes, the CMS's transfers) on top of an ERP (Business Central, Fortnox, or the export
 * files of an ftp installation) edited as the events say. The result is an `InstallationState` that the
 * ordinary sandbox servers serve.
 */

type Json = Record<string, unknown>

const timeZone = 'Europe/Stockholm'
const companyId = '0b6d2e61-9f0a-4c1e-8a55-3d7e2b9c4f10'

export function installationKind(history: History): ErpKind {
  return history.knobs.erp
}

/** An ERP played through its sandbox emulator (every ERP but Business Central, Fortnox and the export files). */
function emulatedErp(kind: ErpKind): EmulatedErp | null {
  if (kind === 'businesscentral' || kind === 'fortnox' || kind === 'ftp') return null
  const emulator = emulatorFor(kind)
  return {emulator, state: emulator.create({})}
}

/** An empty installation of the history's kind: ERP, CMS, two app users with one iPad each, the webshop. */
function emptyState(history: History, now: Date): InstallationState {
  const {knobs} = history
  const kind = installationKind(history)
  const iso = (ago: number) => new Date(now.getTime() - ago * 60_000).toISOString()
  const erp = emulatedErp(kind)
  const device = (deviceId: string) => ({
    appVersion: '5.12.0',
    deviceId,
    lastFullRefreshAt: iso(20 * 1440),
    lastRefreshAt: iso(10 * 1440),
    lastSeenAt: iso(10 * 1440),
    model: 'iPad',
    pendingUploads: [] as Json[],
  })
  return {
    anchors: {now, sync: now},
    app: {
      customers: new Map(),
      devices: new Map([
        ['u-1', [device('d-1')]],
        ['u-2', [device('d-2')]],
      ]),
      items: new Map(),
      users: [
        {name: 'Erik Lund', salesRepCodes: ['SR1'], userId: 'u-1'},
        {name: 'Sara Berg', salesRepCodes: ['SR2'], userId: 'u-2'},
      ],
    },
    businessCentral:
      kind === 'businesscentral'
        ? {
            clientId: 'history-client',
            clientSecret: `sbx-bc-secret-${randomBytes(9).toString('base64url')}`,
            companyId,
            companyName: 'History AB',
            customers: [],
            environment: 'Production',
            items: [],
            salesOrders: [],
            shipToAddresses: [],
            shipToExtension: knobs.shipToExtension,
            tenant: 'history-tenant',
          }
        : null,
    cms: {customers: new Map(), items: new Map(), orders: new Map(), records: new Map(), runs: []},
    erp,
    exports:
      kind === 'ftp'
        ? {
            baseFolder: 'a4s',
            customerFiles: [],
            customers: [],
            files: {},
            items: [],
            layout: knobs.layout,
            layoutInProfile: knobs.layout === 'generic',
            orderFiles: [],
            password: `sbx-ftp-${randomBytes(9).toString('base64url')}`,
            user: 'history-a4s',
          }
        : null,
    fortnox:
      kind === 'fortnox'
        ? {articles: [], companyName: 'History AB', customers: [], orders: [], organisationNumber: '556000-0000', token: `sbx-fortnox-${randomBytes(12).toString('base64url')}`}
        : null,
    id: `history-${kind}`,
    installation: {
      autoSync: {at: '02:00', everyHours: 24, timezone: timeZone},
      connection: kind === 'ftp' ? 'ftp' : 'direct',
      // Generic ftp histories keep reporting Winbas, their profile naming the generic layout.
      erp: {system: kind === 'ftp' ? (knobs.layout === 'generic' ? 'winbas' : knobs.layout) : (erp?.emulator.cmsSystem ?? kind)},
      filters: {onlyWebshopItems: knobs.onlyWebshopItems, skipBlockedCustomers: false, skipPrivateCustomers: knobs.skipPrivateCustomers},
      ftp: kind === 'ftp' ? {url: 'sftp://127.0.0.1/a4s'} : null,
      id: `history-${kind}`,
      name: 'History AB',
    },
    scenarios: [{code: history.key, situation: `history ${history.seed}`}],
    webshop: {customers: new Map(), items: new Map(), orders: new Map()},
  }
}

/** The ERP's own view of a customer: its address, its delivery addresses (the first is the default), and change times. */
interface ErpCustomer {
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

function address(line1: string, postCode: string, city: string) {
  return {addressLine1: line1, addressLine2: '', city, countryCode: 'SE', postCode}
}

/** The customer as a platform-shaped record: own address as Invoice, each delivery address as Delivery. */
function platformShape(customer: ErpCustomer): PlatformCustomerJson {
  return {
    addresses: [
      {...address(customer.own.addressLine1, customer.own.postCode, customer.own.city), addressType: 'Invoice', isMain: true},
      ...customer.deliveries.map((delivery, index) => ({...address(delivery.addressLine1, delivery.postCode, delivery.city), addressType: 'Delivery', isMain: index === 0})),
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

/** Writes the ERP's customer into the state's ERP: Business Central's entities, Fortnox's record. */
function putErpCustomer(state: InstallationState, customer: ErpCustomer | null, code: string): void {
  const erp = state.erp
  if (erp) {
    erp.emulator.removeCustomer(erp.state, code)
    if (customer) erp.emulator.putCustomer(erp.state, platformShape(customer), latestChange(customer))
  }
  const bc = state.businessCentral
  if (bc) {
    bc.customers = bc.customers.filter((entity) => entity.number !== code)
    bc.shipToAddresses = bc.shipToAddresses.filter((entity) => entity.customerNumber !== code)
    if (!customer) return
    bc.customers.push({
      addressLine1: customer.own.addressLine1,
      addressLine2: '',
      blocked: ' ',
      city: customer.own.city,
      country: 'SE',
      currencyCode: 'SEK',
      displayName: customer.name,
      email: customer.email,
      id: stableGuid(bc.companyId, 'customer', code),
      lastModifiedDateTime: customer.modifiedAt,
      number: code,
      phoneNumber: customer.phone,
      postalCode: customer.own.postCode,
      salespersonCode: customer.rep,
      type: customer.isPrivate ? 'Person' : 'Company',
    })
    for (const [index, delivery] of customer.deliveries.entries())
      bc.shipToAddresses.push({
        addressLine1: delivery.addressLine1,
        addressLine2: '',
        city: delivery.city,
        code: index === 0 ? 'MAIN' : `DEL${index}`,
        countryRegionCode: 'SE',
        customerNumber: code,
        id: stableGuid(bc.companyId, 'shipTo', code, String(index)),
        isDefault: index === 0,
        lastModifiedDateTime: delivery.modifiedAt,
        name: customer.name,
        postalCode: delivery.postCode,
      })
  }
  const fortnox = state.fortnox
  if (fortnox) {
    fortnox.customers = fortnox.customers.filter((entry) => entry.record.CustomerNumber !== code)
    if (customer) fortnox.customers.push({lastModified: latestChange(customer), record: toFortnoxCustomer(platformShape(customer))})
  }
}

function latestChange(customer: ErpCustomer): string {
  return [customer.modifiedAt, ...customer.deliveries.map((delivery) => delivery.modifiedAt)].sort().at(-1) as string
}

interface Clock {
  iso(ago: number): string
}

let runCounter = 0

function playSync(state: InstallationState, clock: Clock, event: Extract<CustomerEvent | ItemEvent, {kind: 'sync'}>, key: string, entity: 'customers' | 'items'): void {
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
  }
  if (entity === 'customers') runCustomerSync(state, run, options)
  else runItemSync(state, {...run, entity}, options)
  const recorded = state.cms.runs[0] as Json
  recorded.finishedAt = clock.iso(event.ago - 2)
}

function refreshDevice(state: InstallationState, userId: string, at: string): void {
  for (const device of state.app.devices.get(userId) ?? []) Object.assign(device, {lastRefreshAt: at, lastSeenAt: at})
}

/** ftp: the export job writes every export file now, from the ERP's current customers and items. */
function writeExport(state: InstallationState, history: History, at: string, customer: ErpCustomer | null, item: ErpItem | null, malformed: boolean): void {
  const exports = state.exports
  if (!exports) return
  const layout = ftpLayoutFor(exports.layout, null)
  const written = exports.layout === 'generic' ? ['customers.csv', 'customers.xml', 'items.csv'] : [...layout.customers.defaultFiles, ...layout.items.defaultFiles]
  exports.files = Object.fromEntries(written.map((name) => [name, {modified: at}]))
  exports.customers = customer
    ? [
        {
          code: customer.code,
          file: exports.layout === 'generic' ? history.knobs.customerFile : (layout.customers.defaultFiles[0] as string),
          lastModified: latestChange(customer),
          malformed,
          record: platformShape({...customer, deliveries: customer.deliveries.slice(0, 1)}),
        },
      ]
    : []
  exports.items = item ? [{emptyCurrency: false, lastModified: item.modifiedAt, record: itemRecord(item)}] : []
}

function playCustomer(state: InstallationState, history: History & {entity: 'customer'}, clock: Clock): void {
  const code = history.key
  let customer: ErpCustomer | null = null
  let revision = 0
  const text = (n: number) => ({
    delivery: {addressLine1: `Lagervägen ${n}`, city: 'Farsta', postCode: `123 ${40 + n}`},
    email: `Order${n}@Kund41001.example`,
    invoice: {addressLine1: `Box ${100 + n}`, city: 'Stockholm', postCode: `111 ${20 + n}`},
    name: `Kund 41001 AB rev ${n}`,
    phone: `+46 8 555 ${100 + n} ${10 + n}`,
  })
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    revision++
    switch (event.kind) {
      case 'erp-create': {
        const values = text(revision)
        customer = {
          code,
          deliveries: Array.from({length: event.deliveries}, (_unused, index) => ({...text(revision + 50 * index).delivery, modifiedAt: at})),
          email: values.email,
          isPrivate: event.private,
          modifiedAt: at,
          name: values.name,
          own: values.invoice,
          phone: values.phone,
          rep: event.rep,
        }
        putErpCustomer(state, customer, code)
        break
      }
      case 'erp-edit': {
        if (!customer) break
        const values = text(revision)
        if (event.field === 'delivery') {
          // A ship-to of its own in Business Central: the change time is the ship-to's, not the customer's.
          if (customer.deliveries.length === 0) customer.deliveries.push({...values.delivery, modifiedAt: at})
          else customer.deliveries[0] = {...values.delivery, modifiedAt: at}
        } else {
          if (event.field === 'invoice') customer.own = values.invoice
          else customer[event.field] = values[event.field]
          customer.modifiedAt = at
        }
        putErpCustomer(state, customer, code)
        break
      }
      case 'erp-delete':
        customer = null
        putErpCustomer(state, null, code)
        break
      case 'export':
        writeExport(state, history, at, customer, null, event.malformed)
        break
      case 'sync':
        playSync(state, clock, event, code, 'customers')
        break
      case 'refresh':
        refreshDevice(state, event.user, at)
        break
      case 'republish':
        publishCustomer(state, code, at, {app: false, webshop: true})
        break
      case 'device-create': {
        const device = (state.app.devices.get('u-1') ?? [])[0] as Json
        ;(device.pendingUploads as Json[]).push({createdAt: at, key: code, kind: 'customer'})
        device.lastSeenAt = clock.iso(event.ago - 1)
        break
      }
      case 'upload': {
        const device = (state.app.devices.get('u-1') ?? [])[0] as Json
        device.pendingUploads = (device.pendingUploads as Json[]).filter((upload) => upload.key !== code)
        device.lastSeenAt = at
        // Created in the app: its own address, which is also where it gets its deliveries.
        const own = address('Nygatan 3', '611 32', 'Nyköping')
        const record: PlatformCustomerJson = {
          addresses: [
            {...own, addressType: 'Invoice', isMain: true},
            {...own, addressType: 'Delivery', isMain: true},
          ],
          blocked: false,
          customerCode: code,
          email: 'info@nykopingjarn.example',
          isPrivate: false,
          name: 'Nyköping Järn AB',
          phone: '+4615520304',
          priceListCode: 'STD',
          salesRepCodes: ['SR1'],
        }
        state.cms.customers.set(code, {...record, erpModifiedAt: null, origin: 'app', syncedAt: at})
        publishCustomer(state, code, at, {app: true, webshop: false})
        break
      }
      case 'cms-to-erp': {
        const record = state.cms.customers.get(code) as PlatformCustomerJson | undefined
        if (!record) break
        if (state.exports) {
          state.exports.customerFiles.push({error: null, folder: ftpLayoutFor(state.exports.layout, null).newCustomers.folder, modified: at, orderNr: code, record})
          break
        }
        customer = {
          code,
          deliveries: [],
          email: record.email,
          isPrivate: false,
          modifiedAt: at,
          name: record.name,
          own: {addressLine1: 'Nygatan 3', city: 'Nyköping', postCode: '611 32'},
          phone: record.phone,
          rep: 'SR1',
        }
        putErpCustomer(state, customer, code)
        break
      }
      case 'erp-import': {
        const file = state.exports?.customerFiles.find((entry) => entry.orderNr === code)
        const folders = state.exports ? ftpLayoutFor(state.exports.layout, null).newCustomers : null
        if (file && folders)
          Object.assign(
            file,
            event.result === 'processed' ? {folder: folders.processed, modified: at} : {error: `Customer manager SR1 is unknown`, folder: folders.error, modified: at},
          )
        break
      }
    }
  }
}

interface ErpItem {
  code: string
  description: string
  price: number
  stock: number
  active: boolean
  webshop: boolean
  modifiedAt: string
}

function itemRecord(item: ErpItem): PlatformItemJson {
  return {active: item.active, currency: 'SEK', description: item.description, itemCode: item.code, price: item.price, stock: item.stock, unit: 'st', webshop: item.webshop}
}

function putErpItem(state: InstallationState, item: ErpItem): void {
  const erp = state.erp
  if (erp) {
    erp.emulator.removeItem(erp.state, item.code)
    erp.emulator.putItem(erp.state, itemRecord(item), item.modifiedAt)
  }
  const bc = state.businessCentral
  if (bc) {
    bc.items = bc.items.filter((entity) => entity.number !== item.code)
    bc.items.push({
      baseUnitOfMeasureCode: 'st',
      blocked: !item.active,
      displayName: item.description,
      gtin: '',
      id: stableGuid(bc.companyId, 'item', item.code),
      inventory: item.stock,
      itemCategoryCode: '',
      lastModifiedDateTime: item.modifiedAt,
      number: item.code,
      priceIncludesTax: false,
      type: 'Inventory',
      unitCost: 0,
      unitPrice: item.price,
    })
  }
  const fortnox = state.fortnox
  if (fortnox) {
    fortnox.articles = fortnox.articles.filter((entry) => entry.record.ArticleNumber !== item.code)
    fortnox.articles.push({
      lastModified: item.modifiedAt,
      record: {
        '@url': `https://api.fortnox.se/3/articles/${encodeURIComponent(item.code)}`,
        Active: item.active,
        ArticleNumber: item.code,
        Description: item.description,
        DisposableQuantity: item.stock,
        EAN: null,
        QuantityInStock: item.stock,
        ReservedQuantity: 0,
        SalesPrice: item.price,
        StockGoods: true,
        Type: 'STOCK',
        Unit: 'st',
        VAT: 25,
        WebshopArticle: item.webshop,
      },
    })
  }
}

function playItem(state: InstallationState, history: History & {entity: 'item'}, clock: Clock): void {
  let item: ErpItem | null = null
  let revision = 0
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    revision++
    switch (event.kind) {
      case 'erp-create':
        item = {
          active: event.active,
          code: history.key,
          description: `Artikel rev ${revision}`,
          modifiedAt: at,
          price: 100 + revision * 10,
          stock: 40 + revision,
          webshop: event.webshop,
        }
        putErpItem(state, item)
        break
      case 'erp-edit':
        if (!item) break
        if (event.field === 'price') item.price = 100 + revision * 10
        else if (event.field === 'description') item.description = `Artikel rev ${revision}`
        else item.stock = 40 + revision
        item.modifiedAt = at
        putErpItem(state, item)
        break
      case 'export':
        writeExport(state, history, at, null, item ? {...item} : null, false)
        break
      case 'sync':
        playSync(state, clock, event, history.key, 'items')
        break
      case 'republish':
        publishItem(state, history.key, at, {app: false, webshop: true})
        break
    }
  }
}

/** The ERP's customer and items that the order names (unless the history says the ERP lacks one). */
function orderPrerequisites(state: InstallationState, history: History & {entity: 'order'}, clock: Clock): void {
  if (!history.erpLacks.customer)
    putErpCustomer(
      state,
      {
        code: historyKeys.orderCustomer,
        deliveries: [],
        email: 'order@kund41090.example',
        isPrivate: false,
        modifiedAt: clock.iso(30 * 1440),
        name: 'Kund 41090 AB',
        own: {addressLine1: 'Storgatan 1', city: 'Klippan', postCode: '264 32'},
        phone: '+46 435 10 20 30',
        rep: 'SR1',
      },
      historyKeys.orderCustomer,
    )
  historyKeys.orderItems.forEach((code, index) => {
    if (index === 1 && history.erpLacks.item) return
    putErpItem(state, {active: true, code, description: `Artikel ${code}`, modifiedAt: clock.iso(30 * 1440), price: 50 + index, stock: 10, webshop: true})
  })
}

function playOrder(state: InstallationState, history: History & {entity: 'order'}, clock: Clock): void {
  const orderNr = history.key
  orderPrerequisites(state, history, clock)
  let channel: 'app' | 'webshop' = 'app'
  let createdAt = clock.iso(0)
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    switch (event.kind) {
      case 'order-create': {
        channel = event.channel
        createdAt = at
        if (channel === 'webshop') state.webshop.orders.set(orderNr, {handedToCmsAt: null, orderNr, placedAt: at})
        else {
          const device = (state.app.devices.get('u-1') ?? [])[0] as Json
          ;(device.pendingUploads as Json[]).push({createdAt: at, key: orderNr, kind: 'order'})
          device.lastSeenAt = clock.iso(event.ago - 1)
        }
        break
      }
      case 'order-upload': {
        if (channel === 'webshop') (state.webshop.orders.get(orderNr) as Json).handedToCmsAt = at
        else {
          const device = (state.app.devices.get('u-1') ?? [])[0] as Json
          device.pendingUploads = (device.pendingUploads as Json[]).filter((upload) => upload.key !== orderNr)
          device.lastSeenAt = at
        }
        state.cms.orders.set(orderNr, {
          channel,
          createdAt,
          customerCode: historyKeys.orderCustomer,
          deliveryAddress: null,
          lines: historyKeys.orderItems.map((itemCode, index) => ({discount: 0, itemCode, lineNo: index + 1, price: 50 + index, quantity: 2, unit: 'st'})),
          orderDate: createdAt.slice(0, 10),
          orderNr,
          receivedAt: at,
          transfer: {attempts: 0, erpDocumentNumber: null, error: null, file: null, lastAttemptAt: null, status: 'queued'},
          yourReference: 'PO 1',
        })
        break
      }
      case 'transfer': {
        const order = state.cms.orders.get(orderNr)
        if (!order) break
        const transfer = order.transfer as Json
        Object.assign(transfer, {attempts: 1, error: event.error, lastAttemptAt: at, status: event.result})
        if (event.result !== 'sent') break
        if (state.exports) {
          const folders = ftpLayoutFor(state.exports.layout, null).orders
          transfer.file = `${folders.folder}/${orderNr}${folders.extension}`
          state.exports.orderFiles = [{error: null, folder: folders.folder, modified: at, orderNr}]
        } else if (state.businessCentral) {
          transfer.erpDocumentNumber = '101044'
          state.businessCentral.salesOrders.push({
            customerNumber: historyKeys.orderCustomer,
            externalDocumentNumber: orderNr,
            id: stableGuid(companyId, 'salesOrder', orderNr),
            lastModifiedDateTime: at,
            number: '101044',
            orderDate: createdAt.slice(0, 10),
            status: 'Open',
            totalAmountIncludingTax: 253.75,
          })
        } else if (state.erp) {
          transfer.erpDocumentNumber = '1044'
          state.erp.emulator.putOrder(state.erp.state, {
            customerCode: historyKeys.orderCustomer,
            customerName: 'Kund 41090 AB',
            documentNumber: '1044',
            modifiedAt: at,
            orderDate: createdAt.slice(0, 10),
            orderNr,
            status: 'Open',
            total: 253.75,
            yourReference: 'PO 1',
          })
        } else if (state.fortnox) {
          state.fortnox.orders.push({
            Cancelled: false,
            CustomerName: 'Kund 41090 AB',
            CustomerNumber: historyKeys.orderCustomer,
            DocumentNumber: '1044',
            ExternalInvoiceReference1: orderNr,
            OrderDate: createdAt.slice(0, 10),
            Sent: false,
            Total: 253.75,
            YourOrderNumber: 'PO 1',
          })
        }
        break
      }
      case 'erp-import': {
        const file = state.exports?.orderFiles.find((entry) => entry.orderNr === orderNr)
        const folders = state.exports ? ftpLayoutFor(state.exports.layout, null).orders : null
        if (file && folders)
          Object.assign(
            file,
            event.result === 'processed'
              ? {folder: folders.processed, modified: at}
              : {error: `Unknown customer ${historyKeys.orderCustomer}`, folder: folders.error, modified: at},
          )
        break
      }
      case 'order-lost':
        if (state.exports) state.exports.orderFiles = []
        if (state.businessCentral) state.businessCentral.salesOrders = []
        if (state.fortnox) state.fortnox.orders = []
        if (state.erp) state.erp.emulator.clearOrders(state.erp.state)
        break
    }
  }
}

/** Plays a history into a new installation state; `now` is the instant its times are relative to. */
export function playHistory(history: History, now: Date = new Date()): InstallationState {
  const state = emptyState(history, now)
  const clock: Clock = {iso: (ago) => new Date(now.getTime() - ago * 60_000).toISOString()}
  if (history.entity === 'customer') playCustomer(state, history, clock)
  else if (history.entity === 'item') playItem(state, history, clock)
  else playOrder(state, history, clock)
  return state
}
