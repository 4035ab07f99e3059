import type {SyncRun} from '../connectors/platform/types.js'
import {type FieldDiff, fieldLabel} from '../model/compare.js'
import {formatInZone} from '../util/time.js'
import type {HopPair, ReconcileClass, ReconcileEntity, ReconcileRecord} from './types.js'

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
  /** The installation's zone: the times in a finding's sentence are shown in it, as a trace shows them (UTC if not given). */
  timeZone?: string
  /** Source → CMS customers: the CMS's latest outcome for a key, when it skipped it (`/sync/records`), as a trace reads it. */
  skippedByLastRun?: (key: string) => Promise<string | null>
  /** cms,app customers: the app users of each sales rep code. */
  usersByRep: Map<string, string[]>
}

export const ms = (time: number | null | undefined): number | null => time ?? null
export const isoOf = (time: number | null | undefined): string | null =>
  time === null || time === undefined ? null : new Date(time).toISOString()

/** A time in a finding's sentence, as a trace words it: "2026-12-06 02:00 (+01:00)" in the installation's zone. */
export const whenIn = (context: Pick<ClassifyContext, 'timeZone'>, time: number | null | undefined): string | null =>
  time === null || time === undefined ? null : formatInZone(new Date(time), context.timeZone ?? 'UTC')

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
