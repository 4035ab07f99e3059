import {createHash} from 'node:crypto'

import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import type {SourceCustomer, SourceItem} from '../emulation/erp-emulator.js'
import type {ExportsState, InstallationState, PlatformCustomerJson} from './state.js'

type Json = Record<string, unknown>

/** How long the sandbox's jobs take: long enough to show progress, short enough for tests. */
export const jobTiming = {progressStepMs: 250, progressSteps: 5, queuedMs: 250, deviceStartMs: 1500, republishMs: 800}

/**
 * What the server remembers per Idempotency-Key: the body it was sent with and the answer it gave, so the
 * same request sent again (after a lost response) gets the same job instead of a second one.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, {bodyHash: string; result: Json}>()

  static hash(body: unknown): string {
    return createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('hex')
  }

  lookup(key: string, body: unknown): {result: Json} | {mismatch: true} | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    return entry.bodyHash === IdempotencyStore.hash(body) ? {result: entry.result} : {mismatch: true}
  }

  remember(key: string, body: unknown, result: Json): void {
    this.entries.set(key, {bodyHash: IdempotencyStore.hash(body), result})
  }
}

/** Timers of running jobs, cleared when the sandbox stops. */
export class JobTimers {
  private readonly timers = new Set<NodeJS.Timeout>()

  after(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      work()
    }, ms)
    this.timers.add(timer)
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}

type Address = PlatformCustomerJson['addresses'][number]

/**
 * The contract's address mapping ("How the CMS maps ERP records"), the same for every source: the
 * customer's own address is the main Invoice address; each delivery address the source has is a Delivery
 * address (the default one isMain); a customer without any also gets its own address as main Delivery.
 */
export function mapAddresses(own: Omit<Address, 'addressType' | 'isMain'>, deliveries: Array<Omit<Address, 'addressType'>>): Address[] {
  const invoice: Address = {...own, addressType: 'Invoice', isMain: true}
  if (deliveries.length === 0) return [invoice, {...own, addressType: 'Delivery', isMain: true}]
  return [invoice, ...deliveries.map((delivery) => ({...delivery, addressType: 'Delivery'}))]
}

/** The CMS's normal form: e-mails lower-cased, phone numbers without spaces or dashes, whitespace trimmed. */
function cmsForm(record: PlatformCustomerJson): PlatformCustomerJson {
  const trim = (value: string) => value.trim().replace(/\s+/g, ' ')
  return {
    ...record,
    addresses: record.addresses.map((address) => ({
      ...address,
      addressLine1: trim(address.addressLine1),
      addressLine2: trim(address.addressLine2),
      city: trim(address.city),
      countryCode: trim(address.countryCode).toUpperCase(),
      postCode: trim(address.postCode),
    })),
    email: record.email.trim().toLowerCase(),
    name: trim(record.name),
    phone: record.phone.replace(/[\s-]/g, ''),
  }
}

/**
 * The platform's customer from Business Central's customer entity and its ship-to addresses; `shipTos` is
 * null when the Business Central has no platform extension (its ship-to route answers 404).
 */
function customerFromBusinessCentral(entity: Json, shipTos: Json[] | null, previous: Json | undefined): PlatformCustomerJson {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  return {
    addresses: mapAddresses(
      {
        addressLine1: text(entity.addressLine1),
        addressLine2: text(entity.addressLine2),
        city: text(entity.city),
        countryCode: text(entity.country),
        postCode: text(entity.postalCode),
      },
      (shipTos ?? []).map((shipTo) => ({
        addressLine1: text(shipTo.addressLine1),
        addressLine2: text(shipTo.addressLine2),
        city: text(shipTo.city),
        countryCode: text(shipTo.countryRegionCode),
        isMain: shipTo.isDefault === true,
        postCode: text(shipTo.postalCode),
      })),
    ),
    blocked: text(entity.blocked).trim() !== '',
    customerCode: text(entity.number),
    email: text(entity.email),
    isPrivate: entity.type === 'Person',
    name: text(entity.displayName),
    phone: text(entity.phoneNumber),
    // BC's standard API has no price group: the CMS keeps what it had, else the installation's default.
    priceListCode: typeof previous?.priceListCode === 'string' ? previous.priceListCode : 'B2B-A',
    salesRepCodes: text(entity.salespersonCode) ? [text(entity.salespersonCode)] : [],
  }
}

/** The export file a sync run of the layout reads first (`customers.csv`, Winbas `_customers.xml`, Monitor `items.xml`). */
function exportFileOf(exports: ExportsState, kind: 'customers' | 'items'): string {
  return ftpLayoutFor(exports.layout, null)[kind].defaultFiles[0] as string
}

