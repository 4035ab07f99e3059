import {newerFileThanRunRead} from '../connectors/platform/schedule.js'
import type {SyncRun} from '../connectors/platform/types.js'
import {newerThanCmsCopy} from '../diagnose/customer.js'
import {customerExclusion, itemExclusion} from '../diagnose/exclusion.js'
import {compareCustomers, type FieldDiff} from '../model/compare.js'
import type {CanonicalCustomer} from '../model/customer.js'
import {type CanonicalItem, compareItems, stockDifference} from '../model/item.js'
import {compareSourceCustomer, compareSourceItem} from '../model/mapping.js'
import {stockFinding} from './classify-stock.js'
import type {HopPair, ReconcileClass, ReconcileEntity, ReconcileRecord, SideEntry} from './types.js'

/** What the classes are judged against: the schedule's last run, the filters, the app's users. */
export interface ClassifyContext {
  entity: ReconcileEntity
  between: HopPair
  upstreamName: string
  downstreamName: string
  /** The newest succeeded run that read every record of the entity (auto or full). */
  lastFullSync: SyncRun | undefined
  /** items erp/ftp,cms: the newest finished stock run that read every item (stock-order.ts). */
  lastStockSync?: SyncRun | undefined
  /** Succeeded targeted runs newer than it: the newest start per key. */
  targetedStarts: Map<string, number>
  filters: Record<string, boolean>
  /** Source → CMS customers: the CMS's latest outcome for a key, when it skipped it (`/sync/records`), as a trace reads it. */
  skippedByLastRun?: (key: string) => Promise<string | null>
  /** cms,app customers: the app users of each sales rep code. */
  usersByRep: Map<string, string[]>
}

const ms = (time: number | null | undefined): number | null => time ?? null
const isoOf = (time: number | null | undefined): string | null =>
  time === null || time === undefined ? null : new Date(time).toISOString()

/** When the sync that last covered this key started (a targeted run naming it, else the last full one). */
function syncStartFor(context: ClassifyContext, key: string): number | null {
  const full = context.lastFullSync?.startedAt?.getTime() ?? null
  const targeted = context.targetedStarts.get(key) ?? null
  if (full === null) return targeted
  return targeted === null ? full : Math.max(full, targeted)
}

function finding(
  key: string,
  klass: ReconcileClass,
  summary: string,
  extra: Partial<ReconcileRecord> = {},
): ReconcileRecord {
  return {cause: null, class: klass, diff: [], key, summary, times: {}, ...extra}
}

/** The customer or item the CMS would leave out on purpose, and why: the trace's own rule. */
function exclusion(context: ClassifyContext, up: SideEntry): string | null {
  const source = {name: context.upstreamName, skippedBecause: up.info.skippedBecause ?? null}
  return context.entity === 'customers'
    ? customerExclusion({...source, record: up.record as CanonicalCustomer}, context.filters)
    : itemExclusion({...source, record: up.record as CanonicalItem}, context.filters)
}

function fields(diff: FieldDiff[]): string {
  return diff.map((entry) => entry.field).join(', ')
}

/** When the last sync of a key started, and whether (ftp,cms) its export file was written again after the version that sync read. */
interface SyncFacts {
  start: number | null
  newerFile: boolean
}

const isoStart = (facts: SyncFacts): string | null =>
  facts.start === null ? null : new Date(facts.start).toISOString()

/** A source (ERP or export) against the CMS. */
function sourceToCms(
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
      `Not in the CMS yet: ${up.info.file} was written again (${isoOf(up.info.fileModifiedAt)}) after the version the last sync read.`,
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
      `Not in the CMS yet: ${context.between === 'ftp,cms' ? 'its row was written' : `${context.upstreamName} created or changed it`} at ${isoOf(up.info.modifiedAt)}, ${start === null ? 'and no sync has succeeded' : `after the last sync started (${isoStart(facts)})`}.`,
      {cause: 'created-after-sync', times},
    )
  return finding(
    key,
    'not-read-by-sync',
    `Not in the CMS, although the last sync (started ${isoStart(facts)}) ran after its last change (${isoOf(up.info.modifiedAt)}).`,
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
  const reason = await context.skippedByLastRun(found.key)
  return reason
    ? finding(found.key, 'excluded-by-filter', `Not in the CMS on purpose: ${reason}.`, {
        cause: 'excluded-by-filter',
        times: found.times,
      })
    : found
}

