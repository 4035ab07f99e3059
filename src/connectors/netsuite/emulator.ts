import {constants, createHmac, createPublicKey, generateKeyPairSync, randomBytes, timingSafeEqual, verify} from 'node:crypto'

import type {PlatformAddressJson, PlatformCustomerJson, PlatformItemJson} from '../../emulation/records.js'
import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {type BookedOrder, defineErpEmulator, type SourceCustomer, type SourceItem, type EmulatedErpSection} from '../../emulation/erp-emulator.js'

type Json = Record<string, unknown>

/** What the emulator counts, for tests: requests refused over the concurrency limit, the most in flight. */
export interface NetSuiteStats {
  rejectedForConcurrency: number
  maxInFlight: number
  refusedLogins: number
}

/** NetSuite as the sandbox holds it: records in the REST record API's wire form, by internal id. */
export interface NetSuiteState {
  accountId: string
  companyName: string
  /** How the sandbox's profile signs in: token-based authentication or OAuth 2.0 client credentials. */
  auth: 'tba' | 'oauth2'
  consumerKey: string
  consumerSecret: string
  tokenId: string
  tokenSecret: string
  clientId: string
  certificateId: string
  privateKey: string
  publicKey: string
  /** The account's concurrency limit (a developer account has 5). */
  concurrencyLimit: number
  /** Requests other integrations of the account hold in flight (the platform's own connector, say). */
  othersInFlight: number
  /** How long the emulated server works on one request, so that requests overlap as on the real one. */
  workMs: number
  /** Does the integration's role have the SuiteQL permission (SuiteAnalytics Workbook)? */
  suiteqlAllowed: boolean
  customers: Array<{id: string; record: Json}>
  items: Array<{id: string; itemType: string; record: Json}>
  salesOrders: Array<{id: string; record: Json}>
  nextId: number
  stats: NetSuiteStats
}

const recordBase = '/services/rest/record/v1'
const basePriceLevel = {id: '1', refName: 'Base Price'}

/** Oracle's REST error body: RFC 9110 type and title, status, and `o:errorDetails`. */
export function netsuiteError(status: number, code: string, detail: string, headers: Record<string, string> = {}): SandboxResponse {
  const titles: Record<number, string> = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests'}
  const sections: Record<number, string> = {400: '15.5.1', 401: '15.5.2', 403: '15.5.4', 404: '15.5.5', 405: '15.5.6', 429: '15.5.29'}
  return json(
    status,
    {
      'o:errorDetails': [{detail, 'o:errorCode': code}],
      status,
      title: titles[status] ?? 'Error',
      type: `https://www.rfc-editor.org/rfc/rfc9110.html#section-${sections[status] ?? '15'}`,
    },
    headers,
  )
}

const invalidLogin = () =>
  netsuiteError(
    401,
    'INVALID_LOGIN',
    'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
  )

/** RFC 3986 percent-encoding, as OAuth 1.0a's base string needs it. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** `OAuth realm="…", oauth_consumer_key="…", …` → its parameters, percent-decoded. */
function oauthParameters(header: string): Record<string, string> | null {
  if (!/^OAuth\s/i.test(header)) return null
  const parameters: Record<string, string> = {}
  for (const match of header.slice(6).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) {
    try {
      parameters[match[1] as string] = decodeURIComponent(match[2] as string)
    } catch {
      return null
    }
  }
  return parameters
}

/**
 * The check NetSuite makes of a TBA request: the realm is the account, HMAC-SHA256, the consumer and the
 * token are known, the timestamp within five minutes, the nonce new, and the signature the HMAC of the
 * base string (method, URL without query, every query and oauth_* parameter but realm and the signature,
 * sorted) with `consumerSecret&tokenSecret`. The query is read as a form: a `+` is a space.
 */
