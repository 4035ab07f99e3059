import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import type {SourceCustomer} from '../emulation/erp-emulator.js'
import {publishPricing} from './publish-prices.js'
import {sourcePricingOf, syncPricing} from './pricing-sync.js'
import {sourceCustomers, sourceItems} from './source-records.js'
import {type ExportsState, type InstallationState, noteSyncRecord, type PlatformCustomerJson} from './state.js'

type Json = Record<string, unknown>

/** The CMS's normal form: e-mails lower-cased, phone numbers without spaces or dashes, whitespace trimmed. */
function cmsForm(record: PlatformCustomerJson): PlatformCustomerJson {
  const trim = (value: string) => value.trim().replace(/\s+/g, ' ')
  return {
    ...record,
    addresses: record.addresses.map((address) => ({
      ...address,
      addressLine1: trim(address.addressLine1),
      addressLine2: trim(address.addressLine2),
      city: trim(address.city),
      countryCode: trim(address.countryCode).toUpperCase(),
      postCode: trim(address.postCode),
    })),
    email: record.email.trim().toLowerCase(),
    name: trim(record.name),
    phone: record.phone.replace(/[\s-]/g, ''),
  }
}

/** The export file a sync run reads: the name its settings give, else the layout's first (`customers.csv`, Winbas `_customers.xml`, Monitor `items.xml`). */
function exportFileOf(exports: ExportsState, kind: 'customers' | 'items'): string {
  return exports.fileNames?.[kind] ?? (ftpLayoutFor(exports.layout, null)[kind].defaultFiles[0] as string)
}

/** The CMS keeps the ERP's change time truncated to whole seconds (null when the ERP has none). */
function wholeSeconds(value: unknown): string | null {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return null
  return new Date(Math.floor(Date.parse(value) / 1000) * 1000).toISOString()
}

