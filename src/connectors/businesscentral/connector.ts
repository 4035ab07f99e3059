import type {HttpClient, HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import type {ErpConnector, ErpCustomerRecord, ErpItemRecord, ErpListing, ErpOrderRecord} from '../erp.js'
import {type BearerToken, type ClientCredentialsGrant, ClientCredentialsToken, readyToken} from '../oauth2.js'
import {odataEquals, odataQuery} from '../odata.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {toRecord} from './customer-record.js'
import {listCustomerRecords, listItemRecords} from './listing.js'
import * as schemas from './schemas.js'

export interface BusinessCentralSettings {
  /** `https://api.businesscentral.dynamics.com` */
  url: string
  tenant: string
  environment: string
  companyId: string
  /** Either a ready bearer token, or OAuth2 client credentials. */
  auth: {token: string} | {tokenUrl?: string; clientId: string; clientSecret: string; scope?: string}
  /** Route of the ship-to addresses API of the platform's AL extension (standard v2.0 has none). */
  shipToApiPath?: string
}

const system = 'Business Central'
const itemNotSupplied = [
  {field: 'currency', reason: 'a Business Central item names no currency (amounts are in the company currency)'},
  {field: 'webshop', reason: "Business Central's standard API v2.0 has no webshop flag"},
]
const defaultShipToApiPath = 'api/OptimizersBV/App4Sales/v1.0'
const maxPages = 50

/** BC error bodies: OData `{"error": {"code", "message"}}`; Entra ID token errors: `{"error", "error_description"}`. */
export function describeBusinessCentralError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {error, error_description: description} = body as {error?: unknown; error_description?: unknown}
  if (error && typeof error === 'object') {
    const {code, message} = error as {code?: unknown; message?: unknown}
    return [code, message].filter((part) => typeof part === 'string').join(': ') || undefined
  }
  if (typeof error === 'string')
    return typeof description === 'string' ? `${error}: ${description.split('\n')[0]}` : error
  return undefined
}

/**
 * Microsoft Dynamics 365 Business Central, API v2.0: customers by `$filter=number eq '…'`, their
 * ship-to addresses from the AL extension's `shipToAddresses`, `@odata.nextLink` paging, OData errors.
 */
export class BusinessCentralConnector implements ErpConnector {
  readonly system = 'businesscentral'
  readonly displayName = system
  private readonly accessToken: BearerToken
  /** Set once a listing came out of UTF-8 byte order: later listings join ship-tos per batch instead of by a sorted merge. */
  private readonly listingState = {byteOrder: true}

  constructor(
    private readonly http: HttpClient,
    private readonly settings: BusinessCentralSettings,
  ) {
    this.accessToken =
      'token' in settings.auth
        ? readyToken(settings.auth.token)
        : new ClientCredentialsToken(http, entraGrant(settings.auth, settings.tenant))
  }

  private companyUrl(apiPath: string): string {
    const {companyId, environment, tenant, url} = this.settings
    return `${url.replace(/\/+$/, '')}/v2.0/${encodeURIComponent(tenant)}/${encodeURIComponent(environment)}/${apiPath}/companies(${companyId})`
  }

  private token(): Promise<string> {
    return this.accessToken.get()
  }

