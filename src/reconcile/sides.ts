import type {
  EntityResource,
  ErpConnector,
  ErpCustomerRecord,
  ErpEntities,
  ErpItemRecord,
  ErpListing,
} from '../connectors/erp.js'
import {exportFilesOf, type FtpSettings} from '../connectors/ftp/connector.js'
import {exportCustomers} from '../connectors/ftp/customer.js'
import {exportItems} from '../connectors/ftp/item.js'
import type {ExportRecord, ExportResource} from '../connectors/ftp/listing.js'
import type {Listed} from '../connectors/listing.js'
import {PlatformLister} from '../connectors/platform/listing.js'
import type {
  AppPublishedCustomer,
  CmsCustomer,
  CmsItem,
  PublishedItem,
  WebshopPublishedCustomer,
} from '../connectors/platform/types.js'
import type {HttpClient} from '../http/client.js'
import type {ServiceEndpoint} from '../connectors/platform/service.js'
import type {CanonicalCustomer} from '../model/customer.js'
import type {CanonicalItem} from '../model/item.js'
import {compareKeys} from '../util/key-order.js'
import {SpillSorter} from '../util/spill-sort.js'
import {parseLocalDateTime} from '../util/time.js'
import type {ReconcileEntity, ReconcileHop, SideEntry} from './types.js'

/** An entry whose key could not be read at all: reported, never merged. */
export interface KeylessEntry {
  key: null
  error: string
}

export type SideItem = SideEntry | KeylessEntry

/** One side of a reconcile: a hop's records of one entity, as a stream. */
export interface Side {
  hop: ReconcileHop
  /** For sentences: "Business Central", "the export", "the CMS". */
  name: string
  /** Does the stream claim ascending key order (UTF-8 bytes)? It is checked all the same. */
  ordered: boolean
  /** Was it sorted on disk by the side itself (the export files)? */
  spilled: boolean
  /** Can the side start after a key by itself (the platform's `after`)? Otherwise the reader skips up to it. */
  startsAfter: boolean
  /** The records from `after` on (when the side starts after keys itself), a page at a time. */
  open(after: string | null): AsyncIterable<SideItem[]>
}

const iso = (date: Date | null | undefined): number | null => (date ? date.getTime() : null)

function fromListed<T>(listed: Listed<T>, convert: (value: T) => SideEntry): SideItem {
  if (listed.value) return convert(listed.value)
  if (listed.key === null) return {error: listed.error ?? 'unreadable record', key: null}
  return {error: listed.error ?? 'unreadable record', info: {}, key: listed.key, record: null}
}

async function* convertAll<T>(
  batches: AsyncIterable<Array<Listed<T>>>,
  convert: (value: T) => SideEntry,
): AsyncGenerator<SideItem[]> {
  for await (const batch of batches) yield batch.map((listed) => fromListed(listed, convert))
}