function verifyTba(state: NetSuiteState, request: SandboxRequest, url: string, seenNonces: Map<string, number>): boolean {
  const parameters = oauthParameters(String(request.headers.authorization ?? ''))
  if (!parameters) return false
  const {oauth_nonce: nonce, oauth_signature: signature, oauth_timestamp: timestamp, realm} = parameters
  if (realm !== state.accountId.toUpperCase().replace(/-/g, '_') || parameters.oauth_signature_method !== 'HMAC-SHA256' || parameters.oauth_version !== '1.0') return false
  if (parameters.oauth_consumer_key !== state.consumerKey || parameters.oauth_token !== state.tokenId || !signature || !nonce || nonce.length < 6) return false
  const now = Date.now()
  if (!/^\d+$/.test(timestamp ?? '') || Math.abs(Number(timestamp) * 1000 - now) > 5 * 60_000) return false
  for (const [seen, at] of seenNonces) if (at < now - 10 * 60_000) seenNonces.delete(seen)
  const nonceKey = `${nonce}:${timestamp}`
  if (seenNonces.has(nonceKey)) return false
  const pairs: Array<[string, string]> = [...request.query.entries()]
  for (const [name, value] of Object.entries(parameters)) if (name.startsWith('oauth_') && name !== 'oauth_signature') pairs.push([name, value])
  const normalized = pairs
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
  const base = `${request.method.toUpperCase()}&${rfc3986(url)}&${rfc3986(normalized)}`
  const expected = createHmac('sha256', `${rfc3986(state.consumerSecret)}&${rfc3986(state.tokenSecret)}`)
    .update(base)
    .digest()
  const given = Buffer.from(signature, 'base64')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
  seenNonces.set(nonceKey, now)
  return true
}

