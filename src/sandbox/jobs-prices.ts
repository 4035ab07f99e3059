import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import type {SourcePrices} from '../emulation/erp-emulator.js'
import {exportSourcePrices} from './export-prices.js'
import {publishItem, type SyncRunOptions} from './jobs.js'
import {byRowOrder, itemsOfList, type PriceState, pricesOf, rowsKey, sameApartFromTimes} from './price-state.js'
import {publishGroup, publishRows} from './publish-prices.js'
import {sourceItems} from './source-records.js'
import {type ExportsState, type InstallationState, noteSyncRecord} from './state.js'

type Json = Record<string, unknown>
type Counts = {created: number; failed: number; read: number; skipped: number; unchanged: number; updated: number}
type Outcome = Exclude<keyof Counts, 'read'>
type Targets = {app: boolean; webshop: boolean}

/** A `prices` run as the CMS starts it: its id, mode, keys (price-list codes; null: every list), who asked, when. */
export interface PriceRunStart {
  runId: string
  mode: string
  keys: string[] | null
  requestedBy: string
  startedAt: string
}

/**
 * The price export an FTP installation's run reads: the name its settings give, else the layout's price file
 * (the one the file server holds: `pricelists.csv`, Winbas `_pricelists.xml`, Monitor `pricelists.xml`).
 */
export function priceFileOf(exports: ExportsState): string {
  const named = (exports.fileNames as Record<string, string> | undefined)?.prices
  if (named) return named
  return ftpLayoutFor(exports.layout, null).prices.priceListFiles[0] ?? 'pricelists.csv'
}

/** The CMS keeps a change time truncated to whole seconds (null when the source has none). */
const wholeSeconds = (value: unknown): string | null =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value))
    ? new Date(Math.floor(Date.parse(value) / 1000) * 1000).toISOString()
    : null

/**
 * What the run reads: the ERP's prices through its connector, or the export file. An ERP whose connector reads
 * no prices (an emulator without `sourcePrices`, Business Central's standard API) gives none and deactivates
 * nothing; a missing or empty export fails the run and changes nothing (ftp-layouts, "How the CMS reads pricelists.csv").
 */
function readPrices(
  state: InstallationState,
  at: string,
): {
  source: SourcePrices | null
  file: string | null
  error: string | null
} {
  if (state.erp) {
    const {emulator, state: erpState} = state.erp
    return {error: null, file: null, source: emulator.sourcePrices ? emulator.sourcePrices(erpState) : null}
  }
  const allowEmptyPriceFile = (state.installation as {allowEmptyPriceFile?: boolean}).allowEmptyPriceFile === true
  const read = exportSourcePrices(state, {allowEmptyPriceFile, at})
  if ('failure' in read)
    return {error: read.failure, file: state.exports ? priceFileOf(state.exports) : null, source: null}
  return {error: null, file: read.sourceFile, source: read}
}

/**
 * A `prices` run: re-reads the named price lists whole (every list: `full`), writes each list, its rows (item by
 * item, noting each item's outcome under the list) and, in a full run, the discount groups and the items' base
 * prices; a list the source no longer has is deactivated (no rows); skipped rows are noted with their reason.
 */
export function runPriceSync(state: InstallationState, run: PriceRunStart, options: SyncRunOptions = {}): Json {
  const now = options.at ?? new Date().toISOString()
  const publish = options.publish ?? {app: true, webshop: true}
  const counts: Counts = {created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0}
  const read = readPrices(state, now)
  const prices = pricesOf(state)
  const source = read.source
  if (source) {
    const scope = run.keys ?? [...new Set([...source.lists.map((l) => l.priceListCode), ...prices.cms.lists.keys()])]
    const note = (key: string, outcome: Outcome, reason: string | null = null) =>
      noteSyncRecord(state, 'prices', key, {at: now, outcome, reason, runId: run.runId})
    const where = state.erp ? 'ERP' : 'export'
    for (const code of scope) {
      const list = source.lists.find((entry) => entry.priceListCode === code)
      if (!list) deactivate(state, prices, code, {counts, note, now, publish, where})
      else writeList(state, prices, list, source, {counts, note, now, publish})
    }
    for (const skipped of source.skipped.filter((entry) => scope.includes(entry.priceListCode))) {
      counts.read++
      counts.skipped++
      note(rowsKey(skipped.priceListCode, skipped.itemCode), 'skipped', skipped.reason)
    }
    if (run.keys === null) writeGroupsAndBasePrices(state, prices, source, now, publish)
  }
  return recordPriceRun(state, run, counts, {error: read.error ?? options.runError ?? null, file: read.file, now})
}

interface Writing {
  counts: Counts
  note: (key: string, outcome: Outcome, reason?: string | null) => void
  now: string
  publish: Targets
}