/** A listing that gives one record at a time, in pages of `size` for the merge. */
async function* inBatches<T>(entries: AsyncIterable<T>, size = 1000): AsyncGenerator<T[]> {
  let batch: T[] = []
  for await (const entry of entries) {
    batch.push(entry)
    if (batch.length >= size) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

async function* asListed<T>(records: AsyncIterable<T>): AsyncGenerator<Listed<T>> {
  for await (const value of records) yield {error: null, key: null, value}
}

function listedBatches<T>(listing: {
  batches?: AsyncIterable<Array<Listed<T>>>
  entries?: AsyncIterable<Listed<T>>
  records: AsyncIterable<T>
}): AsyncIterable<Array<Listed<T>>> {
  return listing.batches ?? inBatches(listing.entries ?? asListed(listing.records))
}

/** Per reconciled entity: the ERP's resource for it and how one of its records becomes the merge's entry. */
const erpListings: {[E in ReconcileEntity]: ErpListingOf<E>} = {
  customers: {
    convert: (value) => ({
      error: null,
      info: {
        derived: value.derived,
        modifiedAt: iso(value.modifiedAt),
        notSupplied: value.notSupplied,
        skippedBecause: value.skippedBecause ?? null,
      },
      key: value.customer.code,
      record: value.customer,
    }),
    resource: (entities) => entities.customer,
  },
  items: {
    convert: (value) => ({
      error: null,
      info: {modifiedAt: iso(value.modifiedAt), notSupplied: value.notSupplied},
      key: value.item.code,
      record: value.item,
    }),
    resource: (entities) => entities.item,
  },
}

interface ErpListingOf<E extends ReconcileEntity> {
  resource: (entities: ErpEntities) => EntityResource<ErpRecordOf[E]> | undefined
  convert: (value: ErpRecordOf[E]) => SideEntry
}

interface ErpRecordOf {
  customers: ErpCustomerRecord
  items: ErpItemRecord
}

/** The ERP's API as a side: its listing of the entity, each record converted to the merge's entry. */
export function erpSide<E extends ReconcileEntity>(erp: ErpConnector, entity: E): Side | null {
  const {convert, resource} = erpListings[entity] as ErpListingOf<E>
  const listing = resource(erp.entities)
  return listing?.list ? listingSide(erp, listing.list.bind(listing), convert) : null
}

function listingSide<T>(erp: ErpConnector, list: () => ErpListing<T>, convert: (value: T) => SideEntry): Side {
  return {
    hop: 'erp',
    name: erp.displayName,
    get ordered() {
      return list().ordered
    },
    open: () => convertAll(listedBatches(list()), convert),
    spilled: false,
    startsAfter: false,
  }
}

export {inBatches}

export function platformSide(
  http: HttpClient,
  endpoint: ServiceEndpoint,
  hop: 'cms' | 'app' | 'webshop',
  entity: ReconcileEntity,
  pageSize?: number,
): Side {
  const lister = new PlatformLister(http, endpoint, hop, pageSize)
  const names = {app: 'the app', cms: 'the CMS', webshop: 'the webshop'}
  const convertCustomer = (value: CmsCustomer | AppPublishedCustomer | WebshopPublishedCustomer): SideEntry => {
    const info =
      hop === 'cms'
        ? {
            erpModifiedAt: iso((value as CmsCustomer).erpModifiedAt),
            origin: (value as CmsCustomer).origin,
            syncedAt: iso((value as CmsCustomer).syncedAt),
          }
        : hop === 'app'
          ? {
              publishedAt: iso((value as AppPublishedCustomer).publishedAt),
              visibleToUserIds: (value as AppPublishedCustomer).visibleToUserIds,
            }
          : {publishedAt: iso((value as WebshopPublishedCustomer).publishedAt)}
    return {error: null, info, key: value.customer.code, record: value.customer}
  }
  const convertItem = (value: CmsItem | PublishedItem): SideEntry => {
    const info =
      hop === 'cms'
        ? {erpModifiedAt: iso((value as CmsItem).erpModifiedAt), syncedAt: iso((value as CmsItem).syncedAt)}
        : {publishedAt: iso((value as PublishedItem).publishedAt), visible: (value as PublishedItem).visible}
    return {error: null, info, key: value.item.code, record: value.item}
  }
  return {
    hop,
    name: names[hop],
    open: (after) =>
      entity === 'customers'
        ? convertAll(lister.customerPages(after), convertCustomer)
        : convertAll(lister.itemPages(after), convertItem),
    ordered: true,
    spilled: false,
    startsAfter: true,
  }
}

/** "the export _kunder.xml": the files the CMS reads; a name the CMS gives that is refused fails the side when it opens. */
function exportName(settings: FtpSettings, entity: ReconcileEntity): string {
  try {
    return `the export ${exportFilesOf(settings, entity).files.join(', ')}`
  } catch {
    return 'the export'
  }
}

/** Per reconciled entity: its export files on the installation's file server. */
const exportListings: Record<ReconcileEntity, ExportResource<CanonicalCustomer | CanonicalItem>> = {
  customers: exportCustomers as ExportResource<CanonicalCustomer | CanonicalItem>,
  items: exportItems as ExportResource<CanonicalCustomer | CanonicalItem>,
}

/**
 * The export files: read in full (their row order is the ERP's, not the key's), every row into a disk-backed
 * sort, then given out in key order. Each row's LastModified is read in the installation's time zone.
 */
export function exportSide(
  settings: FtpSettings,
  entity: ReconcileEntity,
  timeZone: string,
  spillFolder: string,
): Side {
  return {
    hop: 'ftp',
    name: exportName(settings, entity),
    open: (after) =>
      (async function* () {
        const sorter = new SpillSorter<SideEntry>({folder: spillFolder})
        try {
          const keep = (key: string) => after === null || compareKeys(key, after) > 0
          await exportListings[entity].list(
            settings,
            (row: ExportRecord<CanonicalCustomer | CanonicalItem>) => {
              if (!keep(row.key)) return
              const modified = row.lastModifiedLocal ? parseLocalDateTime(row.lastModifiedLocal, timeZone) : null
              sorter.add({
                error: null,
                info: {
                  file: row.file,
                  fileModifiedAt: iso(row.fileModifiedAt),
                  modifiedAt: iso(modified),
                  notSupplied: row.notSupplied,
                  skippedBecause: row.skippedBecause,
                },
                key: row.key,
                record: row.value,
              })
            },
            (problem) => {
              const key = problem.key?.replace(/^~/, '') ?? null
              if (key === null || !keep(key)) return
              sorter.add({error: problem.message, info: {file: problem.file, line: problem.line}, key, record: null})
            },
          )
        } catch (error) {
          sorter.dispose()
          throw error
        }
        yield* inBatches(sorter.sorted())
      })(),
    ordered: true,
    spilled: true,
    startsAfter: true,
  }
}
