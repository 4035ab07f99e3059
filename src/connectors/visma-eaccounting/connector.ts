import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {registerSecret} from '../../http/redact.js'
import {odataString} from '../businesscentral/odata.js'
import type {ErpConnector, ErpCustomerRecord, ErpItemRecord, ErpListing, ErpOrderRecord} from '../erp.js'
import type {ErpSession} from '../erp-system.js'
import {SlidingWindowLimiter} from '../fortnox/rate-limit.js'
import {pathSegment} from '../platform/service.js'
import {type JsonObject, parseAnswer} from '../schema.js'
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
/** A run that cannot save the rotated refresh token says so once, however many connectors it builds (a fix traces again). */
let warnedUnsaved = false

/**
 * `{"ErrorCode", "DeveloperErrorMessage", "ErrorId"}` from the API; `{"error", "error_description"}` from
 * Visma Connect's token endpoint.
 */
export function describeVismaError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {DeveloperErrorMessage: message, ErrorCode: code, ErrorId: id, error, error_description: description} = body as JsonObject
  if (typeof message === 'string' || typeof code === 'number') {
    const detail = [code === undefined ? null : `ErrorCode ${String(code)}`, typeof id === 'string' ? `ErrorId ${id}` : null].filter(Boolean).join(', ')
    return `${typeof message === 'string' ? message : 'error'}${detail ? ` (${detail})` : ''}`
  }
  if (typeof error === 'string') return typeof description === 'string' ? `${error}: ${description}` : error
  return undefined
}

/**
 * The wait a 429 asks for. eAccounting sends no Retry-After header; its body says it:
 * `{"ErrorCode": 4010, "DeveloperErrorMessage": "… Try again in 55 seconds.", …}`.
 */
export function vismaRetryDelayMs(status: number, body: unknown): number | undefined {
  if (status !== 429 || !body || typeof body !== 'object') return undefined
  const message = (body as JsonObject).DeveloperErrorMessage
  const match = typeof message === 'string' ? /try again in (\d+(?:\.\d+)?) second/i.exec(message) : null
  // A quota message without a time: the window is a minute.
  if (!match) return (body as JsonObject).ErrorCode === 4010 ? 60_000 : undefined
  return Number(match[1]) * 1000 + 250
}

/** `Field eq 'value'` with the value's quotes doubled, as OData string literals are written. */
export function vismaEquals(field: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(field)) throw new Error(`not an eAccounting property name: ${field}`)
  return `${field} eq ${odataString(value)}`
}

/** A query string as eAccounting reads it: `$filter`, `$page`, `$pagesize`, each value percent-encoded. */
export function vismaQuery(options: Record<string, string | number>): string {
  return Object.entries(options)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&')
}

/**
 * Visma eAccounting (eEkonomi) API v2: customers, articles and orders by their numbers through
 * `$filter`, `Meta`/`Data` paging with `$page`/`$pagesize`, OAuth2 through Visma Connect with a refresh
 * token that is replaced on every use, and 600 requests per minute per endpoint (kept by the client; a
 * 429 is retried after the seconds its message names, within the run's budget).
 */
export class VismaEAccountingConnector implements ErpConnector {
  readonly system = 'visma-eaccounting'
  readonly displayName = system
  private accessToken: Promise<string> | undefined
  private refreshToken: string
  // Counted per endpoint, as eAccounting counts; a second of margin for the server's window edges.
  private readonly limiters = new Map<string, SlidingWindowLimiter>()

  constructor(
    private readonly http: HttpClient,
    private readonly settings: VismaEAccountingSettings,
    private readonly session: ErpSession,
  ) {
    this.refreshToken = settings.refreshToken
    registerSecret(settings.clientSecret)
    registerSecret(settings.refreshToken)
  }

  private base(): string {
    return `${this.settings.url.replace(/\/+$/, '')}/v2`
  }

