import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {z} from 'zod'

import {compareKeys} from '../../util/key-order.js'
import type {ErpListing} from '../erp.js'
import {emptyPageGuard, type Listed, ListingOrderError, mergeListings, rawKey} from '../listing.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {SlidingWindowLimiter} from '../rate-limit.js'
import * as schemas from './schemas.js'

export interface FortnoxSettings {
  /** `https://api.fortnox.se` (the connector adds `/3`). */
  url: string
  token: string
}

export const system = 'Fortnox'

/**
 * A list answer: its entries, and whether it is the list's last page. `MetaInformation` says so
 * (`@CurrentPage` reaching `@TotalPages`, counted at the page size Fortnox applied); a list answer without
 * it ends only on an empty page. A page shorter than the `limit` asked for is no end.
 */
export const listPage = (envelope: string, askedPage: number) =>
  z
    .looseObject({
      [envelope]: z.array(z.unknown()),
      MetaInformation: z
        .looseObject({'@CurrentPage': z.number().finite().nullish(), '@TotalPages': z.number().finite()})
        .nullish(),
    })
    .transform((body) => {
      const entries = body[envelope] as unknown[]
      const meta = body.MetaInformation as {'@CurrentPage'?: number | null; '@TotalPages': number} | null | undefined
      return {
        entries,
        last: meta ? Math.max(askedPage, meta['@CurrentPage'] ?? 0) >= meta['@TotalPages'] : entries.length === 0,
      }
    })

/** Pages a lookup by number (changed since) reads at most. */
const lookupPages = 50

/** A list endpoint: its resource, the answer's envelope and key field, and the mapping of an entry (told whether it is active). */
export interface FilteredList<T> {
  resource: 'customers' | 'articles'
  envelope: string
  keyField: string
  map: (raw: JsonObject, active: boolean) => T
}

/** `{"ErrorInformation": {"error", "message", "code"}}` (the OpenAPI spec capitalises the keys; both are read). */
export function describeFortnoxError(_status: number, body: unknown): string | undefined {
  const info =
    body && typeof body === 'object' ? ((body as JsonObject).ErrorInformation as JsonObject | undefined) : undefined
  if (!info || typeof info !== 'object') return undefined
  const message = info.message ?? info.Message
  const code = info.code ?? info.Code
  return (
    [typeof message === 'string' ? message : null, code === undefined ? null : `(code ${String(code)})`]
      .filter(Boolean)
      .join(' ') || undefined
  )
}

function fortnoxCode(body: unknown): number | null {
  const info =
    body && typeof body === 'object' ? ((body as JsonObject).ErrorInformation as JsonObject | undefined) : undefined
  const code = info?.code ?? info?.Code
  return typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : null
}

