import {z} from 'zod'

import type {HttpClient} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {compareKeys} from '../../util/key-order.js'
import {emptyPageGuard, type Listed, rawKey} from '../listing.js'
import {parseAnswer} from '../schema.js'
import {plainAppItem, plainCmsCustomer, plainCmsItem, plainPublishedCustomer, plainWebshopItem} from './fast-parse.js'
import * as schemas from './schemas.js'
import {PlatformService, type ServiceEndpoint} from './service.js'
import {webshopPublishedItem} from './webshop.js'
import type {
  AppPublishedCustomer,
  AppUser,
  CmsCustomer,
  CmsItem,
  PublishedItem,
  WebshopPublishedCustomer,
} from './types.js'

/** The platform's list answer: `{"customers"|"items": [...], "next": "<key>" | null}`. */
const page = (envelope: string) =>
  z
    .looseObject({[envelope]: z.array(z.unknown()), next: z.union([z.string(), z.null()]).optional()})
    .transform((body) => ({
      entries: body[envelope] as unknown[],
      next: (body.next as string | null | undefined) ?? null,
    }))

/** Largest page the contract allows (`limit` 1–1000). */
export const maxPlatformPageSize = 1000

type Service = 'cms' | 'app' | 'webshop'
const basePaths: Record<Service, string> = {app: '/app/v1', cms: '/api/v1', webshop: '/webshop/v1'}
const systemNames: Record<Service, string> = {app: 'App backend', cms: 'CMS', webshop: 'Webshop'}

/** One entry of a page checked on its own: a bad record is that record's error, the rest of the page still counts. */
function entryOf<S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  keyField: string,
  system: string,
  what: string,
  map: (value: z.output<S>) => T,
): Listed<T> {
  const key = rawKey(raw, keyField)
  try {
    return {error: null, key, value: map(parseAnswer(schema, raw, system, what))}
  } catch (error) {
    return {error: error instanceof RequestProblem ? error.problem.message : String(error), key, value: null}
  }
}

/**
 * The list endpoints of the CMS, the app backend and the webshop (`GET /customers?limit&after`,
 * `GET /items?…`): pages followed through `next` until it is null, whatever their length (a service may
 * give fewer than `limit`); `next` must move forward (a `next` that does not is the service's error, so a
 * loop never runs forever).
 */
export class PlatformLister extends PlatformService {
  constructor(
    http: HttpClient,
    endpoint: ServiceEndpoint,
    readonly service: Service,
    private readonly pageSize = maxPlatformPageSize,
  ) {
    super(http, endpoint, basePaths[service], systemNames[service])
  }

  /**
   * Every record of the collection after `after` (exclusive), page by page. The next page is asked for
   * while the caller works through the current one, so the network and the comparison overlap.
   */
  pages(collection: 'customers' | 'items', after: string | null = null): AsyncGenerator<unknown[]> {
    return this.pagesAt(`/${collection}`, collection, `the ${collection} list`, after)
  }

