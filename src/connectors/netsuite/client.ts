import {backoffMs} from '../../http/attempts.js'
import type {HttpClient, HttpResponse} from '../../http/client.js'
import {parseRetryAfter} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {registerSecret} from '../../http/redact.js'
import {waitWithin} from '../../http/wait.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {ClientCredentialsToken} from '../oauth2.js'
import type {ErpSession} from '../erp-system.js'
import {
  type ClientCredentials,
  clientCredentialsGrant,
  queryString,
  recordQueryString,
  type TbaCredentials,
  tbaHeader,
} from './auth.js'
import {ConcurrencyLimit} from './concurrency.js'
import {describeNetSuiteError, overLimit, refusal} from './errors.js'
import {internalId} from './records.js'
import {probeAccount} from './probe.js'
import * as schemas from './schemas.js'

export interface NetSuiteSettings {
  /** `https://<account>.suitetalk.api.netsuite.com` */
  url: string
  accountId: string
  /** Token-based authentication (OAuth 1.0a), or OAuth 2.0 client credentials (a certificate's JWT). */
  auth: ({kind: 'tba'} & TbaCredentials) | ({kind: 'oauth2'; tokenUrl: string} & ClientCredentials)
  /** The price level the platform reads base prices from (a platform setting, "Base Price" by default). */
  basePriceLevel: string
  /** Requests in flight at once: the account's limit is shared with every other integration. */
  concurrency: number
}

export const system = 'NetSuite'
const recordPath = '/services/rest/record/v1'
export const pageSize = 1000
const maxAttempts = 6
/** NetSuite allows at most 1000 pages of a collection or a query. */
const maxPages = 1000
/** A lookup by a key or a few keys fits in a page or two: one claiming more than this is not read on. */
const lookupPages = 10

/**
 * SuiteTalk REST as NetSuite's entities share it: token-based or OAuth 2.0 authentication, the
 * `links/count/hasMore/offset/totalResults/items` pages, SuiteQL, `o:errorDetails` errors, and the
 * account-wide concurrency limit (429 or 400 CONCURRENCY_LIMIT_EXCEEDED, retried with a fresh signature).
 */
export class NetSuiteClient {
  private readonly limit: ConcurrencyLimit
  private readonly origin: string
  /** OAuth 2.0's access token; null under token-based authentication. */
  private readonly clientToken: ClientCredentialsToken | null

  constructor(
    private readonly http: HttpClient,
    readonly settings: NetSuiteSettings,
    session?: ErpSession,
  ) {
    this.limit = new ConcurrencyLimit(settings.concurrency)
    this.origin = new URL(settings.url).origin
    this.clientToken =
      settings.auth.kind === 'oauth2'
        ? new ClientCredentialsToken(http, clientCredentialsGrant(settings.auth), session?.keptToken)
        : null
    // The key and token ids are half of a TBA login: kept out of output like the secrets the profile names.
    if (settings.auth.kind === 'tba')
      for (const id of [settings.auth.consumerKey, settings.auth.tokenId]) registerSecret(id)
  }

  private async authorization(method: string, url: string, renew: boolean): Promise<string> {
    const {auth} = this.settings
    if (auth.kind === 'tba') return tbaHeader(auth, method, url)
    const token = this.clientToken as ClientCredentialsToken
    if (renew) token.forget()
    return `Bearer ${await token.get()}`
  }