/** The client-credentials grant: a JWT signed PS256 or ES256 with the mapped certificate's key. */
function issueToken(state: NetSuiteState, request: SandboxRequest, audience: string, issued: Map<string, number>): SandboxResponse {
  if (request.method !== 'POST') return json(405, {error: 'invalid_request', error_description: 'The token endpoint accepts only POST.'})
  const form = new URLSearchParams(request.body)
  if (form.get('grant_type') !== 'client_credentials') return json(400, {error: 'unsupported_grant_type'})
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return json(400, {error: 'invalid_request'})
  const parts = (form.get('client_assertion') ?? '').split('.')
  if (parts.length !== 3) return json(400, {error: 'invalid_request'})
  let header: Json
  let payload: Json
  try {
    header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as Json
    payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as Json
  } catch {
    return json(400, {error: 'invalid_request'})
  }
  const key = createPublicKey(state.publicKey)
  const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`)
  const signature = Buffer.from(parts[2] as string, 'base64url')
  const valid =
    header.alg === 'PS256'
      ? verify('sha256', signingInput, {key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32}, signature)
      : header.alg === 'ES256' && key.asymmetricKeyType === 'ec'
        ? verify('sha256', signingInput, {dsaEncoding: 'ieee-p1363', key}, signature)
        : false
  const now = Math.floor(Date.now() / 1000)
  const scopes = String(payload.scope ?? '').split(/[ ,]+/)
  if (!valid || header.kid !== state.certificateId || payload.iss !== state.clientId || payload.aud !== audience) return json(401, {error: 'invalid_client'})
  if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp <= now || payload.exp - payload.iat > 3600 || !scopes.includes('rest_webservices'))
    return json(400, {error: 'invalid_grant'})
  const token = `sbx-ns-${randomBytes(24).toString('base64url')}`
  issued.set(token, Date.now() + 3600_000)
  return json(200, {access_token: token, expires_in: '3600', token_type: 'bearer'})
}

/** A `q` filter the sandbox understands: `field OPERATOR "value"` (or true/false/a number). */
function parseQuery(q: string): ((record: Json) => boolean) | null {
  const match = /^\s*([A-Za-z][A-Za-z0-9]*)\s+(IS|IS_NOT|START_WITH|CONTAIN)\s+("(?:[^"\\]|\\.)*"|true|false|-?\d+)\s*$/i.exec(q)
  if (!match) return null
  const [, field = '', operator = '', literal = ''] = match
  const value = literal.startsWith('"') ? literal.slice(1, -1).replace(/\\(.)/g, '$1') : literal
  return (record) => {
    const key = Object.keys(record).find((name) => name.toLowerCase() === field.toLowerCase())
    const actual = key === undefined ? '' : String(record[key] ?? '')
    const [a, b] = [actual.toLowerCase(), value.toLowerCase()]
    if (operator.toUpperCase() === 'IS') return a === b
    if (operator.toUpperCase() === 'IS_NOT') return a !== b
    if (operator.toUpperCase() === 'START_WITH') return a.startsWith(b)
    return a.includes(b)
  }
}

/** The `links/count/hasMore/offset/totalResults/items` page; `offset` must be a multiple of `limit`. */
function page(request: SandboxRequest, url: string, rows: Json[]): SandboxResponse {
  const limit = Number(request.query.get('limit') ?? 1000)
  const offset = Number(request.query.get('offset') ?? 0)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return netsuiteError(400, 'INVALID_PARAMETER', 'Invalid value for the request parameter limit. The value must be between 1 and 1000.')
  if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0)
    return netsuiteError(400, 'INVALID_PARAMETER', 'Invalid value for the request parameter offset. The value must be a multiple of limit.')
  const link = (rel: string, at: number) => {
    const target = new URL(url)
    target.searchParams.set('limit', String(limit))
    target.searchParams.set('offset', String(at))
    return {href: target.toString().replace(/\+/g, '%20'), rel}
  }
  const items = rows.slice(offset, offset + limit)
  const hasMore = offset + limit < rows.length
  const lastOffset = Math.max(0, Math.floor((rows.length - 1) / limit) * limit)
  const links = [
    link('first', 0),
    ...(offset > 0 ? [link('previous', offset - limit)] : []),
    ...(hasMore ? [link('next', offset + limit)] : []),
    link('last', lastOffset),
    link('self', offset),
  ]
  return json(200, {count: items.length, hasMore, items, links, offset, totalResults: rows.length})
}

/** The SuiteQL the sandbox answers: the item queries of the connector (by item id, ids IN, all ordered). */
function suiteql(state: NetSuiteState, q: string): Json[] | null {
  const literal = /'((?:[^']|'')*)'/g
  const unquote = (text: string) => [...text.matchAll(literal)].map((match) => (match[1] as string).replace(/''/g, "'"))
  const normalized = q.replace(/\s+/g, ' ').trim()
  const select = /^SELECT item\.id, item\.itemid, item\.itemtype FROM item(?: WHERE item\.itemid (=|IN) (.+?))?(?: ORDER BY item\.itemid)?$/i.exec(normalized)
  if (!select) return null
  let codes: string[] | null = null
  if (select[1] === '=') codes = unquote(select[2] as string).slice(0, 1)
  else if (select[1]) {
    if (!/^\(\s*'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*\s*\)$/.test(select[2] as string)) return null
    codes = unquote(select[2] as string)
  }
  return state.items
    .filter((entry) => codes === null || codes.some((code) => code.toLowerCase() === String(entry.record.itemId).toLowerCase()))
    .sort((a, b) => String(a.record.itemId).localeCompare(String(b.record.itemId)))
    .map((entry) => ({id: entry.id, itemid: entry.record.itemId, itemtype: entry.itemType, links: []}))
}

const itemTypes: Record<string, string> = {assemblyItem: 'Assembly', inventoryItem: 'InvtPart', kitItem: 'Kit', nonInventorySaleItem: 'NonInvtPart', serviceSaleItem: 'Service'}

/** A record as the API answers it: sublists as links only, unless `expandSubResources=true`. */
function withSubResources(record: Json, selfUrl: string, expand: boolean): Json {
  const answer: Json = {links: [{href: selfUrl, rel: 'self'}]}
  for (const [field, value] of Object.entries(record)) {
    const sublist = value && typeof value === 'object' && 'items' in (value as Json)
    answer[field] = sublist && !expand ? {links: [{href: `${selfUrl}/${field}`, rel: 'self'}]} : value
  }
  return answer
}

function handler(state: NetSuiteState, baseUrl: () => string): Handler {
  const seenNonces = new Map<string, number>()
  const issuedTokens = new Map<string, number>()
  let inFlight = 0
  return async (request) => {
    const url = `${baseUrl()}${request.path}`
    if (request.path === '/services/rest/auth/oauth2/v1/token') return issueToken(state, request, url, issuedTokens)
    if (!request.path.startsWith('/services/rest/')) return netsuiteError(404, 'NONEXISTENT_ID', `The requested resource ${request.path} does not exist.`)
    if (inFlight + state.othersInFlight >= state.concurrencyLimit) {
      state.stats.rejectedForConcurrency++
      return netsuiteError(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.')
    }
    inFlight++
    state.stats.maxInFlight = Math.max(state.stats.maxInFlight, inFlight)
    try {
      const bearer = request.bearer
      const authorized = bearer ? (issuedTokens.get(bearer) ?? 0) > Date.now() : verifyTba(state, request, url, seenNonces)
      if (!authorized) {
        state.stats.refusedLogins++
        return invalidLogin()
      }
      await new Promise((resolve) => setTimeout(resolve, state.workMs))
      return route(state, request, url)
    } finally {
      inFlight--
    }
  }
}

function route(state: NetSuiteState, request: SandboxRequest, url: string): SandboxResponse {
  if (request.path === '/services/rest/query/v1/suiteql') {
    if (request.method !== 'POST') return netsuiteError(405, 'INVALID_METHOD', 'SuiteQL queries are sent with POST.')
    if (!state.suiteqlAllowed)
      return netsuiteError(403, 'INSUFFICIENT_PERMISSION', "Permission Violation: You need the 'SuiteAnalytics Workbook' permission to run SuiteQL queries.")
    if (!/\btransient\b/i.test(String(request.headers.prefer ?? ''))) return netsuiteError(400, 'INVALID_HEADER', 'The Prefer header must be transient for a SuiteQL query.')
    let q: unknown
    try {
      q = (JSON.parse(request.body) as Json).q
    } catch {
      return netsuiteError(400, 'INVALID_CONTENT', 'The request body is not valid JSON.')
    }
    const rows = typeof q === 'string' ? suiteql(state, q) : null
    if (!rows) return netsuiteError(400, 'INVALID_PARAMETER', `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${String(q).slice(0, 80)}`)
    return page(request, url, rows)
  }
  if (request.method !== 'GET') return netsuiteError(405, 'INVALID_METHOD', `${request.method} is not supported by the sandbox.`)
  if (!request.path.startsWith(`${recordBase}/`)) return netsuiteError(404, 'NONEXISTENT_ID', `The requested resource ${request.path} does not exist.`)
  const selfUrl = (type: string, id: string) => `${new URL(url).origin}${recordBase}/${type}/${id}`
  const expand = request.query.get('expandSubResources') === 'true'
  const collections: Record<string, Array<{id: string; record: Json}>> = {customer: state.customers, salesOrder: state.salesOrders}
  for (const type of Object.keys(itemTypes)) collections[type] = state.items.filter((entry) => entry.record.itemType && (entry.record.itemType as Json).id === itemTypes[type])
  const collection = matchPath(`${recordBase}/:type`, request.path) as {type: string} | null
  if (collection && collections[collection.type]) {
    const q = request.query.get('q')
    const filter = q === null ? () => true : parseQuery(q)
    if (!filter) return netsuiteError(400, 'INVALID_PARAMETER', `Invalid value for the request parameter q: ${q}`)
    const entries = (collections[collection.type] ?? []).filter((entry) => filter(entry.record))
    return page(
      request,
      url,
      entries.map((entry) => ({id: entry.id, links: [{href: selfUrl(collection.type, entry.id), rel: 'self'}]})),
    )
  }
  const single = matchPath(`${recordBase}/:type/:id`, request.path) as {type: string; id: string} | null
  if (single?.type === 'subsidiary' && single.id === '1')
    return json(200, {
      id: '1',
      isInactive: false,
      legalName: state.companyName,
      links: [{href: selfUrl('subsidiary', '1'), rel: 'self'}],
      name: state.companyName.replace(/ AB$/, ''),
    })
  const entries = single ? collections[single.type] : undefined
  if (!single || !entries) return netsuiteError(404, 'NONEXISTENT_ID', `The record type ${single?.type ?? request.path} does not exist or the record instance does not exist.`)
  const found = single.id.startsWith('eid:') ? entries.find((entry) => entry.record.externalId === single.id.slice(4)) : entries.find((entry) => entry.id === single.id)
  if (!found) return netsuiteError(404, 'NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.')
  return json(200, withSubResources(found.record, selfUrl(single.type, found.id), expand))
}

/** NetSuite's REST output leaves empty fields out. */
function present(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== '' && value !== null && value !== undefined))
}

/** `2026-11-20T08:14:00Z`: NetSuite's times are whole seconds. */
function netsuiteTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`
}

