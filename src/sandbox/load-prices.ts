import type {EmulatedPrices} from '../emulation/erp-emulator.js'
import type {
  PlatformDiscountGroupJson,
  PlatformPriceListJson,
  PlatformPriceRowJson,
  PlatformPricingJson,
} from '../emulation/records.js'
import {byRowOrder, pricesOf, rowsKey} from './price-state.js'
import type {SeedPriceHops, SeedPrices} from './seed.js'
import {type InstallationState, syncRecordsKey} from './state.js'

type Json = Record<string, unknown>
type At = (expression: string | null | undefined) => string | null

const hopFields = ['erp', 'cms', 'app', 'webshop']
const recordOf = <T>(entry: T): Json =>
  Object.fromEntries(Object.entries(entry as Json).filter(([key]) => !hopFields.includes(key)))
const withoutTimes = ({erpModifiedAt: _e, syncedAt: _s, ...rest}: Json): Json => rest

function pricingRecord(entry: SeedPrices['pricing'][number]): Json {
  const listCode = entry.priceListCode ?? null
  return {
    actionPriceListCode: entry.actionPriceListCode ?? null,
    currency: entry.currency ?? null,
    customerCode: entry.customerCode,
    discountGroupCode: entry.discountGroupCode ?? null,
    discountPercent: entry.discountPercent ?? 0,
    effectivePriceListCode: listCode,
    hidePrices: entry.hidePrices ?? false,
    priceListCode: listCode,
  }
}

/** Every seeded price into the systems that hold it: the ERP (or its export), the CMS, the app, the webshop. */
export function loadPrices(state: InstallationState, seed: SeedPrices | undefined, at: At): void {
  if (!seed) return
  state.scenarios.push(...seed.scenarios.map(({code, situation}) => ({code, situation})))
  for (const run of seed.runs ?? [])
    state.cms.runs.push({
      counts: run.counts,
      entity: 'prices',
      error: null,
      finishedAt: at(run.finished),
      keys: run.keys,
      mode: run.keys ? 'targeted' : 'full',
      requestedBy: run.keys ? 'admin@platform.example' : 'auto',
      runId: run.runId,
      source: state.exports ? 'ftp-file' : 'erp-api',
      sourceFile: null,
      sourceFileModifiedAt: null,
      startedAt: at(run.started),
      status: 'succeeded',
    })
  putSource(state, seed, at)
  putCms(state, seed, at)
  putPublished(state, seed, at, 'app')
  putPublished(state, seed, at, 'webshop')
  for (const entry of seed.syncRecords ?? []) {
    const key = entry.itemCode ? rowsKey(entry.priceListCode, entry.itemCode) : entry.priceListCode
    const recordsKey = syncRecordsKey('prices', key)
    const note = {at: at(entry.at), outcome: entry.outcome, reason: entry.reason ?? null, runId: entry.runId}
    state.cms.records.set(recordsKey, [...(state.cms.records.get(recordsKey) ?? []), note])
  }
}

/** What the ERP holds (through its emulator's `putPrices`; an emulator without it holds none) or exports. */
function putSource(state: InstallationState, seed: SeedPrices, at: At): void {
  const inSource = <T extends SeedPriceHops>(entries: T[] | undefined) =>
    (entries ?? [])
      .filter((entry) => entry.erp !== null)
      .map((entry) => ({
        modifiedAt: at(entry.erp?.modifiedAt ?? seed.times.erpModifiedAt) as string,
        record: {...recordOf(entry), ...(entry.erp?.changes ?? {})},
      }))
  const prices: EmulatedPrices = {
    discountGroups: inSource(seed.discountGroups).map(({modifiedAt, record}) => ({
      ...(record as unknown as PlatformDiscountGroupJson),
      modifiedAt,
    })),
    lists: inSource(seed.lists).map(({record}) => ({...(record as unknown as PlatformPriceListJson), active: true})),
    pricing: (seed.pricing ?? [])
      .filter((entry) => entry.erp !== null)
      .map((entry) => {
        const record = {...pricingRecord(entry), ...(entry.erp?.changes ?? {})}
        const modifiedAt = at(entry.erp?.modifiedAt ?? seed.times.erpModifiedAt) as string
        return {...(record as unknown as PlatformPricingJson), effectivePriceListCode: record.priceListCode, modifiedAt}
      }) as EmulatedPrices['pricing'],
    rows: inSource(seed.rows).map(({modifiedAt, record}) => ({
      ...(record as unknown as PlatformPriceRowJson),
      modifiedAt,
    })),
  }
  if (state.exports) state.exports.prices = prices
  else if (state.erp?.emulator.putPrices) state.erp.emulator.putPrices(state.erp.state, prices)
}

