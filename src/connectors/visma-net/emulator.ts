import {createHash, randomBytes, randomUUID} from 'node:crypto'

import type {PlatformCustomerJson, PlatformItemJson} from '../../emulation/records.js'
import {json, matchPath, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {type BookedOrder, defineErpEmulator, type SourceCustomer, type SourceItem} from '../../emulation/erp-emulator.js'

type Json = Record<string, unknown>

/** Visma.net ERP as the sandbox holds it: DTOs in the API's own field names, the Visma Connect client, the window. */
export interface VismaNetState {
  tenantId: string
  clientId: string
  clientSecret: string
  companyId: string
  companyName: string
  customers: Json[]
  inventory: Json[]
  salesOrders: Json[]
  /** The fixed window per company and client, as `X-RateLimit-*` states it. */
  rateLimit: {limit: number; windowMs: number}
  window: {startedAt: number; count: number}
  /** Requests answered 429, for tests to see that the client kept below the limit. */
  rejected: number
  tokens: string[]
}

const maxPageSize = 1000
const countryNames: Record<string, string> = {DK: 'Denmark', FI: 'Finland', IE: 'Ireland', NO: 'Norway', SE: 'Sweden'}

/** A stable integer id (Visma.net's `internalId`, `inventoryId`) for the same key. */
function internalId(...parts: string[]): number {
  return Number.parseInt(createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 7), 16)
}

/** Visma.net's error body: `{"message": "VismaId: <guid>. <text>"}`. */
function vismaError(status: number, message: string, headers: Record<string, string> = {}): SandboxResponse {
  return json(status, {message: `VismaId: ${randomUUID()}. ${message}`}, headers)
}

function addressDto(address: PlatformCustomerJson['addresses'][number] | undefined, id: number): Json {
  return {
    addressId: id,
    addressLine1: address?.addressLine1 ?? null,
    addressLine2: address?.addressLine2 || null,
    addressLine3: null,
    city: address?.city ?? null,
    country: address ? {id: address.countryCode, name: countryNames[address.countryCode] ?? address.countryCode} : null,
    county: null,
    postalCode: address?.postCode ?? null,
  }
}

/** The platform's customer as Visma.net's `CustomerDto`: own address as mainAddress, the main delivery address as deliveryAddress. */
export function toVismaNetCustomer(record: PlatformCustomerJson, modifiedAt: string, companyId: string): Json {
  const main = (type: string) =>
    record.addresses.find((address) => address.addressType === type && address.isMain) ?? record.addresses.find((address) => address.addressType === type)
  const own = main('Invoice') ?? record.addresses[0]
  const id = internalId(companyId, 'customer', record.customerCode)
  const contact = (offset: number) => ({
    attention: null,
    contactId: id + offset,
    email: record.email || null,
    fax: null,
    name: record.name,
    phone1: record.phone || null,
    phone2: null,
    web: null,
  })
  return {
    accountReference: null,
    attributes: [],
    createdDateTime: modifiedAt,
    creditLimit: 0,
    creditTerms: {description: '30 dagar netto', id: '30'},
    currencyId: 'SEK',
    customerClass: {description: 'Standard', id: '1'},
    // Visma.net's delivery address is the main address until one of its own is set.
    deliveryAddress: addressDto(main('Delivery') ?? own, id + 2),
    deliveryContact: contact(2),
    internalId: id,
    invoiceAddress: addressDto(own, id + 1),
    invoiceContact: contact(1),
    lastModifiedDateTime: modifiedAt,
    location: {countryId: own?.countryCode ?? 'SE', id: 'MAIN', name: 'Primary Location'},
    mainAddress: addressDto(own, id),
    mainContact: contact(0),
    name: record.name,
    number: record.customerCode,
    priceClass: record.priceListCode ? {description: record.priceListCode, id: record.priceListCode} : null,
    status: record.blocked ? 'Inactive' : 'Active',
    vatRegistrationId: null,
    vatZone: {description: 'Inrikes', id: '01'},
  }
}

