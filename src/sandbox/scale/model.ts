import type {ReconcileEntity} from '../../reconcile/types.js'
import {syncRecordsKey} from '../state.js'
import {clockAt, iso, type ScaleClock} from './clock.js'
import {firstIndexAfter, indexOfKey, scaleKey} from './keys.js'
import {reps, residue} from './planted.js'

type Json = Record<string, unknown>

interface SourceRecord {
  record: Json
  modified: number
}

/** Which residues plant a published hop's own differences: the records only it has, behind and differing. */
interface PublishedPlants {
  onlyHere: number
  behind: number
  differs: number
}

/** The residues that no published hop has: never synced to the CMS. */
const notInCms = (r: number) => r === residue.createdAfterSync || r === residue.excluded || r === residue.notReadBySync

/** The generated installation: every hop's view of record `index`, with the changes jobs made on top. */
export class ScaleModel {
  readonly clock: ScaleClock
  /** Records jobs wrote, per hop and key (null: removed). */
  readonly written = {
    app: new Map<string, Json | null>(),
    cms: new Map<string, Json | null>(),
    webshop: new Map<string, Json | null>(),
  }
  readonly runs: Json[] = []
  /** What the runs did with each record they read (`/sync/records`), newest first, by `syncRecordsKey`. */
  readonly syncRecords = new Map<string, Json[]>()
  /** The largest page every emulated list gives, below what is asked (the platform's `limit`, BC's `odata.maxpagesize`); null: as asked. */
  maxPageSize: number | null = null

  constructor(
    readonly id: string,
    readonly records: number,
    now = Date.now(),
  ) {
    this.clock = clockAt(now)
    this.runs.push(...(['customers', 'items'] as const).map((entity) => this.autoRun(entity)))
  }

  /** The last automatic run of each entity, which read every record and changed none. */
  private autoRun(entity: ReconcileEntity): Json {
    const ftp = this.id === 'scale-ftp'
    return {
      counts: {created: 0, failed: 0, read: this.records, skipped: 0, unchanged: this.records, updated: 0},
      entity,
      error: null,
      finishedAt: iso(this.clock.syncEnd),
      keys: null,
      mode: 'auto',
      requestedBy: 'auto',
      runId: `r-${entity === 'customers' ? 1 : 2}`,
      source: ftp ? 'ftp-file' : 'erp-api',
      sourceFile: ftp ? `a4s/${entity}.csv` : null,
      sourceFileModifiedAt: ftp ? iso(this.clock.exportFileRead) : null,
      startedAt: iso(this.clock.syncStart),
      status: 'succeeded',
    }
  }

  private base(entity: ReconcileEntity, index: number): Json {
    return entity === 'customers' ? baseCustomer(index) : baseItem(index)
  }

  /** The ERP's (or the export's) record, with its change time; null when the source has none. */
  source(entity: ReconcileEntity, index: number): SourceRecord | null {
    const r = index % 100
    if (r === residue.removedFromSource || r === residue.onlyInApp || r === residue.onlyInWebshop) return null
    const record = this.base(entity, index)
    let modified = this.clock.oldChange
    if (r === residue.createdAfterSync) modified = this.clock.recentChange
    if (r === residue.changedAfterSync) {
      modified = this.clock.recentChange
      if (entity === 'customers') record.name = `Customer ${index} Group AB`
      else record.price = (record.price as number) + 1
    }
    if (r === residue.excluded) {
      if (entity === 'customers') record.isPrivate = true
      else record.active = false
    }
    return {modified, record}
  }

  cms(entity: ReconcileEntity, index: number): Json | null {
    const written = this.written.cms.get(scaleKey(entity, index))
    if (written !== undefined) return written
    const r = index % 100
    if (notInCms(r) || r === residue.onlyInApp || r === residue.onlyInWebshop) return null
    const record = this.base(entity, index)
    if (r === residue.cmsDiffers) {
      if (entity === 'customers') record.phone = '+46 8 999 999'
      else record.description = `Item ${index} (edited in the CMS)`
    }
    return {...record, erpModifiedAt: iso(this.clock.oldChange), origin: 'erp', syncedAt: iso(this.clock.cmsWritten)}
  }

  /** The CMS's record without what the CMS adds to it: what it publishes. */
  private cmsRecord(entity: ReconcileEntity, index: number): Json | null {
    const cms = this.cms(entity, index)
    if (!cms) return null
    const {erpModifiedAt: _modified, origin: _origin, syncedAt: _synced, ...record} = cms
    return record
  }

  app(entity: ReconcileEntity, index: number): Json | null {
    const key = scaleKey(entity, index)
    const written = this.written.app.get(key)
    if (written !== undefined) return written
    const r = index % 100
    if (notInCms(r) || r === residue.notPublishedToApp || r === residue.onlyInWebshop) return null
    const {publishedAt, record} = this.publishedVersion(entity, index, {
      behind: residue.appBehind,
      differs: residue.appDiffers,
      onlyHere: residue.onlyInApp,
    })
    return appView(entity, key, record, iso(publishedAt), r === residue.notVisible ? [] : usersOf(record))
  }

