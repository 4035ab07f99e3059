import {randomUUID} from 'node:crypto'

import {json, matchPath, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import {issueToken} from './emulator-auth.js'
import {selectedPrices} from './emulator-prices.js'
import {latest, text} from './emulator-records.js'
import type {Json, VismaNetState} from './emulator-state.js'

/** Visma.net's error body: `{"message": "VismaId: <guid>. <text>"}`. */
function vismaError(status: number, message: string, headers: Record<string, string> = {}): SandboxResponse {
  return json(status, {message: `VismaId: ${randomUUID()}. ${message}`}, headers)
}

/** `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or with `.fff` (UTC, as the DTOs' times); null if unreadable. */
function parseFilterTime(value: string): number | null {
  const match = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d:\d\d(?:\.\d{1,3})?))?$/.exec(value.trim())
  if (!match) return null
  const time = Date.parse(`${match[1]}T${match[2] ?? '00:00:00'}Z`)
  return Number.isNaN(time) ? null : time
}

const conditions: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
}

/**
 * A list answer: the filters Visma.net takes for change times, `pageNumber`/`pageSize` paging with the
 * page size limited to the tenant's maximum, `metadata` (`maxPageSize`, `totalCount`) on each entry.
 */
function list(
  request: SandboxRequest,
  entries: Json[],
  modifiedAt: (entry: Json) => string | null,
  headers: Record<string, string>,
  maxPageSize: number,
): SandboxResponse {
  const since = request.query.get('lastModifiedDateTime')
  const condition = request.query.get('lastModifiedDateTimeCondition')
  let selected = entries
  if (since !== null || condition !== null) {
    const time = since === null ? null : parseFilterTime(since)
    const compare = condition === null ? undefined : conditions[condition]
    if (time === null)
      return vismaError(
        400,
        `Invalid value for lastModifiedDateTime: '${since ?? ''}'. Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.`,
        headers,
      )
    if (!compare)
      return vismaError(
        400,
        `Invalid value for lastModifiedDateTimeCondition: '${condition ?? ''}'. Use one of >, <, >=, <=.`,
        headers,
      )
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
  const page = selected
    .slice((number - 1) * size, number * size)
    .map((entry) => ({...entry, metadata: {maxPageSize, totalCount: selected.length}}))
  return json(200, page, headers)
}

/**
 * Visma.net ERP API v1 on loopback, with the Visma Connect token endpoint beside it (`/connect/token`,
 * client credentials with `tenant_id`), the fixed-window limit per company and client stated in
 * `X-RateLimit-*` on every answer (429 beyond it), `/v1/branch`, `/v1/customer`,
 * `/v1/inventory`, `/v1/salesorder` and `/v1/customerSalesPrice`.
 */
export function handler(state: VismaNetState) {
  return (request: SandboxRequest): SandboxResponse => {
    if (request.path === '/connect/token') return issueToken(state, request)
    if (!request.bearer || !state.tokens.includes(request.bearer))
      return vismaError(401, 'Authorization has been denied for this request.')
    const company = request.headers['ipp-company-id']
    if (company !== undefined && company !== state.companyId)
      return vismaError(403, `The company '${String(company)}' is not available for this token.`)
    const limitHeaders = countInWindow(state)
    if (state.window.count > state.rateLimit.limit) {
      state.rejected++
      return vismaError(429, 'API rate limit exceeded for this company and client.', limitHeaders)
    }
    if (request.method !== 'GET')
      return vismaError(405, `${request.method} is not supported by the sandbox.`, limitHeaders)
    return listRoute(state, request, limitHeaders) ?? recordRoute(state, request.path, limitHeaders)
  }
}

/** Counts the request in the fixed window (a new one once it has passed) and states the window in `X-RateLimit-*`. */
function countInWindow(state: VismaNetState): Record<string, string> {
  const now = Date.now()
  if (now >= state.window.startedAt + state.rateLimit.windowMs) state.window = {count: 0, startedAt: now}
  state.window.count++
  const remaining = Math.max(0, state.rateLimit.limit - state.window.count)
  return {
    'x-ratelimit-limit': String(state.rateLimit.limit),
    'x-ratelimit-policy': '4-fixed-window',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(
      Math.max(1, Math.ceil((state.window.startedAt + state.rateLimit.windowMs - now) / 1000)),
    ),
  }
}

/** The company's branches and the three lists; null for any other path. */
function listRoute(
  state: VismaNetState,
  request: SandboxRequest,
  limitHeaders: Record<string, string>,
): SandboxResponse | null {
  const path = request.path
  if (path === '/v1/branch')
    return json(
      200,
      [
        {
          branchId: 1,
          isActive: true,
          isMainBranch: true,
          lastModifiedDateTime: '2026-01-05T09:00:00',
          name: state.companyName,
          number: '1',
          organizationId: 1,
        },
      ],
      limitHeaders,
    )
  if (path === '/v1/customer')
    return list(
      request,
      state.customers,
      (entry) => text(entry.lastModifiedDateTime) || null,
      limitHeaders,
      state.maxPageSize,
    )
  if (path === '/v1/inventory')
    return list(
      request,
      state.inventory,
      (entry) =>
        latest(
          entry.lastModifiedDateTime,
          ...((entry.warehouseDetails as Json[] | undefined) ?? []).map((row) => row.lastModifiedDateTime),
        ),
      limitHeaders,
      state.maxPageSize,
    )
  if (path === '/v1/customerSalesPrice')
    return list(
      request,
      selectedPrices(state, request),
      (entry) => text(entry.lastModifiedDateTime) || null,
      limitHeaders,
      state.maxPageSize,
    )
  if (path === '/v1/salesorder')
    return list(
      request,
      state.salesOrders,
      (entry) => text(entry.lastModifiedDateTime) || null,
      limitHeaders,
      state.maxPageSize,
    )
  return null
}

/** One customer, inventory item or sales order by its number. */
function recordRoute(state: VismaNetState, path: string, limitHeaders: Record<string, string>): SandboxResponse {
  const customer = matchPath('/v1/customer/:number', path)
  if (customer) {
    const number = customer.number
    const found = state.customers.find((entry) => entry.number === number)
    return found
      ? json(200, found, limitHeaders)
      : vismaError(404, `Customer with number '${number}' not found.`, limitHeaders)
  }
  const price = matchPath('/v1/customerSalesPrice/:recordId', path)
  if (price) {
    const found = state.salesPrices.find((entry) => String(entry.recordId) === price.recordId)
    return found
      ? json(200, found, limitHeaders)
      : vismaError(404, `Customer sales price with recordId '${price.recordId}' not found.`, limitHeaders)
  }
  const item = matchPath('/v1/inventory/:number', path)
  if (item) {
    const number = item.number
    const found = state.inventory.find((entry) => entry.inventoryNumber === number)
    return found
      ? json(200, found, limitHeaders)
      : vismaError(404, `Inventory item with number '${number}' not found.`, limitHeaders)
  }
  const typed = matchPath('/v1/salesorder/:orderType/:orderNbr', path)
  const plain = matchPath('/v1/salesorder/:orderNbr', path)
  if (typed || plain) {
    // Without a type the route reads an order of type SO, as Visma.net's does.
    const orderType = typed ? typed.orderType : 'SO'
    const number = (typed ?? plain)?.orderNbr
    const found = state.salesOrders.find((entry) => entry.orderNo === number && entry.orderType === orderType)
    return found
      ? json(200, found, limitHeaders)
      : vismaError(404, `Sales order ${orderType} ${number} not found.`, limitHeaders)
  }
  return vismaError(404, `No HTTP resource was found that matches the request URI '${path}'.`, limitHeaders)
}
