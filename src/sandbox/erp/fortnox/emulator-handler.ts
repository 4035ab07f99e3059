import {parseLocalDateTime} from '../../../util/time.js'
import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import {fortnoxError, list} from './emulator-answers.js'
import {priceRoute} from './emulator-price-routes.js'
import type {FortnoxState} from './emulator-state.js'

type Json = Record<string, unknown>

/**
 * Fortnox API v3 on loopback: bearer token, the 25-requests-per-5-s limit per token (429 with
 * Retry-After beyond it), `/3/customers`, `/3/articles`, `/3/orders`, `/3/companyinformation`, and the
 * price lists and prices (`emulator-price-routes.ts`).
 */
export function fortnoxHandler(
  state: FortnoxState,
  rateLimit = {limit: 25, windowMs: 5000},
): Handler & {rejectedForRate: () => number} {
  const limiter = new RateLimiter(rateLimit)
  const handler = ((request: SandboxRequest) => {
    if (!request.bearer || request.bearer !== state.token) return fortnoxError(401, 2000311, 'Invalid access token.')
    const retryAfter = limiter.retryAfter(request.bearer)
    if (retryAfter !== null)
      return fortnoxError(429, 2000429, 'Too many requests: 25 per 5 seconds per access token.', {
        'retry-after': String(retryAfter),
      })
    if (request.method !== 'GET')
      return fortnoxError(405, 2000105, `${request.method} is not supported by the sandbox.`)
    const path = request.path
    if (path === '/3/companyinformation')
      return json(200, {
        CompanyInformation: {CompanyName: state.companyName, OrganizationNumber: state.organisationNumber},
      })
    if (path === '/3/articles' || path === '/3/customers')
      return listRecords(request, lists(state)[path], state.maxPageSize)
    if (path === '/3/orders') return listOrders(state, request)
    return priceRoute(state, request) ?? single(state, path)
  }) as Handler & {rejectedForRate: () => number}
  handler.rejectedForRate = () => limiter.rejected
  return handler
}

/** Fortnox's limit per access token over a sliding window; counts the requests it turned away. */
class RateLimiter {
  private readonly sent = new Map<string, number[]>()
  rejected = 0

  constructor(private readonly rateLimit: {limit: number; windowMs: number}) {}

  /** Seconds to wait when this request is one too many (it is not counted), else null (it is). */
  retryAfter(token: string): number | null {
    const now = Date.now()
    const window = (this.sent.get(token) ?? []).filter((time) => time > now - this.rateLimit.windowMs)
    this.sent.set(token, window)
    if (window.length >= this.rateLimit.limit) {
      this.rejected++
      return Math.max(1, Math.ceil(((window[0] as number) + this.rateLimit.windowMs - now) / 1000))
    }
    window.push(now)
    return null
  }
}

interface RecordList {
  entries: Array<{record: Json; lastModified: string}>
  envelope: string
  /** The fields a list answer carries (a list leaves most of the record out). */
  fields: readonly string[]
  key: string
  /** The query parameter that filters by the key. */
  parameter: string
}

function lists(state: FortnoxState): Record<'/3/articles' | '/3/customers', RecordList> {
  return {
    '/3/articles': {
      entries: state.articles,
      envelope: 'Articles',
      fields: [
        '@url',
        'ArticleNumber',
        'Description',
        'DisposableQuantity',
        'EAN',
        'QuantityInStock',
        'SalesPrice',
        'Unit',
        'WebshopArticle',
      ],
      key: 'ArticleNumber',
      parameter: 'articlenumber',
    },
    '/3/customers': {
      entries: state.customers,
      envelope: 'Customers',
      fields: [
        '@url',
        'Address1',
        'Address2',
        'City',
        'CustomerNumber',
        'Email',
        'Name',
        'OrganisationNumber',
        'Phone1',
        'ZipCode',
      ],
      key: 'CustomerNumber',
      parameter: 'customernumber',
    },
  }
}

