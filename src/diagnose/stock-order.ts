import {newerFileThanRunRead, type StockTouch} from '../connectors/platform/schedule.js'
import type {SyncRecordOutcome, SyncRun} from '../connectors/platform/types.js'

/**
 * Stock: lag or fault, decided by the CMS's own record. Stock has no change time in most ERPs (Business
 * Central computes `inventory` from ledger entries and leaves the item's `lastModifiedDateTime` alone), so
 * the evidence is the CMS's: its last stock run and what that run did with the item (`/sync/records`). The
 * trace (item-cms.ts) and reconcile (classify.ts) both decide with `stockOrder`.
 */

export interface StockFacts {
  /** The last finished stock run that covered the item (succeeded or failed). */
  run: SyncRun | undefined
  touch: StockTouch
  /** The item's record in that run (its reason when it failed or was skipped). */
  record?: SyncRecordOutcome
  /** ftp: when the ERP last wrote the export file that carries the stock (compared with the run's `sourceFileModifiedAt`). */
  fileModifiedAt: Date | null
  /** ftp: that file's path under the base folder; the rule of file versions holds only when the run read this file. */
  file?: string | null
  /** A change time of the source that moves with the stock (Visma.net: the warehouse rows'), else null. */
  stockModifiedAt: Date | null
  /** Fortnox: did its `lastmodified` filter list the item since the run's start? */
  changedSince: {since: Date; changed: boolean} | null
}

/** Which way it went, and what shows it. */
export type StockOrder =
  | {order: 'after'; by: 'run-read' | 'file' | 'changed-since' | 'stock-time'}
  | {order: 'before'; by: 'file' | 'changed-since' | 'stock-time'}
  | {order: 'failed'}
  | {order: 'skipped'}
  | {order: 'unknown'}

/**
 * The stock differs between the source and the CMS: did the source move after the last stock run?
 * - no finished stock run covered the item (or none could be read): nothing shows the order (`unknown`);
 * - the run failed on the item: that is the cause (`failed`); it skipped it by a filter: that is (`skipped`);
 * - ftp, when the run read the row's file: the export file against the version the run read: written again
 *   after it, the movement is after the run; the same version, the difference was in what the run read (`before`);
 * - the run read the item (wrote it or found it unchanged): the source moved after that run (`after`);
 * - the run did not touch it: only a time says which way (Fortnox's filter asked since the run's start, a
 *   stock change time), else `unknown`.
 */
export function stockOrder(facts: StockFacts): StockOrder {
  const {run} = facts
  if (!run?.startedAt) return {order: 'unknown'}
  if (facts.touch === 'failed') return {order: 'failed'}
  // Skipped by a filter (its reason in the outcome): a sync would skip it again, whatever the order.
  if (facts.touch === 'skipped') return {order: 'skipped'}
  if (run.sourceFileModifiedAt && facts.fileModifiedAt && sameExportFile(run.sourceFile, facts.file))
    return newerFileThanRunRead(facts.fileModifiedAt, run)
      ? {by: 'file', order: 'after'}
      : {by: 'file', order: 'before'}
  if (facts.touch === 'read') return {by: 'run-read', order: 'after'}
  const asked = facts.changedSince
  if (asked && asked.since.getTime() === run.startedAt.getTime())
    return {by: 'changed-since', order: asked.changed ? 'after' : 'before'}
  if (facts.stockModifiedAt)
    return {by: 'stock-time', order: facts.stockModifiedAt > run.startedAt ? 'after' : 'before'}
  return {order: 'unknown'}
}

/** Does the run's `sourceFile` name the row's file? Both are paths under the base folder; one may carry the base folder's own name in front. Unknown on either side counts as the same file. */
function sameExportFile(runFile: string | null | undefined, rowFile: string | null | undefined): boolean {
  if (!runFile || !rowFile) return true
  const clean = (path: string) => path.replace(/^(\.\/)+/, '').replace(/^\/+/, '')
  const [a, b] = [clean(runFile), clean(rowFile)]
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`)
}
