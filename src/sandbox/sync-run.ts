import type {SourceCustomer} from '../emulation/erp-emulator.js'
import type {PlatformCustomerJson} from '../emulation/records.js'

type Json = Record<string, unknown>

/**
 * The CMS's customer and item runs, one for both sandboxes: a run reads a source (`SyncSource`: what the
 * CMS's connector reads of the ERP through its emulator, or of the export rows) and writes a target
 * (`SyncTarget`: the CMS's records of the entity, the outcomes of `/sync/records`, publishing, the run list).
 * The seeded sandbox's adapters are in `jobs.ts`, the scale sandbox's in `scale/sync.ts`.
 */

/** What a run reads of one record: its platform form (null: the source cannot read it, `problem` says why) and change time. */
export type SourceRead = Omit<SourceCustomer, 'record'> & {record: Json | null}

/** What a run reads: every record (keys null) or those of the keys, in the source's order, each once. */
export interface SyncSource {
  read(keys: string[] | null): Iterable<SourceRead>
}

/** Where a run of one entity writes. */
export interface SyncTarget {
  /** The installation's filters (`skipPrivateCustomers`, `skipBlockedCustomers`, `onlyWebshopItems`). */
  filters: Record<string, boolean>
  /** The CMS's record of the entity. */
  get(code: string): Json | undefined
  set(code: string, record: Json): void
  /** One record's outcome, as `/sync/records` answers it. */
  note(code: string, entry: {runId: string; at: string; outcome: string; reason: string | null}): void
  /** The CMS's record of `code` published to the app and the webshop. */
  publish(code: string, at: string, targets: {app: boolean; webshop: boolean}): void
  /** A `customers` run also writes each read customer's pricing profile: read once when the run starts. */
  pricing?(): (code: string, at: string, targets: {app: boolean; webshop: boolean}) => void
  /** Where the run read (`source`, `sourceFile`, `sourceFileModifiedAt` of the run). */
  runSource(): Json
  /** The finished run added to the CMS's runs. */
  record(run: Json): void
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

/** A sync run as the CMS starts it: its id, mode, keys (null: all), who asked and when it started. */
export interface RunStart {
  runId: string
  mode: string
  keys: string[] | null
  requestedBy: string
  startedAt: string
}

type Counts = {created: number; failed: number; read: number; skipped: number; unchanged: number; updated: number}
type Outcome = Exclude<keyof Counts, 'read'>

const noCounts = (): Counts => ({created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0})

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

/** The records of the source the run reads: the keys' (all when null), less those it misses. */
function* readBy(source: SyncSource, keys: string[] | null, miss: string[] | undefined): Iterable<SourceRead> {
  const wanted = keys === null ? null : new Set(keys)
  for (const entry of source.read(keys))
    if ((wanted === null || wanted.has(entry.code)) && !miss?.includes(entry.code)) yield entry
}

/**
 * A customer sync as the CMS runs it: read the ERP or its export (all customers, or the keys), honour the
 * filters, write the changed records, note each record's outcome, record the run, publish what changed.
 */
export function syncCustomers(source: SyncSource, target: SyncTarget, run: RunStart, options: SyncRunOptions): Json {
  const now = options.at ?? new Date().toISOString()
  const publish = options.publish ?? {app: true, webshop: true}
  const counts = noCounts()
  const entries = readBy(source, run.keys, options.miss)
  const pricing = target.pricing?.()
  for (const entry of entries) {
    counts.read++
    const {code} = entry
    const {outcome, reason, record} = customerOutcome(entry, target.get(code), target.filters, options)
    counts[outcome]++
    target.note(code, {at: now, outcome, reason, runId: run.runId})
    if (outcome !== 'failed' && outcome !== 'skipped') pricing?.(code, now, publish)
    if (!record) continue
    target.set(code, {...record, erpModifiedAt: wholeSeconds(entry.modifiedAt), origin: 'erp', syncedAt: now})
    target.publish(code, now, publish)
  }
  return recordRun(target, {...run, entity: 'customers'}, counts, now)
}

/** What the run does with one customer, and why; `record` (the CMS's form) when it writes it. */
function customerOutcome(
  entry: SourceRead,
  previous: Json | undefined,
  filters: Record<string, boolean>,
  options: SyncRunOptions,
): {outcome: Outcome; reason: string | null; record?: PlatformCustomerJson} {
  if (!entry.record || options.fail?.includes(entry.code))
    return {
      outcome: 'failed',
      reason: entry.record ? (options.failReason ?? 'the CMS could not write the record') : entry.problem,
    }
  const record = cmsForm(entry.record as unknown as PlatformCustomerJson)
  if (filters.skipPrivateCustomers && record.isPrivate)
    return {outcome: 'skipped', reason: 'private customer excluded by filter skipPrivateCustomers'}
  if (filters.skipBlockedCustomers && record.blocked)
    return {outcome: 'skipped', reason: 'blocked customer excluded by filter skipBlockedCustomers'}
  if (sameContent(previous, record)) return {outcome: 'unchanged', reason: null}
  return {outcome: previous ? 'updated' : 'created', reason: null, record}
}

/** The finished run in the CMS's list of runs: read from the export file, else from the ERP's API. */
function recordRun(target: SyncTarget, run: RunStart & {entity: string}, counts: Counts, now: string): Json {
  const syncRun = {
    counts,
    entity: run.entity,
    error: null,
    finishedAt: now,
    keys: run.keys,
    mode: run.mode,
    requestedBy: run.requestedBy,
    runId: run.runId,
    ...target.runSource(),
    startedAt: run.startedAt,
    status: 'succeeded',
  }
  target.record(syncRun)
  return syncRun
}

/**
 * An item, price or stock sync: copies the fields of that entity from the source, notes each item's outcome,
 * records a run, publishes. A stock run writes the stock of items the CMS has; it never reads the others.
 */
export function syncItems(
  source: SyncSource,
  target: SyncTarget,
  run: RunStart & {entity: string},
  options: SyncRunOptions,
): Json {
  const now = options.at ?? new Date().toISOString()
  const publish = options.publish ?? {app: true, webshop: true}
  const counts = noCounts()
  for (const entry of readBy(source, run.keys, options.miss)) {
    if (run.entity === 'stock' && target.get(entry.code) === undefined) continue
    counts.read++
    const outcome = itemOutcome(entry, target, run.entity, options)
    counts[outcome.outcome]++
    target.note(entry.code, {at: now, outcome: outcome.outcome, reason: outcome.reason, runId: run.runId})
    if (!outcome.record) continue
    target.set(entry.code, {...outcome.record, erpModifiedAt: wholeSeconds(entry.modifiedAt), syncedAt: now})
    target.publish(entry.code, now, publish)
  }
  const recorded = recordRun(target, run, counts, now)
  if (options.runError) Object.assign(recorded, {error: options.runError, status: 'failed'})
  return recorded
}

/** What the run does with one item, and why; `record` when it writes it (a prices or stock run: only its fields). */
function itemOutcome(
  entry: SourceRead,
  target: SyncTarget,
  entity: string,
  options: SyncRunOptions,
): {outcome: Outcome; reason: string | null; record?: Json} {
  const item = entry.record
  if (!item) return {outcome: 'failed', reason: entry.problem}
  if (options.fail?.includes(entry.code))
    return {outcome: 'failed', reason: options.failReason ?? 'the CMS could not write the record'}
  if (item.active !== true) return {outcome: 'skipped', reason: 'inactive item'}
  if (target.filters.onlyWebshopItems && item.webshop !== true)
    return {outcome: 'skipped', reason: 'not a webshop item while onlyWebshopItems is on'}
  const fields = entity === 'prices' ? ['price', 'currency'] : entity === 'stock' ? ['stock'] : null
  const previous = target.get(entry.code)
  const next =
    fields && previous
      ? {...previous, ...Object.fromEntries(fields.map((field) => [field, item[field]]))}
      : {...previous, ...item}
  const times = {erpModifiedAt: 0, syncedAt: 0}
  if (previous && JSON.stringify({...previous, ...times}) === JSON.stringify({...next, ...times}))
    return {outcome: 'unchanged', reason: null}
  return {outcome: previous ? 'updated' : 'created', reason: null, record: next}
}
