import {createHash, randomBytes} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import type {FtpLayoutId} from '../connectors/ftp/layouts/types.js'
import {emulatorFor} from './erp/registry.js'
import type {EmulatedErp} from './erp/emulator.js'
import type {PlatformAddressJson, PlatformCustomerJson, PlatformItemJson} from './records.js'
import {latestAutoSyncStart, resolveIso, type TimeAnchors} from './relative-time.js'

export type {PlatformAddressJson, PlatformCustomerJson, PlatformItemJson} from './records.js'

/**
 * The state of one sandbox installation, held in the wire formats of each system: Business Central
 * entities for the ERP, the platform contract's JSON for the CMS, the app backend and the webshop.
 * Built from a seed file in src/sandbox/seed with times relative to "now".
 */

type Json = Record<string, unknown>

interface SeedCustomer {
  code: string
  situation: string
  record: Omit<PlatformCustomerJson, 'customerCode'> | null
  erp?: {modifiedAt: string; changes?: Json} | null
  export?: {file: string; lastModified: string; changes?: Json; malformed?: boolean} | null
  cms: {syncedAt: string; erpModifiedAt?: string} | null
  app: {publishedAt: string; visibleToUserIds: string[]} | null
  webshop: {publishedAt: string} | null
  syncRecords: Array<{runId: string; at: string; outcome: string; reason?: string}>
  /** Where the customer was created: the ERP (default), or the app or webshop (outbound). */
  origin?: 'erp' | 'app' | 'webshop'
  /** Created on a device and not uploaded yet. */
  device?: {userId: string; deviceId: string; created: string}
  /** A new customer's file in Customers/ (ftp installations). */
  customerFile?: {folder: string; modified: string; error?: string}
}

interface SeedItem {
  code: string
  situation: string
  record: Omit<PlatformItemJson, 'itemCode'>
  erp?: {modifiedAt: string; changes?: Json}
  /** `changes`: what the export holds that the CMS does not (yet); `noVatIncluded`: Monitor's items.xml leaves `vatincluded` out. */
  export?: {lastModified: string; emptyCurrency?: boolean; changes?: Json; noVatIncluded?: boolean}
  cms: {syncedAt: string} | null
  app: {publishedAt: string} | null
  webshop: {publishedAt: string; visible: boolean} | null
}

interface SeedOrder {
  orderNr: string
  situation: string
  channel?: string
  customerCode?: string
  yourReference?: string
  created?: string
  received?: string
  lines?: Array<{itemCode: string; quantity: number; price: number}>
  transfer?: {status: string; attempts: number; lastAttempt?: string; error?: string; erpDocumentNumber?: string; file?: string}
  cms?: null
  erp?: {documentNumber: string; modified: string; status: string}
  device?: {userId: string; deviceId: string; created: string}
  webshop?: {placed: string; handed: string | null}
  file?: {folder: string; modified: string; error?: string}
}

/** An order file in the outbound folders (ftp installations). */
export interface OrderFile {
  orderNr: string
  folder: string
  modified: string
  error: string | null
}

/** Fortnox v3 as the sandbox holds it: records in Fortnox's field names, with the change time it keeps. */
export interface FortnoxState {
  token: string
  companyName: string
  organisationNumber: string
  customers: Array<{record: Json; lastModified: string}>
  articles: Array<{record: Json; lastModified: string}>
  orders: Json[]
}

interface SeedFile {
  extends?: string
  /** An ERP emulated through src/sandbox/erp (every ERP but Business Central and Fortnox): its system and settings. */
  emulator?: Json & {system: string}
  fortnox?: {companyName: string; organisationNumber: string}
  orders?: SeedOrder[]
  items?: SeedItem[]
  installation: Json & {id: string; autoSync: {at: string; timezone: string; everyHours: number}}
  businessCentral?: {tenant: string; environment: string; companyId: string; companyName: string; clientId: string; shipToExtension?: boolean}
  /** `layout`: the ERP's file layout, stated in the sandbox's profile (`ftp.layout`); without it the layout follows the CMS's `erp.system`. */
  fileServer?: {user: string; baseFolder: string; files: Record<string, {modified: string}>; layout?: FtpLayoutId}
  users: Array<{userId: string; name: string; salesRepCodes: string[]; devices: Json[]}>
  syncRuns: Array<{
    runId: string
    entity: string
    mode: string
    started: string
    finished: string | null
    status: string
    counts: Json
    error?: string
    sourceFile?: string
    sourceFileModified?: string
  }>
  customers: SeedCustomer[]
}

