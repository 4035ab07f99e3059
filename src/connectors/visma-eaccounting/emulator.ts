import {createHash, randomBytes, randomUUID} from 'node:crypto'

import {ODataSyntaxError, parseFilter} from '../../emulation/odata-filter.js'
import type {PlatformAddressJson, PlatformCustomerJson, PlatformItemJson} from '../../emulation/records.js'
import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {type BookedOrder, defineErpEmulator, type EmulatedErpSection} from '../../emulation/erp-emulator.js'

type Json = Record<string, unknown>

/** Visma eAccounting as the sandbox holds it: records in the API's wire form, the client, the tokens. */
export interface VismaEAccountingState {
  companyName: string
  organisationNumber: string
  clientId: string
  clientSecret: string
  /** The one refresh token Visma Connect accepts now; every refresh spends it and issues the next. */
  refreshToken: string
  /** Visma Connect's "one-time" refresh tokens (the default) or "reuse" (the same one comes back). */
  refreshTokenUsage: 'one-time' | 'reuse'
  accessTokens: Set<string>
  customers: Json[]
  articles: Json[]
  orders: Json[]
  /** 600 per minute per client and endpoint; a seed may make it smaller to see it at work. */
  rateLimit: {limit: number; windowMs: number}
  /** Requests answered 429 so far (a test reads it). */
  rejectedForRate: number
  /** Refresh tokens presented again after they were spent (a test reads it). */
  spentTokenReuses: number
}

const statuses: Record<string, number> = {Draft: 1, Invoiced: 4, Ongoing: 2, Open: 2, Shipped: 3}

function guid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** `{"ErrorCode", "DeveloperErrorMessage", "ErrorId"}`, eAccounting's error body. */
function apiError(status: number, code: number, message: string): SandboxResponse {
  return json(status, {DeveloperErrorMessage: message, ErrorCode: code, ErrorId: randomUUID()})
}

/** Visma Connect's (IdentityServer's) token error: `{"error": "invalid_grant"}`. */
function tokenError(status: number, error: string, description?: string): SandboxResponse {
  return json(status, description ? {error, error_description: description} : {error})
}

/** `Meta`/`Data` paging: `$page` from 1, `$pagesize` 1–1000 (default 50). */
function paginated(request: SandboxRequest, entries: Json[]): SandboxResponse {
  const size = Number(request.query.get('$pagesize') ?? 50)
  const page = Number(request.query.get('$page') ?? 1)
  if (!Number.isInteger(size) || size < 1 || size > 1000) return apiError(400, 2000, `The value of $pagesize must be between 1 and 1000.`)
  if (!Number.isInteger(page) || page < 1) return apiError(400, 2000, `The value of $page must be 1 or more.`)
  return json(200, {
    Data: entries.slice((page - 1) * size, page * size),
    Meta: {CurrentPage: page, PageSize: size, ServerTimeUtc: new Date().toISOString(), TotalNumberOfPages: Math.ceil(entries.length / size), TotalNumberOfResults: entries.length},
  })
}

function filtered(request: SandboxRequest, entries: Json[]): Json[] | SandboxResponse {
  const filter = request.query.get('$filter')
  if (!filter) return entries
  try {
    const predicate = parseFilter(filter)
    return entries.filter(predicate)
  } catch (error) {
    if (error instanceof ODataSyntaxError) return apiError(400, 2000, `Invalid $filter: ${error.message}`)
    throw error
  }
}

function basicCredentials(request: SandboxRequest): {id: string; secret: string} | null {
  const header = request.headers.authorization
  if (typeof header !== 'string' || !/^Basic /i.test(header)) return null
  const [id, secret] = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':', 2)
  try {
    return id === undefined || secret === undefined ? null : {id: decodeURIComponent(id), secret: decodeURIComponent(secret)}
  } catch {
    return null
  }
}

/**
 * Visma Connect's token endpoint (`POST /connect/token`, form body, the client in HTTP Basic) and the
 * eAccounting API v2 under `/v2` on loopback: bearer tokens, 600 requests per minute per client and
 * endpoint (429 with ErrorCode 4010 and "Try again in N seconds", no Retry-After), `Meta`/`Data` lists with
 * `$filter`, `$page`, `$pagesize`.
 */
