import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {JobTimers} from '../job-timers.js'
import type {ReconcileEntity} from '../../reconcile/types.js'
import {scaleKey} from './keys.js'
import type {ScaleModel} from './model.js'

type Json = Record<string, unknown>

/** The platform's tokens of a scale installation: one admin and one support user. */
export interface ScaleTokens {
  admin: string
  support: string
}

/** A generated view of one hop: record `index` as that hop answers it, or null when it has none. */
export type View = (index: number) => Json | null

export type Route = {
  method: string
  pattern: string
  handle: (params: Record<string, string>, request: SandboxRequest) => SandboxResponse
}

/** The scale installation's job ids and timers, shared by its CMS and webshop (cleared when it stops). */
export class ScaleJobs {
  readonly timers: JobTimers
  private counter = 30

  /** `timeScale` multiplies the time every job takes (1: the user's pace). */
  constructor(timeScale = 1) {
    this.timers = new JobTimers(timeScale)
  }

  nextId(prefix: string): string {
    this.counter++
    return `${prefix}-${this.counter}`
  }
}

export function error(status: number, code: string, message: string): SandboxResponse {
  return json(status, {error: {code, message}})
}

export const entityOf = (value: unknown): ReconcileEntity | null =>
  value === 'customers' || value === 'items' ? value : null

/** A platform service: bearer auth with the installation's tokens, routes, contract error bodies. */
export function platformService(basePath: string, tokens: ScaleTokens, routes: Route[]): Handler {
  return (request) => {
    if (!request.path.startsWith(`${basePath}/`)) return error(404, 'not_found', `No such path: ${request.path}`)
    if (request.bearer !== tokens.admin && request.bearer !== tokens.support)
      return error(401, 'unauthorized', 'The token is not valid.')
    const path = request.path.slice(basePath.length)
    for (const route of routes) {
      const params = matchPath(route.pattern, path)
      if (params && route.method === request.method) return route.handle(params, request)
    }
    return error(404, 'not_found', `No such path: ${request.path}`)
  }
}

/** A page of generated records after `after`: the platform's `limit` (at most the model's `maxPageSize`), `after`, `next`. */
function generatedPage(
  model: ScaleModel,
  request: SandboxRequest,
  entity: ReconcileEntity,
  view: View,
): SandboxResponse {
  const rawLimit = request.query.get('limit')
  const asked = rawLimit === null ? 500 : Number(rawLimit)
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000)
    return error(400, 'bad_request', 'limit must be a whole number from 1 to 1000.')
  const limit = Math.min(asked, model.maxPageSize ?? asked)
  const out: Json[] = []
  let index = model.firstIndexAfter(entity, request.query.get('after'))
  for (; index < model.records && out.length < limit; index++) {
    const record = view(index)
    if (record) out.push(record)
  }
  // `next` only when a record may follow: the key of the last one given.
  const next = index < model.records && out.length === limit ? scaleKey(entity, index - 1) : null
  return {
    body: `{"${entity}":${JSON.stringify(out)},"next":${JSON.stringify(next)}}`,
    headers: {'content-type': 'application/json'},
    status: 200,
  }
}

function single(model: ScaleModel, entity: ReconcileEntity, key: string, view: View): SandboxResponse {
  const index = model.indexOf(entity, key)
  const record = index === null ? null : view(index)
  return record
    ? json(200, record)
    : error(404, 'not_found', `No ${entity === 'customers' ? 'customer' : 'item'} ${key}.`)
}

/** The four record routes every platform service has: the customer and item lists and one of each by key. */
export function recordRoutes(
  model: ScaleModel,
  view: (entity: ReconcileEntity, index: number) => Json | null,
): Route[] {
  return (['customers', 'items'] as const).flatMap((entity): Route[] => [
    {
      handle: (_params, request) => generatedPage(model, request, entity, (index) => view(entity, index)),
      method: 'GET',
      pattern: `/${entity}`,
    },
    {
      handle: ({code}) => single(model, entity, code as string, (index) => view(entity, index)),
      method: 'GET',
      pattern: `/${entity}/:code`,
    },
  ])
}

/** A state-changing POST: admin only, an Idempotency-Key, the same key and body answer the same again. */
export function adminPost(
  request: SandboxRequest,
  tokens: ScaleTokens,
  remembered: Map<string, {body: string; answer: Json}>,
  create: (body: Json) => SandboxResponse,
): SandboxResponse {
  if (request.bearer !== tokens.admin)
    return error(403, 'forbidden', 'Only admins may start jobs; your role is support.')
  const key = request.headers['idempotency-key']
  if (typeof key !== 'string' || key.trim() === '')
    return error(400, 'bad_request', 'The Idempotency-Key header is required.')
  const previous = remembered.get(key)
  if (previous)
    return previous.body === request.body
      ? json(200, previous.answer)
      : error(422, 'idempotency_mismatch', 'This Idempotency-Key was used with a different body.')
  let body: Json
  try {
    body = JSON.parse(request.body || '{}') as Json
  } catch {
    return error(400, 'bad_request', 'The body is not JSON.')
  }
  const response = create(body)
  if (response.status === 202) remembered.set(key, {answer: response.body as Json, body: request.body})
  return response
}

/** A job or request the service keeps by id: 200 with it, or 404 naming what it is. */
export function lookup(table: Map<string, Json>, id: string, what: string): SandboxResponse {
  const found = table.get(id)
  return found ? json(200, found) : error(404, 'not_found', `No ${what} ${id}.`)
}
