import type {HopProblem} from '../http/problem.js'
import type {FieldDiff} from '../model/compare.js'
import type {CanonicalCustomer} from '../model/customer.js'
import type {CanonicalItem} from '../model/item.js'
import type {DerivedField, NotCompared} from '../model/mapping.js'
import type {PriceInputs, ResolvedPrice} from '../model/price.js'

/** The JSON report of a trace: a public interface, documented in docs/json-output.md. Keep it stable. */

import type {EntityName, HopName} from './entities.js'

export type {EntityName, HopName} from './entities.js'

export type HopStatus =
  | 'present'
  | 'missing'
  | 'stale'
  | 'differs'
  | 'excluded'
  | 'not-visible'
  | 'unreachable'
  | 'error'
  | 'not-checked'

/**
 * One fact behind a status or verdict. A fact that names a time, a file, a line or a sync run carries it
 * as a field (`at` an ISO timestamp), not only inside `text`.
 */
export interface Evidence {
  name: string
  label: string
  at?: string
  text?: string
  /** A file on the file server, relative to the base folder. */
  file?: string
  /** A line in `file` (1-based). */
  line?: number
  /** A CMS sync run. */
  runId?: string
}

export interface DeviceReport {
  deviceId: string
  model: string | null
  lastRefreshAt: string | null
  lastFullRefreshAt: string | null
  lastSeenAt: string | null
  /** Does the device hold the record as published (refreshed after it was published)? */
  holdsRecord: boolean
}

export interface AppUserReport {
  userId: string
  name: string | null
  status: HopStatus
  summary: string
  devices: DeviceReport[]
}

export interface HopReport {
  hop: HopName
  /** `businesscentral`, `cms`, `app`, `webshop` ... */
  system: string
  status: HopStatus
  /** One sentence: why this status. */
  summary: string
  /** The hop this one was compared with (its upstream), or null. */
  comparedWith: HopName | null
  diff: FieldDiff[]
  /** Fields left out of the comparison with `comparedWith`, and why (the source cannot supply them). */
  notCompared: NotCompared[]
  /** Fields the CMS derives from others (the contract's mapping), applied before comparing. */
  derived: DerivedField[]
  evidence: Evidence[]
  problem: HopProblem | null
  record: CanonicalCustomer | CanonicalItem | PriceRecord | null
  users?: AppUserReport[]
  durationMs: number
}

/** What one hop holds and computes for "what does customer C pay for item I" (`trace price`). */
export interface PriceRecord {
  customerCode: string
  itemCode: string
  quantity: number
  /** `yyyy-MM-dd` in the installation's zone. */
  date: string
  /** The inputs the hop holds (null where it gives none: the webshop, or a hop without the customer). */
  inputs: PriceInputs | null
  /** The price synctrace computed from `inputs` with the contract's rule. */
  computed: ResolvedPrice | null
  /** The hop's own answer: the CMS's and app's resolve, the webshop's price, an ERP's own resolution. */
  answered: PriceAnswer | null
}

/**
 * `trace order`: one line's price and discount against the customer's price the CMS resolves for the order's
 * date and the line's quantity. A finding beside the order's verdict, never a break of its chain.
 */
export interface OrderLinePrice {
  lineNo: number
  itemCode: string
  quantity: number
  /** The order's `orderDate`, the date the price was resolved for. */
  date: string | null
  /** `cannot-check`: no date, no price resolved, or the rows for that date are no longer held. */
  status: 'agrees' | 'differs' | 'cannot-check'
  /** Which of the line's values differ from the resolved price (empty unless `differs`). */
  differs: Array<'price' | 'discount'>
  summary: string
  /** The line's own computation: its price, its discount percent and the net they give. */
  line: {price: number | null; discount: number | null; net: number | null}
  /** The CMS's `/prices/resolve` for the line (list price, list source, row, discount, net); null when none. */
  resolved: ResolvedPrice | null
}

export interface PriceAnswer {
  currency: string | null
  listPrice: number | null
  netPrice: number | null
  discountPercent: number | null
  listSource: ResolvedPrice['listSource'] | null
  priceListCode: string | null
  hidePrices: boolean | null
  pricesIncludeVat: boolean | null
}

