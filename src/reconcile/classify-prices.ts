import {newerFileThanRunRead} from '../connectors/platform/schedule.js'
import {newerThanCmsCopy} from '../entities/customer/diagnose.js'
import type {FieldDiff} from '../model/compare.js'
import {equalPrices} from '../model/decimal.js'
import type {PriceRow} from '../model/price.js'
import {type ClassifyContext, finding, isoOf, ms, sentenceTimes} from './classify-context.js'
import {displayPriceKey, priceKeyParts} from './price-key.js'
import {cmsToWebshopPrice} from './classify-customer-prices.js'
import type {CustomerPrice, ReconcileRecord, SideEntry} from './types.js'

/**
 * `reconcile prices`: one price row (key list + item + unit + currency + fromQuantity + validFrom) between two
 * hops. The row's price is compared as the contract compares prices (equal within 0.005), its `validTo` only
 * where the source supplies dates (Fortnox, NetSuite and Visma eAccounting rows have none); the order of
 * events is claimed only from times (the source's change time, the last `prices` run of the row's list, the
 * CMS's write, the publish time): a source without change times (Fortnox, NetSuite) gives `change-order-unknown`.
 */
export function classifyPrice(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
): ReconcileRecord | null {
  if (context.between === 'cms,webshop') {
    const found = cmsToWebshopPrice(context, key, up, down)
    const [customerCode = '', itemCode = ''] = key.split('\u0000')
    const priceListCode = (up?.record as CustomerPrice | undefined)?.priceListCode ?? null
    return found ? {...found, customerPrice: {customerCode, itemCode, priceListCode}, key: displayPriceKey(key)} : null
  }
  const found =
    context.between === 'erp,cms' || context.between === 'ftp,cms'
      ? sourceToCms(context, key, up, down)
      : cmsToApp(context, key, up, down)
  return found ? {...found, key: displayPriceKey(key), price: priceKeyParts(key) ?? undefined} : null
}

/** What differs between two rows of the same key: the price, and `validTo` when both sides can hold dates. */
export function rowDiff(up: PriceRow, down: PriceRow, datesSupplied: boolean): FieldDiff[] {
  const diff: FieldDiff[] = []
  if (!equalPrices(up.price, down.price))
    diff.push({downstream: String(down.price), field: 'price', upstream: String(up.price)})
  if (datesSupplied && up.validTo !== down.validTo)
    diff.push({downstream: down.validTo ?? 'open', field: 'validTo', upstream: up.validTo ?? 'open'})
  return diff
}

const what = (diff: FieldDiff[]) =>
  diff
    .map((entry) =>
      entry.field === 'price'
        ? `price ${entry.upstream} vs ${entry.downstream}`
        : `valid to ${entry.upstream} vs ${entry.downstream}`,
    )
    .join(', ')

/** When the last `prices` run covering the row's list started (a targeted run naming the list, else the last full one). */
function listSyncStart(context: ClassifyContext, row: PriceRow): number | null {
  const full = context.lastFullSync?.startedAt?.getTime() ?? null
  const targeted = context.targetedStarts.get(row.priceListCode) ?? null
  if (full === null) return targeted
  return targeted === null ? full : Math.max(full, targeted)
}

/** What a source row's class rests on: the last prices sync of its list, a newer export file, the finding's times. */
interface RowFacts {
  row: PriceRow
  start: number | null
  newerFile: boolean
  times: ReconcileRecord['times']
  at: (time: number | null | undefined) => string | null
}

function sourceToCms(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
): ReconcileRecord | null {
  const row = (up ?? down)?.record as PriceRow | undefined
  if (!row) return null
  const start = listSyncStart(context, row)
  const facts: RowFacts = {
    at: sentenceTimes(context.timeZone, up?.info.modifiedAt, start, up?.info.fileModifiedAt),
    newerFile:
      context.between === 'ftp,cms' &&
      up !== null &&
      newerFileThanRunRead(up.info.fileModifiedAt ? new Date(up.info.fileModifiedAt) : null, context.lastFullSync),
    row,
    start,
    times: {
      cmsSyncedAt: isoOf(down?.info.syncedAt),
      lastSyncStartedAt: isoOf(start),
      upstreamModifiedAt: isoOf(up?.info.modifiedAt),
    },
  }
  if (up && !down) return missingInCms(context, key, up, facts)
  if (!up && down) {
    const ftp = context.between === 'ftp,cms'
    return finding(
      key,
      ftp ? 'not-in-export' : 'removed-from-erp',
      `In the CMS, but ${ftp ? 'not in the price export' : `${context.upstreamName} does not have the row (anymore)`}.`,
      {cause: ftp ? 'not-in-export' : 'removed-from-erp', times: facts.times},
    )
  }
  return up && down ? rowDiffers(context, key, up, down, facts) : null
}