function addressLine(address: PlatformAddressJson, defaults: {billing: boolean; shipping: boolean}, name: string, index: number): Json {
  return {
    addressbookaddress: present({
      addr1: address.addressLine1,
      addr2: address.addressLine2,
      addressee: name,
      addrText: [name, address.addressLine1, address.addressLine2, `${address.postCode} ${address.city}`, address.countryCode].filter(Boolean).join('\n'),
      city: address.city,
      country: address.countryCode,
      zip: address.postCode,
    }),
    defaultBilling: defaults.billing,
    defaultShipping: defaults.shipping,
    id: String(index + 1),
    label: address.addressLine1,
  }
}

function toNetSuiteCustomer(state: NetSuiteState, id: string, customer: PlatformCustomerJson, modifiedAt: string): Json {
  const invoice =
    customer.addresses.find((address) => address.addressType === 'Invoice' && address.isMain) ?? customer.addresses.find((address) => address.addressType === 'Invoice')
  const deliveries = customer.addresses.filter((address) => address.addressType === 'Delivery')
  const lines = [
    ...(invoice ? [addressLine(invoice, {billing: true, shipping: false}, customer.name, 0)] : []),
    ...deliveries.map((address, index) => addressLine(address, {billing: false, shipping: address.isMain}, customer.name, index + 1)),
  ]
  const [firstName, ...rest] = customer.name.split(' ')
  const rep = customer.salesRepCodes[0]
  return present({
    addressbook: {items: lines, totalResults: lines.length},
    companyName: customer.isPrivate ? '' : customer.name,
    currency: {id: '1', refName: 'SEK'},
    dateCreated: netsuiteTime(modifiedAt),
    email: customer.email,
    entityId: customer.customerCode,
    firstName: customer.isPrivate ? firstName : '',
    id,
    isInactive: customer.blocked,
    isPerson: customer.isPrivate,
    lastModifiedDate: netsuiteTime(modifiedAt),
    lastName: customer.isPrivate ? rest.join(' ') : '',
    phone: customer.phone,
    priceLevel: customer.priceListCode
      ? {id: String(100 + [...customer.priceListCode].reduce((sum, character) => sum + character.charCodeAt(0), 0)), refName: customer.priceListCode}
      : null,
    salesRep: rep ? {id: String(-5 - [...rep].reduce((sum, character) => sum + character.charCodeAt(0), 0)), refName: rep} : null,
    subsidiary: {id: '1', refName: state.companyName},
  })
}