export type CauseCode =
  | 'consistent'
  | 'not-in-erp'
  | 'not-in-export'
  | 'export-row-unreadable'
  | 'export-stale'
  | 'export-missing'
  | 'not-in-cms'
  | 'removed-from-erp'
  | 'erp-changed-after-sync'
  | 'created-after-sync'
  | 'excluded-by-filter'
  | 'sync-failed-for-record'
  | 'not-read-by-sync'
  | 'cms-differs-from-erp'
  | 'change-order-unknown'
  | 'not-published-to-app'
  | 'app-publish-behind'
  | 'app-differs-from-cms'
  | 'not-assigned-to-user'
  | 'no-app-user-for-sales-rep'
  | 'device-not-refreshed'
  | 'not-published-to-webshop'
  | 'webshop-push-pending'
  | 'webshop-behind'
  | 'webshop-differs-from-cms'
  | 'item-excluded'
  | 'not-a-webshop-item'
  | 'stock-not-synced'
  | 'expected-stock-lag'
  | 'new-customer-not-in-erp'
  | 'customer-not-uploaded'
  | 'customer-file-waiting'
  | 'customer-rejected-by-erp'
  | 'order-not-found'
  | 'order-not-uploaded'
  | 'webshop-order-not-handed-over'
  | 'order-prerequisite-missing'
  | 'order-transfer-failed'
  | 'order-transfer-stuck'
  | 'order-transfer-pending'
  | 'order-on-hold'
  | 'order-file-waiting'
  | 'order-rejected-by-erp'
  | 'order-file-missing'
  | 'order-missing-in-erp'
  | 'price-changed-after-sync'
  | 'pricing-changed-after-sync'
  | 'price-row-skipped'
  | 'price-list-not-in-export'
  | 'hop-unreachable'
  | 'hop-error'
  | 'hop-not-checked'

export type ActionKind =
  | 'none'
  | 'targeted-sync'
  | 'app-full-refresh'
  | 'webshop-republish'
  | 'change-filter-or-erp-flag'
  | 'change-assignment-in-erp'
  | 'assign-sales-rep-to-user'
  | 'check-key'
  | 'confirm-with-erp-consultant'
  | 'contact-it-partner'
  | 'flag-webshop-in-erp'
  | 'rep-opens-app-online'
  | 'fix-in-erp-then-retransfer'
  | 'order-retransfer'
  | 'contact-platform-support'
  | 'wait'
  | 'retry-trace'

/** Who carries the action out. */
export type ActionOwner =
  | 'nobody'
  | 'admin'
  | 'support'
  | 'erp-consultant'
  | 'it-partner'
  | 'platform-support'
  | 'sales-rep'

export interface Action {
  kind: ActionKind
  /** Can synctrace perform it (an admin's sync, refresh or republish)? */
  automatable: boolean
  owner: ActionOwner
  description: string
  /** The synctrace command that performs it, or that checks again; null when a person must act. */
  command: string | null
}

export interface Verdict {
  ok: boolean
  /** Were all hops of the chain checked (none unreachable or answering with an error)? */
  complete: boolean
  /** The first broken link; `from` is null when the record is wrong at the chain's source. */
  brokenLink: {from: HopName | null; to: HopName} | null
  cause: CauseCode
  summary: string
  evidence: Evidence[]
  /** Further problems found downstream of the first broken link, and hops that could not be checked. */
  otherFindings: string[]
}

export interface InstallationSummary {
  id: string
  name: string
  connection: 'direct' | 'ftp'
  erp: string
  timezone: string
  autoSync: {everyHours: number; at: string | null; timezone: string} | null
  filters: Record<string, boolean>
}

export interface TraceReport {
  schemaVersion: 1
  tool: {name: 'synctrace'; version: string}
  entity: EntityName
  key: string
  /** Inbound: master data from the ERP to the app and webshop; outbound: orders to the ERP. */
  direction: 'inbound' | 'outbound'
  /** For ftp installations: the file server and base folder (no credentials). */
  fileServer?: string | null
  /** Null when the CMS could not tell (unreachable). */
  installation: InstallationSummary | null
  profile: string
  user: string | null
  checkedAt: string
  chain: HopName[]
  hops: HopReport[]
  verdict: Verdict
  action: Action
  exitCode: 0 | 3 | 4
  /** `trace order` only, when the CMS has the order's lines: each line's price against the customer's price. */
  orderLines?: OrderLinePrice[]
}
