import type {FieldDiff} from '../model/compare.js'
import type {CanonicalCustomer} from '../model/customer.js'
import type {CanonicalItem} from '../model/item.js'
import type {PriceRow} from '../model/price.js'
import type {DerivedField, NotSupplied} from '../model/mapping.js'
import type {Action, CauseCode} from '../report/types.js'

/** The public shapes of `synctrace reconcile` (documented in docs/reconcile.md). Keep them stable. */

/** The entities reconciled record by record under one code (the scale sandbox plants them). */
export type ReconcileEntity = 'customers' | 'items'
/** Everything `synctrace reconcile` compares: those, and every row of every price list (`prices`). */
export type ReconcileTarget = ReconcileEntity | 'prices'
export type ReconcileHop = 'erp' | 'ftp' | 'cms' | 'app' | 'webshop'
export type HopPair = 'erp,cms' | 'ftp,cms' | 'cms,app' | 'cms,webshop'
export const hopPairs: HopPair[] = ['erp,cms', 'ftp,cms', 'cms,app', 'cms,webshop']

/**
 * What is wrong with one record between two hops. Most are the trace's causes (docs/diagnosis.md); the
 * rest exist only in bulk: a record only the downstream side has, one not visible to its rep's user, an
 * unreadable record, a key listed twice.
 */
export type ReconcileClass =
  | 'created-after-sync'
  | 'erp-changed-after-sync'
  | 'change-order-unknown'
  | 'not-read-by-sync'
  | 'cms-differs-from-erp'
  | 'stock-not-synced'
  | 'excluded-by-filter'
  | 'item-excluded'
  | 'removed-from-erp'
  | 'not-in-export'
  | 'new-customer-not-in-erp'
  | 'export-row-unreadable'
  | 'not-published-to-app'
  | 'app-publish-behind'
  | 'app-differs-from-cms'
  | 'not-visible-to-user'
  | 'only-in-app'
  | 'not-published-to-webshop'
  | 'webshop-behind'
  | 'webshop-differs-from-cms'
  | 'not-a-webshop-item'
  | 'only-in-webshop'
  | 'record-unreadable'
  | 'duplicate-key'
  | 'price-changed-after-sync'
  | 'price-row-skipped'

/** Times (epoch milliseconds) and facts about a record on one side, all JSON-safe (side entries may be spilled to disk). */
export interface SideInfo {
  /** ERP / export row change time, null when the source keeps none. */
  modifiedAt?: number | null
  /** The export file the row is in, and when the ERP last wrote that file. */
  file?: string
  fileModifiedAt?: number | null
  line?: number
  notSupplied?: NotSupplied[]
  derived?: DerivedField[]
  skippedBecause?: string | null
  /** CMS */
  syncedAt?: number | null
  erpModifiedAt?: number | null
  origin?: string
  /** App and webshop */
  publishedAt?: number | null
  visibleToUserIds?: string[]
  visible?: boolean | null
}

/** One record of one side, as the merge sees it. */
export interface SideEntry {
  key: string
  record: CanonicalCustomer | CanonicalItem | PriceRow | CustomerPrice | null
  /** Why the record could not be read (the rest of its side still counts). */
  error: string | null
  info: SideInfo
}

/** One finding, a line of `--format jsonl`, an element of `records` in `--json`. */
export interface ReconcileRecord {
  key: string
  class: ReconcileClass
  /** The trace's cause for it (what `synctrace trace` would say), or null for bulk-only classes. */
  cause: CauseCode | null
  /** One sentence. */
  summary: string
  /** The fields that differ (mapping applied, unsupplied fields left out). */
  diff: FieldDiff[]
  /** The times the class rests on (ISO). */
  times: {
    upstreamModifiedAt?: string | null
    lastSyncStartedAt?: string | null
    cmsSyncedAt?: string | null
    publishedAt?: string | null
  }
  /** cms,app customers: the app users of the customer's sales reps who do not see it. */
  users?: string[]
  /** Which side a `record-unreadable`/`duplicate-key` is about, and the error. */
  side?: 'upstream' | 'downstream'
  error?: string
  file?: string
  line?: number
  /** prices: the row's key parts (`key` is them joined by `|`, a null validFrom empty). */
  price?: PriceRowKey
  /** prices cms,webshop: the customer, the item and the list the CMS resolves the price from (null: none). */
  customerPrice?: {customerCode: string; itemCode: string; priceListCode: string | null}
}

/** prices cms,webshop: the price one customer sees for one item at quantity 1 (the webshop's, or the CMS's resolve). */
export interface CustomerPrice {
  customerCode: string
  itemCode: string
  currency: string | null
  listPrice: number | null
  discountPercent: number
  netPrice: number | null
  listSource: string | null
  priceListCode: string | null
  pricesIncludeVat: boolean
  hidePrices: boolean
}

/** The contract's key of a price row: list + item + unit + currency + fromQuantity + validFrom. */
export type PriceRowKey = Pick<
  PriceRow,
  'priceListCode' | 'itemCode' | 'unit' | 'currency' | 'fromQuantity' | 'validFrom'
>

export interface ClassSummary {
  class: ReconcileClass
  count: number
  cause: CauseCode | null
  /** What this class means, in a line. */
  meaning: string
  action: Pick<Action, 'kind' | 'owner' | 'automatable' | 'description'>
  /** Can `--fix` resolve it (targeted sync, webshop republish)? */
  fix: 'targeted-sync' | 'webshop-republish' | null
}

export interface ReconcileSummary {
  schemaVersion: 1
  tool: {name: 'synctrace'; version: string}
  entity: ReconcileTarget
  between: HopPair
  installation: string | null
  profile: string
  startedAt: string
  finishedAt: string
  /** Records read on each side. */
  read: {upstream: number; downstream: number}
  /** Keys compared (present on either side). */
  compared: number
  consistent: number
  /** Findings per class. */
  classes: ClassSummary[]
  /** cms,app customers: how many customers were published visible to each app user. */
  publishedPerUser?: Record<string, number>
  /** Did both sides come in key order (a sorted merge) or were they sorted on disk first? */
  sorting: {upstream: 'stream' | 'spilled'; downstream: 'stream' | 'spilled'}
  /** The last sync run of the entity the classes were judged against. */
  lastSync: {runId: string; startedAt: string | null} | null
  resumed: boolean
  exitCode: 0 | 3 | 4
}
