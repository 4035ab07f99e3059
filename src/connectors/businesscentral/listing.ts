import {z} from 'zod'

import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {compareKeys} from '../../util/key-order.js'
import type {ErpCustomerRecord, ErpItemRecord, ErpListing} from '../erp.js'
import {emptyPageGuard, type Listed, ListingOrderError, rawKey} from '../listing.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {odataEquals, odataQuery} from '../odata.js'

/**
 * Business Central's collections read in full for `reconcile`: `$orderby` on the key, pages as large as the
 * server allows (`Prefer: odata.maxpagesize`), `@odata.nextLink` followed only on the same origin. BC sorts
 * by its own collation, which need not be UTF-8 byte order: the order is checked on the way, and once it
 * was wrong the connector stops claiming it (and joins ship-to addresses per batch of customers instead of
 * by a sorted merge).
 */

const system = 'Business Central'
/** Entities per page asked for; BC's own maximum is 20 000. */
const pageSize = 5000
/** Customers whose ship-to addresses are asked for in one filtered request when the order cannot be trusted. */
const shipToBatch = 40

const looseCollection = z.looseObject({'@odata.nextLink': z.string().nullish(), value: z.array(z.unknown())})

export interface Paging {
  http: HttpClient
  /** The bearer token; given a refused one, a new one. */
  token: (refused?: string) => Promise<string>
  describeError: (status: number, body: unknown) => string | undefined
  sameOrigin: (next: string, current: string) => string
  state: {byteOrder: boolean}
}

/**
 * Every page of a collection, to the one without `@odata.nextLink`; the next one is asked for while the
 * caller works through the current one.
 */
export async function* pages(options: Paging, firstUrl: string): AsyncGenerator<unknown[]> {
  let token = await options.token()
  const request = (url: string): Promise<HttpResponse> =>
    options.http.requestJson({
      describeError: options.describeError,
      headers: {authorization: `Bearer ${token}`, prefer: `odata.maxpagesize=${pageSize}`},
      url,
    })
  const fetchPage = async (url: string): Promise<{nextUrl: string | undefined; value: unknown[]}> => {
    const response: HttpResponse = await request(url).catch(async (error: unknown) => {
      // A refused token (revoked since it was kept) is renewed once.
      if (!(error instanceof RequestProblem && error.problem.httpStatus === 401)) throw error
      const renewed = await options.token(token)
      if (renewed === token) throw error
      token = renewed
      return request(url)
    })
    const body: z.output<typeof looseCollection> = parseAnswer(looseCollection, response.body, system, 'the collection')
    // Only a missing @odata.nextLink ends the collection: a short or even empty page with one does not.
    const next: string | null | undefined = body['@odata.nextLink']
    const nextUrl = typeof next === 'string' ? options.sameOrigin(next, url) : undefined
    if (nextUrl === url)
      throw new RequestProblem({
        kind: 'bad-response',
        message: `${system}: the @odata.nextLink points at the page it came with`,
      })
    return {nextUrl, value: body.value}
  }
  const countEmpty = emptyPageGuard(
    `${system}: the collection`,
    (message) => new RequestProblem({kind: 'bad-response', message}),
  )
  let pending: Promise<{nextUrl: string | undefined; value: unknown[]}> | null = fetchPage(firstUrl)
  const quiet = (promise: Promise<unknown>) => promise.catch(() => undefined)
  try {
    while (pending) {
      const page: {nextUrl: string | undefined; value: unknown[]} = await pending
      const {nextUrl, value} = page
      countEmpty(value.length)
      pending = nextUrl ? fetchPage(nextUrl) : null
      if (pending) void quiet(pending)
      yield value
    }
  } finally {
    if (pending) void quiet(pending)
  }
}

async function* entities(
  options: Paging,
  firstUrl: string,
  keyField: string,
): AsyncGenerator<{key: string | null; raw: unknown}> {
  for await (const page of pages(options, firstUrl)) for (const raw of page) yield {key: rawKey(raw, keyField), raw}
}

