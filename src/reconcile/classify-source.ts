import {newerFileThanRunRead} from '../connectors/platform/schedule.js'
import {newerThanCmsCopy} from '../entities/customer/diagnose.js'
import {customerExclusion, itemExclusion} from '../diagnose/exclusion.js'
import type {FieldDiff} from '../model/compare.js'
import type {CanonicalCustomer} from '../model/customer.js'
import {type CanonicalItem, stockDifference} from '../model/item.js'
import {compareSourceCustomer, compareSourceItem} from '../model/mapping.js'
import {type ClassifyContext, fields, finding, isoOf, ms, sentenceTimes} from './classify-context.js'
import {stockFinding} from './classify-stock.js'
import type {ReconcileClass, ReconcileRecord, SideEntry} from './types.js'

/** When the sync that last covered this key started (a targeted run naming it, else the last full one). */
function syncStartFor(context: ClassifyContext, key: string): number | null {
  const full = context.lastFullSync?.startedAt?.getTime() ?? null
  const targeted = context.targetedStarts.get(key) ?? null
  if (full === null) return targeted
  return targeted === null ? full : Math.max(full, targeted)
}

/** The customer or item the CMS would leave out on purpose, and why: the trace's own rule. */
function exclusion(context: ClassifyContext, up: SideEntry): string | null {
  const source = {name: context.upstreamName, skippedBecause: up.info.skippedBecause ?? null}
  return context.entity === 'customers'
    ? customerExclusion({...source, record: up.record as CanonicalCustomer}, context.filters)
    : itemExclusion({...source, record: up.record as CanonicalItem}, context.filters)
}

/** When the last sync of a key started, and whether (ftp,cms) its export file was written again after the version that sync read. */
interface SyncFacts {
  start: number | null
  newerFile: boolean
}

const isoStart = (facts: SyncFacts): string | null =>
  facts.start === null ? null : new Date(facts.start).toISOString()

/** A source (ERP or export) against the CMS. */
export function sourceToCms(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
): ReconcileRecord | null {
  const fromExport = context.between === 'ftp,cms'
  const facts: SyncFacts = {
    // As a trace: an export file newer than the version the last sync read holds changes that sync never saw.
    newerFile:
      fromExport &&
      up !== null &&
      newerFileThanRunRead(up.info.fileModifiedAt ? new Date(up.info.fileModifiedAt) : null, context.lastFullSync),
    start: syncStartFor(context, key),
  }
  if (up && down === null) return notInCms(context, key, up, facts)
  if (up === null && down) return notInSource(context, key, down)
  if (!up || !down) return null
  return sourceDiffers(context, key, up, down, facts)
}

/** The source has it, the CMS does not: left out on purpose, created after the sync, or not read by it. */
function notInCms(context: ClassifyContext, key: string, up: SideEntry, facts: SyncFacts): ReconcileRecord {
  const {start} = facts
  const upModified = ms(up.info.modifiedAt)
  const times = {lastSyncStartedAt: isoStart(facts), upstreamModifiedAt: isoOf(up.info.modifiedAt)}
  const at = sentenceTimes(context.timeZone, up.info.modifiedAt, start)
  const excluded = exclusion(context, up)
  if (excluded)
    return finding(
      key,
      context.entity === 'items' ? 'item-excluded' : 'excluded-by-filter',
      `Not in the CMS on purpose: ${excluded}.`,
      {
        cause: context.entity === 'items' ? 'item-excluded' : 'excluded-by-filter',
        times,
      },
    )
  if (facts.newerFile)
    return finding(
      key,
      'created-after-sync',
      `Not in the CMS yet: ${up.info.file} was written again (${sentenceTimes(context.timeZone)(up.info.fileModifiedAt)}) after the version the last sync read.`,
      {
        cause: 'created-after-sync',
        times,
      },
    )
  if (upModified === null)
    return finding(
      key,
      'change-order-unknown',
      `Not in the CMS; ${context.upstreamName} keeps no change time, so whether it was created after the last sync cannot be told.`,
      {
        cause: 'change-order-unknown',
        times,
      },
    )
  if (start === null || upModified >= start)
    return finding(
      key,
      'created-after-sync',
      `Not in the CMS yet: ${context.between === 'ftp,cms' ? 'its row was written' : `${context.upstreamName} created or changed it`} at ${at(up.info.modifiedAt)}, ${start === null ? 'and no sync has succeeded' : `after the last sync started (${at(start)})`}.`,
      {cause: 'created-after-sync', times},
    )
  return finding(
    key,
    'not-read-by-sync',
    `Not in the CMS, although the last sync (started ${at(start)}) ran after its last change (${at(up.info.modifiedAt)}).`,
    {
      cause: 'not-read-by-sync',
      times,
    },
  )
}

