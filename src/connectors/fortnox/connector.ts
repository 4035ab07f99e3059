import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import type {CanonicalAddress, CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import type {ErpConnector, ErpCustomerRecord, ErpItemRecord, ErpOrderRecord} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {asArray, asObject, type JsonObject, optionalBoolean, optionalNumber, optionalString, requiredString} from '../validate.js'
import {SlidingWindowLimiter} from './rate-limit.js'

export interface FortnoxSettings {
  /** `https://api.fortnox.se` (the connector adds `/3`). */
  url: string
  token: string
}

const system = 'Fortnox'

/** `{"ErrorInformation": {"error", "message", "code"}}` (the OpenAPI spec capitalises the keys; both are read). */
export function describeFortnoxError(_status: number, body: unknown): string | undefined {
  const info = body && typeof body === 'object' ? ((body as JsonObject).ErrorInformation as JsonObject | undefined) : undefined
  if (!info || typeof info !== 'object') return undefined
  const message = info.message ?? info.Message
  const code = info.code ?? info.Code
  return [typeof message === 'string' ? message : null, code === undefined ? null : `(code ${String(code)})`].filter(Boolean).join(' ') || undefined
}

function fortnoxCode(body: unknown): number | null {
  const info = body && typeof body === 'object' ? ((body as JsonObject).ErrorInformation as JsonObject | undefined) : undefined
  const code = info?.code ?? info?.Code
  return typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : null
}

/** Empty Fortnox fields are `null` although the spec types them as strings: read them as empty. */
const text = (object: JsonObject, field: string) => optionalString(object, field) ?? ''

/** "YYYY-MM-DD HH:MM", the `lastmodified` parameter's format, in Swedish time (Fortnox's own zone). */
function lastModifiedParameter(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {day: '2-digit', hour: '2-digit', hourCycle: 'h23', minute: '2-digit', month: '2-digit', timeZone: 'Europe/Stockholm', year: 'numeric'})
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/**
 * Fortnox API v3: `/3/customers/{CustomerNumber}` (`{"Customer": …}`), `/3/articles/{ArticleNumber}`,
 * `/3/orders`, `MetaInformation` paging, `ErrorInformation` errors, and the 25-requests-per-5-s limit kept
 * by the client (a 429 with Retry-After is still honoured).
 */
export class FortnoxConnector implements ErpConnector {
  readonly system = 'fortnox'
  readonly displayName = system
  // A quarter second of margin, so that network jitter never makes the server count 26 in its window.
  private readonly limiter = new SlidingWindowLimiter(25, 5250)

  constructor(
    private readonly http: HttpClient,
    private readonly settings: FortnoxSettings,
  ) {}

  private async get(path: string, notFound = false): Promise<HttpResponse | null> {
    await this.limiter.acquire()
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
      throw new RequestProblem({httpStatus: response.status, kind: 'http-error', message: `${system}: HTTP ${response.status}: ${describeFortnoxError(response.status, response.body) ?? 'bad request'}`})
    }
    return response
  }

  async probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    const response = (await this.get('/companyinformation')) as HttpResponse
    const info = asObject(asObject(response.body, system, 'the company information').CompanyInformation, system, '"CompanyInformation"')
    return {details: {api: 'v3', company: text(info, 'CompanyName'), organisationNumber: text(info, 'OrganizationNumber')}, serverDate: typeof response.headers.date === 'string' ? response.headers.date : null}
  }

  async findCustomer(code: string): Promise<ErpCustomerRecord | null> {
    const response = await this.get(`/customers/${pathSegment(code)}`, true)
    if (!response) return null
    const customer = asObject(asObject(response.body, system, 'the answer').Customer, system, '"Customer"')
    return {
      customer: toCanonicalCustomer(customer),
      derived: [],
      erpId: null,
      modifiedAt: null,
      notSupplied: [{field: 'blocked', reason: 'the platform reads no blocked flag from Fortnox customers'}],
      // The platform's Fortnox connector lists customers with filter=active: an inactive one never arrives.
      skippedBecause: customer.Active === false ? 'inactive in Fortnox: the platform reads only active Fortnox customers (filter=active)' : null,
    }
  }

  /**
   * Has the record changed since `since`? Fortnox customers and articles carry no change time, but their
   * lists take a `lastmodified` filter: `/3/customers?customernumber=…&lastmodified=…`, `/3/articles?articlenumber=…&lastmodified=…`.
   */
  async changedSince(entity: 'customer' | 'item', code: string, since: Date): Promise<boolean> {
    const [resource, keyParameter, envelope, keyField] =
      entity === 'customer' ? (['customers', 'customernumber', 'Customers', 'CustomerNumber'] as const) : (['articles', 'articlenumber', 'Articles', 'ArticleNumber'] as const)
    const query = new URLSearchParams({[keyParameter]: code, lastmodified: lastModifiedParameter(since)})
    const response = (await this.get(`/${resource}?${query}`)) as HttpResponse
    const entries = asArray(asObject(response.body, system, `the ${entity} list`)[envelope], system, `"${envelope}"`)
    return entries.some((entry) => entry !== null && typeof entry === 'object' && String((entry as JsonObject)[keyField]) === code)
  }

  async findItem(code: string): Promise<ErpItemRecord | null> {
    const response = await this.get(`/articles/${pathSegment(code)}`, true)
    if (!response) return null
    const article = asObject(asObject(response.body, system, 'the answer').Article, system, '"Article"')
    const item: CanonicalItem = {
      active: optionalBoolean(article, 'Active'),
      code: requiredString(article, 'ArticleNumber', system, 'the article'),
      currency: null,
      description: optionalString(article, 'Description'),
      price: optionalNumber(article, 'SalesPrice'),
      // The platform's connector shows DisposableQuantity when no warehouse is set up.
      stock: optionalNumber(article, 'DisposableQuantity') ?? optionalNumber(article, 'QuantityInStock'),
      unit: optionalString(article, 'Unit'),
      webshop: optionalBoolean(article, 'WebshopArticle'),
    }
    return {erpId: null, item, modifiedAt: null, notSupplied: [{field: 'currency', reason: 'a Fortnox article has no currency (prices are in the company currency)'}]}
  }

  async findOrder(orderNr: string, erpDocumentNumber: string | null): Promise<ErpOrderRecord | null> {
    let documentNumber = erpDocumentNumber
    if (!documentNumber) {
      const response = (await this.get(`/orders?${new URLSearchParams({externalinvoicereference1: orderNr})}`)) as HttpResponse
      const orders = asArray(asObject(response.body, system, 'the order list').Orders, system, '"Orders"') as JsonObject[]
      documentNumber = orders.map((order) => optionalString(order, 'DocumentNumber')).find((value) => value !== null) ?? null
    }
    if (!documentNumber) return null
    const response = await this.get(`/orders/${pathSegment(documentNumber)}`, true)
    if (!response) return null
    const order = asObject(asObject(response.body, system, 'the answer').Order, system, '"Order"')
    const reference = optionalString(order, 'ExternalInvoiceReference1') || optionalString(order, 'YourOrderNumber')
    return {
      customerCode: optionalString(order, 'CustomerNumber'),
      documentNumber: requiredString(order, 'DocumentNumber', system, 'the order'),
      externalReference: reference,
      modifiedAt: null,
      status: order.Cancelled === true ? 'Cancelled' : order.Sent === true ? 'Sent' : 'Open',
    }
  }

  async missingPrerequisites(customerCode: string, itemCodes: string[]): Promise<{customers: string[]; items: string[]}> {
    const unique = [...new Set(itemCodes)]
    const [customer, ...items] = await Promise.all([this.findCustomer(customerCode), ...unique.map((code) => this.findItem(code))])
    return {customers: customer ? [] : [customerCode], items: unique.filter((_code, index) => !items[index])}
  }
}

