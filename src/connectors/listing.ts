import {compareKeys} from '../util/key-order.js'

/**
 * One record of a bulk listing (`reconcile`), as a connector read it from a page. A record the connector
 * could not read is that record's error, never the listing's: `value` is null and `error` says why, and
 * `key` is what the record's key field seemed to be (null when not even that could be read).
 */
export interface Listed<T> {
  key: string | null
  value: T | null
  error: string | null
}

/** A page of a listing of the platform, or an ERP, gave its records out of key order: the caller sorts instead. */
export class ListingOrderError extends Error {
  constructor(
    readonly system: string,
    readonly previousKey: string,
    readonly key: string,
  ) {
    super(`${system} listed "${key.slice(0, 60)}" after "${previousKey.slice(0, 60)}": not in key order`)
    this.name = 'ListingOrderError'
  }
}

/** The key field of a raw record, if it is a usable key (a string or a finite number). */
export function rawKey(raw: unknown, field: string): string | null {
  if (!raw || typeof raw !== 'object') return null
  const value = (raw as Record<string, unknown>)[field]
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

/**
 * Two listings of one API, each in key order, as one in key order (Fortnox's `filter=active` and
 * `filter=inactive`: the only way its lists tell which records are inactive). A record whose key could
 * not be read is given out as it comes. Not in key order (the caller sorts): one after the other.
 */
export async function* mergeListings<T>(
  first: AsyncIterable<Listed<T>>,
  second: AsyncIterable<Listed<T>>,
  ordered: boolean,
): AsyncGenerator<Listed<T>> {
  if (!ordered) {
    yield* first
    yield* second
    return
  }
  const left = first[Symbol.asyncIterator]()
  const right = second[Symbol.asyncIterator]()
  let a = await left.next()
  let b = await right.next()
  while (!a.done || !b.done) {
    const takeFirst =
      b.done ||
      (!a.done && (a.value.key === null || (b.value.key !== null && compareKeys(a.value.key, b.value.key) <= 0)))
    if (takeFirst && !a.done) {
      yield a.value
      a = await left.next()
    } else if (!b.done) {
      yield b.value
      b = await right.next()
    }
  }
}

/** Empty pages in a row that a listing follows: a list that keeps answering "more" with nothing in it is hostile, not long. */
const emptyPagesInARow = 100

/**
 * Counts a listing's empty pages in a row. An empty page is no end where the API says more follow, but a
 * server that says so without end would keep a reconcile running forever: past `emptyPagesInARow` the
 * listing is that hop's bad answer.
 */
export function emptyPageGuard(what: string, problem: (message: string) => Error): (entries: number) => void {
  let empty = 0
  return (entries) => {
    empty = entries === 0 ? empty + 1 : 0
    if (empty > emptyPagesInARow)
      throw problem(`${what} answered ${emptyPagesInARow} empty pages in a row, each saying more follow`)
  }
}
