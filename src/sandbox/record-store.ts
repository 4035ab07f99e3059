import {compareKeys} from '../util/key-order.js'

type Json = Record<string, unknown>

/**
 * Where an emulated system's records come from, apart from how it answers them on the wire: the seeded
 * sandbox's records held in memory (`mapStore`, `arrayStore`), or the scale sandbox's generated from their
 * index on demand (`src/sandbox/scale/stores.ts`). The CMS, app backend, webshop and Business Central
 * emulators list and get their records through it, so both sandboxes serve through the same emulation.
 */
export interface RecordStore {
  /** The record with this key, or undefined when the store has none. */
  get(key: string): Json | undefined
  /**
   * At most `limit` records from `cursor` (null: from the first) in the store's order, and the cursor of the
   * page after it: null when no record follows. What a cursor is belongs to the store (a key, a position).
   */
  page(cursor: string | null, limit: number): {records: Json[]; next: string | null}
  /** How many records the store holds (a generated store counts them: time, not memory). */
  count(): number
}

/**
 * The records of a Map (read at each call: its owner may replace it) by their key, in key order (UTF-8 bytes, `compareKeys`): the cursor is the last key
 * of the page before, exclusive, as the platform contract's `after`.
 */
export function mapStore(recordsOf: () => Map<string, Json>): RecordStore {
  return {
    count: () => recordsOf().size,
    get: (key) => recordsOf().get(key),
    page(after, limit) {
      const records = recordsOf()
      const keys = [...records.keys()].sort(compareKeys)
      const start = after === null ? 0 : keys.findIndex((key) => compareKeys(key, after) > 0)
      const pageKeys = start < 0 ? [] : keys.slice(start, start + limit)
      const more = start >= 0 && start + limit < keys.length
      return {
        next: more ? (pageKeys[pageKeys.length - 1] ?? null) : null,
        records: pageKeys.map((key) => records.get(key) as Json),
      }
    },
  }
}

/** The entities of an array in its order: the cursor is the position of the first of the page (OData's `$skiptoken`). */
export function arrayStore(entities: Json[], keyField = 'number'): RecordStore {
  return {
    count: () => entities.length,
    get: (key) => entities.find((entity) => entity[keyField] === key),
    page(cursor, limit) {
      const skip = Number(cursor ?? 0) || 0
      return {
        next: skip + limit < entities.length ? String(skip + limit) : null,
        records: entities.slice(skip, skip + limit),
      }
    },
  }
}

/** Every record of a store that `keep` accepts, page by page (memory: the records kept, not the store). */
export function collect(store: RecordStore, keep: (record: Json) => boolean = () => true, most = Infinity): Json[] {
  const kept: Json[] = []
  let cursor: string | null = null
  do {
    const page = store.page(cursor, 1000)
    for (const record of page.records) {
      if (kept.length >= most) return kept
      if (keep(record)) kept.push(record)
    }
    cursor = page.next
  } while (cursor !== null)
  return kept
}

/**
 * The records of a store that `keep` accepts, in its order, read a page at a time as asked (memory: one page):
 * its cursor is the store's. A page may come short (even empty) before the last when few records match.
 */
export function filteredStore(store: RecordStore, keep: (record: Json) => boolean): RecordStore {
  return {
    count: () => collect(store, keep).length,
    get(key) {
      const record = store.get(key)
      return record && keep(record) ? record : undefined
    },
    page(cursor, limit) {
      const records: Json[] = []
      let at = cursor
      do {
        const page = store.page(at, limit - records.length)
        records.push(...page.records.filter(keep))
        at = page.next
      } while (at !== null && records.length < limit)
      return {next: at, records}
    },
  }
}
