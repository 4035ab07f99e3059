import type {ErpItemRecord, ErpPriceRecord} from '../../connectors/erp.js'
import {type ExportPriceRecord, exportPrices} from '../../connectors/ftp/price.js'
import {readByCmsOf} from '../../connectors/ftp/source-file.js'
import type {InstallationClients} from '../../connectors/installation.js'
import {lastSyncCovering} from '../../connectors/platform/schedule.js'
import {
  type AppResolvedPrice,
  appPrices,
  type CmsDiscountGroup,
  type CmsPriceList,
  type CmsPriceRow,
  type CmsPricing,
  cmsPrices,
  type PublishedDiscountGroup,
  type PublishedPricing,
  type PublishedRows,
  type WebshopPrice,
  webshopPrices,
} from '../../connectors/platform/prices.js'
import type {
  AppDevice,
  CmsItem,
  Installation,
  PublishedItem,
  SyncRecordOutcome,
  SyncRun,
} from '../../connectors/platform/types.js'
import type {TraceOptions} from '../descriptor.js'
import {answerOf, awaitAll, type Fetched, fileServerSettings, settle} from '../../observe/fetched.js'
import type {ResolvedPrice} from '../../model/price.js'
import {installationTimeZone} from '../../util/time.js'
import {appItem, cmsItem} from '../item/platform.js'
import {splitPriceKey} from './key.js'

/** What the CMS holds for the price: the profile, the lists it names, their rows for the item, the group. */
export interface CmsPriceInputs {
  pricing: CmsPricing | null
  item: CmsItem | null
  lists: Record<string, CmsPriceList | null>
  rows: Record<string, CmsPriceRow[] | null>
  discountGroup: CmsDiscountGroup | null
}

export interface AppPriceInputs {
  pricing: PublishedPricing | null
  item: PublishedItem | null
  rows: Record<string, PublishedRows | null>
  discountGroup: PublishedDiscountGroup | null
}

/** Everything the hops answered about one customer's price of one item: the input of the price diagnosis. */
export interface PriceObservations {
  customerCode: string
  itemCode: string
  quantity: number
  date: string
  userId: string | null
  now: Date
  installation: Fetched<Installation>
  erpSystem: string | null
  /**
   * Null: the ERP has no price resource (or the profile no ERP access). `pricingChangedSince`: an ERP that keeps
   * no change time on its customer (Fortnox) asked whether the customer changed since the last customers run.
   */
  erp: Fetched<{
    price: ErpPriceRecord | null
    item: ErpItemRecord | null
    pricingChangedSince?: {since: Date; changed: boolean}
  }> | null
  /** An ERP without a price resource: its item alone (its base price is an input it supplies). */
  erpItemOnly: Fetched<ErpItemRecord | null> | null
  /** What the export files say (ftp installations: the file server's price resource); null without file-server access. */
  ftp: Fetched<ExportPriceRecord> | null
  cms: Fetched<CmsPriceInputs>
  resolved: Fetched<ResolvedPrice | null>
  /** `prices` and `customers` runs, newest first. */
  syncRuns: Fetched<SyncRun[]>
  /** What recent `prices` runs did with the item's rows on each list the CMS profile names. */
  rowRecords: Fetched<Record<string, SyncRecordOutcome[]>>
  /** What recent `prices` runs did with each of those lists itself (deactivated: not in the export). */
  listRecords: Fetched<Record<string, SyncRecordOutcome[]>>
  app: Fetched<AppPriceInputs>
  appResolved: Fetched<AppResolvedPrice | null>
  /** The devices of the users who see the customer (or the one `--user`). */
  devices: Fetched<Array<{userId: string; devices: AppDevice[] | null}>>
  webshop: Fetched<WebshopPrice | null>
}