function handler(state: VismaEAccountingState): Handler {
  const sent = new Map<string, number[]>()
  return (request) => {
    if (request.path === '/connect/token') return token(state, request)
    if (!request.bearer || !state.accessTokens.has(request.bearer)) return apiError(401, 4005, 'AuthorizationException - Authorization has been denied for this request.')
    const endpoint = (request.path.split('/')[2] ?? '').toLowerCase()
    const now = Date.now()
    const window = (sent.get(endpoint) ?? []).filter((time) => time > now - state.rateLimit.windowMs)
    if (window.length >= state.rateLimit.limit) {
      state.rejectedForRate++
      sent.set(endpoint, window)
      const seconds = Math.max(1, Math.ceil(((window[0] as number) + state.rateLimit.windowMs - now) / 1000))
      const per = state.rateLimit.windowMs === 60_000 ? 'Minute' : `${Math.round(state.rateLimit.windowMs / 1000)} Seconds`
      return apiError(429, 4010, `API calls quota exceeded! maximum admitted ${state.rateLimit.limit} per ${per}. Try again in ${seconds} seconds.`)
    }
    window.push(now)
    sent.set(endpoint, window)
    if (request.method !== 'GET') return apiError(405, 2000, `The requested resource does not support http method '${request.method}'.`)
    if (request.path === '/v2/companysettings') return json(200, {CorporateIdentityNumber: state.organisationNumber, CurrencyCode: 'SEK', Name: state.companyName})
    const lists: Record<string, Json[]> = {'/v2/articles': state.articles, '/v2/customers': state.customers, '/v2/orders': state.orders}
    const list = lists[request.path]
    if (list) {
      const matches = filtered(request, list)
      return Array.isArray(matches) ? paginated(request, matches) : matches
    }
    for (const [pattern, entries, what] of [
      ['/v2/customers/:id', state.customers, 'Customer'],
      ['/v2/articles/:id', state.articles, 'Article'],
      ['/v2/orders/:id', state.orders, 'Order'],
    ] as const) {
      const match = matchPath(pattern, request.path)
      if (!match) continue
      const found = entries.find((entry) => entry.Id === match.id)
      return found ? json(200, found) : apiError(404, 3000, `${what} with id ${match.id} was not found.`)
    }
    return apiError(404, 3000, `No HTTP resource was found that matches the request URI '${request.path}'.`)
  }
}

function token(state: VismaEAccountingState, request: SandboxRequest): SandboxResponse {
  if (request.method !== 'POST') return tokenError(405, 'invalid_request')
  if (!/application\/x-www-form-urlencoded/i.test(String(request.headers['content-type'] ?? '')))
    return tokenError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded')
  const form = new URLSearchParams(request.body)
  const client = basicCredentials(request)
  if (!client || client.id !== state.clientId || client.secret !== state.clientSecret) return tokenError(400, 'invalid_client')
  if (form.get('grant_type') !== 'refresh_token') return tokenError(400, 'unsupported_grant_type')
  if (form.get('refresh_token') !== state.refreshToken) {
    state.spentTokenReuses++
    return tokenError(400, 'invalid_grant')
  }
  const accessToken = `sbx-visma-access-${randomBytes(18).toString('base64url')}`
  state.accessTokens.add(accessToken)
  if (state.refreshTokenUsage === 'one-time') state.refreshToken = `sbx-visma-refresh-${randomBytes(18).toString('base64url')}`
  return json(200, {access_token: accessToken, expires_in: 3600, refresh_token: state.refreshToken, scope: 'ea:api ea:sales_readonly offline_access', token_type: 'Bearer'})
}

function main(addresses: PlatformAddressJson[], type: string): PlatformAddressJson | undefined {
  return addresses.find((address) => address.addressType === type && address.isMain) ?? addresses.find((address) => address.addressType === type)
}

