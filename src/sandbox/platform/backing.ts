import type {SandboxResponse} from '../../emulation/service.js'
import type {RecordStore} from '../record-store.js'
import type {PriceStores} from './price-backing.js'
import type {PlatformJobs} from './service.js'

type Json = Record<string, unknown>

/** An app user: who signs in, and the sales reps whose customers they see. */
export interface AppUser {
  userId: string
  name: string
  salesRepCodes: string[]
}

/**
 * What the platform's services (the CMS, the app backend, the webshop: `cms.ts`, `app.ts`, `webshop.ts`)
 * serve and act on, apart from how they answer: the seeded installation's state (`seeded.ts`), or the
 * scale sandbox's generated records (`src/sandbox/scale/platform.ts`). The records of each hop are
 * record stores; the jobs (a sync, a retransfer, a republish) are the installation's to run.
 */
export interface PlatformBacking {
  /** `GET /installation`. */
  installation(): Json
  /** The largest page the list endpoints give (a larger `limit` is limited to it); undefined: as asked. */
  maxPageSize(): number | undefined
  cms: {
    customers: RecordStore
    items: RecordStore
    orders: Map<string, Json>
    runs: Json[]
    records: Map<string, Json[]>
  }
  app: {customers: RecordStore; items: RecordStore; users: AppUser[]; devices: Map<string, Json[]>}
  webshop: {customers: RecordStore; items: RecordStore; orders: Map<string, Json>}
  /** `POST /sync/jobs` once the request is admin's and idempotent: 202 with the queued job, else the contract's error. */
  startSyncJob(jobs: PlatformJobs, body: Json, requestedBy: string): SandboxResponse
  /** `POST /orders/:orderNr/retransfer`, likewise. */
  retransferOrder(jobs: PlatformJobs, orderNr: string, requestedBy: string): SandboxResponse
  /**
   * A republish request done: the CMS's records of the keys (null: every one of the entity) pushed to the webshop;
   * `prices`: the rows of those price lists (a customer's pricing profile goes with the customer).
   */
  republish(entity: 'customers' | 'items' | 'prices', keys: string[] | null, doneAt: string): void
  /** Customer prices at every hop, as stores (`price-backing.ts`); absent: the platform holds none. */
  prices?(): PriceStores
}
