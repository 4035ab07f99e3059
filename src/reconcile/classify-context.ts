import type {SyncRun} from '../connectors/platform/types.js'
import {type FieldDiff, fieldLabel} from '../model/compare.js'
import {formatInZone, localTimeZone, needsSeconds} from '../util/time.js'
import type {HopPair, ReconcileClass, ReconcileTarget, ReconcileRecord} from './types.js'

/** What the classes are judged against: the schedule's last run, the filters, the app's users. */
export interface ClassifyContext {
  entity: ReconcileTarget
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
  skippedByLastRun?: (key: string, found: ReconcileRecord) => Promise<string | null>
  /** cms,app customers: the app users of each sales rep code. */
  usersByRep: Map<string, string[]>
  /** prices erp,cms: does the ERP supply a row's validity dates (Fortnox, NetSuite, Visma eAccounting do not)? */
  priceDatesSupplied?: boolean
  /** The installation's time zone, for the times in the findings' sentences; this machine's when not given. */
  timeZone?: string
}

export const ms = (time: number | null | undefined): number | null => time ?? null
export const isoOf = (time: number | null | undefined): string | null =>
  time === null || time === undefined ? null : new Date(time).toISOString()

/**
 * The times of one finding's sentence as a person reads them (its `times` stay ISO UTC): in the
 * installation's zone with its offset, all with seconds when two of them share a minute but differ.
 * The formatter returns null for a missing time, as `isoOf` does.
 */
export function sentenceTimes(
  timeZone: string | undefined,
  ...times: (number | null | undefined)[]
): (time: number | null | undefined) => string | null {
  const zone = timeZone ?? localTimeZone()
  const seconds = needsSeconds(...times.map((time) => (time === null || time === undefined ? null : new Date(time))))
  return (time) => (time === null || time === undefined ? null : formatInZone(new Date(time), zone, {seconds}))
}

export function finding(
  key: string,
  klass: ReconcileClass,
  summary: string,
  extra: Partial<ReconcileRecord> = {},
): ReconcileRecord {
  return {cause: null, class: klass, diff: [], key, summary, times: {}, ...extra}
}

export function fields(diff: FieldDiff[]): string {
  return diff.map((entry) => fieldLabel(entry.field)).join(', ')
}