function sameContent(a: Json | undefined, b: Json): boolean {
  if (!a) return false
  const strip = ({erpModifiedAt: _e, origin: _o, syncedAt: _s, ...rest}: Json) => JSON.stringify(rest)
  return strip(a) === strip(b)
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

/**
 * How one sync run goes beyond reading the source: when it happens (a run played at a past time writes
 * with that time instead of now), the records it fails on or never reads, and whether what it writes
 * reaches the app and the webshop.
 */
export interface SyncRunOptions {
  /** When the run writes (syncedAt, outcomes, finishedAt); default now. */
  at?: string
  /** Keys whose record the run fails on (outcome `failed`). */
  fail?: string[]
  /** Keys the run does not read at all (no outcome, nothing written). */
  miss?: string[]
  /** Does the run publish what it wrote to the app and the webshop? Default both. */
  publish?: {app: boolean; webshop: boolean}
  /** Why a failing record failed. */
  failReason?: string
  /** The run as a whole fails with this error (status `failed`) after what it did. */
  runError?: string
}

type Counts = {created: number; failed: number; read: number; skipped: number; unchanged: number; updated: number}
type Outcome = Exclude<keyof Counts, 'read'>

const noCounts = (): Counts => ({created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0})

/** A sync run as the CMS starts it: its id, mode, keys (null: all), who asked and when it started. */
interface RunStart {
  runId: string
  mode: string
  keys: string[] | null
  requestedBy: string
  startedAt: string
}

/**
 * A customer sync as the CMS runs it: read the ERP or its export (all customers, or the keys), honour the
 * filters, write the changed records, note each record's outcome, record the run, publish what changed.
 */
export function runCustomerSync(state: InstallationState, run: RunStart, options: SyncRunOptions = {}): Json {
  const now = options.at ?? new Date().toISOString()
  const publish = options.publish ?? {app: true, webshop: true}
  const filters = (state.installation.filters ?? {}) as Record<string, boolean>
  const counts = noCounts()
  const all = sourceCustomers(state).filter((entry) => !options.miss?.includes(entry.code))
  const entries = run.keys === null ? all : all.filter((entry) => run.keys?.includes(entry.code))
  const pricing = sourcePricingOf(state)
  for (const entry of entries) {
    counts.read++
    const {code} = entry
    const {outcome, reason, record} = customerOutcome(entry, state.cms.customers.get(code), filters, options)
    counts[outcome]++
    noteSyncRecord(state, 'customers', code, {at: now, outcome, reason, runId: run.runId})
    if (outcome !== 'failed' && outcome !== 'skipped') syncPricing(state, pricing, code, now, publish)
    if (!record) continue
    state.cms.customers.set(code, {
      ...record,
      erpModifiedAt: wholeSeconds(entry.modifiedAt),
      origin: 'erp',
      syncedAt: now,
    })
    publishCustomer(state, code, now, publish)
  }
  return recordRun(state, {...run, entity: 'customers'}, counts, {
    exportFile: state.exports ? exportFileOf(state.exports, 'customers') : null,
    now,
  })
}

/** What the run does with one customer, and why; `record` (the CMS's form) when it writes it. */
function customerOutcome(
  entry: SourceCustomer,
  previous: Json | undefined,
  filters: Record<string, boolean>,
  options: SyncRunOptions,
): {outcome: Outcome; reason: string | null; record?: PlatformCustomerJson} {
  if (!entry.record || options.fail?.includes(entry.code))
    return {
      outcome: 'failed',
      reason: entry.record ? (options.failReason ?? 'the CMS could not write the record') : entry.problem,
    }
  const record = cmsForm(entry.record)
  if (filters.skipPrivateCustomers && record.isPrivate)
    return {outcome: 'skipped', reason: 'private customer excluded by filter skipPrivateCustomers'}
  if (filters.skipBlockedCustomers && record.blocked)
    return {outcome: 'skipped', reason: 'blocked customer excluded by filter skipBlockedCustomers'}
  if (sameContent(previous, record)) return {outcome: 'unchanged', reason: null}
  return {outcome: previous ? 'updated' : 'created', reason: null, record}
}

/** The finished run in the CMS's list of runs (newest first): read from the export file, else from the ERP's API. */
function recordRun(
  state: InstallationState,
  run: RunStart & {entity: string},
  counts: Counts,
  at: {now: string; exportFile: string | null},
): Json {
  const {exportFile, now} = at
  const syncRun = {
    counts,
    entity: run.entity,
    error: null,
    finishedAt: now,
    keys: run.keys,
    mode: run.mode,
    requestedBy: run.requestedBy,
    runId: run.runId,
    source: exportFile ? 'ftp-file' : 'erp-api',
    sourceFile: exportFile,
    sourceFileModifiedAt: exportFile ? (state.exports?.files[exportFile]?.modified ?? null) : null,
    startedAt: run.startedAt,
    status: 'succeeded',
  }
  state.cms.runs.unshift(syncRun)
  return syncRun
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

/** An item, price or stock sync: copies the fields of that entity from the source, notes each item's outcome, records a run, publishes. */
export function runItemSync(
  state: InstallationState,
  run: RunStart & {entity: string},
  options: SyncRunOptions = {},
): void {
  const now = options.at ?? new Date().toISOString()
  const publish = options.publish ?? {app: true, webshop: true}
  const filters = (state.installation.filters ?? {}) as Record<string, boolean>
  const counts = noCounts()
  const fields = run.entity === 'prices' ? ['price', 'currency'] : run.entity === 'stock' ? ['stock'] : null
  const read = (code: string) => (run.keys === null || run.keys.includes(code)) && !options.miss?.includes(code)
  // A stock run writes the stock of items the CMS has; it never reads the others.
  for (const source of sourceItems(state).filter(
    (entry) => read(entry.code) && (run.entity !== 'stock' || state.cms.items.has(entry.code)),
  )) {
    counts.read++
    const note = (outcome: Outcome, reason: string | null = null) => {
      counts[outcome]++
      noteSyncRecord(state, run.entity, source.code, {at: now, outcome, reason, runId: run.runId})
    }
    if (options.fail?.includes(source.code)) {
      note('failed', options.failReason ?? 'the CMS could not write the record')
      continue
    }
    if (source.record.active !== true || (filters.onlyWebshopItems && source.record.webshop !== true)) {
      note(
        'skipped',
        source.record.active !== true ? 'inactive item' : 'not a webshop item while onlyWebshopItems is on',
      )
      continue
    }
    const previous = state.cms.items.get(source.code)
    const next =
      fields && previous
        ? {...previous, ...Object.fromEntries(fields.map((field) => [field, source.record[field]]))}
        : {...previous, ...source.record}
    if (
      previous &&
      JSON.stringify({...previous, erpModifiedAt: 0, syncedAt: 0}) ===
        JSON.stringify({...next, erpModifiedAt: 0, syncedAt: 0})
    ) {
      note('unchanged')
      continue
    }
    note(previous ? 'updated' : 'created')
    state.cms.items.set(source.code, {...next, erpModifiedAt: wholeSeconds(source.modifiedAt), syncedAt: now})
    publishItem(state, source.code, now, publish)
  }
  const recorded = recordRun(state, run, counts, {
    exportFile: state.exports ? exportFileOf(state.exports, 'items') : null,
    now,
  })
  if (options.runError) Object.assign(recorded, {error: options.runError, status: 'failed'})
}