function toVismaNetInventory(item: PlatformItemJson, modifiedAt: string, companyId: string): Json {
  return {
    attributes: [],
    baseUnit: item.unit,
    crossReferences: [],
    defaultPrice: item.price,
    description: item.description,
    inventoryId: internalId(companyId, 'inventory', item.itemCode),
    inventoryNumber: item.itemCode,
    itemClass: {description: 'Handelsvaror', id: '100'},
    lastModifiedDateTime: modifiedAt,
    purchaseUnit: item.unit,
    salesUnit: item.unit,
    status: item.active ? 'Active' : 'Inactive',
    type: 'FinishedGoodItem',
    vatCode: {description: 'Moms 25 %', id: '1'},
    warehouseDetails: [
      {available: item.stock, availableForShipment: item.stock, isDefault: true, lastModifiedDateTime: modifiedAt, quantityOnHand: item.stock, warehouse: 'HUVUDLAGER'},
    ],
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

function latest(...times: unknown[]): string | null {
  const parsed = times.filter((time): time is string => typeof time === 'string' && !Number.isNaN(Date.parse(time))).map(Date.parse)
  return parsed.length === 0 ? null : new Date(Math.max(...parsed)).toISOString()
}

/** `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or with `.fff` (UTC, as the DTOs' times); null if unreadable. */
function parseFilterTime(value: string): number | null {
  const match = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d:\d\d(?:\.\d{1,3})?))?$/.exec(value.trim())
  if (!match) return null
  const time = Date.parse(`${match[1]}T${match[2] ?? '00:00:00'}Z`)
  return Number.isNaN(time) ? null : time
}

const conditions: Record<string, (a: number, b: number) => boolean> = {'<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b}

/** A list answer: the filters Visma.net takes for change times, `pageNumber`/`pageSize` paging, `metadata` on each entry. */
function list(request: SandboxRequest, entries: Json[], modifiedAt: (entry: Json) => string | null, headers: Record<string, string>): SandboxResponse {
  const since = request.query.get('lastModifiedDateTime')
  const condition = request.query.get('lastModifiedDateTimeCondition')
  let selected = entries
  if (since !== null || condition !== null) {
    const time = since === null ? null : parseFilterTime(since)
    const compare = condition === null ? undefined : conditions[condition]
    if (time === null) return vismaError(400, `Invalid value for lastModifiedDateTime: '${since ?? ''}'. Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.`, headers)
    if (!compare) return vismaError(400, `Invalid value for lastModifiedDateTimeCondition: '${condition ?? ''}'. Use one of >, <, >=, <=.`, headers)
    selected = selected.filter((entry) => {
      const at = modifiedAt(entry)
      return at !== null && compare(Date.parse(at), time)
    })
  }
  const sizeText = request.query.get('pageSize')
  const numberText = request.query.get('pageNumber')
  if ((sizeText !== null && !/^\d+$/.test(sizeText)) || (numberText !== null && !/^\d+$/.test(numberText)))
    return vismaError(400, 'pageNumber and pageSize must be positive integers.', headers)
  const size = Math.min(maxPageSize, Math.max(1, Number(sizeText ?? maxPageSize)))
  const number = Math.max(1, Number(numberText ?? 1))
  const page = selected.slice((number - 1) * size, number * size).map((entry) => ({...entry, metadata: {maxPageSize, totalCount: selected.length}}))
  return json(200, page, headers)
}

/**
 * Visma.net ERP API v1 on loopback, with the Visma Connect token endpoint beside it (`/connect/token`,
 * client credentials with `tenant_id`), the fixed-window limit per company and client stated in
 * `X-RateLimit-*` on every answer (429 beyond it), `/resources/v1/context`, `/v1/customer`,
 * `/v1/inventory` and `/v1/salesorder`.
 */
function handler(state: VismaNetState) {
  return (request: SandboxRequest): SandboxResponse => {
    if (request.path === '/connect/token') {
      if (request.method !== 'POST') return json(405, {error: 'invalid_request', error_description: 'The token endpoint takes POST.'})
      const form = new URLSearchParams(request.body)
      if (form.get('grant_type') !== 'client_credentials') return json(400, {error: 'unsupported_grant_type'})
      if (form.get('client_id') !== state.clientId || form.get('client_secret') !== state.clientSecret) return json(400, {error: 'invalid_client'})
      if (form.get('tenant_id') !== state.tenantId) return json(400, {error: 'invalid_request', error_description: 'The client has no access to the tenant.'})
      const scopes = (form.get('scope') ?? '').split(' ')
      if (!scopes.some((scope) => scope.startsWith('vismanet_erp_service_api:'))) return json(400, {error: 'invalid_scope'})
      const token = `sbx-vnet-${randomBytes(18).toString('base64url')}`
      state.tokens.push(token)
      return json(200, {access_token: token, expires_in: 3600, scope: scopes.join(' '), token_type: 'Bearer'})
    }
    if (!request.bearer || !state.tokens.includes(request.bearer)) return vismaError(401, 'Authorization has been denied for this request.')
    const company = request.headers['ipp-company-id']
    if (company !== undefined && company !== state.companyId) return vismaError(403, `The company '${String(company)}' is not available for this token.`)

    const now = Date.now()
    if (now >= state.window.startedAt + state.rateLimit.windowMs) state.window = {count: 0, startedAt: now}
    state.window.count++
    const remaining = Math.max(0, state.rateLimit.limit - state.window.count)
    const limitHeaders = {
      'x-ratelimit-limit': String(state.rateLimit.limit),
      'x-ratelimit-policy': '4-fixed-window',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.max(1, Math.ceil((state.window.startedAt + state.rateLimit.windowMs - now) / 1000))),
    }
    if (state.window.count > state.rateLimit.limit) {
      state.rejected++
      return vismaError(429, 'API rate limit exceeded for this company and client.', limitHeaders)
    }
    if (request.method !== 'GET') return vismaError(405, `${request.method} is not supported by the sandbox.`, limitHeaders)
    const path = request.path
    if (path === '/resources/v1/context') return json(200, [{countryCode: 'SE', id: state.companyId, name: state.companyName}], limitHeaders)
    if (path === '/v1/customer') return list(request, state.customers, (entry) => text(entry.lastModifiedDateTime) || null, limitHeaders)
    if (path === '/v1/inventory')
      return list(
        request,
        state.inventory,
        (entry) => latest(entry.lastModifiedDateTime, ...((entry.warehouseDetails as Json[] | undefined) ?? []).map((row) => row.lastModifiedDateTime)),
        limitHeaders,
      )
    if (path === '/v1/salesorder') return list(request, state.salesOrders, (entry) => text(entry.lastModifiedDateTime) || null, limitHeaders)
    const customer = matchPath('/v1/customer/:number', path)
    if (customer) {
      const number = customer.number
      const found = state.customers.find((entry) => entry.number === number)
      return found ? json(200, found, limitHeaders) : vismaError(404, `Customer with number '${number}' not found.`, limitHeaders)
    }
    const item = matchPath('/v1/inventory/:number', path)
    if (item) {
      const number = item.number
      const found = state.inventory.find((entry) => entry.inventoryNumber === number)
      return found ? json(200, found, limitHeaders) : vismaError(404, `Inventory item with number '${number}' not found.`, limitHeaders)
    }
    const typed = matchPath('/v1/salesorder/:orderType/:orderNbr', path)
    const plain = matchPath('/v1/salesorder/:orderNbr', path)
    if (typed || plain) {
      // Without a type the route reads an order of type SO, as Visma.net's does.
      const orderType = typed ? typed.orderType : 'SO'
      const number = (typed ?? plain)?.orderNbr
      const found = state.salesOrders.find((entry) => entry.orderNo === number && entry.orderType === orderType)
      return found ? json(200, found, limitHeaders) : vismaError(404, `Sales order ${orderType} ${number} not found.`, limitHeaders)
    }
    return vismaError(404, `No HTTP resource was found that matches the request URI '${path}'.`, limitHeaders)
  }
}