  /**
   * Any of the contract's paged lists: `path?limit&after`, the records under `envelope` (`/pricelists` →
   * `priceLists`, `/pricelists/{code}/prices` → `prices`, paged by item). `absentOn404`: a 404 is an empty list
   * (the app's rows of a list never published to it), else it is the service's error.
   */
  async *pagesAt(
    path: string,
    envelope: string,
    what: string,
    after: string | null = null,
    absentOn404 = false,
  ): AsyncGenerator<unknown[]> {
    const schema = page(envelope)
    const fetchPage = async (cursor: string | null) => {
      const query = new URLSearchParams({limit: String(this.pageSize)})
      if (cursor !== null) query.set('after', cursor)
      const response = await this.get(`${path}?${query}`, absentOn404 ? [404] : [])
      if (response.status === 404) return {entries: [], next: null}
      return parseAnswer(schema, response.body, this.systemName, what)
    }
    let cursor = after
    const countEmpty = emptyPageGuard(
      `${this.systemName}: ${what}`,
      (message) => new RequestProblem({kind: 'bad-response', message}),
    )
    let pending: Promise<{entries: unknown[]; next: string | null}> | null = fetchPage(cursor)
    // A prefetch the caller never waits for (it stopped early) must not become an unhandled rejection.
    const quiet = (promise: Promise<unknown>) => promise.catch(() => undefined)
    try {
      while (pending) {
        const body = await pending
        pending = null
        countEmpty(body.entries.length)
        // `next: null` is the contract's only end: a page shorter than `limit`, even an empty one, with a
        // `next` is followed. The page's records count; a `next` that does not move forward is refused.
        const more = body.next !== null
        const backwards = more && cursor !== null && compareKeys(body.next as string, cursor) <= 0
        if (more && !backwards) {
          cursor = body.next
          pending = fetchPage(cursor)
          void quiet(pending)
        }
        yield body.entries
        if (backwards)
          throw new RequestProblem({
            kind: 'bad-response',
            message: `${this.systemName}: ${what}'s next "${(body.next as string).slice(0, 60)}" does not move past "${(cursor as string).slice(0, 60)}"`,
          })
      }
    } finally {
      if (pending) void quiet(pending)
    }
  }

  private customerEntry(raw: unknown): Listed<CmsCustomer | AppPublishedCustomer | WebshopPublishedCustomer> {
    const plain = this.service === 'cms' ? plainCmsCustomer(raw) : plainPublishedCustomer(raw)
    if (plain) return {error: null, key: plain.customer.code, value: plain}
    if (this.service === 'cms')
      return entryOf(
        schemas.cmsCustomer,
        raw,
        'customerCode',
        this.systemName,
        'a listed customer',
        (value) => value as CmsCustomer,
      )
    return entryOf(schemas.publishedCustomer, raw, 'customerCode', this.systemName, 'a listed customer', (body) => ({
      accounts: (body.accounts ?? []).map((account) => ({active: account.active ?? false, login: account.login ?? ''})),
      customer: body.record,
      publishedAt: body.publishedAt,
      visibleToUserIds: body.visibleToUserIds ?? [],
    }))
  }

  private itemEntry(raw: unknown): Listed<CmsItem | PublishedItem> {
    const plain =
      this.service === 'cms' ? plainCmsItem(raw) : this.service === 'app' ? plainAppItem(raw) : plainWebshopItem(raw)
    if (plain) return {error: null, key: plain.item.code, value: plain}
    if (this.service === 'cms')
      return entryOf(schemas.cmsItem, raw, 'itemCode', this.systemName, 'a listed item', (value) => value as CmsItem)
    if (this.service === 'app')
      return entryOf(schemas.publishedItem, raw, 'itemCode', this.systemName, 'a listed item', (body) => ({
        item: body.record,
        publishedAt: body.publishedAt,
        visible: null,
      }))
    return entryOf(schemas.webshopItem, raw, 'itemCode', this.systemName, 'a listed item', webshopPublishedItem)
  }

  /** Every customer after `after`, a page at a time, each record checked on its own. */
  async *customerPages(
    after: string | null = null,
  ): AsyncGenerator<Array<Listed<CmsCustomer | AppPublishedCustomer | WebshopPublishedCustomer>>> {
    for await (const entries of this.pages('customers', after)) yield entries.map((raw) => this.customerEntry(raw))
  }

  async *itemPages(after: string | null = null): AsyncGenerator<Array<Listed<CmsItem | PublishedItem>>> {
    for await (const entries of this.pages('items', after)) yield entries.map((raw) => this.itemEntry(raw))
  }

  /** The app's users (`GET /users`): who each sales rep code reaches. */
  async users(): Promise<AppUser[]> {
    return parseAnswer(schemas.appUsers, (await this.get('/users')).body, this.systemName, '/users')
  }
}
