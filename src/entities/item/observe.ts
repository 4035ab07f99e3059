import type {ErpItemRecord} from '../../connectors/erp.js'
import type {ExportItemLookup} from '../../connectors/ftp/connector.js'
import {exportItems} from '../../connectors/ftp/item.js'
import type {CmsItem, Installation, PublishedItem, SyncRecordOutcome, SyncRun} from '../../connectors/platform/types.js'
import type {InstallationClients} from '../../connectors/installation.js'
import {lastStockRun, lastSyncCovering} from '../../connectors/platform/schedule.js'
import {askChangedSince, askStockChangedSince} from '../../observe/changed-since.js'
import {answerOf, exportRuns, type Fetched, fileServerSettings, settle} from '../../observe/fetched.js'
import {appItem, cmsItem, webshopItem} from './platform.js'

/** Everything the hops answered about one item: the input of the item diagnosis. */
export interface ItemObservations {
  code: string
  now: Date
  installation: Fetched<Installation>
  erpSystem: string | null
  erp: Fetched<ErpItemRecord | null> | null
  ftp: Fetched<ExportItemLookup> | null
  cms: Fetched<CmsItem | null>
  /** Item, price and stock runs together, newest first. */
  syncRuns: Fetched<SyncRun[]>
  /** What the recent stock runs did with the item (`/sync/records?entity=stock`), newest first. */
  stockRecords: Fetched<SyncRecordOutcome[]>
  app: Fetched<PublishedItem | null>
  webshop: Fetched<PublishedItem | null>
}

/** The ERP's item; without record times, whether it (and its stock) changed since the CMS got it (changed-since.ts). */
function erpItem(
  clients: InstallationClients,
  code: string,
  syncRuns: Promise<Fetched<SyncRun[]>>,
  cms: Promise<Fetched<CmsItem | null>>,
): Promise<Fetched<ErpItemRecord | null> | null> {
  const items = clients.erp?.entities.item
  if (!items) return Promise.resolve(null)
  // Without record times (Fortnox articles): changed since the CMS last wrote it (a later run may have failed
  // on or missed it), else since the last item or price sync started; the earlier of the two, since a stock
  // run's write of the stock also moves the record's syncedAt without reading its price or description.
  const writtenBefore = async () => {
    const [runsAnswer, cmsAnswer] = await Promise.all([syncRuns, cms])
    const itemSync =
      lastSyncCovering(
        (answerOf(runsAnswer) ?? []).filter((run) => run.entity === 'items' || run.entity === 'prices'),
        code,
      )?.startedAt ?? null
    const written = answerOf(cmsAnswer)?.syncedAt ?? null
    return written && itemSync ? new Date(Math.min(written.getTime(), itemSync.getTime())) : (written ?? itemSync)
  }
  // Stock moves without touching the article: asked again since the last stock run's start (stock-order.ts).
  const stockRunStart = async () => lastStockRun(answerOf(await syncRuns) ?? [], code)?.startedAt ?? null
  return settle(async () => {
    const found = await askChangedSince(items, code, await items.find(code), writtenBefore)
    return askStockChangedSince(items, code, found, stockRunStart)
  })
}

/** Asks every hop about one item at once. */
export async function observeItem(clients: InstallationClients, code: string): Promise<ItemObservations> {
  const installation = settle(() => clients.cms.installation())
  const syncRuns = settle(async () =>
    (
      await Promise.all((['items', 'prices', 'stock'] as const).map((entity) => clients.cms.syncRuns(entity, 10)))
    ).flat(),
  )
  // The files the CMS's runs read (items, customers): the export files to read, not the layout's defaults.
  const runsForFiles = clients.ftp ? exportRuns(clients.cms, {items: syncRuns}) : []
  const cms = settle(() => clients.cms.record(cmsItem, code))
  const stockRecords = settle(() => clients.cms.syncRecords('stock', code, 5))
  const erp = erpItem(clients, code, syncRuns, cms)
  const ftpSettings = clients.ftp
  const ftp = ftpSettings
    ? settle(async () => exportItems.find(await fileServerSettings(ftpSettings, installation, runsForFiles), code))
    : Promise.resolve(null)
  const [installationResult, erpResult, ftpResult, cmsResult, runs, stockRecordsResult, app, webshop] =
    await Promise.all([
      installation,
      erp,
      ftp,
      cms,
      syncRuns,
      stockRecords,
      settle(() => clients.app.record(appItem, code)),
      settle(() => clients.webshop.record(webshopItem, code)),
    ])
  return {
    app,
    cms: cmsResult,
    code,
    erp: erpResult,
    erpSystem: clients.erp?.system ?? null,
    ftp: ftpResult,
    installation: installationResult,
    now: new Date(),
    stockRecords: stockRecordsResult,
    syncRuns: runs,
    webshop,
  }
}