function toCanonicalCustomer(customer: JsonObject): CanonicalCustomer {
  const addresses: CanonicalAddress[] = []
  if (text(customer, 'Address1') || text(customer, 'City'))
    addresses.push({addressLine1: text(customer, 'Address1'), addressLine2: text(customer, 'Address2'), city: text(customer, 'City'), countryCode: text(customer, 'CountryCode') || text(customer, 'Country'), isMain: true, postCode: text(customer, 'ZipCode'), type: 'Invoice'})
  if (text(customer, 'DeliveryAddress1') || text(customer, 'DeliveryCity'))
    addresses.push({
      addressLine1: text(customer, 'DeliveryAddress1'),
      addressLine2: text(customer, 'DeliveryAddress2'),
      city: text(customer, 'DeliveryCity'),
      // Compare on the code: Country holds the name in Swedish ("Sverige").
      countryCode: text(customer, 'DeliveryCountryCode') || text(customer, 'DeliveryCountry'),
      isMain: true,
      postCode: text(customer, 'DeliveryZipCode'),
      type: 'Delivery',
    })
  const rep = text(customer, 'OurReference')
  const type = optionalString(customer, 'Type')
  return {
    addresses,
    blocked: null,
    code: requiredString(customer, 'CustomerNumber', system, 'the customer'),
    email: optionalString(customer, 'Email'),
    isPrivate: type === null ? null : type.toUpperCase() === 'PRIVATE',
    name: optionalString(customer, 'Name'),
    phone: optionalString(customer, 'Phone1'),
    priceListCode: optionalString(customer, 'PriceList'),
    // The platform reads the customer manager from OurReference (one of its settings).
    salesRepCodes: rep === '' ? [] : [rep],
  }
}