/** The platform's customer from an export row: its Invoice columns and, when filled in, its Delivery columns. */
function customerFromExportRow(record: PlatformCustomerJson): PlatformCustomerJson {
  const main = (type: string) => record.addresses.find((address) => address.addressType === type && address.isMain)
  const invoice = main('Invoice') ?? record.addresses[0]
  const delivery = main('Delivery')
  const own = {
    addressLine1: invoice?.addressLine1 ?? '',
    addressLine2: invoice?.addressLine2 ?? '',
    city: invoice?.city ?? '',
    countryCode: invoice?.countryCode ?? '',
    postCode: invoice?.postCode ?? '',
  }
  const filled = delivery && (delivery.addressLine1 || delivery.city)
  return {
    ...record,
    addresses: mapAddresses(
      own,
      filled
        ? [
            {
              addressLine1: delivery.addressLine1,
              addressLine2: delivery.addressLine2,
              city: delivery.city,
              countryCode: delivery.countryCode,
              isMain: true,
              postCode: delivery.postCode,
            },
          ]
        : [],
    ),
  }
}

/** The CMS keeps the ERP's change time truncated to whole seconds (null when the ERP has none). */
function wholeSeconds(value: unknown): string | null {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return null
  return new Date(Math.floor(Date.parse(value) / 1000) * 1000).toISOString()
}

function sameContent(a: Json | undefined, b: Json): boolean {
  if (!a) return false
  const strip = ({erpModifiedAt: _e, origin: _o, syncedAt: _s, ...rest}: Json) => JSON.stringify(rest)
  return strip(a) === strip(b)
}

/** Publishes a CMS customer to the app backend (visible to the users of its sales reps) and the webshop. */
export function publishCustomer(state: InstallationState, code: string, at: string, targets: {app: boolean; webshop: boolean}): void {
  const record = state.cms.customers.get(code)
  if (!record) return
  const reps = Array.isArray(record.salesRepCodes) ? (record.salesRepCodes as string[]) : []
  if (targets.app)
    state.app.customers.set(code, {
      customerCode: code,
      publishedAt: at,
      record: {...record},
      visibleToUserIds: state.app.users.filter((user) => user.salesRepCodes.some((rep) => reps.includes(rep))).map((user) => user.userId),
    })
  if (targets.webshop)
    state.webshop.customers.set(code, {
      accounts: typeof record.email === 'string' && record.email ? [{active: true, login: record.email.toLowerCase()}] : [],
      customerCode: code,
      publishedAt: at,
      record: {...record},
    })
}

/**
 * A customer sync as the CMS runs it: read the ERP (all customers, or the keys), honour the filters, write
 * the changed records, note each record's outcome, record the run, and publish what changed.
 */
/** The platform's customer from a Fortnox `Customer`. */
function customerFromFortnox(customer: Json, previous: Json | undefined): PlatformCustomerJson {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const hasDelivery = Boolean(customer.DeliveryAddress1 || customer.DeliveryCity)
  return {
    addresses: mapAddresses(
      {
        addressLine1: text(customer.Address1),
        addressLine2: text(customer.Address2),
        city: text(customer.City),
        countryCode: text(customer.CountryCode),
        postCode: text(customer.ZipCode),
      },
      hasDelivery
        ? [
            {
              addressLine1: text(customer.DeliveryAddress1),
              addressLine2: text(customer.DeliveryAddress2),
              city: text(customer.DeliveryCity),
              countryCode: text(customer.DeliveryCountryCode),
              isMain: true,
              postCode: text(customer.DeliveryZipCode),
            },
          ]
        : [],
    ),
    blocked: customer.Active === false,
    customerCode: text(customer.CustomerNumber),
    email: text(customer.Email),
    isPrivate: customer.Type === 'PRIVATE',
    name: text(customer.Name),
    phone: text(customer.Phone1),
    priceListCode: text(customer.PriceList) || (typeof previous?.priceListCode === 'string' ? previous.priceListCode : 'A'),
    salesRepCodes: text(customer.OurReference) ? [text(customer.OurReference)] : [],
  }
}