/** The lists a profile names (effective list and action list). */
export function listCodesOf(
  pricing: {effectivePriceListCode: string | null; actionPriceListCode: string | null} | null,
) {
  return [
    ...new Set(
      [pricing?.effectivePriceListCode, pricing?.actionPriceListCode].filter((code): code is string => !!code),
    ),
  ]
}

async function byCode<T>(codes: string[], read: (code: string) => Promise<T>): Promise<Record<string, T>> {
  const answers = await Promise.all(codes.map(read))
  return Object.fromEntries(codes.map((code, index) => [code, answers[index] as T]))
}

async function cmsInputs(
  clients: InstallationClients,
  customerCode: string,
  itemCode: string,
): Promise<CmsPriceInputs> {
  const [pricing, item] = await Promise.all([
    cmsPrices.pricing(clients.cms, customerCode),
    clients.cms.record(cmsItem, itemCode),
  ])
  const codes = listCodesOf(pricing)
  const [lists, rows, discountGroup] = await Promise.all([
    byCode(codes, (code) => cmsPrices.list(clients.cms, code)),
    byCode(codes, (code) => cmsPrices.rows(clients.cms, code, itemCode)),
    pricing?.discountGroupCode ? cmsPrices.discountGroup(clients.cms, pricing.discountGroupCode) : null,
  ])
  return {discountGroup, item, lists, pricing, rows}
}

async function appInputs(
  clients: InstallationClients,
  customerCode: string,
  itemCode: string,
): Promise<AppPriceInputs> {
  const [pricing, item] = await Promise.all([
    appPrices.pricing(clients.app, customerCode),
    clients.app.record(appItem, itemCode),
  ])
  const codes = listCodesOf(pricing?.pricing ?? null)
  const [rows, discountGroup] = await Promise.all([
    byCode(codes, (code) => appPrices.rows(clients.app, code, itemCode)),
    pricing?.pricing.discountGroupCode ? appPrices.discountGroup(clients.app, pricing.pricing.discountGroupCode) : null,
  ])
  return {discountGroup, item, pricing, rows}
}

/** The ERP's inputs, where it has a price resource; its item for the unit, currency and base price. */
function erpInputs(
  clients: InstallationClients,
  customerCode: string,
  itemCode: string,
  at: Promise<{quantity: number; date: string}>,
  syncRuns: Promise<Fetched<SyncRun[]>>,
) {
  const prices = clients.erp?.entities.price
  if (!prices) return Promise.resolve(null)
  const items = clients.erp?.entities.item
  const customers = clients.erp?.entities.customer
  return settle(async () => {
    const [price, item] = await Promise.all([
      prices.find(customerCode, itemCode, await at),
      items ? items.find(itemCode) : null,
    ])
    // No change time on the customer (Fortnox): asked whether it changed since the last customers run covering it.
    if (!price?.pricing || price.pricingModifiedAt || !customers?.changedSince) return {item, price}
    const runs = (answerOf(await syncRuns) ?? []).filter((run) => run.entity === 'customers')
    const since = lastSyncCovering(runs, customerCode)?.startedAt
    if (!since) return {item, price}
    return {item, price, pricingChangedSince: {changed: await customers.changedSince(customerCode, since), since}}
  })
}

/**
 * The export's inputs (ftp installations): the price files the CMS's last `prices` run read (its `sourceFile`),
 * else the profile's or the layout's, read in the installation's time zone.
 */
function exportInputs(
  clients: InstallationClients,
  key: {customerCode: string; itemCode: string},
  installation: Promise<Fetched<Installation>>,
  syncRuns: Promise<Fetched<SyncRun[]>>,
  at: Promise<{quantity: number; date: string}>,
  cms: Promise<Fetched<CmsPriceInputs>>,
): Promise<Fetched<ExportPriceRecord> | null> {
  const profile = clients.ftp
  if (!profile) return Promise.resolve(null)
  return settle(async () => {
    const settings = await fileServerSettings(profile, installation, [syncRuns])
    const prices = readByCmsOf(answerOf(await syncRuns), 'prices')
    const timeZone = installationTimeZone(answerOf(await installation))
    const resource = exportPrices({...settings, readByCms: {...settings.readByCms, prices}}, {timeZone})
    // The CMS's lists too: a list a layout's customer file cannot name (an action list) is compared from the CMS's.
    const alsoLists = listCodesOf(answerOf(await cms)?.pricing ?? null)
    return resource.find(key.customerCode, key.itemCode, {...(await at), alsoLists})
  })
}

