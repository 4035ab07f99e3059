import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import {issueToken, verifyTba} from './emulator-auth.js'
import {priceQuery} from './emulator-prices.js'
import type {Json, NetSuiteState} from './emulator-state.js'

const recordBase = '/services/rest/record/v1'

/** Oracle's REST error body: RFC 9110 type and title, status, and `o:errorDetails`. */
export function netsuiteError(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    429: 'Too Many Requests',
  }
  const sections: Record<number, string> = {
    400: '15.5.1',
    401: '15.5.2',
    403: '15.5.4',
    404: '15.5.5',
    405: '15.5.6',
    429: '15.5.29',
  }
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

/** A `q` filter the sandbox understands: `field OPERATOR "value"` (or true/false/a number). */
function parseQuery(q: string): ((record: Json) => boolean) | null {
  const match =
    /^\s*([A-Za-z][A-Za-z0-9]*)\s+(IS|IS_NOT|START_WITH|CONTAIN)\s+("(?:[^"\\]|\\.)*"|true|false|-?\d+)\s*$/i.exec(q)
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

/** The `links/count/hasMore/offset/totalResults/items` page (`offset` a multiple of `limit`, at most `maxPageSize`). */
function page(request: SandboxRequest, url: string, rows: Json[], maxPageSize: number): SandboxResponse {
  const asked = Number(request.query.get('limit') ?? 1000)
  const offset = Number(request.query.get('offset') ?? 0)
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000)
    return netsuiteError(
      400,
      'INVALID_PARAMETER',
      'Invalid value for the request parameter limit. The value must be between 1 and 1000.',
    )
  const limit = Math.min(asked, maxPageSize)
  if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0)
    return netsuiteError(
      400,
      'INVALID_PARAMETER',
      'Invalid value for the request parameter offset. The value must be a multiple of limit.',
    )
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

