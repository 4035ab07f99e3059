import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {JobTimers} from '../job-timers.js'
import type {RecordStore} from '../record-store.js'
import {IdempotencyStore} from './idempotency.js'

type Json = Record<string, unknown>

/** What the platform's services remember about jobs and requests they were asked to start. */
export class PlatformJobs {
  readonly cmsJobs = new Map<string, Json>()
  readonly refreshRequests = new Map<string, Json>()
  readonly republishRequests = new Map<string, Json>()
  readonly idempotency = {app: new IdempotencyStore(), cms: new IdempotencyStore(), webshop: new IdempotencyStore()}
  readonly timers: JobTimers
  private counter = 30

  /** `timeScale` multiplies the time every job and request takes (1: the user's pace). */
  constructor(timeScale = 1) {
    this.timers = new JobTimers(timeScale)
  }

  nextId(prefix: string): string {
    this.counter += 1
    return `${prefix}-${this.counter}`
  }
}

/** The platform's tokens for a sandbox installation: one support and one admin user. */
export interface PlatformTokens {
  support: string
  admin: string
}

export const sandboxUsers = {admin: 'admin@platform.example', support: 'anna@platform.example'} as const

export function error(status: number, code: string, message: string): SandboxResponse {
  return json(status, {error: {code, message}})
}

/** 200 with what was found, else the contract's 404 with the message. */
export function foundOr404(found: unknown, message: string): SandboxResponse {
  return found ? json(200, found) : error(404, 'not_found', message)
}

export type Route = {
  method: string
  pattern: string
  handle: (params: Record<string, string>, request: SandboxRequest) => SandboxResponse
}

/** A contract service: bearer auth with the installation's tokens, routes, contract error bodies. */
export function platformHandler(basePath: string, tokens: PlatformTokens, routes: Route[]): Handler {
  return (request) => {
    if (!request.path.startsWith(`${basePath}/`)) return error(404, 'not_found', `No such path: ${request.path}`)
    if (!request.bearer) return error(401, 'unauthorized', 'A bearer token is required.')
    if (request.bearer !== tokens.support && request.bearer !== tokens.admin)
      return error(401, 'unauthorized', 'The token is not valid.')
    const path = request.path.slice(basePath.length)
    for (const route of routes) {
      const params = matchPath(route.pattern, path)
      if (params && route.method === request.method) return route.handle(params, request)
    }
    return error(404, 'not_found', `No such path: ${request.path}`)
  }
}

export function userOf(request: SandboxRequest, tokens: PlatformTokens): string {
  return request.bearer === tokens.admin ? sandboxUsers.admin : sandboxUsers.support
}

function parseBody(request: SandboxRequest): Json | null {
  try {
    const body = JSON.parse(request.body || 'null') as unknown
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : null
  } catch {
    return null
  }
}

/**
 * A state-changing POST as the contract describes it: admin only, an Idempotency-Key required, the same
 * key with the same body answers the same object again (200), with another body 422.
 */
export function idempotentPost(
  request: SandboxRequest,
  tokens: PlatformTokens,
  store: IdempotencyStore,
  create: (body: Json) => SandboxResponse,
): SandboxResponse {
  if (request.bearer !== tokens.admin)
    return error(403, 'forbidden', 'Only admins may start jobs; your role is support.')
  const key = request.headers['idempotency-key']
  if (typeof key !== 'string' || key.trim() === '')
    return error(400, 'bad_request', 'The Idempotency-Key header is required.')
  const body = parseBody(request) ?? {}
  const previous = store.lookup(key, body)
  if (previous && 'mismatch' in previous)
    return error(422, 'idempotency_mismatch', 'This Idempotency-Key was used with a different body.')
  if (previous) return json(200, previous.result)
  const response = create(body)
  if (response.status === 202) store.remember(key, body, response.body as Json)
  return response
}

/** `limit` of a small list (runs, record outcomes): at most 200, else the fallback. */
export function limitOf(request: SandboxRequest, fallback: number): number {
  const limit = Number(request.query.get('limit') ?? fallback)
  return Number.isFinite(limit) && limit > 0 ? Math.min(limit, 200) : fallback
}

/**
 * `GET /customers?limit&after` (and `/items`) as the contract pages them: by key in UTF-8 byte order,
 * `limit` 1–1000 (default 500) limited to the service's `maxPageSize`, `after` exclusive, `next` the last
 * key of the page while more follow, null on the last.
 */
export function listPage(
  request: SandboxRequest,
  envelope: 'customers' | 'items',
  records: RecordStore,
  options: {maxPageSize?: number | undefined; view?: (record: Json) => Json} = {},
): SandboxResponse {
  const rawLimit = request.query.get('limit')
  const asked = rawLimit === null ? 500 : Number(rawLimit)
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000)
    return error(400, 'bad_request', 'limit must be a whole number from 1 to 1000.')
  const limit = Math.min(asked, options.maxPageSize ?? asked)
  const view = options.view ?? ((record: Json) => record)
  const page = records.page(request.query.get('after'), limit)
  return json(200, {[envelope]: page.records.map(view), next: page.next})
}