/** "YYYY-MM-DD HH:MM", the `lastmodified` parameter's format, in Swedish time (Fortnox's own zone). */
function lastModifiedParameter(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      minute: '2-digit',
      month: '2-digit',
      timeZone: 'Europe/Stockholm',
      year: 'numeric',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/**
 * Fortnox API v3 as its entities share it: the bearer token, `MetaInformation` paging, `ErrorInformation`
 * errors, the lists filtered by number, and the 25-requests-per-5-s limit kept by the client (a 429 with
 * Retry-After is still honoured).
 */
export class FortnoxClient {
  // A quarter second of margin, so that network jitter never makes the server count 26 in its window.
  private readonly limiter = new SlidingWindowLimiter(25, 5250)

  /** Cleared once a list came out of UTF-8 byte order despite `sortby`: later listings do not claim it. */
  private listsInByteOrder = true

  constructor(
    private readonly http: HttpClient,
    private readonly settings: FortnoxSettings,
  ) {}

  /**
   * One filtered list (`filter=active` or `filter=inactive`), `MetaInformation` page by page (500 per page,
   * the API's largest), each page under the 25-per-5-s limit; every entry checked on its own, so a bad one
   * is that record's error.
   */
  private async *filteredList<T>(
    list: FilteredList<T>,
    filter: 'active' | 'inactive',
    ordered: boolean,
  ): AsyncGenerator<Listed<T>> {
    const {envelope, keyField, map, resource} = list
    const countEmpty = emptyPageGuard(
      `${system}: the ${resource} list`,
      (message) => new RequestProblem({kind: 'bad-response', message}),
    )
    let previous: string | null = null
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({
        filter,
        limit: '500',
        page: String(page),
        sortby: keyField.toLowerCase(),
        sortorder: 'ascending',
      })
      const response = (await this.get(`/${resource}?${query}`)) as HttpResponse
      const body = parseAnswer(listPage(envelope, page), response.body, system, `the ${resource} list`)
      countEmpty(body.entries.length)
      for (const raw of body.entries) {
        const key = rawKey(raw, keyField)
        if (ordered && key !== null) {
          if (previous !== null && compareKeys(previous, key) > 0) {
            this.listsInByteOrder = false
            throw new ListingOrderError(`${system} ${resource}`, previous, key)
          }
          previous = key
        }
        try {
          if (!raw || typeof raw !== 'object' || Array.isArray(raw))
            throw new RequestProblem({
              kind: 'bad-response',
              message: `${system}: malformed answer, a listed entry is not a JSON object`,
            })
          yield {error: null, key, value: map(raw as JsonObject, filter === 'active')}
        } catch (error) {
          yield {error: error instanceof RequestProblem ? error.problem.message : String(error), key, value: null}
        }
      }
      if (body.last) return
    }
  }

  /**
   * A whole list: Fortnox's list entries carry no `Active` field, so the active and the inactive records
   * are listed apart (`filter=active`, `filter=inactive`) and merged in key order; `map` learns which list
   * an entry came from.
   */
  listing<T>(list: FilteredList<T>): ErpListing<T> {
    const ordered = this.listsInByteOrder
    const entries = () =>
      mergeListings(this.filteredList(list, 'active', ordered), this.filteredList(list, 'inactive', ordered), ordered)
    async function* records(): AsyncGenerator<T> {
      for await (const entry of entries()) if (entry.value) yield entry.value
    }
    return {entries: entries(), ordered, records: records()}
  }

  async get(path: string, notFound = false): Promise<HttpResponse | null> {
    await this.limiter.acquire(this.http.budget(), system)
    const response = await this.http.requestJson({
      acceptStatuses: notFound ? [400, 404] : [],
      describeError: describeFortnoxError,
      headers: {authorization: `Bearer ${this.settings.token}`},
      url: `${this.settings.url.replace(/\/+$/, '')}/3${path}`,
    })
    if (response.status === 404 || response.status === 400) {
      // Fortnox answers an unknown number with 404 (or 400 with a "not found" code, e.g. 2000433 for customers).
      const code = fortnoxCode(response.body)
      if (response.status === 404 || code === 2000433 || code === 2001302 || code === 2000428) return null
      throw new RequestProblem({
        httpStatus: response.status,
        kind: 'http-error',
        message: `${system}: HTTP ${response.status}: ${describeFortnoxError(response.status, response.body) ?? 'bad request'}`,
      })
    }
    return response
  }

  async probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    const response = (await this.get('/companyinformation')) as HttpResponse
    const info = parseAnswer(schemas.companyAnswer, response.body, system, 'the company information')
    return {
      details: {api: 'v3', company: info.CompanyName ?? '', organisationNumber: info.OrganizationNumber ?? ''},
      serverDate: typeof response.headers.date === 'string' ? response.headers.date : null,
    }
  }

  /**
   * Has the record changed since `since`? Fortnox customers and articles carry no change time, but their
   * lists take a `lastmodified` filter: `/3/customers?customernumber=…&lastmodified=…`, `/3/articles?articlenumber=…&lastmodified=…`.
   */
  async changedSince(entity: 'customer' | 'item', code: string, since: Date): Promise<boolean> {
    return (await this.listedEntry(entity, code, {lastmodified: lastModifiedParameter(since)})) !== null
  }

  /** A record in its list filtered by its number (and `extra`): the number filter need not be an exact match, so every page is read until the record or the list's end. */
  async listedEntry(
    entity: 'customer' | 'item',
    code: string,
    extra: Record<string, string>,
  ): Promise<JsonObject | null> {
    const [resource, keyParameter, envelope, keyField] =
      entity === 'customer'
        ? (['customers', 'customernumber', 'Customers', 'CustomerNumber'] as const)
        : (['articles', 'articlenumber', 'Articles', 'ArticleNumber'] as const)
    for (let page = 1; page <= lookupPages; page++) {
      const query = new URLSearchParams({[keyParameter]: code, ...extra, page: String(page)})
      const response = (await this.get(`/${resource}?${query}`)) as HttpResponse
      const {entries, last} = parseAnswer(listPage(envelope, page), response.body, system, `the ${entity} list`)
      const keys = parseAnswer(
        schemas.listKeys(envelope, keyField),
        {[envelope]: entries},
        system,
        `the ${entity} list`,
      )
      const index = keys.indexOf(code)
      if (index >= 0) return entries[index] as JsonObject
      if (last) return null
    }
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the ${entity} list filtered by number did not end within ${lookupPages} pages`,
    })
  }
}