/** The SuiteQL the sandbox answers: the item queries of the connector (by item id, ids IN, all ordered), and the price ones. */
function suiteql(state: NetSuiteState, q: string): Json[] | null {
  const literal = /'((?:[^']|'')*)'/g
  const unquote = (text: string) => [...text.matchAll(literal)].map((match) => (match[1] as string).replace(/''/g, "'"))
  const normalized = q.replace(/\s+/g, ' ').trim()
  const select =
    /^SELECT item\.id, item\.itemid, item\.itemtype FROM item(?: WHERE item\.itemid (=|IN) (.+?))?(?: ORDER BY item\.itemid)?$/i.exec(
      normalized,
    )
  if (!select) return priceQuery(state, normalized)
  let codes: string[] | null = null
  if (select[1] === '=') codes = unquote(select[2] as string).slice(0, 1)
  else if (select[1]) {
    if (!/^\(\s*'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*\s*\)$/.test(select[2] as string)) return null
    codes = unquote(select[2] as string)
  }
  return state.items
    .filter(
      (entry) =>
        codes === null || codes.some((code) => code.toLowerCase() === String(entry.record.itemId).toLowerCase()),
    )
    .sort((a, b) => String(a.record.itemId).localeCompare(String(b.record.itemId)))
    .map((entry) => ({id: entry.id, itemid: entry.record.itemId, itemtype: entry.itemType, links: []}))
}

const itemTypes: Record<string, string> = {
  assemblyItem: 'Assembly',
  inventoryItem: 'InvtPart',
  kitItem: 'Kit',
  nonInventorySaleItem: 'NonInvtPart',
  serviceSaleItem: 'Service',
}

/** A record as the API answers it: sublists as links only, unless `expandSubResources=true`. */
function withSubResources(record: Json, selfUrl: string, expand: boolean): Json {
  const answer: Json = {links: [{href: selfUrl, rel: 'self'}]}
  for (const [field, value] of Object.entries(record)) {
    const sublist = value && typeof value === 'object' && 'items' in (value as Json)
    answer[field] = sublist && !expand ? {links: [{href: `${selfUrl}/${field}`, rel: 'self'}]} : value
  }
  return answer
}

/**
 * Every request: the token endpoint, else the account's concurrency limit (shared with the account's other
 * integrations), the login (a bearer token or a TBA signature), the server's work time, then the route.
 */
export function handler(state: NetSuiteState, baseUrl: () => string): Handler {
  const seenNonces = new Map<string, number>()
  const issuedTokens = new Map<string, number>()
  let inFlight = 0
  return async (request) => {
    const url = `${baseUrl()}${request.path}`
    if (request.path === '/services/rest/auth/oauth2/v1/token') return issueToken(state, request, url, issuedTokens)
    if (!request.path.startsWith('/services/rest/'))
      return netsuiteError(404, 'NONEXISTENT_ID', `The requested resource ${request.path} does not exist.`)
    if (inFlight + state.othersInFlight >= state.concurrencyLimit) {
      state.stats.rejectedForConcurrency++
      return netsuiteError(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.')
    }
    inFlight++
    state.stats.maxInFlight = Math.max(state.stats.maxInFlight, inFlight)
    try {
      const bearer = request.bearer
      const authorized = bearer
        ? (issuedTokens.get(bearer) ?? 0) > Date.now()
        : verifyTba(state, request, url, seenNonces)
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
  if (request.path === '/services/rest/query/v1/suiteql') return suiteqlQuery(state, request, url)
  if (request.method !== 'GET')
    return netsuiteError(405, 'INVALID_METHOD', `${request.method} is not supported by the sandbox.`)
  if (!request.path.startsWith(`${recordBase}/`))
    return netsuiteError(404, 'NONEXISTENT_ID', `The requested resource ${request.path} does not exist.`)
  const collections: Record<string, Array<{id: string; record: Json}>> = {
    customer: state.customers,
    salesOrder: state.salesOrders,
  }
  for (const type of Object.keys(itemTypes))
    collections[type] = state.items.filter(
      (entry) => entry.record.itemType && (entry.record.itemType as Json).id === itemTypes[type],
    )
  const collection = matchPath(`${recordBase}/:type`, request.path) as {type: string} | null
  const entries = collection ? collections[collection.type] : undefined
  if (collection && entries) return collectionPage(request, url, collection.type, entries, state.maxPageSize)
  return singleRecord(state, request, url, collections)
}

/** `POST /query/v1/suiteql` with `Prefer: transient`, if the role has the SuiteQL permission. */
function suiteqlQuery(state: NetSuiteState, request: SandboxRequest, url: string): SandboxResponse {
  if (request.method !== 'POST') return netsuiteError(405, 'INVALID_METHOD', 'SuiteQL queries are sent with POST.')
  if (!state.suiteqlAllowed)
    return netsuiteError(
      403,
      'INSUFFICIENT_PERMISSION',
      "Permission Violation: You need the 'SuiteAnalytics Workbook' permission to run SuiteQL queries.",
    )
  if (!/\btransient\b/i.test(String(request.headers.prefer ?? '')))
    return netsuiteError(400, 'INVALID_HEADER', 'The Prefer header must be transient for a SuiteQL query.')
  let q: unknown
  try {
    q = (JSON.parse(request.body) as Json).q
  } catch {
    return netsuiteError(400, 'INVALID_CONTENT', 'The request body is not valid JSON.')
  }
  const rows = typeof q === 'string' ? suiteql(state, q) : null
  if (!rows)
    return netsuiteError(
      400,
      'INVALID_PARAMETER',
      `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${String(q).slice(0, 80)}`,
    )
  return page(request, url, rows, state.maxPageSize)
}

const selfUrl = (url: string, type: string, id: string) => `${new URL(url).origin}${recordBase}/${type}/${id}`

/** `record/v1/<type>?q=…`: the ids of the matching records, as links, one page. */
function collectionPage(
  request: SandboxRequest,
  url: string,
  type: string,
  entries: Array<{id: string; record: Json}>,
  maxPageSize: number,
): SandboxResponse {
  const q = request.query.get('q')
  const filter = q === null ? () => true : parseQuery(q)
  if (!filter) return netsuiteError(400, 'INVALID_PARAMETER', `Invalid value for the request parameter q: ${q}`)
  const matches = entries.filter((entry) => filter(entry.record))
  return page(
    request,
    url,
    matches.map((entry) => ({id: entry.id, links: [{href: selfUrl(url, type, entry.id), rel: 'self'}]})),
    maxPageSize,
  )
}

/** `record/v1/<type>/<id>` (or `eid:<external id>`), and the top subsidiary. */
function singleRecord(
  state: NetSuiteState,
  request: SandboxRequest,
  url: string,
  collections: Record<string, Array<{id: string; record: Json}>>,
): SandboxResponse {
  const single = matchPath(`${recordBase}/:type/:id`, request.path) as {type: string; id: string} | null
  if (single?.type === 'subsidiary' && !state.oneWorld)
    return netsuiteError(
      400,
      'INVALID_RCRD_TYPE',
      'The record type subsidiary is not available: this is not a OneWorld account.',
    )
  if (single?.type === 'subsidiary' && single.id === '1')
    return json(200, {
      id: '1',
      isInactive: false,
      legalName: state.companyName,
      links: [{href: selfUrl(url, 'subsidiary', '1'), rel: 'self'}],
      name: state.companyName.replace(/ AB$/, ''),
    })
  const entries = single ? collections[single.type] : undefined
  if (!single || !entries)
    return netsuiteError(
      404,
      'NONEXISTENT_ID',
      `The record type ${single?.type ?? request.path} does not exist or the record instance does not exist.`,
    )
  const found = single.id.startsWith('eid:')
    ? entries.find((entry) => entry.record.externalId === single.id.slice(4))
    : entries.find((entry) => entry.id === single.id)
  if (!found)
    return netsuiteError(
      404,
      'NONEXISTENT_ID',
      'The record instance does not exist. Provide a valid record instance ID.',
    )
  return json(
    200,
    withSubResources(
      found.record,
      selfUrl(url, single.type, found.id),
      request.query.get('expandSubResources') === 'true',
    ),
  )
}
