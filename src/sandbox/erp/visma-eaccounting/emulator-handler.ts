import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import {apiError, filtered, paginated} from './emulator-answers.js'
import {issueToken} from './emulator-auth.js'
import {priceRoute} from './emulator-price-routes.js'
import {companySettings} from './emulator-records.js'
import type {Json, VismaEAccountingState} from './emulator-state.js'

/**
 * Visma Connect's token endpoint (`POST /connect/token`, form body, the client in HTTP Basic) and the
 * eAccounting API v2 under `/v2` on loopback: bearer tokens, 600 requests per minute per client and
 * endpoint (429 with ErrorCode 4010 and "Try again in N seconds", no Retry-After), `Meta`/`Data` lists with
 * `$filter`, `$page`, `$pagesize`.
 */
export function handler(state: VismaEAccountingState): Handler {
  const sent = new Map<string, number[]>()
  return (request) => {
    if (request.path === '/connect/token') return issueToken(state, request)
    if (!request.bearer || !state.accessTokens.has(request.bearer))
      return apiError(401, 4005, 'AuthorizationException - Authorization has been denied for this request.')
    const overQuota = countPerEndpoint(state, sent, (request.path.split('/')[2] ?? '').toLowerCase())
    if (overQuota) return overQuota
    if (request.method !== 'GET')
      return apiError(405, 2000, `The requested resource does not support http method '${request.method}'.`)
    return route(state, request)
  }
}

/** Counts the request in its endpoint's sliding window; over the quota, the 429 that says when to try again. */
function countPerEndpoint(
  state: VismaEAccountingState,
  sent: Map<string, number[]>,
  endpoint: string,
): SandboxResponse | null {
  const now = Date.now()
  const window = (sent.get(endpoint) ?? []).filter((time) => time > now - state.rateLimit.windowMs)
  if (window.length >= state.rateLimit.limit) {
    state.rejectedForRate++
    sent.set(endpoint, window)
    const seconds = Math.max(1, Math.ceil(((window[0] as number) + state.rateLimit.windowMs - now) / 1000))
    const per =
      state.rateLimit.windowMs === 60_000 ? 'Minute' : `${Math.round(state.rateLimit.windowMs / 1000)} Seconds`
    return apiError(
      429,
      4010,
      `API calls quota exceeded! maximum admitted ${state.rateLimit.limit} per ${per}. Try again in ${seconds} seconds.`,
    )
  }
  window.push(now)
  sent.set(endpoint, window)
  return null
}

/** The company settings, the three lists, and one record of each by its id. */
function route(state: VismaEAccountingState, request: SandboxRequest): SandboxResponse {
  if (request.path === '/v2/companysettings') return json(200, companySettings(state))
  const price = priceRoute(state, request)
  if (price) return price
  const lists: Record<string, Json[]> = {
    '/v2/articles': state.articles,
    '/v2/customers': state.customers,
    '/v2/orders': state.orders,
  }
  const list = lists[request.path]
  if (list) {
    const matches = filtered(request, list)
    return Array.isArray(matches) ? paginated(request, matches, state.maxPageSize) : matches
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