  webshop(entity: ReconcileEntity, index: number): Json | null {
    const key = scaleKey(entity, index)
    const written = this.written.webshop.get(key)
    if (written !== undefined) return written
    const r = index % 100
    if (notInCms(r) || r === residue.notPublishedToWebshop || r === residue.onlyInApp) return null
    if (entity === 'items' && r === residue.notAWebshopItem) return null
    const {publishedAt, record} = this.publishedVersion(entity, index, {
      behind: residue.webshopBehind,
      differs: residue.webshopDiffers,
      onlyHere: residue.onlyInWebshop,
    })
    return webshopView(entity, key, record, iso(publishedAt))
  }

  /** What a published hop holds of record `index`: the CMS's record (or its own), an older version, or another. */
  private publishedVersion(
    entity: ReconcileEntity,
    index: number,
    plants: PublishedPlants,
  ): {record: Json; publishedAt: number} {
    const r = index % 100
    const record = r === plants.onlyHere ? this.base(entity, index) : (this.cmsRecord(entity, index) as Json)
    let publishedAt = this.clock.published
    if (r === plants.behind) {
      publishedAt = this.clock.oldPublished
      if (entity === 'customers') record.email = `old${index}@customer.example`
      else record.price = (record.price as number) - 1
    }
    if (r === plants.differs) {
      if (entity === 'customers') record.email = `other${index}@customer.example`
      else record.price = (record.price as number) + 2
    }
    return {publishedAt, record}
  }

  /** A sync run's write: the CMS's record of `key` (what `src/sandbox/scale/sync.ts` read from the source). */
  writeCms(key: string, record: Json): void {
    this.written.cms.set(key, record)
  }

  /** One record's outcome in a run, as `/sync/records` answers it. */
  noteSyncRecord(entity: string, key: string, entry: Json): void {
    const recordsKey = syncRecordsKey(entity, key)
    this.syncRecords.set(recordsKey, [entry, ...(this.syncRecords.get(recordsKey) ?? [])])
  }

  publish(
    entity: ReconcileEntity,
    key: string,
    record: Json,
    at: string,
    where: {app: boolean; webshop: boolean},
  ): void {
    if (where.app) this.written.app.set(key, appView(entity, key, record, at, usersOf(record)))
    if (where.webshop && (entity === 'customers' || record.webshop !== false))
      this.written.webshop.set(key, webshopView(entity, key, record, at))
  }

  /** A republish: the CMS's record pushed to the webshop again. */
  republish(entity: ReconcileEntity, key: string, at: string): void {
    const index = this.indexOf(entity, key)
    if (index === null) return
    const cms = this.cmsRecord(entity, index)
    if (cms) this.publish(entity, key, cms, at, {app: false, webshop: true})
  }

  indexOf(entity: ReconcileEntity, key: string): number | null {
    return indexOfKey(entity, key, this.records)
  }

  firstIndexAfter(entity: ReconcileEntity, after: string | null): number {
    return firstIndexAfter(entity, after, this.records)
  }
}

function baseCustomer(index: number): Json {
  const code = scaleKey('customers', index)
  return {
    addresses: [
      {
        addressLine1: `Box ${index}`,
        addressLine2: '',
        addressType: 'Invoice',
        city: 'Stockholm',
        countryCode: 'SE',
        isMain: true,
        postCode: '111 22',
      },
      {
        addressLine1: `Lagervägen ${index % 1000}`,
        addressLine2: '',
        addressType: 'Delivery',
        city: 'Farsta',
        countryCode: 'SE',
        isMain: true,
        postCode: '123 45',
      },
    ],
    blocked: false,
    customerCode: code,
    email: `orders${index}@customer.example`,
    isPrivate: false,
    name: `Customer ${index} AB`,
    phone: `+468${String(index).padStart(7, '0')}`,
    priceListCode: 'B2B',
    salesRepCodes: [`SR${(index % reps) + 1}`],
  }
}

function baseItem(index: number): Json {
  return {
    active: true,
    currency: 'SEK',
    description: `Item ${index}`,
    itemCode: scaleKey('items', index),
    price: (index % 500) + 10.5,
    stock: index % 97,
    unit: 'st',
    webshop: index % 100 !== residue.notAWebshopItem,
  }
}

/** The app users who see a customer: those of its sales reps (`SR7` is `u-7`). */
function usersOf(record: Json): string[] {
  return ((record.salesRepCodes as string[] | undefined) ?? []).map((rep) => `u-${rep.slice(2)}`)
}

/** The app backend's published record. */
function appView(
  entity: ReconcileEntity,
  key: string,
  record: Json,
  publishedAt: string,
  visibleToUserIds: string[],
): Json {
  return entity === 'items'
    ? {itemCode: key, publishedAt, record}
    : {customerCode: key, publishedAt, record, visibleToUserIds}
}

/** The webshop's published record: an item's price and stock, a customer's record and its login. */
function webshopView(entity: ReconcileEntity, key: string, record: Json, publishedAt: string): Json {
  return entity === 'items'
    ? {itemCode: key, price: record.price, publishedAt, stock: record.stock, visible: true}
    : {accounts: [{active: true, login: String(record.email).toLowerCase()}], customerCode: key, publishedAt, record}
}