/** Checks that keys come in UTF-8 byte order; on the first that does not, the connector stops claiming it. */
function orderCheck(options: Paging, what: string): (key: string | null) => void {
  let previous: string | null = null
  return (key) => {
    if (key === null) return
    if (previous !== null && compareKeys(previous, key) > 0) {
      options.state.byteOrder = false
      throw new ListingOrderError(`${system} ${what}`, previous, key)
    }
    previous = key
  }
}

function problemText(error: unknown): string {
  return error instanceof RequestProblem ? error.problem.message : String((error as Error).message ?? error)
}

/** One listed entity: the record its converter makes of it, or (not a JSON object, a field of the wrong kind) its error. */
function listed<T>(raw: unknown, key: string | null, what: string, convert: (raw: JsonObject) => T): Listed<T> {
  try {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new RequestProblem({
        kind: 'bad-response',
        message: `${system}: malformed answer, a listed ${what} is not a JSON object`,
      })
    return {error: null, key, value: convert(raw as JsonObject)}
  } catch (error) {
    return {error: problemText(error), key, value: null}
  }
}

type CustomerPaging = Paging & {
  customersUrl: string
  shipTosUrl: string
  shipToFallback: (error: unknown) => null
  toRecord: (raw: JsonObject, shipTos: JsonObject[] | null) => ErpCustomerRecord
}

function customerRecord(
  options: CustomerPaging,
  raw: unknown,
  key: string | null,
  shipTos: JsonObject[] | null,
): Listed<ErpCustomerRecord> {
  return listed(raw, key, 'customer', (object) => options.toRecord(object, shipTos))
}

export function listCustomerRecords(options: CustomerPaging): ErpListing<ErpCustomerRecord> {
  const ordered = options.state.byteOrder
  const batches = (): AsyncIterable<Array<Listed<ErpCustomerRecord>>> =>
    ordered ? customersMergedWithShipTos(options) : customersWithShipTosPerBatch(options)
  return {batches: batches(), entries: flatten(batches()), ordered, records: onlyValues(flatten(batches()))}
}

/** The ship-to addresses sorted by customer number, read alongside the customers, a page at a time. */
class ShipToCursor {
  private readonly pages: AsyncIterator<unknown[]>
  private readonly checkOrder: (key: string | null) => void
  /** False once the route turned out to be missing: no ship-tos at all. */
  extension = true
  private page: unknown[] = []
  private position = 0
  private checkedPosition = -1
  private exhausted = false

  constructor(private readonly options: CustomerPaging) {
    this.pages = pages(options, `${options.shipTosUrl}?${odataQuery({$orderby: 'customerNumber'})}`)[
      Symbol.asyncIterator
    ]()
    this.checkOrder = orderCheck(options, 'ship-to addresses')
  }

  /** The next ship-to (its page fetched when needed); undefined at the end, or always when there is no ship-to route. */
  private async head(): Promise<{key: string | null; raw: unknown} | undefined> {
    while (this.extension && !this.exhausted && this.position >= this.page.length) {
      try {
        const next = await this.pages.next()
        if (next.done) this.exhausted = true
        else {
          this.page = next.value
          this.position = 0
        }
      } catch (error) {
        // A Business Central without the platform's extension has no ship-to route (404): no ship-tos at all.
        if (this.options.shipToFallback(error) === null) {
          this.extension = false
          return undefined
        }
        throw error
      }
    }
    if (!this.extension || this.position >= this.page.length) return undefined
    const raw = this.page[this.position]
    return {key: rawKey(raw, 'customerNumber'), raw}
  }

