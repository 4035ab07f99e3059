import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {odataEquals, odataQuery} from '../odata.js'
import type {ErpConnector, ErpCustomerRecord, ErpItemRecord, ErpListing, ErpOrderRecord} from '../erp.js'
import type {ErpSession} from '../erp-system.js'
import {SlidingWindowLimiter} from '../rate-limit.js'
import {pathSegment} from '../platform/service.js'
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

const system = 'Visma eAccounting'
/** The page size of a full listing; eAccounting's default is 50. */
const listPageSize = 200
const maxPages = 10_000
/** A lookup by a key matches a handful of entries: an answer claiming more pages than this is not read on. */
const lookupPages = 10

/**
 * Visma eAccounting (eEkonomi) API v2: customers, articles and orders by their numbers through
 * `$filter`, `Meta`/`Data` paging with `$page`/`$pagesize`, OAuth2 through Visma Connect with a refresh
 * token that is replaced on every use, and 600 requests per minute per endpoint (kept by the client; a
 * 429 is retried after the seconds its message names, within the run's budget).
 */
export class VismaEAccountingConnector implements ErpConnector {
  readonly system = 'visma-eaccounting'
  readonly displayName = system
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
  private async get(path: string, notFound = false): Promise<HttpResponse | null> {
    const token = await this.accessToken.get()
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
  private async filtered(resource: string, filter: string): Promise<JsonObject[]> {
    const entries: JsonObject[] = []
    for await (const entry of this.entries(resource, {$filter: filter}, lookupPages)) entries.push(entry)
    return entries
  }

  /** Every entry of a list endpoint, as the API pages it, for reconcile. */
  private all(resource: string): AsyncGenerator<JsonObject> {
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

  private async customerEntry(code: string): Promise<schemas.VismaCustomer | null> {
    const entries = await this.filtered('customers', odataEquals('CustomerNumber', code))
    const parsed = entries.map((entry) => parseAnswer(schemas.customer, entry, system, 'the customer'))
    return parsed.find((entry) => entry.CustomerNumber === code) ?? null
  }

  private async articleEntry(code: string): Promise<schemas.VismaArticle | null> {
    const entries = await this.filtered('articles', odataEquals('Number', code))
    const parsed = entries.map((entry) => parseAnswer(schemas.article, entry, system, 'the article'))
    return parsed.find((entry) => entry.Number === code) ?? null
  }

  async findCustomer(code: string): Promise<ErpCustomerRecord | null> {
    const entry = await this.customerEntry(code)
    return entry ? customerRecord(entry) : null
  }

  async findItem(code: string): Promise<ErpItemRecord | null> {
    const entry = await this.articleEntry(code)
    return entry ? itemRecord(entry) : null
  }

  /**
   * By the number eAccounting gave the order (`Number`, which the platform writes back as the CMS order's
   * ERP document number), else by the platform's order number in `OurReference` or `YourReference`.
   */
  async findOrder(orderNr: string, erpDocumentNumber: string | null): Promise<ErpOrderRecord | null> {
    let entries: JsonObject[] = []
    // Number is an integer in eAccounting: anything else cannot be one of its orders.
    if (erpDocumentNumber && /^\d{1,9}$/.test(erpDocumentNumber))
      entries = await this.filtered('orders', `Number eq ${Number(erpDocumentNumber)}`)
    if (entries.length === 0)
      entries = await this.filtered(
        'orders',
        `${odataEquals('OurReference', orderNr)} or ${odataEquals('YourReference', orderNr)}`,
      )
    const orders = entries.map((entry) => parseAnswer(schemas.order, entry, system, 'the order'))
    const found =
      orders.find((entry) => erpDocumentNumber !== null && String(entry.Number) === erpDocumentNumber) ??
      orders.find((entry) => entry.OurReference === orderNr) ??
      orders.find((entry) => entry.YourReference === orderNr)
    if (!found) return null
    return {
      customerCode: found.CustomerId ? await this.customerNumberOf(found.CustomerId) : null,
      documentNumber: String(found.Number),
      externalReference:
        found.OurReference === orderNr
          ? orderNr
          : found.YourReference === orderNr
            ? orderNr
            : (found.OurReference ?? found.YourReference),
      modifiedAt: found.ModifiedUtc,
      status: found.status,
    }
  }

  /** An order names its customer by eAccounting's id: `GET /v2/customers/{id}` gives the number. */
  private async customerNumberOf(customerId: string): Promise<string | null> {
    const response = await this.get(`/customers/${pathSegment(customerId)}`, true)
    if (!response) return null
    return parseAnswer(schemas.customer, response.body, system, "the order's customer").CustomerNumber
  }

  async missingPrerequisites(
    customerCode: string,
    itemCodes: string[],
  ): Promise<{customers: string[]; items: string[]}> {
    const unique = [...new Set(itemCodes)]
    const [customer, ...items] = await Promise.all([
      this.customerEntry(customerCode),
      ...unique.map((code) => this.articleEntry(code)),
    ])
    return {customers: customer ? [] : [customerCode], items: unique.filter((_code, index) => !items[index])}
  }

  listCustomers(): ErpListing<ErpCustomerRecord> {
    const entries = this.all('customers')
    return {
      ordered: false,
      records: (async function* () {
        for await (const entry of entries)
          yield customerRecord(parseAnswer(schemas.customer, entry, system, 'a customer of the list'))
      })(),
    }
  }

  listItems(): ErpListing<ErpItemRecord> {
    const entries = this.all('articles')
    return {
      ordered: false,
      records: (async function* () {
        for await (const entry of entries)
          yield itemRecord(parseAnswer(schemas.article, entry, system, 'an article of the list'))
      })(),
    }
  }
}

const customerNotSupplied = [
  {
    field: 'blocked',
    reason: 'an eAccounting customer has no blocked flag (only IsActive, and the platform reads only active customers)',
  },
  {field: 'salesRepCodes', reason: 'an eAccounting customer has no sales rep; the CMS keeps its own assignment'},
  {field: 'priceListCode', reason: 'an eAccounting customer has no price list code; the CMS keeps its own setting'},
]

function customerRecord(entry: schemas.VismaCustomer): ErpCustomerRecord {
  return {
    customer: schemas.toCanonicalCustomer(entry),
    derived: [],
    erpId: entry.Id,
    modifiedAt: entry.ChangedUtc,
    notSupplied: customerNotSupplied,
    // The platform's eAccounting connector lists customers with IsActive eq true: an inactive one never arrives.
    skippedBecause:
      entry.IsActive === false
        ? 'inactive in Visma eAccounting (IsActive false): the platform reads only active eAccounting customers'
        : null,
  }
}

function itemRecord(entry: schemas.VismaArticle): ErpItemRecord {
  return {
    erpId: entry.Id,
    item: schemas.toCanonicalItem(entry),
    modifiedAt: schemas.articleModifiedAt(entry),
    notSupplied: [
      {field: 'currency', reason: 'an eAccounting article has no currency (prices are in the company currency)'},
    ],
  }
}
