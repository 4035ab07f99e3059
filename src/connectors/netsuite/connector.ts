import {backoffMs} from '../../http/attempts.js'
import type {HttpClient, HttpResponse} from '../../http/client.js'
import {parseRetryAfter} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {registerSecret} from '../../http/redact.js'
import {waitWithin} from '../../http/wait.js'
import type {ErpConnector, ErpCustomerRecord, ErpItemRecord, ErpListing, ErpOrderRecord} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {ClientCredentialsToken} from '../oauth2.js'
import {
  type ClientCredentials,
  clientCredentialsGrant,
  queryString,
  recordQueryString,
  suiteqlString,
  type TbaCredentials,
  tbaHeader,
} from './auth.js'
import {ConcurrencyLimit} from './concurrency.js'
import {describeNetSuiteError, overLimit, refusal, suiteqlRefused} from './errors.js'
import {internalId, itemRecordTypes, toCustomerRecord, toItemRecord} from './records.js'
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

const system = 'NetSuite'
const recordPath = '/services/rest/record/v1'
const pageSize = 1000
const maxAttempts = 6
/** NetSuite allows at most 1000 pages of a collection or a query. */
const maxPages = 1000
/** A lookup by a key or a few keys fits in a page or two: one claiming more than this is not read on. */
const lookupPages = 10

/**
 * Oracle NetSuite, SuiteTalk REST: customers by `record/v1/customer?q=entityId IS "…"` and then the record
 * with its address book (`expandSubResources=true`), items through one SuiteQL query for the record type and
 * then the record with its pricing and locations, sales orders by external id (`eid:`, the platform's order
 * number), the `links/count/hasMore/offset/totalResults/items` pages, `o:errorDetails` errors, and the
 * account-wide concurrency limit (429 or 400 CONCURRENCY_LIMIT_EXCEEDED, retried with a fresh signature).
 */
export class NetSuiteConnector implements ErpConnector {
  readonly system = 'netsuite'
  readonly displayName = system
  private readonly limit: ConcurrencyLimit
  private readonly origin: string
  /** OAuth 2.0's access token; null under token-based authentication. */
  private readonly clientToken: ClientCredentialsToken | null

