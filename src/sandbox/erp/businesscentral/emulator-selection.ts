import {parseFilter} from '../../../emulation/odata-filter.js'
import type {SandboxRequest} from '../../../emulation/service.js'
import {arrayStore, collect, filteredStore, type RecordStore} from '../../record-store.js'

type Json = Record<string, unknown>

/**
 * A collection's entities: held in memory in the order they were written (the seeded sandbox's), or a
 * record store in the order of `keyField` (the scale sandbox's, generated on demand).
 */
export type Collection = Json[] | {store: RecordStore; keyField: string}

/** The keys of a filter that is only `field eq '…'` joined with `or`, in key order; null for any other filter. */
function keyEqualities(filter: string, field: string): string[] | null {
  const term = new RegExp(`\\s*${field}\\s+eq\\s+'((?:[^']|'')*)'\\s*(or\\s|$)`, 'y')
  const keys = new Set<string>()
  let at = 0
  while (at < filter.length) {
    term.lastIndex = at
    const found = term.exec(filter)
    if (!found) return null
    keys.add((found[1] as string).replace(/''/g, "'"))
    at = term.lastIndex
    if (!found[2]) break
  }
  return at === filter.length && keys.size > 0 ? [...keys].sort() : null
}

/** Business Central's sort for `$orderby` (its collation; for the sandbox's codes, the code's character order). */
function sortedBy(entities: Json[], orderBy: string): Json[] {
  const field = orderBy.trim().split(/\s+/)[0] as string
  return [...entities].sort((a, b) =>
    String(a[field] ?? '') < String(b[field] ?? '') ? -1 : String(a[field] ?? '') > String(b[field] ?? '') ? 1 : 0,
  )
}

/** `$filter`, `$orderby`, `$top` over entities held in memory: a store of what is left, paged by position. */
function selectHeld(request: SandboxRequest, entities: Json[]): RecordStore {
  let selected = entities
  const filter = request.query.get('$filter')
  if (filter) selected = selected.filter(parseFilter(filter))
  const orderBy = request.query.get('$orderby')
  if (orderBy) selected = sortedBy(selected, orderBy)
  const top = request.query.get('$top')
  if (top !== null) selected = selected.slice(0, Math.max(0, Number(top) || 0))
  return arrayStore(selected)
}

/**
 * The same over a record store without holding it: a filter on the key looks the keys up, any other filter
 * reads the store page by page keeping what matches; the store is already in its key's order.
 */
function selectStored(request: SandboxRequest, store: RecordStore, keyField: string): RecordStore {
  const filter = request.query.get('$filter')
  const orderBy = request.query.get('$orderby')
  const top = request.query.get('$top')
  const field = orderBy?.trim().split(/\s+/)[0]
  if (!filter && (!orderBy || field === keyField) && top === null) return store
  // A filter alone (no order, no top): the store read as it is paged, only the matching kept.
  if (filter && !orderBy && top === null && !keyEqualities(filter, keyField))
    return filteredStore(store, parseFilter(filter))
  let selected: Json[]
  if (filter) {
    const predicate = parseFilter(filter)
    const keys = keyEqualities(filter, keyField)
    selected = keys
      ? keys.map((key) => store.get(key)).filter((entity): entity is Json => entity !== undefined && predicate(entity))
      : collect(store, predicate)
  } else selected = collect(store, () => true, orderBy && field !== keyField ? Infinity : Math.max(0, Number(top) || 0))
  if (orderBy && field !== keyField) selected = sortedBy(selected, orderBy)
  if (top !== null) selected = selected.slice(0, Math.max(0, Number(top) || 0))
  return arrayStore(selected)
}

/** The entities a request selects (`$filter`, `$orderby`, `$top`), as a store its pages are read from (`$skiptoken` its cursor). */
export function selectEntities(request: SandboxRequest, collection: Collection): RecordStore {
  return Array.isArray(collection)
    ? selectHeld(request, collection)
    : selectStored(request, collection.store, collection.keyField)
}
