import type {ErpConnector, ErpPriceRow} from '../connectors/erp.js'
import type {FtpSettings} from '../connectors/ftp/connector.js'
import {exportPrices} from '../connectors/ftp/price.js'
import type {ExportPriceRow} from '../connectors/ftp/price-rows.js'
import type {Listed} from '../connectors/listing.js'
import {PlatformLister} from '../connectors/platform/listing.js'
import * as schemas from '../connectors/platform/schemas-prices.js'
import {pathSegment, type ServiceEndpoint} from '../connectors/platform/service.js'
import {parseAnswer} from '../connectors/schema.js'
import type {HttpClient} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import {plainRow, priceMergeKey, sortedRows} from './price-key.js'
import {inBatches, type Side, type SideItem} from './sides.js'
import type {SideEntry} from './types.js'

/**
 * The sides of `reconcile prices`: every row of every list, each as a merge entry keyed by `priceMergeKey`.
 * The CMS and the app are read list by list (`/pricelists`, then each list's rows paged by item), in key
 * order; the ERP's `listRows()` and the export files in the source's order (sorted on disk by the merge).
 */

const time = (date: Date | null | undefined): number | null => (date ? date.getTime() : null)

function errorText(error: unknown): string {
  return error instanceof RequestProblem ? error.problem.message : String((error as Error)?.message ?? error)
}

/** One listed raw row checked on its own: a bad row is that row's error, the rest of the page still counts. */
function cmsRowEntry(raw: unknown, system: string): SideItem {
  try {
    const row = parseAnswer(schemas.priceRow, raw, system, 'a listed price row')
    const info = {erpModifiedAt: time(row.erpModifiedAt), syncedAt: time(row.syncedAt)}
    return {error: null, info, key: priceMergeKey(row), record: plainRow(row)}
  } catch (error) {
    return {error: errorText(error), key: null}
  }
}

/** Every list code the CMS has (`GET /pricelists`, paged), in key order. */
async function* listCodes(cms: PlatformLister): AsyncGenerator<string> {
  for await (const page of cms.pagesAt('/pricelists', 'priceLists', 'the price lists')) {
    for (const raw of page) {
      const code = (raw as {priceListCode?: unknown} | null)?.priceListCode
      if (typeof code === 'string' && code !== '') yield code
    }
  }
}

/** A page of rows in key order; its unreadable rows first (they carry no key). */
function keyOrdered(items: SideItem[]): SideItem[] {
  const keyless = items.filter((item) => item.key === null)
  return [...keyless, ...sortedRows(items.filter((item): item is SideEntry => item.key !== null))]
}

/** The CMS's rows: every list, each list's rows paged by item (`/pricelists/{code}/prices?limit&after`). */
export function cmsPriceSide(http: HttpClient, endpoint: ServiceEndpoint, pageSize?: number): Side {
  const cms = new PlatformLister(http, endpoint, 'cms', pageSize)
  return {
    hop: 'cms',
    name: 'the CMS',
    open: () =>
      (async function* () {
        for await (const code of listCodes(cms))
          for await (const page of cms.pagesAt(
            `/pricelists/${pathSegment(code)}/prices`,
            'prices',
            `the rows of ${code}`,
          ))
            yield keyOrdered(page.map((raw) => cmsRowEntry(raw, cms.systemName)))
      })(),
    ordered: true,
    spilled: false,
    startsAfter: false,
  }
}

/**
 * The app backend's published rows of each list the CMS has (the app has no list of lists):
 * `/app/v1/pricelists/{code}/prices?limit&after`, each entry one item's rows with their `publishedAt`; a list
 * never published (404) has none.
 */
export function appPriceSide(http: HttpClient, cms: ServiceEndpoint, app: ServiceEndpoint, pageSize?: number): Side {
  const lists = new PlatformLister(http, cms, 'cms', pageSize)
  const published = new PlatformLister(http, app, 'app', pageSize)
  return {
    hop: 'app',
    name: 'the app',
    open: () =>
      (async function* () {
        for await (const code of listCodes(lists))
          for await (const page of published.pagesAt(
            `/pricelists/${pathSegment(code)}/prices`,
            'prices',
            `the published rows of ${code}`,
            null,
            true,
          ))
            yield keyOrdered(page.flatMap((entry) => publishedRows(entry, published.systemName)))
      })(),
    ordered: true,
    spilled: false,
    startsAfter: false,
  }
}

/** One app entry (`{priceListCode, itemCode, publishedAt, record: {prices}}`) as its rows, each with the entry's publish time. */
function publishedRows(entry: unknown, system: string): SideItem[] {
  try {
    const body = parseAnswer(schemas.appPriceRows, entry, system, 'a published item of a price list')
    return body.record.prices.map((row) => ({
      error: null,
      info: {publishedAt: time(body.publishedAt)},
      key: priceMergeKey(row),
      record: plainRow(row),
    }))
  } catch (error) {
    return [{error: errorText(error), key: null}]
  }
}

/** A listed row of an ERP or the export: its change time, and for the export its file, line and the file's time. */
function sourceEntry(listed: Listed<ErpPriceRow | ExportPriceRow>): SideItem {
  if (!listed.value) return {error: listed.error ?? 'unreadable price row', key: null}
  const row = listed.value
  const where =
    'file' in row
      ? {file: row.file, fileModifiedAt: time(row.fileModifiedAt), line: row.line}
      : ({} as SideEntry['info'])
  return {
    error: null,
    info: {...where, modifiedAt: time(row.modifiedAt)},
    key: priceMergeKey(row),
    record: plainRow(row),
  }
}

async function* sourceBatches(listing: {
  entries?: AsyncIterable<Listed<ErpPriceRow>>
  records: AsyncIterable<ErpPriceRow>
}): AsyncGenerator<SideItem[]> {
  const entries =
    listing.entries ??
    (async function* () {
      for await (const value of listing.records) yield {error: null, key: null, value} as Listed<ErpPriceRow>
    })()
  for await (const batch of inBatches(entries)) yield batch.map(sourceEntry)
}

/** The ERP's rows through its `entities.price.listRows()`; null when the connector cannot list them. */
export function erpPriceSide(erp: ErpConnector): Side | null {
  const resource = erp.entities.price
  if (!resource?.listRows) return null
  const list = resource.listRows.bind(resource)
  return {
    hop: 'erp',
    name: erp.displayName,
    // The ERPs list rows in their own order (by list, then article or id): the merge checks it, and sorts on disk.
    ordered: false,
    open: () => sourceBatches(list()),
    spilled: false,
    startsAfter: false,
  }
}

/**
 * The price-list files through the file server's `listRows()`: every row the CMS keeps, keyed; every row it
 * skips (a reason, a duplicate, an unreadable row) keyless with `file line N: reason`, which the tally names
 * `price-row-skipped`. In file order: the merge sorts it on disk.
 */
export function exportPriceSide(settings: FtpSettings, timeZone: string): Side {
  const resource = exportPrices(settings, {timeZone})
  return {
    hop: 'ftp',
    name: 'the price export',
    open: () => sourceBatches(resource.listRows()),
    ordered: false,
    spilled: false,
    startsAfter: false,
  }
}