function toNetSuiteItem(id: string, item: PlatformItemJson, modifiedAt: string): Json {
  return present({
    displayName: item.description,
    id,
    isInactive: !item.active,
    isOnline: item.webshop,
    itemId: item.itemCode,
    itemType: {id: 'InvtPart', refName: 'Inventory Item'},
    lastModifiedDate: netsuiteTime(modifiedAt),
    locations: {items: [{location: {id: '1', refName: 'Huvudlager'}, quantityAvailable: item.stock, quantityOnHand: item.stock}], totalResults: 1},
    price: {
      items: [
        {currencyPage: {id: '1', refName: item.currency}, price: item.price, priceLevel: basePriceLevel, quantity: {value: 0}},
        {currencyPage: {id: '1', refName: item.currency}, price: Math.round(item.price * 90) / 100, priceLevel: {id: '2', refName: 'Alternate Price 1'}, quantity: {value: 0}},
      ],
      totalResults: 2,
    },
    saleUnit: {id: '1', refName: item.unit},
    salesDescription: item.description,
  })
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

function addressOf(line: Json): Omit<PlatformAddressJson, 'addressType' | 'isMain'> {
  const address = (line.addressbookaddress ?? {}) as Json
  return {addressLine1: text(address.addr1), addressLine2: text(address.addr2), city: text(address.city), countryCode: text(address.country), postCode: text(address.zip)}
}

/** What the platform's connector makes of a NetSuite customer (the contract's address rule included). */
function platformCustomer(record: Json, previous: Json | undefined): PlatformCustomerJson {
  const lines = (((record.addressbook as Json | undefined)?.items ?? []) as Json[]).filter((line) => line.addressbookaddress)
  const billing = lines.find((line) => line.defaultBilling === true) ?? lines[0]
  const own = billing ? addressOf(billing) : {addressLine1: '', addressLine2: '', city: '', countryCode: '', postCode: ''}
  const deliveries = lines
    .filter((line) => line.defaultShipping === true || (line.defaultBilling !== true && line !== billing))
    .map((line) => ({...addressOf(line), addressType: 'Delivery', isMain: line.defaultShipping === true}))
  const name = text(record.companyName) || [text(record.firstName), text(record.lastName)].filter(Boolean).join(' ')
  const rep = text((record.salesRep as Json | undefined)?.refName)
  return {
    addresses: [{...own, addressType: 'Invoice', isMain: true}, ...(deliveries.length > 0 ? deliveries : [{...own, addressType: 'Delivery', isMain: true}])],
    blocked: false,
    customerCode: text(record.entityId),
    email: text(record.email),
    isPrivate: record.isPerson === true,
    name,
    phone: text(record.phone),
    priceListCode: text((record.priceLevel as Json | undefined)?.refName) || (typeof previous?.priceListCode === 'string' ? previous.priceListCode : 'STD'),
    salesRepCodes: rep ? [rep] : [],
  }
}

function emptyState(seed: Json): NetSuiteState {
  const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
  const secret = (kind: string) => `sbx-ns-${kind}-${randomBytes(16).toString('hex')}`
  return {
    accountId: typeof seed.accountId === 'string' ? seed.accountId : '7654321_SB1',
    auth: seed.auth === 'oauth2' ? 'oauth2' : 'tba',
    certificateId: `sbx-cert-${randomBytes(8).toString('hex')}`,
    clientId: randomBytes(32).toString('hex'),
    companyName: typeof seed.companyName === 'string' ? seed.companyName : 'History AB',
    concurrencyLimit: typeof seed.concurrencyLimit === 'number' ? seed.concurrencyLimit : 5,
    consumerKey: randomBytes(32).toString('hex'),
    consumerSecret: secret('consumer'),
    customers: [],
    items: [],
    nextId: 100,
    othersInFlight: 0,
    privateKey: privateKey.export({format: 'pem', type: 'pkcs8'}).toString(),
    publicKey: publicKey.export({format: 'pem', type: 'spki'}).toString(),
    salesOrders: [],
    stats: {maxInFlight: 0, refusedLogins: 0, rejectedForConcurrency: 0},
    suiteqlAllowed: seed.suiteqlAllowed !== false,
    tokenId: randomBytes(32).toString('hex'),
    tokenSecret: secret('token'),
    workMs: typeof seed.workMs === 'number' ? seed.workMs : 5,
  }
}

const credentialFields = ['accountId', 'consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret', 'clientId', 'certificateId', 'privateKey', 'publicKey'] as const

/**
 * Oracle NetSuite's SuiteTalk REST on loopback: TBA with a real HMAC-SHA256 check (nonces refused twice) and
 * the client-credentials token endpoint (PS256/ES256 JWTs), the account's concurrency limit (429
 * CONCURRENCY_LIMIT_EXCEEDED), record collections with `q` and `limit`/`offset` pages, records with and
 * without their sublists, `eid:` external ids, and the item SuiteQL of the connector.
 */
export const netsuiteEmulator = defineErpEmulator<NetSuiteState>({
  clearOrders: (state) => {
    state.salesOrders = []
  },
  cmsSystem: 'netsuite',
  create: emptyState,
  handler,
  hasCustomer: (state, code) => state.customers.some((entry) => entry.record.entityId === code),
  hasItem: (state, code) => state.items.some((entry) => entry.record.itemId === code),
  keepCredentials: (running, next) => {
    for (const field of credentialFields) next[field] = running[field]
    next.stats = running.stats
  },
  profile: (state, url): EmulatedErpSection => ({
    accountId: state.accountId,
    concurrency: 2,
    system: 'netsuite',
    url,
    ...(state.auth === 'oauth2'
      ? {certificateId: state.certificateId, clientId: state.clientId, privateKey: state.privateKey}
      : {consumerKey: state.consumerKey, consumerSecret: state.consumerSecret, tokenId: state.tokenId, tokenSecret: state.tokenSecret}),
  }),
  putCustomer: (state, customer, modifiedAt) => {
    const existing = state.customers.find((entry) => entry.record.entityId === customer.customerCode)
    const id = existing?.id ?? String(state.nextId++)
    const record = toNetSuiteCustomer(state, id, customer, modifiedAt)
    if (existing) existing.record = record
    else state.customers.push({id, record})
  },
  putItem: (state, item, modifiedAt) => {
    const existing = state.items.find((entry) => entry.record.itemId === item.itemCode)
    const id = existing?.id ?? String(state.nextId++)
    const record = toNetSuiteItem(id, item, modifiedAt)
    if (existing) existing.record = record
    else state.items.push({id, itemType: 'InvtPart', record})
  },
  putOrder: (state, order: BookedOrder) => {
    const customer = state.customers.find((entry) => entry.record.entityId === order.customerCode)
    const id = String(state.nextId++)
    state.salesOrders = state.salesOrders.filter((entry) => entry.record.externalId !== order.orderNr)
    state.salesOrders.push({
      id,
      record: present({
        entity: customer ? {id: customer.id, refName: `${order.customerCode} ${order.customerName ?? ''}`.trim()} : null,
        externalId: order.orderNr,
        id,
        lastModifiedDate: netsuiteTime(order.modifiedAt),
        otherRefNum: order.yourReference,
        status: order.status === 'Open' ? {id: 'B', refName: 'Pending Fulfillment'} : {id: order.status, refName: order.status},
        total: order.total,
        tranDate: order.orderDate,
        tranId: order.documentNumber,
      }),
    })
  },
  removeCustomer: (state, code) => {
    state.customers = state.customers.filter((entry) => entry.record.entityId !== code)
  },
  removeItem: (state, code) => {
    state.items = state.items.filter((entry) => entry.record.itemId !== code)
  },
  secrets: (state) => [state.consumerKey, state.consumerSecret, state.tokenId, state.tokenSecret, state.privateKey],
  // The platform's NetSuite connector reads active customers only, and skips one without a code or name.
  sourceCustomers: (state, previous): SourceCustomer[] =>
    state.customers
      .filter(({record}) => record.isInactive !== true)
      .map(({record}) => ({
        code: text(record.entityId),
        modifiedAt: record.lastModifiedDate ?? null,
        problem: null,
        record: platformCustomer(record, previous(text(record.entityId))),
      }))
      .filter((entry) => entry.code !== '' && entry.record.name !== ''),
  sourceItems: (state, previous): SourceItem[] =>
    state.items.map(({record}) => {
      const code = text(record.itemId)
      const prices = ((record.price as Json | undefined)?.items ?? []) as Json[]
      const base = prices.find((line) => (line.priceLevel as Json | undefined)?.refName === basePriceLevel.refName)
      const locations = ((record.locations as Json | undefined)?.items ?? []) as Json[]
      return {
        code,
        modifiedAt: record.lastModifiedDate ?? null,
        record: {
          active: record.isInactive !== true,
          currency: previous(code)?.currency ?? 'SEK',
          description: text(record.displayName),
          itemCode: code,
          price: base?.price ?? 0,
          stock: locations.reduce((sum, location) => sum + (typeof location.quantityAvailable === 'number' ? location.quantityAvailable : 0), 0),
          unit: text((record.saleUnit as Json | undefined)?.refName),
          webshop: record.isOnline === true,
        },
      }
    }),
  system: 'netsuite',
})