export const vismaNetEmulator = defineErpEmulator<VismaNetState>({
  clearOrders: (state) => {
    state.salesOrders = []
  },
  cannotSupply: ['salesRep', 'isPrivate', 'webshopFlag'],
  cmsSystem: 'visma',
  create: (seed) => {
    const rate = (seed.rateLimit ?? {}) as {limit?: number; windowSeconds?: number}
    return {
      clientId: typeof seed.clientId === 'string' ? seed.clientId : 'a4s-synctrace',
      clientSecret: `sbx-vnet-secret-${randomBytes(12).toString('base64url')}`,
      companyId: typeof seed.companyId === 'string' ? seed.companyId : '1234567',
      companyName: typeof seed.companyName === 'string' ? seed.companyName : 'History AB',
      customers: [],
      inventory: [],
      rateLimit: {limit: rate.limit ?? 120, windowMs: (rate.windowSeconds ?? 10) * 1000},
      rejected: 0,
      salesOrders: [],
      tenantId: typeof seed.tenantId === 'string' ? seed.tenantId : 'f3b9c2d4-7a1e-4c55-9e0b-2d6a8f4c1b70',
      tokens: [],
      window: {count: 0, startedAt: 0},
    }
  },
  handler: (state) => handler(state),
  hasCustomer: (state, code) => state.customers.some((entry) => entry.number === code),
  hasItem: (state, code) => state.inventory.some((entry) => entry.inventoryNumber === code),
  keepCredentials: (running, next) => {
    Object.assign(next, {clientSecret: running.clientSecret, rejected: running.rejected, tokens: running.tokens, window: running.window})
  },
  profile: (state, url) => ({
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    companyId: state.companyId,
    scope: 'vismanet_erp_service_api:read',
    system: 'visma-net',
    tenantId: state.tenantId,
    tokenUrl: `${url}/connect/token`,
    url,
  }),
  putCustomer: (state, customer, modifiedAt) => {
    state.customers = [...state.customers.filter((entry) => entry.number !== customer.customerCode), toVismaNetCustomer(customer, modifiedAt, state.companyId)]
  },
  putItem: (state, item, modifiedAt) => {
    state.inventory = [...state.inventory.filter((entry) => entry.inventoryNumber !== item.itemCode), toVismaNetInventory(item, modifiedAt, state.companyId)]
  },
  putOrder: (state, order: BookedOrder) => {
    state.salesOrders = [
      ...state.salesOrders.filter((entry) => entry.orderNo !== order.documentNumber),
      {
        currency: 'SEK',
        customer: {name: order.customerName, number: order.customerCode},
        // The platform writes its order number into "Customer order" and the buyer's reference into "Customer ref. no.".
        customerOrder: order.orderNr,
        customerRefNo: order.yourReference,
        date: `${order.orderDate}T00:00:00`,
        hold: false,
        lastModifiedDateTime: order.modifiedAt,
        orderNo: order.documentNumber,
        orderTotal: order.total,
        orderType: 'SO',
        status: order.status,
      },
    ]
  },
  removeCustomer: (state, code) => {
    state.customers = state.customers.filter((entry) => entry.number !== code)
  },
  removeItem: (state, code) => {
    state.inventory = state.inventory.filter((entry) => entry.inventoryNumber !== code)
  },
  secrets: (state) => [state.clientSecret, ...state.tokens],
  // The platform's Visma.net connector reads active customers only; fields the DTO lacks keep the CMS's value.
  sourceCustomers: (state, previous) =>
    state.customers
      .filter((entry) => entry.status !== 'Inactive')
      .map((entry): SourceCustomer => {
        const code = text(entry.number)
        const before = previous(code)
        const address = (dto: unknown) => {
          const value = (dto ?? {}) as Json
          return {
            addressLine1: text(value.addressLine1),
            addressLine2: text(value.addressLine2),
            city: text(value.city),
            countryCode: text((value.country as Json | null)?.id),
            postCode: text(value.postalCode),
          }
        }
        const own = address(entry.mainAddress)
        const delivery = address(entry.deliveryAddress)
        const contact = (entry.mainContact ?? {}) as Json
        return {
          code,
          modifiedAt: entry.lastModifiedDateTime,
          problem: null,
          record: {
            addresses: [
              {...own, addressType: 'Invoice', isMain: true},
              {...(delivery.addressLine1 || delivery.city ? delivery : own), addressType: 'Delivery', isMain: true},
            ],
            blocked: before?.blocked === true,
            customerCode: code,
            email: text(contact.email),
            isPrivate: before?.isPrivate === true,
            name: text(entry.name),
            phone: text(contact.phone1),
            priceListCode: text((entry.priceClass as Json | null)?.id) || (typeof before?.priceListCode === 'string' ? before.priceListCode : 'A'),
            salesRepCodes: Array.isArray(before?.salesRepCodes) ? (before.salesRepCodes as string[]) : [],
          },
        }
      }),
  sourceItems: (state, previous) =>
    state.inventory.map((entry): SourceItem => {
      const code = text(entry.inventoryNumber)
      const before = previous(code)
      const rows = (entry.warehouseDetails as Json[] | undefined) ?? []
      return {
        code,
        modifiedAt: latest(entry.lastModifiedDateTime, ...rows.map((row) => row.lastModifiedDateTime)),
        record: {
          active: entry.status === 'Active',
          currency: typeof before?.currency === 'string' ? before.currency : 'SEK',
          description: entry.description,
          itemCode: code,
          price: entry.defaultPrice,
          stock: rows.reduce((sum, row) => sum + (typeof row.available === 'number' ? row.available : 0), 0),
          unit: entry.salesUnit,
          webshop: typeof before?.webshop === 'boolean' ? before.webshop : true,
        },
      }
    }),
  system: 'visma-net',
})