/** The source has the row, the CMS does not: added after the last prices sync of its list, or not read by it. */
function missingInCms(context: ClassifyContext, key: string, up: SideEntry, facts: RowFacts): ReconcileRecord {
  const {at, row, start, times} = facts
  if (facts.newerFile)
    return finding(
      key,
      'created-after-sync',
      `Not in the CMS yet: ${up.info.file} was written again (${at(up.info.fileModifiedAt)}) after the version the last prices sync read.`,
      {cause: 'created-after-sync', times},
    )
  const modified = ms(up.info.modifiedAt)
  if (modified === null)
    return finding(
      key,
      'change-order-unknown',
      `Not in the CMS; ${context.upstreamName} keeps no change time for price rows, so whether it was added after the last prices sync cannot be told.`,
      {cause: 'change-order-unknown', times},
    )
  if (start === null || modified >= start)
    return finding(
      key,
      'created-after-sync',
      `Not in the CMS yet: ${context.upstreamName} wrote the row at ${at(modified)}, ${start === null ? 'and no prices sync has succeeded' : `after the last prices sync of list ${row.priceListCode} started (${at(start)})`}.`,
      {cause: 'created-after-sync', times},
    )
  return finding(
    key,
    'not-read-by-sync',
    `Not in the CMS, although the last prices sync of list ${row.priceListCode} (started ${at(start)}) ran after the row's last change (${at(modified)}).`,
    {cause: 'not-read-by-sync', times},
  )
}

/** Both have the row: consistent, or which of the two changed last says the class (only from times). */
function rowDiffers(
  context: ClassifyContext,
  key: string,
  up: SideEntry,
  down: SideEntry,
  facts: RowFacts,
): ReconcileRecord | null {
  const {at, start, times} = facts
  const diff = rowDiff(up.record as PriceRow, down.record as PriceRow, context.priceDatesSupplied !== false)
  if (diff.length === 0) return null
  const modified = ms(up.info.modifiedAt)
  const readAt = Math.max(start ?? 0, ms(down.info.syncedAt) ?? 0)
  const cmsCopy = down.info.erpModifiedAt ? new Date(down.info.erpModifiedAt) : null
  if (facts.newerFile || (modified !== null && (newerThanCmsCopy(new Date(modified), cmsCopy) || modified > readAt)))
    return finding(
      key,
      'price-changed-after-sync',
      `The CMS holds an older row (${what(diff)}): ${facts.newerFile ? `${up.info.file} was written again (${at(up.info.fileModifiedAt)}) after the version the last prices sync read` : `changed at ${at(modified)}, after the CMS last read it`}.`,
      {cause: 'price-changed-after-sync', diff, times},
    )
  if (modified === null)
    return finding(
      key,
      'change-order-unknown',
      `Differs from ${context.upstreamName} (${what(diff)}); it keeps no change time for price rows, so whether the row changed after the last prices sync cannot be told.`,
      {cause: 'change-order-unknown', diff, times},
    )
  return finding(
    key,
    'cms-differs-from-erp',
    `Differs although the CMS read the list after the row's last change: ${what(diff)}.`,
    {cause: 'cms-differs-from-erp', diff, times},
  )
}

/** The CMS's rows against what the app backend published of them. */
function cmsToApp(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
): ReconcileRecord | null {
  const at = sentenceTimes(context.timeZone, up?.info.syncedAt, down?.info.publishedAt)
  const times = {cmsSyncedAt: isoOf(up?.info.syncedAt), publishedAt: isoOf(down?.info.publishedAt)}
  if (up && !down)
    return finding(
      key,
      'not-published-to-app',
      `In the CMS (written ${at(up.info.syncedAt) ?? 'at an unknown time'}), never published to the app.`,
      {cause: 'not-published-to-app', times},
    )
  if (!up && down)
    return finding(
      key,
      'only-in-app',
      `Published to the app (${at(down.info.publishedAt) ?? 'at an unknown time'}), but the CMS does not have the row.`,
      {times},
    )
  if (!up || !down) return null
  const diff = rowDiff(up.record as PriceRow, down.record as PriceRow, true)
  if (diff.length === 0) return null
  const published = ms(down.info.publishedAt)
  const written = ms(up.info.syncedAt)
  if (published !== null && written !== null && published < written)
    return finding(
      key,
      'app-publish-behind',
      `The app holds an older row (${what(diff)}): published ${at(published)}, before the CMS wrote it (${at(written)}).`,
      {cause: 'app-publish-behind', diff, times},
    )
  if (published === null || written === null)
    return finding(
      key,
      'app-differs-from-cms',
      `The app holds another row (${what(diff)}); without both times the order of the publish and the CMS's write cannot be told.`,
      {cause: 'app-differs-from-cms', diff, times},
    )
  return finding(
    key,
    'app-differs-from-cms',
    `The app differs from the CMS although published after its last write: ${what(diff)}.`,
    {cause: 'app-differs-from-cms', diff, times},
  )
}