/** A list the source no longer has: inactive, without rows (counted `updated`); unknown to the CMS too: skipped. */
function deactivate(
  state: InstallationState,
  prices: PriceState,
  code: string,
  writing: Writing & {where: string},
): void {
  const held = prices.cms.lists.get(code)
  if (!held) {
    writing.counts.skipped++
    writing.note(code, 'skipped', `price list ${code} not in ${writing.where}`)
    return
  }
  for (const item of itemsOfList(prices.cms.rows, code)) {
    prices.cms.rows.delete(rowsKey(code, item))
    publishRows(state, code, item, writing.now, writing.publish)
  }
  if (held.active === false) return
  prices.cms.lists.set(code, {...held, active: false, syncedAt: writing.now})
  writing.counts.updated++
  writing.note(code, 'updated', `price list ${code} not in ${writing.where}: deactivated`)
}

/** Writes one list and every item's rows on it as the source has them. */
function writeList(
  state: InstallationState,
  prices: PriceState,
  list: SourcePrices['lists'][number],
  source: SourcePrices,
  writing: Writing,
): void {
  const code = list.priceListCode
  const {modifiedAt, ...fields} = list
  const held = prices.cms.lists.get(code)
  const next = {...fields, active: true, erpModifiedAt: wholeSeconds(modifiedAt), origin: 'erp', syncedAt: writing.now}
  const listOutcome: Outcome = !held ? 'created' : sameApartFromTimes(held, next) ? 'unchanged' : 'updated'
  if (listOutcome !== 'unchanged') prices.cms.lists.set(code, next)
  writing.note(code, listOutcome)
  const rows = source.rows.filter((row) => row.priceListCode === code)
  const items = new Set([...rows.map((row) => row.itemCode), ...itemsOfList(prices.cms.rows, code)])
  for (const item of items) {
    const key = rowsKey(code, item)
    const fresh = rows
      .filter((row) => row.itemCode === item)
      .map(
        ({modifiedAt: rowTime, ...row}): Json => ({
          ...row,
          erpModifiedAt: wholeSeconds(rowTime),
          syncedAt: writing.now,
        }),
      )
      .sort(byRowOrder)
    const previous = prices.cms.rows.get(key) ?? []
    const outcome = rowOutcomes(previous, fresh, writing.counts)
    writing.note(key, outcome)
    if (outcome === 'unchanged') continue
    if (fresh.length === 0) prices.cms.rows.delete(key)
    else prices.cms.rows.set(key, fresh)
    publishRows(state, code, item, writing.now, writing.publish)
  }
}

const rowKeyOf = (row: Json) =>
  JSON.stringify([row.unit, row.currency, row.fromQuantity, row.validFrom ?? null].map((part) => String(part ?? '')))

/** Counts each row read (created, updated, unchanged; a row gone from the source: updated); the item's outcome. */
function rowOutcomes(previous: Json[], fresh: Json[], counts: Counts): Outcome {
  let changed = false
  for (const row of fresh) {
    counts.read++
    const held = previous.find((old) => rowKeyOf(old) === rowKeyOf(row))
    const outcome: Outcome = !held ? 'created' : sameApartFromTimes(held, row) ? 'unchanged' : 'updated'
    counts[outcome]++
    changed ||= outcome !== 'unchanged'
  }
  const gone = previous.filter((old) => !fresh.some((row) => rowKeyOf(row) === rowKeyOf(old))).length
  counts.updated += gone
  if (previous.length === 0) return fresh.length > 0 ? 'created' : 'unchanged'
  return changed || gone > 0 ? 'updated' : 'unchanged'
}

/**
 * A full run also writes the discount groups, and the base price of each item the CMS holds (the item's `price`
 * and `currency`, which a `prices` run has always carried: the item trace counts a full `prices` run as covering them).
 */
function writeGroupsAndBasePrices(
  state: InstallationState,
  prices: PriceState,
  source: SourcePrices,
  now: string,
  publish: Targets,
): void {
  for (const {modifiedAt, ...group} of source.discountGroups) {
    const held = prices.cms.discountGroups.get(group.discountGroupCode)
    const next = {...group, erpModifiedAt: wholeSeconds(modifiedAt), syncedAt: now}
    if (sameApartFromTimes(held, next)) continue
    prices.cms.discountGroups.set(group.discountGroupCode, next)
    publishGroup(state, group.discountGroupCode, now, publish)
  }
  for (const item of sourceItems(state)) {
    const held = state.cms.items.get(item.code)
    if (!held || (held.price === item.record.price && held.currency === item.record.currency)) continue
    state.cms.items.set(item.code, {...held, currency: item.record.currency, price: item.record.price, syncedAt: now})
    publishItem(state, item.code, now, publish)
  }
}

function recordPriceRun(
  state: InstallationState,
  run: PriceRunStart,
  counts: Counts,
  at: {now: string; file: string | null; error: string | null},
): Json {
  const syncRun = {
    counts,
    entity: 'prices',
    error: at.error,
    finishedAt: at.now,
    keys: run.keys,
    mode: run.mode,
    requestedBy: run.requestedBy,
    runId: run.runId,
    source: at.file ? 'ftp-file' : 'erp-api',
    sourceFile: at.file,
    sourceFileModifiedAt: at.file ? (state.exports?.files[at.file]?.modified ?? null) : null,
    startedAt: run.startedAt,
    status: at.error ? 'failed' : 'succeeded',
  }
  state.cms.runs.unshift(syncRun)
  return syncRun
}