  /**
   * One request under the concurrency limit. Over the limit it waits (Retry-After, else a growing
   * back-off) and signs again: NetSuite refuses a nonce it has seen, so a request is never resent as it was.
   * The attempts and the waits between them share one budget (--timeout): a wait beyond it ends the request.
   */
  async send(
    method: 'GET' | 'POST',
    url: string,
    options: {body?: unknown; notFound?: boolean} = {},
  ): Promise<HttpResponse | null> {
    if (new URL(url).origin !== this.origin)
      throw new RequestProblem({
        kind: 'bad-response',
        message: `${system}: a link points at another origin (${new URL(url).origin}); not followed, so the credentials stay with ${this.origin}`,
      })
    let renew = false
    let renewNow = false
    const budget = this.http.budget()
    for (let attempt = 0; ; attempt++) {
      // A new token once after a 401, not on every later attempt (each would drop the kept one again).
      const renewing = renewNow
      renewNow = false
      const response = await this.limit.run(async () =>
        this.http.requestJson({
          acceptStatuses: [400, 401, 403, 404, 429, 503],
          body: options.body,
          deadlineAt: budget.deadlineAt,
          describeError: describeNetSuiteError,
          headers: {
            authorization: await this.authorization(method, url, renewing),
            ...(options.body === undefined ? {} : {prefer: 'transient'}),
          },
          method,
          retry: false,
          url,
        }),
      )
      if ((overLimit(response) || response.status === 503) && attempt + 1 < maxAttempts) {
        const over = overLimit(response)
        const what = `${new URL(url).host}: HTTP ${response.status}${over ? ' (over the concurrency limit)' : ''}`
        await waitWithin(
          parseRetryAfter(response.headers['retry-after']) ?? backoffMs(attempt),
          budget,
          what,
          over ? 'rate-limited' : 'http-error',
          response.status,
        )
        continue
      }
      if (response.status === 401 && this.settings.auth.kind === 'oauth2' && !renew) {
        // An access token can be revoked before it expires: ask for a new one once.
        renew = true
        renewNow = true
        continue
      }
      if (response.status >= 200 && response.status < 300) return response
      if (response.status === 404 && options.notFound) return null
      throw refusal(response, url, maxAttempts)
    }
  }

  recordUrl(path: string, query: Record<string, string | number> = {}): string {
    const search = queryString(query)
    return `${this.settings.url.replace(/\/+$/, '')}${recordPath}${path}${search ? `?${search}` : ''}`
  }

  /**
   * Every page of a collection or a SuiteQL query, following the `next` link on the same origin until
   * `hasMore` is false: NetSuite's own end. A page shorter than the `limit` asked for is no end, and a
   * page that says it has more without a `next` link, or more than NetSuite's 1000 pages, is an error,
   * never a quiet end of the list.
   */
  async *pages(firstUrl: string, body?: {q: string}): AsyncGenerator<JsonObject[]> {
    let url = firstUrl
    for (let pageNumber = 0; pageNumber < maxPages; pageNumber++) {
      const response = (await this.send(body ? 'POST' : 'GET', url, {body})) as HttpResponse
      const page = parseAnswer(schemas.page, response.body, system, body ? 'the SuiteQL answer' : 'the collection')
      yield page.items
      if (page.hasMore !== true) return
      const next = page.links?.find((entry) => entry.rel === 'next')?.href
      if (!next)
        throw new RequestProblem({
          kind: 'bad-response',
          message: `${system}: a page says hasMore but gives no next link`,
        })
      try {
        url = new URL(next, url).toString()
      } catch {
        throw new RequestProblem({kind: 'bad-response', message: `${system}: the next link is not a URL`})
      }
    }
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the list still had more after ${maxPages} pages`,
    })
  }

  /** Every row of a lookup, within `lookupPages`. */
  private async collect(firstUrl: string, body?: {q: string}): Promise<JsonObject[]> {
    const rows: JsonObject[] = []
    let read = 0
    for await (const items of this.pages(firstUrl, body)) {
      if (++read > lookupPages)
        throw new RequestProblem({
          kind: 'bad-response',
          message: `${system}: a lookup by key goes on past ${lookupPages} pages; not read further`,
        })
      rows.push(...items)
    }
    return rows
  }

  /** A SuiteQL query (`POST /query/v1/suiteql`, `Prefer: transient`), every page. */
  suiteql(q: string): Promise<JsonObject[]> {
    return this.collect(this.suiteqlUrl(), {q})
  }

  /** The first page of a SuiteQL query. */
  suiteqlUrl(): string {
    return `${this.settings.url.replace(/\/+$/, '')}/services/rest/query/v1/suiteql?${queryString({limit: pageSize, offset: 0})}`
  }

  /** The internal ids of the records whose field IS the value (`q=entityId IS "10042"`). */
  async idsWhere(recordType: string, field: string, value: string): Promise<string[]> {
    const entries = await this.collect(this.recordUrl(`/${recordType}`, {q: `${field} IS ${recordQueryString(value)}`}))
    return entries.map((entry) =>
      internalId(
        parseAnswer(schemas.collectionEntry, entry, system, `the ${recordType} list`).id,
        `the ${recordType} list`,
      ),
    )
  }

  probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    return probeAccount(this.settings, (path, notFound) =>
      this.send('GET', this.recordUrl(path, path === '/customer' ? {limit: 1} : {}), {notFound}),
    )
  }
}