/** A platform-shaped customer in eAccounting's `CustomerApi` form: one invoice and at most one delivery address. */
function toWire(customer: PlatformCustomerJson, modifiedAt: string): Json {
  const invoice = main(customer.addresses, 'Invoice')
  const given = main(customer.addresses, 'Delivery')
  // eAccounting keeps the Delivery* fields only when they differ from the invoice address.
  const sameAsInvoice = (address: PlatformAddressJson) =>
    invoice !== undefined && (['addressLine1', 'addressLine2', 'postCode', 'city', 'countryCode'] as const).every((field) => address[field] === invoice[field])
  const delivery = given && !sameAsInvoice(given) ? given : undefined
  return {
    ChangedUtc: modifiedAt,
    ContactPersonName: null,
    CorporateIdentityNumber: null,
    CurrencyCode: 'SEK',
    CustomerNumber: customer.customerCode,
    DeliveryAddress1: delivery?.addressLine1 ?? null,
    DeliveryAddress2: delivery?.addressLine2 || null,
    DeliveryCity: delivery?.city ?? null,
    DeliveryCountryCode: delivery?.countryCode ?? null,
    DeliveryCustomerName: delivery ? customer.name : null,
    DeliveryPostalCode: delivery?.postCode ?? null,
    EmailAddress: customer.email || null,
    Id: guid('customer', customer.customerCode),
    InvoiceAddress1: invoice?.addressLine1 ?? null,
    InvoiceAddress2: invoice?.addressLine2 || null,
    InvoiceCity: invoice?.city ?? '',
    InvoiceCountryCode: invoice?.countryCode ?? null,
    InvoicePostalCode: invoice?.postCode ?? '',
    IsActive: !customer.blocked,
    IsPrivatePerson: customer.isPrivate,
    MobilePhone: null,
    Name: customer.name,
    Telephone: customer.phone || null,
    TermsOfPaymentId: guid('terms', '30'),
  }
}

/** What the platform's eAccounting connector writes to the CMS for a customer it read. */
function toPlatform(entry: Json, previous: Json | undefined): PlatformCustomerJson {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const own = {
    addressLine1: text(entry.InvoiceAddress1),
    addressLine2: text(entry.InvoiceAddress2),
    city: text(entry.InvoiceCity),
    countryCode: text(entry.InvoiceCountryCode),
    postCode: text(entry.InvoicePostalCode),
  }
  const hasDelivery = Boolean(entry.DeliveryAddress1 || entry.DeliveryCity || entry.DeliveryPostalCode)
  const delivery = hasDelivery
    ? {
        addressLine1: text(entry.DeliveryAddress1),
        addressLine2: text(entry.DeliveryAddress2),
        city: text(entry.DeliveryCity),
        countryCode: text(entry.DeliveryCountryCode),
        postCode: text(entry.DeliveryPostalCode),
      }
    : own
  const previousReps = previous?.salesRepCodes
  return {
    addresses: [
      {...own, addressType: 'Invoice', isMain: true},
      {...delivery, addressType: 'Delivery', isMain: true},
    ],
    // eAccounting has no blocked flag, sales rep or price list code: the CMS keeps its own settings.
    blocked: previous?.blocked === true,
    customerCode: text(entry.CustomerNumber),
    email: text(entry.EmailAddress),
    isPrivate: entry.IsPrivatePerson === true,
    name: text(entry.Name),
    phone: text(entry.Telephone),
    priceListCode: typeof previous?.priceListCode === 'string' ? previous.priceListCode : '',
    salesRepCodes: Array.isArray(previousReps) ? previousReps.filter((rep): rep is string => typeof rep === 'string') : [],
  }
}