/** A list item's field as Fortnox's specification declares it: `ArticleListItem` has the price and disposable quantity as text. */
function listValue(field: string, value: unknown): unknown {
  return (field === 'SalesPrice' || field === 'DisposableQuantity') && typeof value === 'number' ? String(value) : value
}

/** The list endpoints with the filters synctrace uses: the number, and `lastmodified` (Swedish time). */
function listRecords(
  request: SandboxRequest,
  {entries, envelope, fields, key, parameter}: RecordList,
  maxPageSize: number,
): SandboxResponse {
  const number = request.query.get(parameter)
  const since = request.query.get('lastmodified')
  const sinceTime = since ? parseLocalDateTime(since, 'Europe/Stockholm') : null
  if (since && !sinceTime) return fortnoxError(400, 2000588, `Invalid value for lastmodified: ${since}.`)
  // `filter=active|inactive` (customers and articles), `sortby` the number or name, `sortorder` as asked.
  const filter = request.query.get('filter')
  if (filter && filter !== 'active' && filter !== 'inactive')
    return fortnoxError(400, 2000588, `Invalid value for filter: ${filter}.`)
  const matches = entries.filter(
    (entry) =>
      (!number || entry.record[key] === number) &&
      (!sinceTime || Date.parse(entry.lastModified) >= sinceTime.getTime()) &&
      (!filter || (entry.record.Active !== false) === (filter === 'active')),
  )
  const sortBy = request.query.get('sortby')
  if (sortBy === parameter) matches.sort((a, b) => String(a.record[key]).localeCompare(String(b.record[key])))
  if (sortBy === parameter && request.query.get('sortorder') === 'descending') matches.reverse()
  return list(
    request,
    envelope,
    matches.map(({record}) =>
      Object.fromEntries(
        fields.map((field) => [field === 'Phone1' ? 'Phone' : field, listValue(field, record[field])]),
      ),
    ),
    maxPageSize,
  )
}

/** `/3/orders`, by `externalinvoicereference1` (where the platform puts its order number). */
function listOrders(state: FortnoxState, request: SandboxRequest): SandboxResponse {
  const reference = request.query.get('externalinvoicereference1')
  const orders = state.orders.filter((order) => !reference || order.ExternalInvoiceReference1 === reference)
  return list(
    request,
    'Orders',
    orders.map(
      ({
        CustomerName,
        CustomerNumber,
        DocumentNumber,
        ExternalInvoiceReference1,
        OrderDate,
        Total,
        Cancelled,
        Sent,
      }) => ({
        Cancelled,
        CustomerName,
        CustomerNumber,
        DocumentNumber,
        ExternalInvoiceReference1,
        OrderDate,
        Sent,
        Total,
      }),
    ),
    state.maxPageSize,
  )
}

/** One customer, article or order by its number, with Fortnox's own 404 codes and (Swedish) messages. */
function single(state: FortnoxState, path: string): SandboxResponse {
  const customer = matchPath('/3/customers/:number', path)
  if (customer) {
    const found = state.customers.find((entry) => entry.record.CustomerNumber === customer.number)
    return found ? json(200, {Customer: found.record}) : fortnoxError(404, 2000433, 'Kan inte hitta kunden.')
  }
  const article = matchPath('/3/articles/:number', path)
  if (article) {
    const found = state.articles.find((entry) => entry.record.ArticleNumber === article.number)
    return found ? json(200, {Article: found.record}) : fortnoxError(404, 2001302, 'Kan inte hitta artikeln.')
  }
  const order = matchPath('/3/orders/:number', path)
  if (order) {
    const found = state.orders.find((entry) => entry.DocumentNumber === order.number)
    return found ? json(200, {Order: found}) : fortnoxError(404, 2000428, 'Kan inte hitta ordern.')
  }
  return fortnoxError(404, 2000000, `No such resource: ${path}`)
}
