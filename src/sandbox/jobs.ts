import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import {publishPricing} from './publish-prices.js'
import {sourcePricingOf, syncPricing} from './pricing-sync.js'
import {sourceCustomers, sourceItems} from './source-records.js'
import {type RunStart, type SyncRunOptions, type SyncTarget, syncCustomers, syncItems} from './sync-run.js'
import {type ExportsState, type InstallationState, noteSyncRecord, type PlatformCustomerJson} from './state.js'

type Json = Record<string, unknown>

export type {SyncRunOptions} from './sync-run.js'

/** The export file a sync run reads: the name its settings give, else the layout's first (`customers.csv`, Winbas `_customers.xml`, Monitor `items.xml`). */
function exportFileOf(exports: ExportsState, kind: 'customers' | 'items'): string {
  return exports.fileNames?.[kind] ?? (ftpLayoutFor(exports.layout, null)[kind].defaultFiles[0] as string)
}

/** Publishes a CMS customer to the app backend (visible to the users of its sales reps) and the webshop. */
export function publishCustomer(
  state: InstallationState,
  code: string,
  at: string,
  targets: {app: boolean; webshop: boolean},
): void {
  const record = state.cms.customers.get(code)
  if (!record) return
  const reps = Array.isArray(record.salesRepCodes) ? (record.salesRepCodes as string[]) : []
  if (targets.app)
    state.app.customers.set(code, {
      customerCode: code,
      publishedAt: at,
      record: {...record},
      visibleToUserIds: state.app.users
        .filter((user) => user.salesRepCodes.some((rep) => reps.includes(rep)))
        .map((user) => user.userId),
    })
  if (targets.webshop)
    state.webshop.customers.set(code, {
      accounts:
        typeof record.email === 'string' && record.email ? [{active: true, login: record.email.toLowerCase()}] : [],
      customerCode: code,
      publishedAt: at,
      record: {...record},
    })
  publishPricing(state, code, at, targets)
}

/** Publishes a CMS item to the app backend and, when it is a webshop item, the webshop. */
export function publishItem(
  state: InstallationState,
  code: string,
  at: string,
  targets: {app: boolean; webshop: boolean},
): void {
  const record = state.cms.items.get(code)
  if (!record) return
  const {erpModifiedAt: _e, syncedAt: _s, ...published} = record
  if (targets.app) state.app.items.set(code, {itemCode: code, publishedAt: at, record: published})
  if (targets.webshop && record.webshop === true)
    state.webshop.items.set(code, {
      itemCode: code,
      price: record.price,
      publishedAt: at,
      stock: record.stock,
      visible: record.active === true,
    })
}

/**
 * The seeded installation's side of a run (`src/sandbox/sync-run.ts`): its source as the CMS reads it (the
 * ERP through its emulator, or the export rows) and its state as the target.
 */
function seededTarget(state: InstallationState, entity: string): SyncTarget {
  const records = entity === 'customers' ? state.cms.customers : state.cms.items
  const kind = entity === 'customers' ? 'customers' : 'items'
  const exportFile = state.exports ? exportFileOf(state.exports, kind) : null
  return {
    filters: (state.installation.filters ?? {}) as Record<string, boolean>,
    get: (code) => records.get(code),
    note: (code, entry) => noteSyncRecord(state, entity, code, entry),
    pricing: entity === 'customers' ? () => pricingRun(state) : undefined,
    publish: (code, at, targets) =>
      entity === 'customers' ? publishCustomer(state, code, at, targets) : publishItem(state, code, at, targets),
    record: (run) => state.cms.runs.unshift(run),
    runSource: () => ({
      source: exportFile ? 'ftp-file' : 'erp-api',
      sourceFile: exportFile,
      sourceFileModifiedAt: exportFile ? (state.exports?.files[exportFile]?.modified ?? null) : null,
    }),
    set: (code, record) => records.set(code, record as PlatformCustomerJson),
  }
}

/** A `customers` run's pricing profiles: what the source holds, read when the run starts. */
function pricingRun(state: InstallationState) {
  const pricing = sourcePricingOf(state)
  return (code: string, at: string, targets: {app: boolean; webshop: boolean}) =>
    syncPricing(state, pricing, code, at, targets)
}

/** A customer sync of the seeded installation (`syncCustomers` over its source and state). */
export function runCustomerSync(state: InstallationState, run: RunStart, options: SyncRunOptions = {}): Json {
  return syncCustomers({read: () => sourceCustomers(state)}, seededTarget(state, 'customers'), run, options)
}

/** An item, price or stock sync of the seeded installation (`syncItems` over its source and state). */
export function runItemSync(
  state: InstallationState,
  run: RunStart & {entity: string},
  options: SyncRunOptions = {},
): void {
  syncItems(
    {read: () => sourceItems(state).map((item) => ({...item, problem: null}))},
    seededTarget(state, run.entity),
    run,
    options,
  )
}
