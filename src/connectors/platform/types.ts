import type {CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'

/** The platform's records as its APIs describe them (../shared/contracts/platform-api.md), already checked. */

export type ConnectionType = 'direct' | 'ftp'

export interface Installation {
  id: string
  name: string
  connection: ConnectionType
  erpSystem: string
  ftpUrl: string | null
  autoSync: {everyHours: number; at: string | null; timezone: string} | null
  filters: Record<string, boolean>
}

export type RecordOrigin = 'erp' | 'app' | 'webshop'

export interface CmsCustomer {
  customer: CanonicalCustomer
  origin: RecordOrigin
  erpModifiedAt: Date | null
  syncedAt: Date | null
}

export type SyncEntity = 'customers' | 'items' | 'prices' | 'stock' | 'orders'

export interface SyncRun {
  runId: string
  entity: string
  mode: string
  keys: string[] | null
  startedAt: Date | null
  finishedAt: Date | null
  status: 'running' | 'succeeded' | 'failed' | string
  source: string | null
  sourceFile: string | null
  sourceFileModifiedAt: Date | null
  requestedBy: string | null
  error: string | null
  /** How many records the run read from its source (`counts.read`), when the CMS says. */
  readCount?: number | null
}

export interface SyncRecordOutcome {
  runId: string
  at: Date | null
  outcome: 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed' | string
  reason: string | null
}

export interface AppUser {
  userId: string
  name: string
  salesRepCodes: string[]
}

export interface AppDevice {
  deviceId: string
  model: string | null
  appVersion: string | null
  lastRefreshAt: Date | null
  lastFullRefreshAt: Date | null
  lastSeenAt: Date | null
  pendingUploads: Array<{kind: string; key: string; createdAt: Date | null}>
}

export interface AppPublishedCustomer {
  customer: CanonicalCustomer
  publishedAt: Date | null
  visibleToUserIds: string[]
}

export interface WebshopPublishedCustomer {
  customer: CanonicalCustomer
  publishedAt: Date | null
  accounts: Array<{login: string; active: boolean}>
}

export interface SyncJob {
  jobId: string
  entity: string
  mode: string
  keys: string[] | null
  status: 'queued' | 'running' | 'succeeded' | 'failed' | string
  progress: {done: number; total: number} | null
  requestedBy: string | null
  createdAt: Date | null
  startedAt: Date | null
  finishedAt: Date | null
  error: string | null
  runId: string | null
}

/** An app full refresh or a webshop republish: `pending` until done. */
export interface PendingRequest {
  requestId: string
  status: 'pending' | 'done' | string
  doneAt: Date | null
}

/** A job the tool started, or the running job it attached to (409 job_running). */
export interface StartedJob<T> {
  job: T
  attached: boolean
}

export interface CmsItem {
  item: CanonicalItem
  erpModifiedAt: Date | null
  syncedAt: Date | null
}

export interface PublishedItem {
  item: CanonicalItem
  publishedAt: Date | null
  /** Webshop only: is the item shown in the shop? */
  visible: boolean | null
}

export interface CmsOrder {
  orderNr: string
  channel: 'app' | 'webshop' | string
  customerCode: string
  orderDate: string | null
  yourReference: string | null
  createdAt: Date | null
  receivedAt: Date | null
  /** `discount`: the line's discount percent (0–100), null when the CMS gives none. */
  lines: Array<{lineNo: number; itemCode: string; quantity: number; price: number | null; discount?: number | null}>
  transfer: {
    status: 'queued' | 'sent' | 'failed' | 'on-hold' | string
    attempts: number
    lastAttemptAt: Date | null
    error: string | null
    erpDocumentNumber: string | null
    file: string | null
  }
}

export interface WebshopOrder {
  orderNr: string
  placedAt: Date | null
  handedToCmsAt: Date | null
}
