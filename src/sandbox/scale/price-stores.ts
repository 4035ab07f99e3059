import {compareKeys} from '../../util/key-order.js'
import type {ListRows, PriceStores, PublishedPriceStores} from '../platform/price-backing.js'
import type {RecordStore} from '../record-store.js'
import {syncRecordsKey} from '../state.js'
import {iso} from './clock.js'
import type {ScaleModel} from './model.js'
import {reps} from './planted.js'
import {actionItem, ScalePrices} from './price-model.js'
import {standardLists} from './price-planted.js'

type Json = Record<string, unknown>
type Hop = 'cms' | 'app' | 'webshop'

const cache = new WeakMap<ScaleModel, ScalePrices>()

/** The model's prices, made once per installation (its `prices` run noted beside the others). */
export function scalePricesOf(model: ScaleModel): ScalePrices {
  let prices = cache.get(model)
  if (!prices) {
    prices = new ScalePrices(model)
    cache.set(model, prices)
    model.runs.push(priceRun(model, prices))
  }
  return prices
}

/** The last automatic `prices` run: it read every source row and skipped the planted ones. */
function priceRun(model: ScaleModel, prices: ScalePrices): Json {
  const ftp = model.id === 'scale-ftp'
  let read = prices.pricedCustomers
  let skipped = 0
  for (let index = 0; index < prices.rows; index++) {
    if (prices.source(index)) read++
    if (prices.skipReason(index) !== null) skipped++
  }
  return {
    counts: {created: 0, failed: 0, read, skipped, unchanged: read - skipped, updated: 0},
    entity: 'prices',
    error: null,
    finishedAt: iso(model.clock.syncEnd),
    keys: null,
    mode: 'auto',
    requestedBy: 'auto',
    runId: 'r-3',
    source: ftp ? 'ftp-file' : 'erp-api',
    sourceFile: ftp ? 'a4s/pricelists.csv' : null,
    sourceFileModifiedAt: ftp ? iso(model.clock.exportFileRead) : null,
    startedAt: iso(model.clock.syncStart),
    status: 'succeeded',
  }
}

/** Records at positions 0…size-1 in key order, each from its position on demand (null: none there). */
export function positionStore(options: {
  size: number
  keyOf: (position: number) => string
  positionOf: (key: string) => number | null
  view: (position: number) => Json | null
  cursor: 'after-key' | 'index'
}): RecordStore {
  const {size, keyOf, positionOf, view, cursor} = options
  const firstAfter = (after: string | null) => {
    if (after === null) return 0
    if (cursor === 'index') return Math.max(0, Number(after) || 0)
    return firstPositionAfter(size, keyOf, after)
  }
  return {
    count() {
      let count = 0
      for (let position = 0; position < size; position++) if (view(position)) count++
      return count
    },
    get(key) {
      const position = positionOf(key)
      return (position === null ? null : view(position)) ?? undefined
    },
    page(after, limit) {
      const records: Json[] = []
      let position = firstAfter(after)
      for (; position < size && records.length < limit; position++) {
        const record = view(position)
        if (record) records.push(record)
      }
      let more = false
      for (let ahead = position; ahead < size && !more; ahead++) more = view(ahead) !== null
      if (!more) return {next: null, records}
      return {next: cursor === 'after-key' ? keyOf(position - 1) : String(position), records}
    },
  }
}

/** The first position whose key sorts after `after` (the keys are in key order). */
function firstPositionAfter(size: number, keyOf: (position: number) => string, after: string): number {
  let low = 0
  let high = size
  while (low < high) {
    const middle = (low + high) >> 1
    if (compareKeys(keyOf(middle), after) <= 0) low = middle + 1
    else high = middle
  }
  return low
}

/** The codes of every list in key order: the action lists (`ACT-C…`), then the standard ones. */
export function listCodes(prices: ScalePrices): {
  size: number
  code: (p: number) => string
  of: (c: string) => number | null
} {
  const actions = prices.pricedCustomers
  return {
    code: (position) =>
      position < actions ? prices.pricedCustomer(position).list : (standardLists[position - actions] as string),
    of: (code) => {
      if (code.startsWith('ACT-')) return prices.pricedOf(code)
      const at = (standardLists as readonly string[]).indexOf(code)
      return at < 0 ? null : actions + at
    },
    size: actions + standardLists.length,
  }
}