/** Today in the installation's zone, as `yyyy-MM-dd`. */
export function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {day: '2-digit', month: '2-digit', timeZone, year: 'numeric'}).format(now)
}

/** What recent `prices` runs did with the item's rows on each list the profile names. */
function recordsOfLists(clients: InstallationClients, pricing: CmsPricing | null, itemCode: string | null) {
  return byCode(listCodesOf(pricing), (code) => cmsPrices.records(clients.cms, code, itemCode))
}

/** The devices of the users who see the customer, or of the one user named. */
function devicesOf(clients: InstallationClients, published: PublishedPricing | null, userId: string | undefined) {
  const users = userId ? [userId] : (published?.visibleToUserIds ?? [])
  return Promise.all(users.map(async (user) => ({devices: await clients.app.devices(user), userId: user})))
}

/** Asks every hop about one customer's price of one item at once. */
export async function observePrice(
  clients: InstallationClients,
  key: string,
  options: TraceOptions,
): Promise<PriceObservations> {
  const now = new Date()
  const [customerCode, itemCode] = options.keyParts
    ? [options.keyParts[0] ?? '', options.keyParts[1] ?? '']
    : splitPriceKey(key)
  const quantity = typeof options.params?.quantity === 'number' ? options.params.quantity : 1
  const installation = settle(() => clients.cms.installation())
  const at = (async () => {
    const given = options.params?.date
    const date = typeof given === 'string' ? given : todayIn(installationTimeZone(answerOf(await installation)), now)
    return {date, quantity}
  })()
  const query = at.then(({date}) => ({customerCode, date, itemCode, quantity}))
  const cms = settle(() => cmsInputs(clients, customerCode, itemCode))
  const app = settle(() => appInputs(clients, customerCode, itemCode))
  const syncRuns = settle(async () =>
    (
      await Promise.all((['prices', 'customers', 'items'] as const).map((entity) => clients.cms.syncRuns(entity, 10)))
    ).flat(),
  )
  const rowRecords = settle(async () => recordsOfLists(clients, answerOf(await cms)?.pricing ?? null, itemCode))
  const listRecords = settle(async () => recordsOfLists(clients, answerOf(await cms)?.pricing ?? null, null))
  const devices = settle(async () => devicesOf(clients, answerOf(await app)?.pricing ?? null, options.userId))
  const {at: when, ...answers} = await awaitAll({
    app,
    appResolved: settle(async () => appPrices.resolve(clients.app, await query)),
    at,
    cms,
    devices,
    erp: erpInputs(clients, customerCode, itemCode, at, syncRuns),
    ftp: exportInputs(clients, {customerCode, itemCode}, installation, syncRuns, at, cms),
    erpItemOnly:
      !clients.erp?.entities.price && clients.erp?.entities.item
        ? settle(async () => (await clients.erp?.entities.item?.find(itemCode)) ?? null)
        : Promise.resolve(null),
    installation,
    listRecords,
    resolved: settle(async () => cmsPrices.resolve(clients.cms, await query)),
    rowRecords,
    syncRuns,
    webshop: settle(() => webshopPrices.price(clients.webshop, customerCode, itemCode, quantity)),
  })
  const erpSystem = clients.erp?.system ?? null
  return {
    ...answers,
    customerCode,
    date: when.date,
    erpSystem,
    itemCode,
    now,
    quantity,
    userId: options.userId ?? null,
  }
}