  /**
   * The ship-tos of one customer: every one up to its key is taken (those of a smaller key, with no such
   * customer, skipped). A customer without a key gets none; the next ship-to is still looked at.
   */
  async takeFor(key: string | null): Promise<JsonObject[]> {
    const own: JsonObject[] = []
    for (;;) {
      const next = await this.head()
      if (!next || key === null) return own
      // Each ship-to's key is checked once, however often it is looked at.
      if (this.checkedPosition !== this.position) {
        this.checkOrder(next.key)
        this.checkedPosition = this.position
      }
      if (next.key !== null && compareKeys(next.key, key) > 0) return own
      if (next.key === key && next.raw && typeof next.raw === 'object') own.push(next.raw as JsonObject)
      this.position++
      this.checkedPosition = -1
    }
  }
}

/** Both collections sorted by the customer number: one pass over each, joined like a sorted merge, a page at a time. */
async function* customersMergedWithShipTos(options: CustomerPaging): AsyncGenerator<Array<Listed<ErpCustomerRecord>>> {
  const shipTos = new ShipToCursor(options)
  const checkCustomer = orderCheck(options, 'customers')
  for await (const page of pages(options, `${options.customersUrl}?${odataQuery({$orderby: 'number'})}`)) {
    const out: Array<Listed<ErpCustomerRecord>> = []
    for (const raw of page) {
      const key = rawKey(raw, 'number')
      checkCustomer(key)
      const own = await shipTos.takeFor(key)
      out.push(customerRecord(options, raw, key, shipTos.extension ? own : null))
    }
    yield out
  }
}

/** Customers in the API's order; their ship-tos asked for per batch (`customerNumber eq … or …`). */
async function* customersWithShipTosPerBatch(
  options: CustomerPaging,
): AsyncGenerator<Array<Listed<ErpCustomerRecord>>> {
  let batch: Array<{key: string | null; raw: unknown}> = []
  let extension = true
  const flush = async function* () {
    const keys = batch.map((entry) => entry.key).filter((key): key is string => key !== null)
    const byCustomer = new Map<string, JsonObject[]>()
    if (extension && keys.length > 0) {
      try {
        const filter = keys.map((key) => odataEquals('customerNumber', key)).join(' or ')
        for await (const shipTo of entities(
          options,
          `${options.shipTosUrl}?${odataQuery({$filter: filter})}`,
          'customerNumber',
        ))
          if (shipTo.key !== null && shipTo.raw && typeof shipTo.raw === 'object')
            byCustomer.set(shipTo.key, [...(byCustomer.get(shipTo.key) ?? []), shipTo.raw as JsonObject])
      } catch (error) {
        if (options.shipToFallback(error) !== null) throw error
        extension = false
      }
    }
    yield batch.map((entry) =>
      customerRecord(
        options,
        entry.raw,
        entry.key,
        extension ? (entry.key === null ? [] : (byCustomer.get(entry.key) ?? [])) : null,
      ),
    )
    batch = []
  }
  for await (const entry of entities(options, options.customersUrl, 'number')) {
    batch.push(entry)
    if (batch.length >= shipToBatch) yield* flush()
  }
  yield* flush()
}

export function listItemRecords(
  options: Paging & {itemsUrl: string; toItem: (raw: JsonObject) => ErpItemRecord},
): ErpListing<ErpItemRecord> {
  const ordered = options.state.byteOrder
  async function* batches(): AsyncGenerator<Array<Listed<ErpItemRecord>>> {
    const check = orderCheck(options, 'items')
    for await (const page of pages(
      options,
      ordered ? `${options.itemsUrl}?${odataQuery({$orderby: 'number'})}` : options.itemsUrl,
    )) {
      const out: Array<Listed<ErpItemRecord>> = []
      for (const raw of page) {
        const key = rawKey(raw, 'number')
        if (ordered) check(key)
        out.push(listed(raw, key, 'item', options.toItem))
      }
      yield out
    }
  }
  return {batches: batches(), entries: flatten(batches()), ordered, records: onlyValues(flatten(batches()))}
}

async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch
}

async function* onlyValues<T>(entries: AsyncIterable<Listed<T>>): AsyncGenerator<T> {
  for await (const entry of entries) if (entry.value) yield entry.value
}