/** A customer as the ERP's export files hold it (ftp installations). */
export interface ExportCustomer {
  code: string
  record: PlatformCustomerJson
  file: string
  /** LastModified, as an instant. */
  lastModified: string
  malformed: boolean
}

export interface ExportsState {
  /** The folder the file servers serve, once the sandbox has written it. */
  root?: string
  /** The file layout the ERP writes (src/connectors/ftp/layouts). */
  layout: FtpLayoutId
  /** Does the sandbox's profile name the layout (`ftp.layout`), or does synctrace take it from the CMS's `erp.system`? */
  layoutInProfile: boolean
  user: string
  password: string
  baseFolder: string
  files: Record<string, {modified: string}>
  customers: ExportCustomer[]
  /** `vatIncluded`: false when Monitor's items.xml leaves the field out (the CMS then skips the item). */
  items: Array<{record: PlatformItemJson; lastModified: string; emptyCurrency: boolean; vatIncluded?: boolean}>
  orderFiles: OrderFile[]
  customerFiles: Array<OrderFile & {record: PlatformCustomerJson}>
}

export interface BusinessCentralState {
  tenant: string
  environment: string
  companyId: string
  companyName: string
  clientId: string
  clientSecret: string
  customers: Json[]
  shipToAddresses: Json[]
  items: Json[]
  salesOrders: Json[]
  /** Does this Business Central have the platform's AL extension? Without it the ship-to route answers 404. */
  shipToExtension: boolean
}

export interface InstallationState {
  id: string
  installation: Json
  /** The ERP of a direct installation; null for an ftp installation. */
  businessCentral: BusinessCentralState | null
  /** The export files of an ftp installation; null for a direct one. */
  exports: ExportsState | null
  /** The Fortnox ERP of a direct installation on Fortnox. */
  fortnox: FortnoxState | null
  /** Any other ERP of a direct installation, through its emulator (src/sandbox/erp/registry.ts). */
  erp: EmulatedErp | null
  cms: {customers: Map<string, Json>; items: Map<string, Json>; orders: Map<string, Json>; runs: Json[]; records: Map<string, Json[]>}
  app: {users: Array<{userId: string; name: string; salesRepCodes: string[]}>; devices: Map<string, Json[]>; customers: Map<string, Json>; items: Map<string, Json>}
  webshop: {customers: Map<string, Json>; items: Map<string, Json>; orders: Map<string, Json>}
  /** The seeded situations, for `synctrace sandbox` to list. */
  scenarios: Array<{code: string; situation: string}>
  anchors: TimeAnchors
}

const seedDir = join(dirname(fileURLToPath(import.meta.url)), 'seed')

/** The seeded installations: the first five in their long-standing order, then every other seed file. */
export function seededInstallations(): string[] {
  const first = ['acme', 'acme-plain', 'nordic', 'nordic-stale', 'fjord']
  const others = readdirSync(seedDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((id) => !first.includes(id))
    .sort()
  return [...first, ...others]
}

const swedishCountryNames: Record<string, string> = {DK: 'Danmark', FI: 'Finland', IE: 'Irland', NO: 'Norge', SE: 'Sverige'}

/** The platform's customer as Fortnox holds it: `{"Customer": …}` fields, empty ones null, the country by name and code. */
export function toFortnoxCustomer(record: PlatformCustomerJson): Json {
  const address = (type: string) => record.addresses.find((entry) => entry.addressType === type && entry.isMain)
  const invoice = address('Invoice')
  const delivery = address('Delivery')
  const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value)
  return {
    '@url': `https://api.fortnox.se/3/customers/${encodeURIComponent(record.customerCode)}`,
    Active: !record.blocked,
    Address1: orNull(invoice?.addressLine1),
    Address2: orNull(invoice?.addressLine2),
    City: orNull(invoice?.city),
    Comments: null,
    Country: invoice ? (swedishCountryNames[invoice.countryCode] ?? invoice.countryCode) : null,
    CountryCode: orNull(invoice?.countryCode),
    Currency: 'SEK',
    CustomerNumber: record.customerCode,
    DeliveryAddress1: orNull(delivery?.addressLine1),
    DeliveryAddress2: orNull(delivery?.addressLine2),
    DeliveryCity: orNull(delivery?.city),
    DeliveryCountry: delivery ? (swedishCountryNames[delivery.countryCode] ?? delivery.countryCode) : null,
    DeliveryCountryCode: orNull(delivery?.countryCode),
    DeliveryName: delivery ? record.name : null,
    DeliveryZipCode: orNull(delivery?.postCode),
    Email: orNull(record.email),
    Name: record.name,
    OrganisationNumber: null,
    OurReference: record.salesRepCodes[0] ?? null,
    Phone1: orNull(record.phone),
    PriceList: record.priceListCode,
    TermsOfPayment: '30',
    Type: record.isPrivate ? 'PRIVATE' : 'COMPANY',
    VATType: 'SEVAT',
    WWW: null,
    YourReference: null,
    ZipCode: orNull(invoice?.postCode),
  }
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (Array.isArray(override) || typeof override !== 'object' || override === null) return override
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return override
  const merged: Json = {...(base as Json)}
  for (const [key, value] of Object.entries(override as Json)) merged[key] = deepMerge((base as Json)[key], value)
  return merged
}

