import type {Expected, History, Hop, OracleAnswer} from './types.js'

/**
 * The oracle: what a trace of the history's record must conclude, from the history alone — never from the
 * servers, never from synctrace's diagnosis. It follows the record along its chain and names the first step
 * where the record should have moved and did not (docs/diagnosis.md), and what fixes it.
 *
 * It keeps to the region where the rules are unambiguous: times are well away from the grace boundaries
 * (the generator sees to that), and a history whose verdict the rules leave open is answered `ambiguous`.
 */

/** The action of each cause (docs/diagnosis.md, "Causes and the action for each"). */
export const actionOf: Record<string, string> = {
  'app-differs-from-cms': 'contact-platform-support',
  'app-publish-behind': 'targeted-sync',
  'change-order-unknown': 'targeted-sync',
  'cms-differs-from-erp': 'contact-platform-support',
  consistent: 'none',
  'created-after-sync': 'targeted-sync',
  'customer-file-waiting': 'contact-it-partner',
  'customer-not-uploaded': 'rep-opens-app-online',
  'customer-rejected-by-erp': 'confirm-with-erp-consultant',
  'device-not-refreshed': 'app-full-refresh',
  'erp-changed-after-sync': 'targeted-sync',
  'excluded-by-filter': 'change-filter-or-erp-flag',
  'expected-stock-lag': 'none',
  'export-missing': 'contact-it-partner',
  'export-row-unreadable': 'contact-it-partner',
  'export-stale': 'contact-it-partner',
  'hop-unreachable': 'retry-trace',
  'item-excluded': 'change-filter-or-erp-flag',
  'new-customer-not-in-erp': 'contact-platform-support',
  'no-app-user-for-sales-rep': 'assign-sales-rep-to-user',
  'not-a-webshop-item': 'flag-webshop-in-erp',
  'not-assigned-to-user': 'change-assignment-in-erp',
  'not-in-erp': 'check-key',
  'not-in-export': 'contact-it-partner',
  'not-published-to-app': 'targeted-sync',
  'not-published-to-webshop': 'webshop-republish',
  'not-read-by-sync': 'targeted-sync',
  'order-file-missing': 'order-retransfer',
  'order-file-waiting': 'contact-it-partner',
  'order-missing-in-erp': 'confirm-with-erp-consultant',
  'order-not-uploaded': 'rep-opens-app-online',
  'order-on-hold': 'contact-platform-support',
  'order-prerequisite-missing': 'fix-in-erp-then-retransfer',
  'order-rejected-by-erp': 'fix-in-erp-then-retransfer',
  'order-transfer-failed': 'order-retransfer',
  'price-changed-after-sync': 'targeted-sync',
  'price-list-not-in-export': 'contact-it-partner',
  'price-row-skipped': 'confirm-with-erp-consultant',
  'pricing-changed-after-sync': 'targeted-sync',
  'order-transfer-pending': 'wait',
  'order-transfer-stuck': 'order-retransfer',
  'removed-from-erp': 'confirm-with-erp-consultant',
  'stock-not-synced': 'targeted-sync',
  'sync-failed-for-record': 'contact-platform-support',
  'webshop-behind': 'webshop-republish',
  'webshop-differs-from-cms': 'contact-platform-support',
  'webshop-order-not-handed-over': 'contact-platform-support',
  'webshop-push-pending': 'wait',
}

export function broken(from: Hop | null, to: Hop, cause: string, why: string): OracleAnswer {
  return {expected: {actionKind: actionOf[cause] ?? '?', brokenLink: {from, to}, cause, exitCode: 3}, why}
}

export function fine(cause: 'consistent' | 'expected-stock-lag', why: string): OracleAnswer {
  return {expected: {actionKind: 'none', brokenLink: null, cause, exitCode: 0}, why}
}

export function unreachable(hop: Hop): OracleAnswer {
  const expected: Expected = {actionKind: 'retry-trace', brokenLink: null, cause: 'hop-unreachable', exitCode: 4}
  return {expected, why: `nothing is broken, but ${hop} is down`}
}

export const downHop = (history: History): Hop | null =>
  history.knobs.fault?.kind === 'down' ? history.knobs.fault.hop : null

/** "a happened after b", both in minutes before now. */
export const after = (a: number | null | undefined, b: number | null | undefined) =>
  a !== null && a !== undefined && (b === null || b === undefined || a < b)

export const hours = (minutes: number) => minutes / 60

export interface Sync {
  /** When it started. */
  startedAgo: number
  /** ftp: when the export file it read was written; null when there was none. */
  readFileAgo: number | null
}

/** Values as the CMS, the app and the webshop would hold them, per hop. */
export interface Held<V> {
  values: V
  at: number
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