  /** Every entity of a filtered collection, following `@odata.nextLink` to the page without one. */
  private async collect(firstUrl: string): Promise<JsonObject[]> {
    const token = await this.token()
    const entities: JsonObject[] = []
    let url = firstUrl
    for (let page = 0; page < maxPages; page++) {
      const response: HttpResponse = await this.http.requestJson({
        describeError: describeBusinessCentralError,
        headers: {authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=100'},
        url,
      })
      const body = parseAnswer(schemas.collection, response.body, system, 'the collection')
      entities.push(...body.value)
      const next = body['@odata.nextLink']
      if (typeof next !== 'string') return entities
      url = sameOriginLink(next, url)
    }
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the collection did not end within ${maxPages} pages`,
    })
  }

  async probe(): Promise<{details: Record<string, string>; serverDate: string | null}> {
    const token = await this.token()
    const response = await this.http.requestJson({
      describeError: describeBusinessCentralError,
      headers: {authorization: `Bearer ${token}`},
      url: `${this.companyUrl('api/v2.0').replace(/\/companies\([^)]*\)$/, '')}/companies`,
    })
    const companies = parseAnswer(schemas.collection, response.body, system, 'the companies').value.map((entry) =>
      parseAnswer(schemas.company, entry, system, 'a company'),
    )
    const company = companies.find((entry) => entry.id === this.settings.companyId)
    if (!company)
      throw new RequestProblem({
        kind: 'http-error',
        message: `${system}: the company ${this.settings.companyId} is not among the ${companies.length} companies of this environment`,
      })
    const date = response.headers.date
    return {
      details: {
        api: 'v2.0',
        company: company.name ?? '',
        environment: this.settings.environment,
        version: company.systemVersion ?? 'unknown',
      },
      serverDate: typeof date === 'string' ? date : null,
    }
  }

  /** Every customer with its ship-to addresses (`customers?$orderby=number`, `shipToAddresses?$orderby=customerNumber`, joined). */
  listCustomers(): ErpListing<ErpCustomerRecord> {
    return listCustomerRecords({
      customersUrl: `${this.companyUrl('api/v2.0')}/customers`,
      describeError: describeBusinessCentralError,
      http: this.http,
      sameOrigin: sameOriginLink,
      shipToFallback,
      shipTosUrl: `${this.companyUrl(this.settings.shipToApiPath ?? defaultShipToApiPath)}/shipToAddresses`,
      state: this.listingState,
      toRecord,
      token: () => this.token(),
    })
  }

  /** Every item (`items?$orderby=number`). */
  listItems(): ErpListing<ErpItemRecord> {
    return listItemRecords({
      describeError: describeBusinessCentralError,
      http: this.http,
      itemsUrl: `${this.companyUrl('api/v2.0')}/items`,
      sameOrigin: sameOriginLink,
      state: this.listingState,
      toItem: (entity) => ({...parseAnswer(schemas.item, entity, system, 'the item'), notSupplied: itemNotSupplied}),
      token: () => this.token(),
    })
  }

  /** `items?$filter=number eq '…'`: price (`unitPrice`), stock (`inventory`), `blocked`. */
  async findItem(code: string): Promise<ErpItemRecord | null> {
    const entities = await this.collect(
      `${this.companyUrl('api/v2.0')}/items?${odataQuery({$filter: odataEquals('number', code)})}`,
    )
    const entity = entities.find((candidate) => String(candidate.number) === code)
    if (!entity) return null
    return {...parseAnswer(schemas.item, entity, system, 'the item'), notSupplied: itemNotSupplied}
  }

  /** `salesOrders?$filter=externalDocumentNumber eq '…'` (how the platform's orders carry their number), else by `number`. */
  async findOrder(orderNr: string, erpDocumentNumber: string | null): Promise<ErpOrderRecord | null> {
    const base = `${this.companyUrl('api/v2.0')}/salesOrders`
    let entities = await this.collect(
      `${base}?${odataQuery({$filter: odataEquals('externalDocumentNumber', orderNr)})}`,
    )
    if (entities.length === 0 && erpDocumentNumber)
      entities = await this.collect(`${base}?${odataQuery({$filter: odataEquals('number', erpDocumentNumber)})}`)
    const entity = entities[0]
    if (!entity) return null
    return parseAnswer(schemas.salesOrder, entity, system, 'the sales order')
  }

  async missingPrerequisites(
    customerCode: string,
    itemCodes: string[],
  ): Promise<{customers: string[]; items: string[]}> {
    const unique = [...new Set(itemCodes)]
    const [customer, ...items] = await Promise.all([
      this.collect(
        `${this.companyUrl('api/v2.0')}/customers?${odataQuery({$filter: odataEquals('number', customerCode)})}`,
      ),
      ...unique.map((code) =>
        this.collect(`${this.companyUrl('api/v2.0')}/items?${odataQuery({$filter: odataEquals('number', code)})}`),
      ),
    ])
    return {
      customers: customer && customer.length > 0 ? [] : [customerCode],
      items: unique.filter((_code, index) => (items[index] ?? []).length === 0),
    }
  }

  async findCustomer(code: string): Promise<ErpCustomerRecord | null> {
    const customerUrl = `${this.companyUrl('api/v2.0')}/customers?${odataQuery({$filter: odataEquals('number', code)})}`
    const shipToUrl = `${this.companyUrl(this.settings.shipToApiPath ?? defaultShipToApiPath)}/shipToAddresses?${odataQuery(
      {
        $filter: odataEquals('customerNumber', code),
      },
    )}`
    const [customers, shipTos] = await Promise.all([
      this.collect(customerUrl),
      this.collect(shipToUrl).catch(shipToFallback),
    ])
    const match = customers.find((entity) => String(entity.number) === code)
    if (!match) return null
    return toRecord(match, shipTos)
  }
}

/**
 * A next link is followed only on the origin of the request that returned it: the bearer token must never
 * reach another host.
 */
function sameOriginLink(next: string, current: string): string {
  let resolved: URL
  try {
    resolved = new URL(next, current)
  } catch {
    throw new RequestProblem({kind: 'bad-response', message: `${system}: the @odata.nextLink is not a URL`})
  }
  if (resolved.origin !== new URL(current).origin)
    throw new RequestProblem({
      kind: 'bad-response',
      message: `${system}: the @odata.nextLink points at another origin (${resolved.origin}); not followed, so the token stays with ${new URL(current).origin}`,
    })
  return resolved.toString()
}

/** A BC without the extension answers 404 for the ship-to route: the customer is still found, without ship-tos (null). */
function shipToFallback(error: unknown): null {
  if (error instanceof RequestProblem && error.problem.httpStatus === 404) return null
  throw error
}

/** Entra ID's client-credentials grant for Business Central's API. */
function entraGrant(
  auth: Exclude<BusinessCentralSettings['auth'], {token: string}>,
  tenant: string,
): ClientCredentialsGrant {
  return {
    describeError: describeBusinessCentralError,
    form: () => ({
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
      grant_type: 'client_credentials',
      scope: auth.scope ?? 'https://api.businesscentral.dynamics.com/.default',
    }),
    // A failed token request stays the answer for this connector: later lookups fail with it, unasked.
    keepsFailure: true,
    read: (body) => ({accessToken: parseAnswer(schemas.tokenAnswer, body, system, 'the token response')}),
    // Asking for a token twice is harmless: retried like every idempotent request.
    resend: 'retry',
    url: auth.tokenUrl ?? `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
  }
}