/** The source's time of the version the CMS holds: the seed's, else the source's when not after the CMS's write (none from Fortnox). */
function heldTime(state: InstallationState, seed: SeedPrices, entry: SeedPriceHops, syncedAt: string | null, at: At) {
  if (entry.cms?.erpModifiedAt !== undefined) return at(entry.cms.erpModifiedAt)
  if (entry.erp === null || state.erp?.emulator.noChangeTimes) return null
  const source = at(entry.erp?.modifiedAt ?? seed.times.erpModifiedAt)
  return source && syncedAt && Date.parse(source) <= Date.parse(syncedAt) ? source : null
}

function putCms(state: InstallationState, seed: SeedPrices, at: At): void {
  const {cms} = pricesOf(state)
  const times = (entry: SeedPriceHops) => {
    const syncedAt = at(entry.cms?.syncedAt ?? seed.times.syncedAt)
    return {erpModifiedAt: heldTime(state, seed, entry, syncedAt, at), syncedAt}
  }
  for (const entry of seed.lists.filter((list) => list.cms !== null))
    cms.lists.set(entry.priceListCode, {
      ...recordOf(entry),
      active: entry.cms?.active ?? true,
      origin: 'erp',
      ...times(entry),
    })
  for (const entry of seed.rows.filter((row) => row.cms !== null)) {
    const key = rowsKey(entry.priceListCode, entry.itemCode)
    const rows = [...(cms.rows.get(key) ?? []), {...recordOf(entry), ...times(entry)}]
    cms.rows.set(key, rows.sort(byRowOrder))
  }
  for (const entry of (seed.discountGroups ?? []).filter((group) => group.cms !== null))
    cms.discountGroups.set(entry.discountGroupCode, {...recordOf(entry), ...times(entry)})
  for (const entry of seed.pricing.filter((pricing) => pricing.cms !== null)) {
    const effective = entry.cms?.effectivePriceListCode
    if (effective) cms.deduplicated.set(entry.customerCode, effective)
    const record = {...pricingRecord(entry), ...(effective ? {effectivePriceListCode: effective} : {})}
    // Written by the customers run with the customer: the customer's write time unless the seed says otherwise.
    const customerSyncedAt = state.cms.customers.get(entry.customerCode)?.syncedAt as string | undefined
    const syncedAt = (entry.cms?.syncedAt ? null : customerSyncedAt) ?? at(entry.cms?.syncedAt ?? seed.times.syncedAt)
    const erpModifiedAt = heldTime(state, seed, entry, syncedAt, at)
    cms.pricing.set(entry.customerCode, {...record, erpModifiedAt, syncedAt})
  }
}

/** What the app backend or the webshop was published: the CMS's version unless the seed gives that hop's `changes`. */
function putPublished(state: InstallationState, seed: SeedPrices, at: At, hop: 'app' | 'webshop'): void {
  const prices = pricesOf(state)
  const published = prices[hop]
  const when = (entry: SeedPriceHops) =>
    at(entry[hop]?.publishedAt ?? (hop === 'app' ? seed.times.appPublishedAt : seed.times.webshopPublishedAt))
  const held = (entry: SeedPriceHops) => entry.cms !== null && entry[hop] !== null
  for (const entry of seed.rows.filter(held)) {
    const key = rowsKey(entry.priceListCode, entry.itemCode)
    const previous = published.rows.get(key) as {record: {prices: Json[]}} | undefined
    const row = {...recordOf(entry), ...(entry[hop]?.changes ?? {})}
    const rows = [...(previous?.record.prices ?? []), row].sort(byRowOrder)
    const publishedAt = (previous as Json | undefined)?.publishedAt ?? when(entry)
    const {priceListCode, itemCode} = entry
    published.rows.set(key, {itemCode, priceListCode, publishedAt, record: {prices: rows}})
  }
  for (const entry of (seed.discountGroups ?? []).filter(held)) {
    const record = {...recordOf(entry), ...(entry[hop]?.changes ?? {})}
    published.discountGroups.set(entry.discountGroupCode, {
      discountGroupCode: entry.discountGroupCode,
      publishedAt: when(entry),
      record,
    })
  }
  const customers = hop === 'app' ? state.app.customers : state.webshop.customers
  for (const entry of seed.pricing.filter(held)) {
    const customer = customers.get(entry.customerCode)
    if (!customer) continue
    const cms = prices.cms.pricing.get(entry.customerCode) ?? {}
    const record = {...withoutTimes(cms), ...(entry[hop]?.changes ?? {})}
    published.pricing.set(entry.customerCode, {
      customerCode: entry.customerCode,
      publishedAt: entry[hop]?.publishedAt ? when(entry) : customer.publishedAt,
      record,
      ...(hop === 'app' ? {visibleToUserIds: customer.visibleToUserIds ?? []} : {}),
    })
  }
}