export const vismaEAccountingEmulator = defineErpEmulator<VismaEAccountingState>({
  clearOrders: (state) => {
    state.orders = []
  },
  cannotSupply: ['salesRep'],
  cmsSystem: 'visma',
  create: (seed) => {
    const rateLimit = (seed.rateLimit ?? {}) as {limit?: number; windowMs?: number}
    return {
      accessTokens: new Set(),
      articles: [],
      clientId: 'synctrace-sandbox',
      clientSecret: `sbx-visma-secret-${randomBytes(12).toString('base64url')}`,
      companyName: typeof seed.companyName === 'string' ? seed.companyName : 'Sandbox AB',
      customers: [],
      orders: [],
      organisationNumber: typeof seed.organisationNumber === 'string' ? seed.organisationNumber : '556000-0000',
      rateLimit: {limit: rateLimit.limit ?? 600, windowMs: rateLimit.windowMs ?? 60_000},
      refreshToken: `sbx-visma-refresh-${randomBytes(18).toString('base64url')}`,
      refreshTokenUsage: seed.refreshTokenUsage === 'reuse' ? 'reuse' : 'one-time',
      rejectedForRate: 0,
      spentTokenReuses: 0,
    }
  },
  handler: (state) => handler(state),
  hasCustomer: (state, code) => state.customers.some((entry) => entry.CustomerNumber === code),
  hasItem: (state, code) => state.articles.some((entry) => entry.Number === code),
  keepCredentials: (running, next) => {
    Object.assign(next, {
      accessTokens: running.accessTokens,
      clientId: running.clientId,
      clientSecret: running.clientSecret,
      refreshToken: running.refreshToken,
      refreshTokenUsage: running.refreshTokenUsage,
    })
  },
  profile: (state, url): EmulatedErpSection => ({
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    refreshToken: state.refreshToken,
    system: 'visma-eaccounting',
    tokenUrl: `${url}/connect/token`,
    url,
  }),
  putCustomer: (state, customer, modifiedAt) => {
    state.customers = [...state.customers.filter((entry) => entry.CustomerNumber !== customer.customerCode), toWire(customer, modifiedAt)]
  },
  putItem: (state, item: PlatformItemJson, modifiedAt) => {
    state.articles = [
      ...state.articles.filter((entry) => entry.Number !== item.itemCode),
      {
        ChangedUtc: modifiedAt,
        CodingId: guid('coding', 'goods-25'),
        CreatedUtc: modifiedAt,
        GrossPrice: Math.round(item.price * 125) / 100,
        Id: guid('article', item.itemCode),
        IsActive: item.active,
        IsStock: true,
        Name: item.description,
        NetPrice: item.price,
        Number: item.itemCode,
        SendToWebshop: item.webshop,
        StockBalance: item.stock,
        StockBalanceAvailable: item.stock,
        StockBalanceManuallyChangedUtc: null,
        StockBalanceReserved: 0,
        UnitAbbreviation: item.unit,
        UnitId: guid('unit', item.unit),
        UnitName: item.unit,
      },
    ]
  },
  putOrder: (state, order: BookedOrder) => {
    const customer = state.customers.find((entry) => entry.CustomerNumber === order.customerCode)
    state.orders = [
      ...state.orders.filter((entry) => String(entry.Number) !== order.documentNumber),
      {
        Amount: Math.round(order.total * 100) / 100,
        CreatedUtc: order.modifiedAt,
        CurrencyCode: 'SEK',
        CustomerId: customer?.Id ?? guid('customer', order.customerCode),
        Id: guid('order', order.documentNumber),
        InvoiceCustomerName: order.customerName ?? customer?.Name ?? null,
        ModifiedUtc: order.modifiedAt,
        Number: Number(order.documentNumber),
        OrderDate: order.orderDate,
        // The platform's connector writes its order number where eAccounting keeps "our reference".
        OurReference: order.orderNr,
        Rows: [],
        Status: statuses[order.status] ?? 2,
        YourReference: order.yourReference,
      },
    ]
  },
  removeCustomer: (state, code) => {
    state.customers = state.customers.filter((entry) => entry.CustomerNumber !== code)
  },
  removeItem: (state, code) => {
    state.articles = state.articles.filter((entry) => entry.Number !== code)
  },
  secrets: (state) => [state.clientSecret, state.refreshToken, ...state.accessTokens],
  // The platform lists customers with IsActive eq true; CustomerCode and CustomerName are mandatory.
  sourceCustomers: (state, previous) =>
    state.customers
      .filter((entry) => entry.IsActive !== false)
      .map((entry) => {
        const code = String(entry.CustomerNumber ?? '')
        if (!entry.Name)
          return {code, modifiedAt: entry.ChangedUtc, problem: 'CustomerCode and CustomerName are mandatory: the record was logged as invalid and skipped', record: null}
        return {code, modifiedAt: entry.ChangedUtc, problem: null, record: toPlatform(entry, previous(code))}
      }),
  sourceItems: (state, previous) =>
    state.articles.map((entry) => {
      const code = String(entry.Number)
      return {
        code,
        modifiedAt: entry.ChangedUtc,
        // An article has no currency: the CMS keeps its own.
        record: {
          active: entry.IsActive === true,
          currency: previous(code)?.currency ?? 'SEK',
          description: entry.Name,
          itemCode: code,
          price: entry.NetPrice,
          stock: entry.StockBalanceAvailable,
          unit: entry.UnitAbbreviation,
          webshop: entry.SendToWebshop === true,
        },
      }
    }),
  system: 'visma-eaccounting',
})