/** Both have it: consistent (null) once the mapping is applied, else which of the two changed last says the class. */
function sourceDiffers(
  context: ClassifyContext,
  key: string,
  up: SideEntry,
  down: SideEntry,
  facts: SyncFacts,
): ReconcileRecord | null {
  const names = {downstream: 'the CMS', upstream: context.upstreamName}
  const comparison =
    context.entity === 'customers'
      ? compareSourceCustomer(
          up.record as CanonicalCustomer,
          down.record as CanonicalCustomer,
          up.info.notSupplied ?? [],
          names,
        )
      : compareSourceItem(up.record as CanonicalItem, down.record as CanonicalItem, up.info.notSupplied ?? [], names)
  if (comparison.diff.length === 0) {
    const stock =
      context.entity === 'items' ? stockDifference(up.record as CanonicalItem, down.record as CanonicalItem) : null
    return stock
      ? stockFinding({down, key, run: context.lastStockSync, stock, up, upstreamName: context.upstreamName})
      : null
  }
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
      `The CMS has an older version: ${up.info.file} was written again (${isoOf(up.info.fileModifiedAt)}) after the version the last sync read. Differs: ${fields(diff)}.`,
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
      `The CMS has an older version: changed at ${isoOf(up.info.modifiedAt)}, after the CMS last read it. Differs: ${fields(diff)}.`,
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

function itemDiff(cms: CanonicalItem, published: CanonicalItem, visible: boolean | null | undefined): FieldDiff[] {
  const diff = compareItems(cms, published)
  if (visible === false && cms.webshop !== false) diff.push({downstream: 'false', field: 'visible', upstream: 'true'})
  return diff
}

/** The CMS against what it published to the app or the webshop. */
function cmsToPublished(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
  users: ((recordUsers: string[]) => void) | undefined,
): ReconcileRecord | null {
  const app = context.between === 'cms,app'
  // What the app holds, per user: every published customer counts for each user who sees it.
  if (app && down && context.entity === 'customers') users?.(down.info.visibleToUserIds ?? [])
  if (up && down === null) return notPublished(context, key, up)
  if (up === null && down)
    return finding(
      key,
      app ? 'only-in-app' : 'only-in-webshop',
      `In ${app ? 'the app' : 'the webshop'} (published ${isoOf(down.info.publishedAt) ?? 'at an unknown time'}), but not in the CMS.`,
      {
        times: {publishedAt: isoOf(down.info.publishedAt)},
      },
    )
  if (!up || !down) return null
  return (
    publishedDiffers(context, key, up, down) ??
    (app && context.entity === 'customers' ? notVisible(context, key, up, down) : null)
  )
}

function notPublished(context: ClassifyContext, key: string, up: SideEntry): ReconcileRecord {
  const app = context.between === 'cms,app'
  if (!app && context.entity === 'items' && (up.record as CanonicalItem).webshop === false)
    return finding(key, 'not-a-webshop-item', 'Not in the webshop: the item is not flagged as a webshop item.', {
      cause: 'not-a-webshop-item',
      times: {cmsSyncedAt: isoOf(up.info.syncedAt)},
    })
  return finding(
    key,
    app ? 'not-published-to-app' : 'not-published-to-webshop',
    `In the CMS (written ${isoOf(up.info.syncedAt) ?? 'at an unknown time'}), never published to ${app ? 'the app' : 'the webshop'}.`,
    {cause: app ? 'not-published-to-app' : 'not-published-to-webshop', times: {cmsSyncedAt: isoOf(up.info.syncedAt)}},
  )
}

/** The published copy differs: published before the CMS last wrote it (behind), or after (differs). Null when equal. */
function publishedDiffers(
  context: ClassifyContext,
  key: string,
  up: SideEntry,
  down: SideEntry,
): ReconcileRecord | null {
  const app = context.between === 'cms,app'
  const diff =
    context.entity === 'customers'
      ? compareCustomers(up.record as CanonicalCustomer, down.record as CanonicalCustomer)
      : itemDiff(up.record as CanonicalItem, down.record as CanonicalItem, down.info.visible)
  if (diff.length === 0) return null
  const times = {cmsSyncedAt: isoOf(up.info.syncedAt), publishedAt: isoOf(down.info.publishedAt)}
  const published = ms(down.info.publishedAt)
  const written = ms(up.info.syncedAt)
  const behind = published !== null && written !== null && published < written
  if (behind)
    return finding(
      key,
      app ? 'app-publish-behind' : 'webshop-behind',
      `${app ? 'The app' : 'The webshop'} holds an older version: published ${isoOf(down.info.publishedAt)}, before the CMS wrote it (${isoOf(up.info.syncedAt)}). Differs: ${fields(diff)}.`,
      {cause: app ? 'app-publish-behind' : 'webshop-behind', diff, times},
    )
  return finding(
    key,
    app ? 'app-differs-from-cms' : 'webshop-differs-from-cms',
    `${app ? 'The app' : 'The webshop'} differs from the CMS although published after its last write: ${fields(diff)}.`,
    {cause: app ? 'app-differs-from-cms' : 'webshop-differs-from-cms', diff, times},
  )
}

/** cms,app customers: published, but some user of its sales reps does not see it. */
function notVisible(context: ClassifyContext, key: string, up: SideEntry, down: SideEntry): ReconcileRecord | null {
  const visible = down.info.visibleToUserIds ?? []
  const expected = new Set(
    ((up.record as CanonicalCustomer).salesRepCodes ?? []).flatMap((rep) => context.usersByRep.get(rep) ?? []),
  )
  const missing = [...expected].filter((user) => !visible.includes(user)).sort()
  if (missing.length === 0) return null
  return finding(
    key,
    'not-visible-to-user',
    `Published to the app, but not visible to ${missing.join(', ')} (users of its sales rep).`,
    {
      times: {cmsSyncedAt: isoOf(up.info.syncedAt), publishedAt: isoOf(down.info.publishedAt)},
      users: missing,
    },
  )
}

/**
 * Classifies one key, given what each side holds (null: not there). Null means consistent. Uses the trace's
 * comparison (the CMS's mapping applied, unsupplied fields left out) and its rules of time: a claim about
 * the order of events rests on the source's change time and the last sync run's start, and a source
 * without change times (Fortnox) gives `change-order-unknown`, never "changed after the sync".
 */
export function classify(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
  users?: (recordUsers: string[]) => void,
): ReconcileRecord | null {
  if (up?.error)
    return context.between === 'ftp,cms' && up.info.line !== undefined
      ? finding(
          key,
          'export-row-unreadable',
          `Its row in ${up.info.file} (line ${up.info.line}) cannot be read: ${up.error}.`,
          {
            cause: 'export-row-unreadable',
            error: up.error,
            file: up.info.file,
            line: up.info.line,
            side: 'upstream',
          },
        )
      : finding(
          key,
          'record-unreadable',
          `${context.upstreamName} listed it, but the record cannot be read: ${up.error}`,
          {cause: 'hop-error', error: up.error, side: 'upstream'},
        )
  if (down?.error)
    return finding(
      key,
      'record-unreadable',
      `${context.downstreamName} listed it, but the record cannot be read: ${down.error}`,
      {
        cause: 'hop-error',
        error: down.error,
        side: 'downstream',
      },
    )
  if (context.between === 'erp,cms' || context.between === 'ftp,cms') return sourceToCms(context, key, up, down)
  return cmsToPublished(context, key, up, down, users)
}