export function sourceCustomers(state: InstallationState): SourceCustomer[] {
  const erp = state.erp
  if (erp) return erp.emulator.sourceCustomers(erp.state, (code) => state.cms.customers.get(code))
  const fortnox = state.fortnox
  if (fortnox)
    // Fortnox records carry no change time (the sandbox keeps one only for the lastmodified filter). The
    // platform lists Fortnox customers with filter=active: an inactive one is never read.
    return fortnox.customers
      .filter(({record}) => record.Active !== false)
      .map(({record}) => {
        const code = String(record.CustomerNumber)
        return {code, modifiedAt: null, problem: null, record: customerFromFortnox(record, state.cms.customers.get(code))}
      })
  const bc = state.businessCentral
  if (bc)
    return bc.customers.map((entity) => {
      const code = String(entity.number)
      // Without the platform's extension the CMS's connector gets a 404 for the ship-tos: it has none.
      const shipTos = bc.shipToExtension === false ? null : bc.shipToAddresses.filter((shipTo) => shipTo.customerNumber === code)
      return {code, modifiedAt: entity.lastModifiedDateTime ?? null, problem: null, record: customerFromBusinessCentral(entity, shipTos, state.cms.customers.get(code))}
    })
  // Winbas writes no change time per customer: the CMS has none to store.
  const rowTimes = state.exports?.layout !== 'winbas'
  return (state.exports?.customers ?? []).map((row) => ({
    code: row.code,
    modifiedAt: rowTimes ? row.lastModified : null,
    problem: row.malformed ? `${row.file}: the row cannot be parsed` : null,
    record: row.malformed ? null : customerFromExportRow(row.record),
  }))
}

/**
 * How one sync run goes beyond reading the source: when it happens (a run played at a past time writes
 * with that time instead of now), the records it fails on or never reads, and whether what it writes
 * reaches the app and the webshop.
 */
export interface SyncRunOptions {
  /** When the run writes (syncedAt, outcomes, finishedAt); default now. */
  at?: string
  /** Keys whose record the run fails on (outcome `failed`). */
  fail?: string[]
  /** Keys the run does not read at all (no outcome, nothing written). */
  miss?: string[]
  /** Does the run publish what it wrote to the app and the webshop? Default both. */
  publish?: {app: boolean; webshop: boolean}
  /** Why a failing record failed. */
  failReason?: string
}

/**
 * A customer sync as the CMS runs it: read the ERP or its export (all customers, or the keys), honour the
 * filters, write the changed records, note each record's outcome, record the run, publish what changed.
 */
export function runCustomerSync(
  state: InstallationState,
  run: {runId: string; mode: string; keys: string[] | null; requestedBy: string; startedAt: string},
  options: SyncRunOptions = {},
): Json {
  const now = options.at ?? new Date().toISOString()
  const publish = options.publish ?? {app: true, webshop: true}
  const filters = (state.installation.filters ?? {}) as Record<string, boolean>
  const counts = {created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0}
  const all = sourceCustomers(state).filter((entry) => !options.miss?.includes(entry.code))
  const entries = run.keys === null ? all : all.filter((entry) => run.keys?.includes(entry.code))
  for (const entry of entries) {
    counts.read++
    const {code} = entry
    const note = (outcome: string, reason: string | null = null) =>
      state.cms.records.set(code, [{at: now, outcome, reason, runId: run.runId}, ...(state.cms.records.get(code) ?? [])])
    if (!entry.record || options.fail?.includes(code)) {
      counts.failed++
      note('failed', entry.record ? (options.failReason ?? 'the CMS could not write the record') : entry.problem)
      continue
    }
    const record = cmsForm(entry.record)
    if (filters.skipPrivateCustomers && record.isPrivate) {
      counts.skipped++
      note('skipped', 'private customer excluded by filter skipPrivateCustomers')
      continue
    }
    if (filters.skipBlockedCustomers && record.blocked) {
      counts.skipped++
      note('skipped', 'blocked customer excluded by filter skipBlockedCustomers')
      continue
    }
    const previous = state.cms.customers.get(code)
    if (sameContent(previous, record)) {
      counts.unchanged++
      note('unchanged')
      continue
    }
    counts[previous ? 'updated' : 'created']++
    note(previous ? 'updated' : 'created')
    state.cms.customers.set(code, {...record, erpModifiedAt: wholeSeconds(entry.modifiedAt), origin: 'erp', syncedAt: now})
    publishCustomer(state, code, now, publish)
  }
  const exportFile = state.exports ? exportFileOf(state.exports, 'customers') : null
  const syncRun = {
    counts,
    entity: 'customers',
    error: null,
    finishedAt: now,
    keys: run.keys,
    mode: run.mode,
    requestedBy: run.requestedBy,
    runId: run.runId,
    source: exportFile ? 'ftp-file' : 'erp-api',
    sourceFile: exportFile,
    sourceFileModifiedAt: exportFile ? (state.exports?.files[exportFile]?.modified ?? null) : null,
    startedAt: run.startedAt,
    status: 'succeeded',
  }
  state.cms.runs.unshift(syncRun)
  return syncRun
}

