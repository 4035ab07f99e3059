import type {FtpLayoutId} from '../connectors/ftp/layouts/types.js'
import type {EmulatedErp, EmulatedPrices} from '../emulation/erp-emulator.js'
import type {PlatformCustomerJson, PlatformItemJson} from '../emulation/records.js'
import type {PriceState} from './price-stores.js'
import type {TimeAnchors} from './relative-time.js'

export type {PlatformAddressJson, PlatformCustomerJson, PlatformItemJson} from '../emulation/records.js'

/**
 * The state of one sandbox installation, held in the wire formats of each system: the ERP's own records
 * (its emulator's state, or the export files), the platform contract's JSON for the CMS, the app backend and the webshop.
 * Built from a seed file in src/sandbox/seed by src/sandbox/load.ts, or by the history player.
 */

type Json = Record<string, unknown>

/** An order file in the outbound folders (ftp installations). */
export interface OrderFile {
  orderNr: string
  folder: string
  modified: string
  error: string | null
}

/** A customer as the ERP's export files hold it (ftp installations). */
export interface ExportCustomer {
  code: string
  record: PlatformCustomerJson
  file: string
  /** LastModified, as an instant. */
  lastModified: string
  malformed: boolean
}

export interface ExportsState {
  /** The folder the file servers serve, once the sandbox has written it. */
  root?: string
  /** The file layout the ERP writes (src/connectors/ftp/layouts). */
  layout: FtpLayoutId
  /** Does the sandbox's profile name the layout (`ftp.layout`), or does synctrace take it from the CMS's `erp.system`? */
  layoutInProfile: boolean
  user: string
  password: string
  baseFolder: string
  files: Record<string, {modified: string}>
  /**
   * The names the ERP's export job writes under (the connector's "Customer filename", "Item filename",
   * Monitor's "Folder name"), instead of the layout's first default; the CMS's runs report them as sourceFile.
   */
  fileNames?: Partial<Record<'customers' | 'items', string>>
  customers: ExportCustomer[]
  /**
   * `vatIncluded`: false when Monitor's items.xml leaves the field out (the CMS then skips the item);
   * `malformed`: the generic items.csv row has an unbalanced quote (the scale sandbox's unreadable rows).
   */
  items: Array<{
    record: PlatformItemJson
    lastModified: string
    emptyCurrency: boolean
    vatIncluded?: boolean
    malformed?: boolean
  }>
  orderFiles: OrderFile[]
  customerFiles: Array<OrderFile & {record: PlatformCustomerJson}>
  /**
   * What the ERP exports of prices (`pricelists.csv`, `discountgroups.csv`, the pricing columns of
   * `customers.csv`; `LastModified` from each row's `modifiedAt`), in the platform's terms; absent: no price export.
   */
  prices?: EmulatedPrices
}

export interface InstallationState {
  id: string
  installation: Json
  /** The export files of an ftp installation; null for a direct one. */
  exports: ExportsState | null
  /** The ERP of a direct installation, through its emulator (src/sandbox/erp/registry.ts); null for an ftp installation. */
  erp: EmulatedErp | null
  /** `records`: what the runs did with each record, newest first, by `syncRecordsKey` (entity and key). */
  cms: {
    customers: Map<string, Json>
    items: Map<string, Json>
    orders: Map<string, Json>
    runs: Json[]
    records: Map<string, Json[]>
  }
  app: {
    users: Array<{userId: string; name: string; salesRepCodes: string[]}>
    devices: Map<string, Json[]>
    customers: Map<string, Json>
    items: Map<string, Json>
  }
  webshop: {customers: Map<string, Json>; items: Map<string, Json>; orders: Map<string, Json>}
  /** Customer prices at every hop of the platform (`price-state.ts`: `pricesOf(state)` creates them on first use). */
  prices?: PriceState
  /** The seeded situations, for `synctrace sandbox` to list. */
  scenarios: Array<{code: string; situation: string}>
  anchors: TimeAnchors
  /**
   * The largest page the CMS, app backend and webshop list endpoints give: a larger `limit` is limited to
   * it (the contract's "at most `limit`"), `next` still pointing on. Absent: `limit` as asked.
   */
  platformMaxPageSize?: number
}

/** The key of one record's run outcomes in `cms.records`: the entity (`customers`, `stock`, …) and the record's key. */
export function syncRecordsKey(entity: string, key: string): string {
  return `${entity}\u0000${key}`
}

/** Notes what a run did with one record (newest first), as `/sync/records` answers it. */
export function noteSyncRecord(
  state: InstallationState,
  entity: string,
  key: string,
  entry: {runId: string; at: string; outcome: string; reason: string | null},
): void {
  const recordsKey = syncRecordsKey(entity, key)
  state.cms.records.set(recordsKey, [entry, ...(state.cms.records.get(recordsKey) ?? [])])
}