  constructor(
    private readonly http: HttpClient,
    private readonly settings: NetSuiteSettings,
  ) {
    this.limit = new ConcurrencyLimit(settings.concurrency)
    this.origin = new URL(settings.url).origin
    this.clientToken =
      settings.auth.kind === 'oauth2' ? new ClientCredentialsToken(http, clientCredentialsGrant(settings.auth)) : null
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
  private async send(
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
    const budget = this.http.budget()
    for (let attempt = 0; ; attempt++) {
      const response = await this.limit.run(async () =>
        this.http.requestJson({
          acceptStatuses: [400, 401, 403, 404, 429, 503],
          body: options.body,
          deadlineAt: budget.deadlineAt,
          describeError: describeNetSuiteError,
          headers: {
            authorization: await this.authorization(method, url, renew),
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
        continue
      }
      if (response.status >= 200 && response.status < 300) return response
      if (response.status === 404 && options.notFound) return null
      throw refusal(response, url, maxAttempts)
    }
  }

  private recordUrl(path: string, query: Record<string, string | number> = {}): string {
    const search = queryString(query)
    return `${this.settings.url.replace(/\/+$/, '')}${recordPath}${path}${search ? `?${search}` : ''}`
  }

  /**
   * Every page of a collection or a SuiteQL query, following the `next` link on the same origin until
   * `hasMore` is false: NetSuite's own end. A page shorter than the `limit` asked for is no end, and a
   * page that says it has more without a `next` link, or more than NetSuite's 1000 pages, is an error,
   * never a quiet end of the list.
   */
  private async *pages(firstUrl: string, body?: {q: string}): AsyncGenerator<JsonObject[]> {
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
  private suiteql(q: string): Promise<JsonObject[]> {
    return this.collect(
      `${this.settings.url.replace(/\/+$/, '')}/services/rest/query/v1/suiteql?${queryString({limit: pageSize, offset: 0})}`,
      {q},
    )
  }

  /** The internal ids of the records whose field IS the value (`q=entityId IS "10042"`). */
  private async idsWhere(recordType: string, field: string, value: string): Promise<string[]> {
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

  private async customerById(id: string): Promise<ErpCustomerRecord | null> {
    const response = await this.send('GET', this.recordUrl(`/customer/${id}`, {expandSubResources: 'true'}), {
      notFound: true,
    })
    return response ? toCustomerRecord(response.body) : null
  }

  async findCustomer(code: string): Promise<ErpCustomerRecord | null> {
    // `IS` ignores case in NetSuite: the entity id must match exactly.
    for (const id of await this.idsWhere('customer', 'entityId', code)) {
      const record = await this.customerById(id)
      if (record?.customer.code === code) return record
    }
    return null
  }

  private async itemRows(where: string): Promise<Array<{id: string; itemid: string; itemtype: string | null}>> {
    const rows = await this.suiteql(`SELECT item.id, item.itemid, item.itemtype FROM item WHERE ${where}`)
    return rows.map((row) => parseAnswer(schemas.itemRow, row, system, 'the item query'))
  }

  private async itemByRow(row: {id: string; itemid: string; itemtype: string | null}): Promise<ErpItemRecord | null> {
    const id = internalId(row.id, 'the item query')
    const types = itemRecordTypes[row.itemtype ?? '']
    if (!types)
      throw new RequestProblem({
        kind: 'http-error',
        message: `${system}: item ${row.itemid} is of type ${row.itemtype ?? 'unknown'}, which the platform does not sell`,
      })
    for (const type of types) {
      const response = await this.send('GET', this.recordUrl(`/${type}/${id}`, {expandSubResources: 'true'}), {
        notFound: true,
      })
      if (!response) continue
      const parsed = parseAnswer(schemas.item(this.settings.basePriceLevel), response.body, system, `the ${type}`)
      return toItemRecord(parsed, this.settings.basePriceLevel)
    }
    return null
  }

  async findItem(code: string): Promise<ErpItemRecord | null> {
    const rows = await this.itemRows(`item.itemid = ${suiteqlString(code)}`).catch(suiteqlRefused)
    if (rows === null) return this.findItemByRecordQuery(code)
    const row = rows.find((entry) => entry.itemid === code)
    return row ? this.itemByRow(row) : null
  }

  /**
   * Without SuiteQL (a role without the SuiteAnalytics Workbook permission is refused it), each record type
   * the platform sells is asked with `q=itemId IS "…"`; a type the account does not have answers 404.
   */
  private async findItemByRecordQuery(code: string): Promise<ErpItemRecord | null> {
    for (const [itemtype, types] of Object.entries(itemRecordTypes))
      for (const type of types) {
        const ids = await this.idsWhere(type, 'itemId', code).catch((error: unknown) => {
          if (error instanceof RequestProblem && error.problem.httpStatus === 404) return []
          throw error
        })
        for (const id of ids) {
          const record = await this.itemByRow({id, itemid: code, itemtype})
          if (record?.item.code === code) return record
        }
      }
    return null
  }

  /** By external id (the platform writes its order number there), else by the document number (`tranId`). */
  async findOrder(orderNr: string, erpDocumentNumber: string | null): Promise<ErpOrderRecord | null> {
    let response: HttpResponse | null = null
    // `eid:` takes letters, digits, `_` and `-`; any other number is looked up with a filter.
    if (/^[A-Za-z0-9_-]{1,100}$/.test(orderNr))
      response = await this.send('GET', this.recordUrl(`/salesOrder/eid:${pathSegment(orderNr)}`), {notFound: true})
    else {
      const [id] = await this.idsWhere('salesOrder', 'externalId', orderNr)
      if (id) response = await this.send('GET', this.recordUrl(`/salesOrder/${id}`), {notFound: true})
    }
    // Then by the document number the CMS got back, and by the order number as the document number.
    for (const number of [erpDocumentNumber, orderNr]) {
      if (response || !number) continue
      const [id] = await this.idsWhere('salesOrder', 'tranId', number)
      if (id) response = await this.send('GET', this.recordUrl(`/salesOrder/${id}`), {notFound: true})
    }
    if (!response) return null
    const order = parseAnswer(schemas.salesOrder, response.body, system, 'the sales order')
    // The order names its customer by internal id; the platform's code is the customer's entity id.
    const customer = order.customerId
      ? await this.send('GET', this.recordUrl(`/customer/${internalId(order.customerId, 'the sales order entity')}`), {
          notFound: true,
        })
      : null
    const customerCode = customer
      ? parseAnswer(schemas.customer, customer.body, system, 'the order customer').customer.code
      : null
    return {
      customerCode,
      documentNumber: order.documentNumber,
      externalReference: order.externalReference,
      modifiedAt: order.modifiedAt,
      status: order.status,
    }
  }

  async missingPrerequisites(
    customerCode: string,
    itemCodes: string[],
  ): Promise<{customers: string[]; items: string[]}> {
    const unique = [...new Set(itemCodes)]
    const customer = await this.findCustomer(customerCode)
    const found =
      unique.length === 0
        ? []
        : await this.itemRows(`item.itemid IN (${unique.map(suiteqlString).join(', ')})`).catch(suiteqlRefused)
    if (found === null) {
      const items = await Promise.all(unique.map((code) => this.findItemByRecordQuery(code)))
      return {customers: customer ? [] : [customerCode], items: unique.filter((_code, index) => !items[index])}
    }
    const codes = new Set(found.map((row) => row.itemid))
    return {customers: customer ? [] : [customerCode], items: unique.filter((code) => !codes.has(code))}
  }

  /** Every customer: the collection's ids page by page (1000 each), then each record with its address book. */
  listCustomers(): ErpListing<ErpCustomerRecord> {
    const connector = this
    return {
      ordered: false,
      records: (async function* () {
        for await (const entries of connector.pages(connector.recordUrl('/customer', {limit: pageSize, offset: 0}))) {
          const ids = entries.map((entry) =>
            internalId(
              parseAnswer(schemas.collectionEntry, entry, system, 'the customer list').id,
              'the customer list',
            ),
          )
          // A page's records are asked for together; the concurrency limit decides how many are in flight.
          for (const record of await Promise.all(ids.map((id) => connector.customerById(id)))) if (record) yield record
        }
      })(),
    }
  }

  /** Every item: one SuiteQL query for ids and types (paged), then each record. */
  listItems(): ErpListing<ErpItemRecord> {
    const connector = this
    return {
      ordered: false,
      records: (async function* () {
        const url = `${connector.settings.url.replace(/\/+$/, '')}/services/rest/query/v1/suiteql?${queryString({limit: pageSize, offset: 0})}`
        for await (const rows of connector.pages(url, {
          q: 'SELECT item.id, item.itemid, item.itemtype FROM item ORDER BY item.itemid',
        })) {
          // Items the platform does not sell (discounts, subtotals, descriptions) are not listed.
          const sold = rows
            .map((row) => parseAnswer(schemas.itemRow, row, system, 'the item query'))
            .filter((row) => itemRecordTypes[row.itemtype ?? ''])
          for (const record of await Promise.all(sold.map((row) => connector.itemByRow(row)))) if (record) yield record
        }
      })(),
    }
  }
}