/** A seed file, with `extends` resolved: objects merge, lists replace. */
function readSeed(id: string): SeedFile {
  const seed = JSON.parse(readFileSync(join(seedDir, `${id}.json`), 'utf8')) as SeedFile
  if (!seed.extends) return seed
  const {extends: parent, ...rest} = seed
  return deepMerge(readSeed(parent), rest) as SeedFile
}

/** A GUID that is the same for the same input, as BC's `id`s stay the same across restarts. */
export function stableGuid(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function applyChanges(record: PlatformCustomerJson, changes: Json | undefined): PlatformCustomerJson {
  if (!changes) return record
  const {addresses: addressChanges, ...fields} = changes as {addresses?: Record<string, Json>}
  const changed: PlatformCustomerJson = {...record, ...(fields as Partial<PlatformCustomerJson>)}
  changed.addresses = record.addresses.map((address) => {
    const change = addressChanges?.[address.addressType]
    return change && address.isMain ? {...address, ...(change as Partial<PlatformAddressJson>)} : address
  })
  return changed
}

/** The platform's customer shape as Business Central holds it: a customer entity plus ship-to addresses. */
function toBusinessCentral(record: PlatformCustomerJson, modifiedAt: string, state: BusinessCentralState): {customer: Json; shipTos: Json[]} {
  const invoice = record.addresses.find((address) => address.addressType === 'Invoice') ?? record.addresses[0]
  const customer: Json = {
    '@odata.etag': `W/"JzE5OzE${createHash('md5').update(record.customerCode + modifiedAt).digest('hex').slice(0, 12)}Jw=="`,
    addressLine1: invoice?.addressLine1 ?? '',
    addressLine2: invoice?.addressLine2 ?? '',
    balanceDue: 0,
    blocked: record.blocked ? 'All' : ' ',
    city: invoice?.city ?? '',
    country: invoice?.countryCode ?? '',
    creditLimit: 0,
    currencyCode: 'SEK',
    currencyId: '00000000-0000-0000-0000-000000000000',
    displayName: record.name,
    email: record.email,
    id: stableGuid(state.companyId, 'customer', record.customerCode),
    lastModifiedDateTime: modifiedAt,
    number: record.customerCode,
    paymentMethodId: '00000000-0000-0000-0000-000000000000',
    paymentTermsId: stableGuid(state.companyId, 'paymentTerms', '30 DAYS'),
    phoneNumber: record.phone,
    postalCode: invoice?.postCode ?? '',
    salespersonCode: record.salesRepCodes[0] ?? '',
    shipmentMethodId: '00000000-0000-0000-0000-000000000000',
    state: '',
    taxAreaDisplayName: '',
    taxAreaId: '00000000-0000-0000-0000-000000000000',
    taxLiable: !record.isPrivate,
    taxRegistrationNumber: '',
    type: record.isPrivate ? 'Person' : 'Company',
    website: '',
  }
  const shipTos = record.addresses
    .filter((address) => address.addressType === 'Delivery')
    .map((address, index) => ({
      addressLine1: address.addressLine1,
      addressLine2: address.addressLine2,
      city: address.city,
      code: index === 0 ? 'MAIN' : `DEL${index}`,
      countryRegionCode: address.countryCode,
      customerNumber: record.customerCode,
      id: stableGuid(state.companyId, 'shipTo', record.customerCode, String(index)),
      isDefault: address.isMain,
      lastModifiedDateTime: modifiedAt,
      name: record.name,
      postalCode: address.postCode,
    }))
  return {customer, shipTos}
}

export function loadInstallationState(id: string, now = new Date()): InstallationState {
  const seed = readSeed(id)
  const {autoSync} = seed.installation
  const anchors: TimeAnchors = {now, sync: latestAutoSyncStart(now, autoSync.at, autoSync.timezone)}
  const at = (expression: string | null | undefined) => resolveIso(expression, anchors)
  const businessCentral: BusinessCentralState | null = seed.businessCentral
    ? {...seed.businessCentral, clientSecret: `sbx-bc-secret-${randomBytes(9).toString('base64url')}`, customers: [], items: [], salesOrders: [], shipToAddresses: [], shipToExtension: seed.businessCentral.shipToExtension ?? true}
    : null
  const exports: ExportsState | null = seed.fileServer
    ? {
        baseFolder: seed.fileServer.baseFolder,
        customers: [],
        layout: ftpLayoutFor(seed.fileServer.layout, (seed.installation.erp as {system?: string} | undefined)?.system).id,
        layoutInProfile: seed.fileServer.layout !== undefined,
        files: Object.fromEntries(Object.entries(seed.fileServer.files).map(([name, file]) => [name, {modified: at(file.modified) as string}])),
        items: [],
        customerFiles: [],
        orderFiles: [],
        password: `sbx-ftp-${randomBytes(9).toString('base64url')}`,
        user: seed.fileServer.user,
      }
    : null
  const fortnox: FortnoxState | null = seed.fortnox
    ? {...seed.fortnox, articles: [], customers: [], orders: [], token: `sbx-fortnox-${randomBytes(12).toString('base64url')}`}
    : null
  const erp: EmulatedErp | null = seed.emulator ? {emulator: emulatorFor(seed.emulator.system), state: null} : null
  if (erp && seed.emulator) erp.state = erp.emulator.create(seed.emulator)
  const state: InstallationState = {
    anchors,
    erp,
    fortnox,
    app: {customers: new Map(), devices: new Map(), items: new Map(), users: []},
    businessCentral,
    exports,
    cms: {customers: new Map(), items: new Map(), orders: new Map(), records: new Map(), runs: []},
    id,
    installation: seed.installation,
    scenarios: [...seed.customers, ...(seed.items ?? []), ...(seed.orders ?? []).map((order) => ({code: order.orderNr, situation: order.situation}))].map(({code, situation}) => ({code, situation})),
    webshop: {customers: new Map(), items: new Map(), orders: new Map()},
  }
  for (const user of seed.users) {
    state.app.users.push({name: user.name, salesRepCodes: user.salesRepCodes, userId: user.userId})
    state.app.devices.set(
      user.userId,
      user.devices.map((device) => ({
        ...device,
        lastFullRefreshAt: at(device.lastFullRefreshAt as string),
        lastRefreshAt: at(device.lastRefreshAt as string),
        lastSeenAt: at(device.lastSeenAt as string),
      })),
    )
  }
  state.cms.runs = seed.syncRuns.map((run) => ({
    counts: run.counts,
    entity: run.entity,
    error: run.error ?? null,
    finishedAt: at(run.finished),
    keys: null,
    mode: run.mode,
    requestedBy: 'auto',
    runId: run.runId,
    source: run.sourceFile ? 'ftp-file' : 'erp-api',
    sourceFile: run.sourceFile ?? null,
    sourceFileModifiedAt: at(run.sourceFileModified),
    startedAt: at(run.started),
    status: run.status,
  }))
  for (const seeded of seed.customers) {
    state.cms.records.set(
      seeded.code,
      seeded.syncRecords.map((entry) => ({at: at(entry.at), outcome: entry.outcome, reason: entry.reason ?? null, runId: entry.runId})),
    )
    if (seeded.device) {
      const device = state.app.devices.get(seeded.device.userId)?.find((entry) => entry.deviceId === seeded.device?.deviceId)
      if (device) (device.pendingUploads as Json[]).push({createdAt: at(seeded.device.created), key: seeded.code, kind: 'customer'})
    }
    if (!seeded.record) continue
    const record = {customerCode: seeded.code, ...seeded.record} as PlatformCustomerJson
    if (seeded.customerFile && exports)
      exports.customerFiles.push({error: seeded.customerFile.error ?? null, folder: seeded.customerFile.folder, modified: at(seeded.customerFile.modified) as string, orderNr: seeded.code, record})
    if (seeded.export && exports)
      exports.customers.push({
        code: seeded.code,
        file: seeded.export.file,
        lastModified: at(seeded.export.lastModified) as string,
        malformed: seeded.export.malformed ?? false,
        record: applyChanges(record, seeded.export.changes),
      })
    if (seeded.erp && erp) erp.emulator.putCustomer(erp.state, applyChanges(record, seeded.erp.changes), at(seeded.erp.modifiedAt) as string)
    if (seeded.erp && fortnox) fortnox.customers.push({lastModified: at(seeded.erp.modifiedAt) as string, record: toFortnoxCustomer(applyChanges(record, seeded.erp.changes))})
    if (seeded.erp && businessCentral) {
      const erpModifiedAt = at(seeded.erp.modifiedAt) as string
      const {customer, shipTos} = toBusinessCentral(applyChanges(record, seeded.erp.changes), erpModifiedAt, businessCentral)
      businessCentral.customers.push(customer)
      businessCentral.shipToAddresses.push(...shipTos)
    }
    if (seeded.cms)
      state.cms.customers.set(seeded.code, {
        ...record,
        erpModifiedAt: at(seeded.cms.erpModifiedAt ?? seeded.erp?.modifiedAt),
        origin: seeded.origin ?? 'erp',
        syncedAt: at(seeded.cms.syncedAt),
      })
    if (seeded.app)
      state.app.customers.set(seeded.code, {
        customerCode: seeded.code,
        publishedAt: at(seeded.app.publishedAt),
        record: {...record, origin: 'erp'},
        visibleToUserIds: seeded.app.visibleToUserIds,
      })
    if (seeded.webshop)
      state.webshop.customers.set(seeded.code, {
        accounts: record.email ? [{active: true, login: record.email.toLowerCase()}] : [],
        customerCode: seeded.code,
        publishedAt: at(seeded.webshop.publishedAt),
        record: {...record, origin: 'erp'},
      })
  }
  for (const seeded of seed.orders ?? []) {
    if (seeded.device) {
      const device = state.app.devices.get(seeded.device.userId)?.find((entry) => entry.deviceId === seeded.device?.deviceId)
      if (device) (device.pendingUploads as Json[]).push({createdAt: at(seeded.device.created), key: seeded.orderNr, kind: 'order'})
    }
    if (seeded.cms === null || !seeded.transfer) continue
    state.cms.orders.set(seeded.orderNr, {
      channel: seeded.channel ?? 'app',
      createdAt: at(seeded.created),
      customerCode: seeded.customerCode ?? '',
      deliveryAddress: null,
      lines: (seeded.lines ?? []).map((line, index) => ({...line, discount: 0, lineNo: index + 1, unit: 'st'})),
      orderDate: (at(seeded.created) ?? '').slice(0, 10),
      orderNr: seeded.orderNr,
      receivedAt: at(seeded.received),
      transfer: {
        attempts: seeded.transfer.attempts,
        erpDocumentNumber: seeded.transfer.erpDocumentNumber ?? null,
        error: seeded.transfer.error ?? null,
        file: seeded.transfer.file ?? null,
        lastAttemptAt: at(seeded.transfer.lastAttempt),
        status: seeded.transfer.status,
      },
      yourReference: seeded.yourReference ?? '',
    })
    if (seeded.webshop) state.webshop.orders.set(seeded.orderNr, {handedToCmsAt: at(seeded.webshop.handed), orderNr: seeded.orderNr, placedAt: at(seeded.webshop.placed)})
    if (seeded.erp && erp)
      erp.emulator.putOrder(erp.state, {
        customerCode: seeded.customerCode ?? '',
        customerName: state.cms.customers.get(seeded.customerCode ?? '')?.name as string | undefined ?? null,
        documentNumber: seeded.erp.documentNumber,
        modifiedAt: at(seeded.erp.modified) as string,
        orderDate: (at(seeded.created) ?? '').slice(0, 10),
        orderNr: seeded.orderNr,
        status: seeded.erp.status,
        total: (seeded.lines ?? []).reduce((sum, line) => sum + line.quantity * line.price, 0) * 1.25,
        yourReference: seeded.yourReference ?? null,
      })
    if (seeded.erp && fortnox)
      fortnox.orders.push({
        Cancelled: false,
        CustomerName: state.cms.customers.get(seeded.customerCode ?? '')?.name ?? null,
        CustomerNumber: seeded.customerCode,
        DocumentNumber: seeded.erp.documentNumber,
        ExternalInvoiceReference1: seeded.orderNr,
        OrderDate: (at(seeded.created) ?? '').slice(0, 10),
        Sent: false,
        Total: (seeded.lines ?? []).reduce((sum, line) => sum + line.quantity * line.price, 0) * 1.25,
        YourOrderNumber: seeded.yourReference ?? null,
      })
    if (seeded.erp && businessCentral)
      businessCentral.salesOrders.push({
        customerNumber: seeded.customerCode,
        externalDocumentNumber: seeded.orderNr,
        id: stableGuid(businessCentral.companyId, 'salesOrder', seeded.orderNr),
        lastModifiedDateTime: at(seeded.erp.modified),
        number: seeded.erp.documentNumber,
        orderDate: (at(seeded.created) ?? '').slice(0, 10),
        status: seeded.erp.status,
        totalAmountIncludingTax: (seeded.lines ?? []).reduce((sum, line) => sum + line.quantity * line.price, 0) * 1.25,
      })
    if (seeded.file && exports) exports.orderFiles.push({error: seeded.file.error ?? null, folder: seeded.file.folder, modified: at(seeded.file.modified) as string, orderNr: seeded.orderNr})
  }
  for (const seeded of seed.items ?? []) {
    const record = {itemCode: seeded.code, ...seeded.record} as PlatformItemJson
    if (seeded.erp && businessCentral) {
      const erp = {...record, ...(seeded.erp.changes as Partial<PlatformItemJson> | undefined)}
      businessCentral.items.push({
        baseUnitOfMeasureCode: erp.unit,
        blocked: !erp.active,
        displayName: erp.description,
        gtin: '',
        id: stableGuid(businessCentral.companyId, 'item', seeded.code),
        inventory: erp.stock,
        itemCategoryCode: '',
        lastModifiedDateTime: at(seeded.erp.modifiedAt),
        number: seeded.code,
        priceIncludesTax: false,
        type: 'Inventory',
        unitCost: 0,
        unitPrice: erp.price,
      })
    }
    if (seeded.erp && erp) erp.emulator.putItem(erp.state, {...record, ...(seeded.erp.changes as Partial<PlatformItemJson> | undefined)}, at(seeded.erp.modifiedAt) as string)
    if (seeded.erp && fortnox) {
      const erp = {...record, ...(seeded.erp.changes as Partial<PlatformItemJson> | undefined)}
      fortnox.articles.push({
        lastModified: at(seeded.erp.modifiedAt) as string,
        record: {'@url': `https://api.fortnox.se/3/articles/${encodeURIComponent(seeded.code)}`, Active: erp.active, ArticleNumber: seeded.code, Description: erp.description, DisposableQuantity: erp.stock, EAN: null, QuantityInStock: erp.stock, ReservedQuantity: 0, SalesPrice: erp.price, StockGoods: true, Type: 'STOCK', Unit: erp.unit, VAT: 25, WebshopArticle: erp.webshop},
      })
    }
    if (seeded.export && exports)
      exports.items.push({
        emptyCurrency: seeded.export.emptyCurrency ?? false,
        lastModified: at(seeded.export.lastModified) as string,
        record: {...record, ...(seeded.export.changes as Partial<PlatformItemJson> | undefined)},
        vatIncluded: !seeded.export.noVatIncluded,
      })
    if (seeded.cms) state.cms.items.set(seeded.code, {...record, erpModifiedAt: at(seeded.erp?.modifiedAt ?? seeded.export?.lastModified), syncedAt: at(seeded.cms.syncedAt)})
    if (seeded.app) state.app.items.set(seeded.code, {itemCode: seeded.code, publishedAt: at(seeded.app.publishedAt), record})
    if (seeded.webshop)
      state.webshop.items.set(seeded.code, {handedAt: null, itemCode: seeded.code, price: record.price, publishedAt: at(seeded.webshop.publishedAt), stock: record.stock, visible: seeded.webshop.visible})
  }
  return state
}
