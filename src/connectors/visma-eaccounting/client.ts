import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {odataQuery} from '../odata.js'
import type {ErpSession} from '../erp-system.js'
import {SlidingWindowLimiter} from '../rate-limit.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {describeVismaError, vismaRetryDelayMs} from './errors.js'
import {RotatingRefreshToken} from './refresh-token.js'
import * as schemas from './schemas.js'

export interface VismaEAccountingSettings {
  /** `https://eaccountingapi.vismaonline.com` (the connector adds `/v2`). */
  url: string
  /** Visma Connect's token endpoint: `https://identity.vismaonline.com/connect/token`. */
  tokenUrl: string
  clientId: string
  clientSecret: string
  /** Spent by every refresh: the answer's new one replaces it (written back through the session). */
  refreshToken: string
}

export const system = 'Visma eAccounting'
/** The page size of a full listing; eAccounting's default is 50. */
const listPageSize = 200
const maxPages = 10_000
/** A lookup by a key matches a handful of entries: an answer claiming more pages than this is not read on. */
const lookupPages = 10

/**
 * Visma eAccounting (eEkonomi) API v2 as its entities share it: `Meta`/`Data` paging with
 * `$page`/`$pagesize`, OAuth2 through Visma Connect with a refresh token that is replaced on every use, and
 * 600 requests per minute per endpoint (kept by the client; a 429 is retried after the seconds its message
 * names, within the run's budget).
 */
export class VismaEAccountingClient {
  private readonly accessToken: RotatingRefreshToken
  // Counted per endpoint, as eAccounting counts; a second of margin for the server's window edges.
  private readonly limiters = new Map<string, SlidingWindowLimiter>()

  constructor(
    private readonly http: HttpClient,
    private readonly settings: VismaEAccountingSettings,
    session: ErpSession,
  ) {
    this.accessToken = new RotatingRefreshToken(http, settings, session)
  }

  private base(): string {
    return `${this.settings.url.replace(/\/+$/, '')}/v2`
  }

  private limiter(path: string): SlidingWindowLimiter {
    const endpoint = (path.split('?')[0] ?? path).split('/')[1]?.toLowerCase() ?? path
    let limiter = this.limiters.get(endpoint)
    if (!limiter) {
      limiter = new SlidingWindowLimiter(600, 61_000)
      this.limiters.set(endpoint, limiter)
    }
    return limiter
  }

  /** A GET under `/v2`; `notFound` answers 404 with null. */
  async get(path: string, notFound = false): Promise<HttpResponse | null> {
    const token = await this.accessToken.get()
    try {
      return await this.getWith(token, path, notFound)
    } catch (error) {
      // A token kept from an earlier run may have been revoked since: refreshed once.
      if (!(error instanceof RequestProblem && error.problem.httpStatus === 401 && this.accessToken.refused(token)))
        throw error
      return this.getWith(await this.accessToken.get(), path, notFound)
    }
  }

  private async getWith(token: string, path: string, notFound: boolean): Promise<HttpResponse | null> {
    await this.limiter(path).acquire(this.http.budget(), system)
    const response = await this.http.requestJson({
      acceptStatuses: notFound ? [404] : [],
      describeError: describeVismaError,
      headers: {authorization: `Bearer ${token}`},
      retryDelayMs: vismaRetryDelayMs,
      url: `${this.base()}${path}`,
    })
    return response.status === 404 ? null : response
  }

  /**
   * Every entry of a list endpoint, page by page, until `Meta.CurrentPage` reaches `Meta.TotalNumberOfPages`:
   * the API's own end (an empty or short page before it is no end; the pages are counted at the page size
   * the API applied, which may be below the one asked for).
   */
  private async *entries(
    resource: string,
    options: Record<string, string | number>,
    pageLimit = maxPages,
  ): AsyncGenerator<JsonObject> {
    for (let number = 1; number <= pageLimit; number++) {
      const response = (await this.get(`/${resource}?${odataQuery({...options, $page: number})}`)) as HttpResponse
      const {Data, Meta} = parseAnswer(schemas.page, response.body, system, `the ${resource} list`)
      // A lookup by key is bounded: an answer claiming more pages is the hop's error, not a long wait.
      if (pageLimit < maxPages && Meta.TotalNumberOfPages > pageLimit)
        throw new RequestProblem({
          kind: 'bad-response',
          message: `${system}: the ${resource} lookup claims ${Meta.TotalNumberOfPages} pages; a lookup by key reads at most ${pageLimit}`,
        })
      yield* Data
      if (Math.max(number, Meta.CurrentPage) >= Meta.TotalNumberOfPages) return
    }
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the ${resource} list did not end within ${maxPages} pages`,
    })
  }

  /** Every entry of a filtered list. */
  async filtered(resource: string, filter: string): Promise<JsonObject[]> {
    const entries: JsonObject[] = []
    for await (const entry of this.entries(resource, {$filter: filter}, lookupPages)) entries.push(entry)
    return entries
  }

  /** Every entry of a list endpoint, as the API pages it, for reconcile. */
  all(resource: string): AsyncGenerator<JsonObject> {
    return this.entries(resource, {$pagesize: listPageSize})
  }

  async probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    const response = (await this.get('/companysettings')) as HttpResponse
    const company = parseAnswer(schemas.companySettings, response.body, system, 'the company settings')
    return {
      details: {
        api: 'v2',
        company: company.Name ?? '',
        currency: company.CurrencyCode ?? '',
        organisationNumber: company.CorporateIdentityNumber ?? '',
      },
      serverDate: typeof response.headers.date === 'string' ? response.headers.date : null,
    }
  }
}