/** The CMS has it, the source does not: created on a device, not in the export, or removed from the ERP. */
function notInSource(context: ClassifyContext, key: string, down: SideEntry): ReconcileRecord {
  if (down.info.origin === 'app' || down.info.origin === 'webshop')
    return finding(
      key,
      'new-customer-not-in-erp',
      `Created in the ${down.info.origin}, in the CMS, but ${context.upstreamName} does not have it.`,
      {
        cause: 'new-customer-not-in-erp',
        times: {cmsSyncedAt: isoOf(down.info.syncedAt)},
      },
    )
  if (context.between === 'ftp,cms')
    return finding(key, 'not-in-export', 'In the CMS, but not in the export files.', {
      cause: 'not-in-export',
      times: {cmsSyncedAt: isoOf(down.info.syncedAt)},
    })
  return finding(key, 'removed-from-erp', `In the CMS, but ${context.upstreamName} does not have it (anymore).`, {
    cause: 'removed-from-erp',
    times: {cmsSyncedAt: isoOf(down.info.syncedAt)},
  })
}

const notInCmsClasses = new Set<ReconcileClass>(['created-after-sync', 'not-read-by-sync', 'change-order-unknown'])

/**
 * A record only the source has, not left out by the source's own marks: the CMS's latest run may still have
 * skipped it on purpose (a filter on a field the source does not export), which a trace reads from the
 * record's sync outcome. Asked only for these few records, one request each.
 */
export async function withRunExclusion(
  context: ClassifyContext,
  found: ReconcileRecord | null,
  sourceOnly: boolean,
): Promise<ReconcileRecord | null> {
  if (!found || !sourceOnly || !context.skippedByLastRun || !notInCmsClasses.has(found.class)) return found
  const reason = await context.skippedByLastRun(found.key, found)
  if (reason && context.entity === 'prices')
    return finding(found.key, 'price-row-skipped', `The CMS's last prices run skipped the row: ${reason}.`, {
      cause: 'price-row-skipped',
      error: reason,
      price: found.price,
      times: found.times,
    })
  return reason
    ? finding(found.key, 'excluded-by-filter', `Not in the CMS on purpose: ${reason}.`, {
        cause: 'excluded-by-filter',
        times: found.times,
      })
    : found
}

/** The source against the CMS with the CMS's mapping applied and the fields the source cannot supply left out. */
function sourceComparison(context: ClassifyContext, up: SideEntry, down: SideEntry): {diff: FieldDiff[]} {
  const names = {downstream: 'the CMS', upstream: context.upstreamName}
  const notSupplied = up.info.notSupplied ?? []
  return context.entity === 'customers'
    ? compareSourceCustomer(up.record as CanonicalCustomer, down.record as CanonicalCustomer, notSupplied, names)
    : compareSourceItem(up.record as CanonicalItem, down.record as CanonicalItem, notSupplied, names)
}

/** Items equal but for their stock: judged against the last stock run (classify-stock.ts); else consistent (null). */
function stockOnly(context: ClassifyContext, key: string, up: SideEntry, down: SideEntry): ReconcileRecord | null {
  const stock =
    context.entity === 'items' ? stockDifference(up.record as CanonicalItem, down.record as CanonicalItem) : null
  return stock
    ? stockFinding({
        down,
        key,
        run: context.lastStockSync,
        stock,
        timeZone: context.timeZone,
        up,
        upstreamName: context.upstreamName,
      })
    : null
}

/** Both have it: consistent (null) once the mapping is applied, else which of the two changed last says the class. */
function sourceDiffers(
  context: ClassifyContext,
  key: string,
  up: SideEntry,
  down: SideEntry,
  facts: SyncFacts,
): ReconcileRecord | null {
  const comparison = sourceComparison(context, up, down)
  if (comparison.diff.length === 0) return stockOnly(context, key, up, down)
  const upModified = ms(up.info.modifiedAt)
  const readAt = Math.max(facts.start ?? 0, ms(down.info.syncedAt) ?? 0)
  const times = {
    cmsSyncedAt: isoOf(down.info.syncedAt),
    lastSyncStartedAt: isoStart(facts),
    upstreamModifiedAt: isoOf(up.info.modifiedAt),
  }
  const diff = comparison.diff
  if (facts.newerFile)
    return finding(
      key,
      'erp-changed-after-sync',
      `The CMS has an older version: ${up.info.file} was written again (${sentenceTimes(context.timeZone)(up.info.fileModifiedAt)}) after the version the last sync read. Differs: ${fields(diff)}.`,
      {cause: 'erp-changed-after-sync', diff, times},
    )
  if (upModified === null)
    return finding(
      key,
      'change-order-unknown',
      `Differs from ${context.upstreamName} (${fields(diff)}); it keeps no change time, so whether it changed after the last sync cannot be told.`,
      {cause: 'change-order-unknown', diff, times},
    )
  const cmsCopy = down.info.erpModifiedAt ? new Date(down.info.erpModifiedAt) : null
  if (newerThanCmsCopy(new Date(upModified), cmsCopy) || upModified > readAt)
    return finding(
      key,
      'erp-changed-after-sync',
      `The CMS has an older version: changed at ${sentenceTimes(context.timeZone)(up.info.modifiedAt)}, after the CMS last read it. Differs: ${fields(diff)}.`,
      {
        cause: 'erp-changed-after-sync',
        diff,
        times,
      },
    )
  return finding(
    key,
    'cms-differs-from-erp',
    `Differs although the CMS synced after the last change: ${fields(diff)}.`,
    {cause: 'cms-differs-from-erp', diff, times},
  )
}