/** The platform's item from what the ERP (BC `items`) or its export holds. */
function sourceItems(state: InstallationState): SourceItem[] {
  const erp = state.erp
  if (erp) return erp.emulator.sourceItems(erp.state, (code) => state.cms.items.get(code))
  const fortnox = state.fortnox
  if (fortnox)
    return fortnox.articles.map(({record}) => {
      const previous = state.cms.items.get(String(record.ArticleNumber))
      return {
        code: String(record.ArticleNumber),
        modifiedAt: null,
        record: {
          active: record.Active === true,
          currency: previous?.currency ?? 'SEK',
          description: record.Description,
          itemCode: String(record.ArticleNumber),
          price: record.SalesPrice,
          stock: record.DisposableQuantity,
          unit: record.Unit,
          webshop: record.WebshopArticle === true,
        },
      }
    })
  const bc = state.businessCentral
  if (bc)
    return bc.items.map((entity) => {
      const previous = state.cms.items.get(String(entity.number))
      return {
        code: String(entity.number),
        modifiedAt: entity.lastModifiedDateTime,
        // BC has no webshop flag or currency on the item: the CMS keeps what it had.
        record: {
          active: entity.blocked !== true,
          currency: previous?.currency ?? 'SEK',
          description: entity.displayName,
          itemCode: String(entity.number),
          price: entity.unitPrice,
          stock: entity.inventory,
          unit: entity.baseUnitOfMeasureCode,
          webshop: previous?.webshop ?? true,
        },
      }
    })
  // Monitor's item sync skips an item whose items.xml record has no vatincluded.
  // Monitor's items.xml carries no change time.
  const rowTimes = state.exports?.layout !== 'monitor'
  return (state.exports?.items ?? [])
    .filter((row) => row.vatIncluded !== false)
    .map((row) => ({code: row.record.itemCode, modifiedAt: rowTimes ? row.lastModified : null, record: row.record}))
}

/** Publishes a CMS item to the app backend and, when it is a webshop item, the webshop. */
export function publishItem(state: InstallationState, code: string, at: string, targets: {app: boolean; webshop: boolean}): void {
  const record = state.cms.items.get(code)
  if (!record) return
  const {erpModifiedAt: _e, syncedAt: _s, ...published} = record
  if (targets.app) state.app.items.set(code, {itemCode: code, publishedAt: at, record: published})
  if (targets.webshop && record.webshop === true)
    state.webshop.items.set(code, {itemCode: code, price: record.price, publishedAt: at, stock: record.stock, visible: record.active === true})
}

/** An item, price or stock sync: copies the fields of that entity from the source, records a run, publishes. */
export function runItemSync(
  state: InstallationState,
  run: {runId: string; entity: string; mode: string; keys: string[] | null; requestedBy: string; startedAt: string},
  options: SyncRunOptions = {},
): void {
  const now = options.at ?? new Date().toISOString()
  const publish = options.publish ?? {app: true, webshop: true}
  const filters = (state.installation.filters ?? {}) as Record<string, boolean>
  const counts = {created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0}
  const itemFile = state.exports ? exportFileOf(state.exports, 'items') : null
  const fields = run.entity === 'prices' ? ['price', 'currency'] : run.entity === 'stock' ? ['stock'] : null
  for (const source of sourceItems(state).filter((entry) => (run.keys === null || run.keys.includes(entry.code)) && !options.miss?.includes(entry.code))) {
    counts.read++
    if (options.fail?.includes(source.code)) {
      counts.failed++
      continue
    }
    if (source.record.active !== true || (filters.onlyWebshopItems && source.record.webshop !== true)) {
      counts.skipped++
      continue
    }
    const previous = state.cms.items.get(source.code)
    const next = fields && previous ? {...previous, ...Object.fromEntries(fields.map((field) => [field, source.record[field]]))} : {...previous, ...source.record}
    if (previous && JSON.stringify({...previous, erpModifiedAt: 0, syncedAt: 0}) === JSON.stringify({...next, erpModifiedAt: 0, syncedAt: 0})) {
      counts.unchanged++
      continue
    }
    counts[previous ? 'updated' : 'created']++
    state.cms.items.set(source.code, {...next, erpModifiedAt: wholeSeconds(source.modifiedAt), syncedAt: now})
    publishItem(state, source.code, now, publish)
  }
  state.cms.runs.unshift({
    counts,
    entity: run.entity,
    error: null,
    finishedAt: now,
    keys: run.keys,
    mode: run.mode,
    requestedBy: run.requestedBy,
    runId: run.runId,
    source: state.exports ? 'ftp-file' : 'erp-api',
    sourceFile: itemFile,
    sourceFileModifiedAt: itemFile ? (state.exports?.files[itemFile]?.modified ?? null) : null,
    startedAt: run.startedAt,
    status: 'succeeded',
  })
}