/** One hop's rows of the lists: `get(rowsKey)` and the items of a list a page at a time. */
function hopRows<V>(
  prices: ScalePrices,
  view: (index: number) => Json | null,
  action: (n: number) => Json,
  wrap: (found: Json) => V,
): ListRows<V> {
  const found = (list: string, item: string): Json | null => {
    const n = list.startsWith('ACT-') ? prices.pricedOf(list) : null
    if (n !== null) return item === actionItem ? action(n) : null
    const index = prices.rowIndexOf(list, item)
    return index === null ? null : view(index)
  }
  return {
    get(key) {
      const [list, item] = key.split('\u0000') as [string, string]
      const record = found(list, item ?? '')
      return record ? wrap(record) : undefined
    },
    itemsOf(list, after, limit) {
      const listNumber = (standardLists as readonly string[]).indexOf(list)
      if (listNumber < 0) {
        const has = prices.pricedOf(list) !== null && (after === null || compareKeys(actionItem, after) > 0)
        return {items: has ? [actionItem] : [], next: null}
      }
      const store = positionStore({
        cursor: 'after-key',
        keyOf: (position) => String(prices.itemCodeAt(position)),
        positionOf: () => null,
        size: prices.listSize(listNumber),
        view: (position) => view(listNumber * prices.perList + position),
      })
      const page = store.page(after, limit)
      return {items: page.records.map((record) => String(record.itemCode)), next: page.next}
    },
  }
}

/** The platform's prices at every hop, generated: the CMS's lists and rows, what the app and webshop hold published. */
export function scalePriceStores(model: ScaleModel): PriceStores {
  const prices = scalePricesOf(model)
  const lists = listCodes(prices)
  const published = (hop: Exclude<Hop, 'cms'>): PublishedPriceStores => ({
    discountGroups: {get: () => undefined},
    pricing: {get: (code) => publishedPricing(model, prices, hop, code)},
    rows: hopRows(
      prices,
      (index) => prices[hop](index),
      (n) => prices.actionRow(n, hop),
      (entry) => entry,
    ),
  })
  return {
    app: published('app'),
    cms: {
      discountGroups: positionStore({
        cursor: 'after-key',
        keyOf: String,
        positionOf: () => null,
        size: 0,
        view: () => null,
      }),
      lists: positionStore({
        cursor: 'after-key',
        keyOf: lists.code,
        positionOf: lists.of,
        size: lists.size,
        view: (position) => listRecord(model, lists.code(position)),
      }),
      pricing: {get: (code) => prices.pricing(code)},
      rows: hopRows(
        prices,
        (index) => prices.cms(index),
        (n) => prices.actionRow(n, 'cms'),
        (row) => [row],
      ),
    },
    webshop: published('webshop'),
  }
}

/** A list as the CMS holds it. */
function listRecord(model: ScaleModel, code: string): Json {
  const action = code.startsWith('ACT-')
  return {
    priceListCode: code,
    description: action ? `Campaign of ${code.slice(4)}` : `Scale list ${code}`,
    kind: action ? 'action' : 'standard',
    currency: 'SEK',
    pricesIncludeVat: false,
    active: true,
    origin: 'erp',
    erpModifiedAt: iso(model.clock.oldChange),
    syncedAt: iso(model.clock.cmsWritten),
  }
}

/**
 * A priced customer's profile as published with it (the others: none, their published record's list): when the
 * customer was published, to the users of its sales rep (a priced customer is of no customer class: its
 * published record is the generated one unless a job wrote it).
 */
function publishedPricing(
  model: ScaleModel,
  prices: ScalePrices,
  hop: 'app' | 'webshop',
  code: string,
): Json | undefined {
  const profile = prices.pricing(code)
  const written = model.written[hop].get(code)
  if (!profile || written === null) return undefined
  const {erpModifiedAt: _e, syncedAt: _s, ...record} = profile
  const index = prices.pricedCustomer(prices.pricedOf(code) as number).index
  const publishedAt = written ? written.publishedAt : iso(model.clock.published)
  const users = written ? (written.visibleToUserIds ?? []) : [`u-${(index % reps) + 1}`]
  return {customerCode: code, publishedAt, record, ...(hop === 'app' ? {visibleToUserIds: users} : {})}
}

/** `/sync/records` of the scale CMS: what its runs noted (`model.syncRecords`), else the last `prices` run's skipped rows with their reason. */
export function scaleSyncRecords(model: ScaleModel): Map<string, Json[]> {
  const prices = scalePricesOf(model)
  const prefix = syncRecordsKey('prices', '')
  const at = iso(model.clock.syncEnd)
  return new (class extends Map<string, Json[]> {
    override get(key: string): Json[] | undefined {
      const noted = model.syncRecords.get(key) ?? super.get(key)
      if (noted !== undefined || !key.startsWith(prefix)) return noted
      const [list, item] = key.slice(prefix.length).split('\u0000')
      const index = list && item ? prices.rowIndexOf(list, item) : null
      const reason = index === null ? null : prices.skipReason(index)
      if (reason === null || prices.source(index as number)?.row.itemCode !== item) return undefined
      return [{at, outcome: 'skipped', reason, runId: 'r-3'}]
    }
  })()
}