  /** One refresh per run: the refresh token is spent, its successor saved where the profile keeps it. */
  private token(): Promise<string> {
    this.accessToken ??= (async () => {
      const basic = Buffer.from(`${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`).toString('base64')
      registerSecret(basic)
      let response: HttpResponse
      try {
        response = await this.http.requestJson({
          body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: this.refreshToken}).toString(),
          describeError: describeVismaError,
          headers: {authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded'},
          // Never repeated: a refresh token is spent by the first request that reaches the server.
          method: 'POST',
          url: this.settings.tokenUrl,
        })
      } catch (error) {
        if (error instanceof RequestProblem && error.problem.httpStatus === 400)
          throw new RequestProblem({
            ...error.problem,
            kind: 'auth',
            message: `${error.problem.message}; the refresh token is spent or expired: authorize the integration in Visma eAccounting again and store the new refresh token in the profile (synctrace profile add --refresh-token)`,
          })
        throw error
      }
      const answer = parseAnswer(schemas.tokenAnswer, response.body, system, 'the token response')
      registerSecret(answer.access_token)
      if (answer.refresh_token && answer.refresh_token !== this.refreshToken) {
        registerSecret(answer.refresh_token)
        this.refreshToken = answer.refresh_token
        const saved = await this.session.saveSecret('refreshToken', answer.refresh_token).catch(() => false)
        if (!saved && !warnedUnsaved) {
          warnedUnsaved = true
          this.session.warn(
            'Visma Connect replaced the eAccounting refresh token and the new one could not be saved (the profile reads erp.refreshToken from the environment or as a literal): the old one is now spent. Keep it in the secrets file instead (synctrace profile add --store-secrets --refresh-token …) so synctrace can write each new one back.',
          )
        }
      }
      return answer.access_token
    })()
    return this.accessToken
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
    const token = await this.token()
    await this.limiter(path).acquire()
    const response = await this.http.requestJson({
      acceptStatuses: notFound ? [404] : [],
      describeError: describeVismaError,
      headers: {authorization: `Bearer ${token}`},
      retryDelayMs: vismaRetryDelayMs,
      url: `${this.base()}${path}`,
    })
    return response.status === 404 ? null : response
  }

  /** One page of a list endpoint. */
  private async page(resource: string, options: Record<string, string | number>): Promise<{entries: JsonObject[]; totalPages: number}> {
    const response = (await this.get(`/${resource}?${vismaQuery(options)}`)) as HttpResponse
    const body = parseAnswer(schemas.page, response.body, system, `the ${resource} list`)
    return {entries: body.Data, totalPages: body.Meta.TotalNumberOfPages}
  }

  /** Every entry of a filtered list, page by page. */
  private async filtered(resource: string, filter: string): Promise<JsonObject[]> {
    const entries: JsonObject[] = []
    for (let number = 1; number <= maxPages; number++) {
      const result = await this.page(resource, {$filter: filter, $page: number})
      entries.push(...result.entries)
      if (number >= result.totalPages || result.entries.length === 0) break
    }
    return entries
  }

  /** Every entry of a list endpoint, as the API pages it, for reconcile. */
  private async *all(resource: string): AsyncGenerator<JsonObject> {
    for (let number = 1; number <= maxPages; number++) {
      const result = await this.page(resource, {$page: number, $pagesize: listPageSize})
      yield* result.entries
      if (number >= result.totalPages || result.entries.length === 0) return
    }
  }

  async probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    const response = (await this.get('/companysettings')) as HttpResponse
    const company = parseAnswer(schemas.companySettings, response.body, system, 'the company settings')
    return {
      details: {api: 'v2', company: company.Name ?? '', currency: company.CurrencyCode ?? '', organisationNumber: company.CorporateIdentityNumber ?? ''},
      serverDate: typeof response.headers.date === 'string' ? response.headers.date : null,
    }
  }

  private async customerEntry(code: string): Promise<schemas.VismaCustomer | null> {
    const entries = await this.filtered('customers', vismaEquals('CustomerNumber', code))
    const parsed = entries.map((entry) => parseAnswer(schemas.customer, entry, system, 'the customer'))
    return parsed.find((entry) => entry.CustomerNumber === code) ?? null
  }

  private async articleEntry(code: string): Promise<schemas.VismaArticle | null> {
    const entries = await this.filtered('articles', vismaEquals('Number', code))
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
    if (erpDocumentNumber && /^\d{1,9}$/.test(erpDocumentNumber)) entries = await this.filtered('orders', `Number eq ${Number(erpDocumentNumber)}`)
    if (entries.length === 0) entries = await this.filtered('orders', `${vismaEquals('OurReference', orderNr)} or ${vismaEquals('YourReference', orderNr)}`)
    const orders = entries.map((entry) => parseAnswer(schemas.order, entry, system, 'the order'))
    const found =
      orders.find((entry) => erpDocumentNumber !== null && String(entry.Number) === erpDocumentNumber) ??
      orders.find((entry) => entry.OurReference === orderNr) ??
      orders.find((entry) => entry.YourReference === orderNr)
    if (!found) return null
    return {
      customerCode: found.CustomerId ? await this.customerNumberOf(found.CustomerId) : null,
      documentNumber: String(found.Number),
      externalReference: found.OurReference === orderNr ? orderNr : found.YourReference === orderNr ? orderNr : (found.OurReference ?? found.YourReference),
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

  async missingPrerequisites(customerCode: string, itemCodes: string[]): Promise<{customers: string[]; items: string[]}> {
    const unique = [...new Set(itemCodes)]
    const [customer, ...items] = await Promise.all([this.customerEntry(customerCode), ...unique.map((code) => this.articleEntry(code))])
    return {customers: customer ? [] : [customerCode], items: unique.filter((_code, index) => !items[index])}
  }

  listCustomers(): ErpListing<ErpCustomerRecord> {
    const entries = this.all('customers')
    return {
      ordered: false,
      records: (async function* () {
        for await (const entry of entries) yield customerRecord(parseAnswer(schemas.customer, entry, system, 'a customer of the list'))
      })(),
    }
  }

  listItems(): ErpListing<ErpItemRecord> {
    const entries = this.all('articles')
    return {
      ordered: false,
      records: (async function* () {
        for await (const entry of entries) yield itemRecord(parseAnswer(schemas.article, entry, system, 'an article of the list'))
      })(),
    }
  }
}

const customerNotSupplied = [
  {field: 'blocked', reason: 'an eAccounting customer has no blocked flag (only IsActive, and the platform reads only active customers)'},
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
    skippedBecause: entry.IsActive === false ? 'inactive in Visma eAccounting (IsActive false): the platform reads only active eAccounting customers' : null,
  }
}

function itemRecord(entry: schemas.VismaArticle): ErpItemRecord {
  return {
    erpId: entry.Id,
    item: schemas.toCanonicalItem(entry),
    modifiedAt: schemas.articleModifiedAt(entry),
    notSupplied: [{field: 'currency', reason: 'an eAccounting article has no currency (prices are in the company currency)'}],
  }
}
