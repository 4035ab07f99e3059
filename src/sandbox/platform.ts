import {rmSync} from 'node:fs'
import {join} from 'node:path'

import {compareKeys} from '../util/key-order.js'
import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import {outboundFileName, writeOrderFile} from './export-files.js'
import {IdempotencyStore, jobTiming, JobTimers, publishCustomer, publishItem, runCustomerSync, runItemSync, sourceCustomers} from './jobs.js'
import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../emulation/service.js'
import type {InstallationState} from './state.js'

type Json = Record<string, unknown>

/** What the platform's services remember about jobs and requests they were asked to start. */
export class PlatformJobs {
  readonly cmsJobs = new Map<string, Json>()
  readonly refreshRequests = new Map<string, Json>()
  readonly republishRequests = new Map<string, Json>()
  readonly idempotency = {app: new IdempotencyStore(), cms: new IdempotencyStore(), webshop: new IdempotencyStore()}
  readonly timers = new JobTimers()
  private counter = 30

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

function error(status: number, code: string, message: string): SandboxResponse {
  return json(status, {error: {code, message}})
}

type Route = {method: string; pattern: string; handle: (params: Record<string, string>, request: SandboxRequest) => SandboxResponse}

/** A contract service: bearer auth with the installation's tokens, routes, contract error bodies. */
function platformHandler(basePath: string, tokens: PlatformTokens, routes: Route[]): Handler {
  return (request) => {
    if (!request.path.startsWith(`${basePath}/`)) return error(404, 'not_found', `No such path: ${request.path}`)
    if (!request.bearer) return error(401, 'unauthorized', 'A bearer token is required.')
    if (request.bearer !== tokens.support && request.bearer !== tokens.admin) return error(401, 'unauthorized', 'The token is not valid.')
    const path = request.path.slice(basePath.length)
    for (const route of routes) {
      const params = matchPath(route.pattern, path)
      if (params && route.method === request.method) return route.handle(params, request)
    }
    return error(404, 'not_found', `No such path: ${request.path}`)
  }
}

function userOf(request: SandboxRequest, tokens: PlatformTokens): string {
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
function idempotentPost(request: SandboxRequest, tokens: PlatformTokens, store: IdempotencyStore, create: (body: Json) => SandboxResponse): SandboxResponse {
  if (request.bearer !== tokens.admin) return error(403, 'forbidden', 'Only admins may start jobs; your role is support.')
  const key = request.headers['idempotency-key']
  if (typeof key !== 'string' || key.trim() === '') return error(400, 'bad_request', 'The Idempotency-Key header is required.')
  const body = parseBody(request) ?? {}
  const previous = store.lookup(key, body)
  if (previous && 'mismatch' in previous) return error(422, 'idempotency_mismatch', 'This Idempotency-Key was used with a different body.')
  if (previous) return json(200, previous.result)
  const response = create(body)
  if (response.status === 202) store.remember(key, body, response.body as Json)
  return response
}

const syncEntities = ['customers', 'items', 'prices', 'stock', 'orders']

/** 409 `job_running` naming the job already queued or running for the entity, or null when there is none. */
function jobRunningFor(jobs: PlatformJobs, entity: string): SandboxResponse | null {
  const running = [...jobs.cmsJobs.values()].find((job) => job.entity === entity && (job.status === 'queued' || job.status === 'running'))
  return running ? json(409, {error: {code: 'job_running', jobId: running.jobId, message: `Job ${running.jobId} for ${entity} is already ${running.status}.`}}) : null
}

/** A new queued job in the contract's shape, kept in the job table. */
function newJob(jobs: PlatformJobs, fields: {entity: string; mode: string; keys: unknown; total: number; requestedBy: string}): Json {
  const job: Json = {
    createdAt: new Date().toISOString(),
    entity: fields.entity,
    error: null,
    finishedAt: null,
    jobId: jobs.nextId('j'),
    keys: fields.keys,
    mode: fields.mode,
    progress: {done: 0, total: fields.total},
    requestedBy: fields.requestedBy,
    runId: null,
    startedAt: null,
    status: 'queued',
  }
  jobs.cmsJobs.set(job.jobId as string, job)
  return job
}

function startSyncJob(state: InstallationState, jobs: PlatformJobs, body: Json, requestedBy: string): SandboxResponse {
  const entity = body.entity
  const mode = body.mode
  const keys = body.keys === null || body.keys === undefined ? null : body.keys
  if (typeof entity !== 'string' || !syncEntities.includes(entity)) return error(400, 'bad_request', `entity must be one of ${syncEntities.join(', ')}.`)
  if (mode !== 'targeted' && mode !== 'full') return error(400, 'bad_request', 'mode must be targeted or full.')
  if (keys !== null && (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string'))) return error(400, 'bad_request', 'keys must be a list of strings or null.')
  if (mode === 'targeted' && (keys === null || keys.length === 0)) return error(400, 'bad_request', 'A targeted job needs keys.')
  const conflict = jobRunningFor(jobs, entity)
  if (conflict) return conflict
  const total = entity === 'customers' ? (keys === null ? sourceCustomers(state).length : (keys as string[]).length) : (keys?.length ?? 0)
  const job = newJob(jobs, {entity, keys, mode, requestedBy, total})
  jobs.timers.after(jobTiming.queuedMs, () => {
    job.status = 'running'
    job.startedAt = new Date().toISOString()
    for (let step = 1; step <= jobTiming.progressSteps; step++)
      jobs.timers.after(step * jobTiming.progressStepMs, () => {
        job.progress = {done: Math.round((total * step) / (jobTiming.progressSteps + 1)), total}
      })
    jobs.timers.after((jobTiming.progressSteps + 1) * jobTiming.progressStepMs, () => {
      const runId = jobs.nextId('r')
      const run = {keys: keys as string[] | null, mode, requestedBy, runId, startedAt: job.startedAt as string}
      if (entity === 'customers') runCustomerSync(state, run)
      else if (entity !== 'orders') runItemSync(state, {...run, entity})
      else
        state.cms.runs.unshift({
          counts: {created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0},
          entity,
          error: null,
          finishedAt: new Date().toISOString(),
          keys,
          mode,
          requestedBy,
          runId,
          source: 'erp-api',
          sourceFile: null,
          sourceFileModifiedAt: null,
          startedAt: job.startedAt,
          status: 'succeeded',
        })
      job.runId = runId
      job.progress = {done: total, total}
      job.status = 'succeeded'
      job.finishedAt = new Date().toISOString()
    })
  })
  return json(202, {...job})
}

/**
 * Sends an order again, as the CMS does: to the ERP's API (a sales order, if the ERP has the customer and
 * every item) or as a file into Orders/ for the ERP's import.
 */
function retransferOrder(state: InstallationState, jobs: PlatformJobs, orderNr: string, requestedBy: string): SandboxResponse {
  const order = state.cms.orders.get(orderNr)
  if (!order) return error(404, 'not_found', `No order ${orderNr}.`)
  const conflict = jobRunningFor(jobs, 'orders')
  if (conflict) return conflict
  const job = newJob(jobs, {entity: 'orders', keys: [orderNr], mode: 'targeted', requestedBy, total: 1})
  jobs.timers.after(jobTiming.queuedMs, () => {
    Object.assign(job, {startedAt: new Date().toISOString(), status: 'running'})
    jobs.timers.after(jobTiming.progressStepMs * 2, () => {
      const now = new Date().toISOString()
      const transfer = order.transfer as Json
      const bc = state.businessCentral
      let failure: string | null = null
      if (bc) {
        const lines = order.lines as Array<{itemCode: string}>
        const missingItem = lines.find((line) => !bc.items.some((item) => item.number === line.itemCode))
        if (!bc.customers.some((customer) => customer.number === order.customerCode)) failure = `Customer ${order.customerCode} does not exist`
        else if (missingItem) failure = `Item ${missingItem.itemCode} does not exist`
        else {
          const number = String(101_043 + bc.salesOrders.length + 1)
          bc.salesOrders.push({
            customerNumber: order.customerCode,
            externalDocumentNumber: orderNr,
            id: `so-${number}`,
            lastModifiedDateTime: now,
            number,
            orderDate: order.orderDate,
            status: 'Open',
          })
          transfer.erpDocumentNumber = number
        }
      } else if (state.erp) {
        const {emulator, state: erp} = state.erp
        const lines = order.lines as Array<{itemCode: string}>
        const missingItem = lines.find((line) => !emulator.hasItem(erp, line.itemCode))
        if (!emulator.hasCustomer(erp, String(order.customerCode))) failure = `Customer ${order.customerCode} does not exist`
        else if (missingItem) failure = `Item ${missingItem.itemCode} does not exist`
        else {
          const number = String(90_001 + [...state.cms.orders.keys()].indexOf(orderNr))
          emulator.putOrder(erp, {
            customerCode: String(order.customerCode),
            customerName: null,
            documentNumber: number,
            modifiedAt: now,
            orderDate: String(order.orderDate),
            orderNr,
            status: 'Open',
            total: 0,
            yourReference: (order.yourReference as string) || null,
          })
          transfer.erpDocumentNumber = number
        }
      } else if (state.exports?.root) {
        const base = join(state.exports.root, state.exports.baseFolder)
        const {layout} = state.exports
        const folders = ftpLayoutFor(layout, null).orders
        const fileName = outboundFileName(layout, 'orders', orderNr)
        for (const folder of [folders.error, folders.processed]) for (const name of [fileName, `${orderNr}.err.txt`]) rmSync(join(base, folder, name), {force: true})
        writeOrderFile(base, {error: null, folder: folders.folder, modified: now, orderNr}, order, layout)
        transfer.file = `${folders.folder}/${fileName}`
      }
      Object.assign(transfer, {attempts: Number(transfer.attempts ?? 0) + 1, error: failure, lastAttemptAt: now, status: failure ? 'failed' : 'sent'})
      Object.assign(job, {error: failure, finishedAt: now, progress: {done: 1, total: 1}, status: failure ? 'failed' : 'succeeded'})
    })
  })
  return json(202, {...job})
}

function limitOf(request: SandboxRequest, fallback: number): number {
  const limit = Number(request.query.get('limit') ?? fallback)
  return Number.isFinite(limit) && limit > 0 ? Math.min(limit, 200) : fallback
}

/**
 * `GET /customers?limit&after` (and `/items`) as the contract pages them: by key in UTF-8 byte order,
 * `limit` 1–1000 (default 500), `after` exclusive, `next` the last key of a full page.
 */
export function listPage(request: SandboxRequest, envelope: 'customers' | 'items', records: Map<string, Json>, view: (record: Json) => Json = (record) => record): SandboxResponse {
  const rawLimit = request.query.get('limit')
  const limit = rawLimit === null ? 500 : Number(rawLimit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(400, 'bad_request', 'limit must be a whole number from 1 to 1000.')
  const after = request.query.get('after')
  const keys = [...records.keys()].sort(compareKeys)
  const start = after === null ? 0 : keys.findIndex((key) => compareKeys(key, after) > 0)
  const pageKeys = start < 0 ? [] : keys.slice(start, start + limit)
  const more = start >= 0 && start + limit < keys.length
  return json(200, {[envelope]: pageKeys.map((key) => view(records.get(key) as Json)), next: more ? (pageKeys[pageKeys.length - 1] ?? null) : null})
}

export function cmsHandler(state: InstallationState, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return platformHandler('/api/v1', tokens, [
    {handle: (_params, request) => listPage(request, 'customers', state.cms.customers), method: 'GET', pattern: '/customers'},
    {handle: (_params, request) => listPage(request, 'items', state.cms.items), method: 'GET', pattern: '/items'},
    {
      handle: (_params, request) => idempotentPost(request, tokens, jobs.idempotency.cms, (body) => startSyncJob(state, jobs, body, userOf(request, tokens))),
      method: 'POST',
      pattern: '/sync/jobs',
    },
    {
      handle: ({jobId}) => {
        const job = jobs.cmsJobs.get(jobId as string)
        return job ? json(200, job) : error(404, 'not_found', `No job ${jobId}.`)
      },
      method: 'GET',
      pattern: '/sync/jobs/:jobId',
    },
    {
      handle: ({orderNr}, request) => idempotentPost(request, tokens, jobs.idempotency.cms, () => retransferOrder(state, jobs, orderNr as string, userOf(request, tokens))),
      method: 'POST',
      pattern: '/orders/:orderNr/retransfer',
    },
    {
      handle: ({orderNr}) => {
        const order = state.cms.orders.get(orderNr as string)
        return order ? json(200, order) : error(404, 'not_found', `No order ${orderNr}.`)
      },
      method: 'GET',
      pattern: '/orders/:orderNr',
    },
    {
      handle: (_params, request) => json(200, request.bearer === tokens.admin ? {role: 'admin', user: sandboxUsers.admin} : {role: 'support', user: sandboxUsers.support}),
      method: 'GET',
      pattern: '/me',
    },
    {handle: () => json(200, state.installation), method: 'GET', pattern: '/installation'},
    {
      handle: ({code}) => {
        const customer = state.cms.customers.get(code as string)
        return customer ? json(200, customer) : error(404, 'not_found', `No customer ${code}.`)
      },
      method: 'GET',
      pattern: '/customers/:code',
    },
    {
      handle: ({code}) => {
        const item = state.cms.items.get(code as string)
        return item ? json(200, item) : error(404, 'not_found', `No item ${code}.`)
      },
      method: 'GET',
      pattern: '/items/:code',
    },
    {
      handle: (_params, request) => {
        const entity = request.query.get('entity')
        if (!entity) return error(400, 'bad_request', 'The query parameter entity is required.')
        const runs = state.cms.runs
          .filter((run) => run.entity === entity)
          .sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)))
          .slice(0, limitOf(request, 20))
        return json(200, {runs})
      },
      method: 'GET',
      pattern: '/sync/runs',
    },
    {
      handle: (_params, request) => {
        const entity = request.query.get('entity')
        const key = request.query.get('key')
        if (!entity || key === null) return error(400, 'bad_request', 'The query parameters entity and key are required.')
        const records = entity === 'customers' ? (state.cms.records.get(key) ?? []) : []
        return json(200, {records: records.slice(0, limitOf(request, 5))})
      },
      method: 'GET',
      pattern: '/sync/records',
    },
  ])
}

export function appHandler(state: InstallationState, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return platformHandler('/app/v1', tokens, [
    {handle: (_params, request) => listPage(request, 'customers', state.app.customers), method: 'GET', pattern: '/customers'},
    {handle: (_params, request) => listPage(request, 'items', state.app.items), method: 'GET', pattern: '/items'},
    {
      handle: ({userId}, request) =>
        idempotentPost(request, tokens, jobs.idempotency.app, () => {
          const devices = state.app.devices.get(userId as string)
          if (!devices) return error(404, 'not_found', `No user ${userId}.`)
          const refresh: Json = {requestId: jobs.nextId('rr'), requestedAt: new Date().toISOString(), status: 'pending', userId}
          jobs.refreshRequests.set(refresh.requestId as string, refresh)
          // The devices run the full refresh at their next start, which the sandbox simulates shortly after.
          jobs.timers.after(jobTiming.deviceStartMs, () => {
            const doneAt = new Date().toISOString()
            for (const device of devices) Object.assign(device, {lastFullRefreshAt: doneAt, lastRefreshAt: doneAt, lastSeenAt: doneAt})
            Object.assign(refresh, {doneAt, status: 'done'})
          })
          return json(202, {...refresh})
        }),
      method: 'POST',
      pattern: '/users/:userId/full-refresh',
    },
    {
      handle: ({requestId}) => {
        const refresh = jobs.refreshRequests.get(requestId as string)
        return refresh ? json(200, refresh) : error(404, 'not_found', `No refresh request ${requestId}.`)
      },
      method: 'GET',
      pattern: '/refresh-requests/:requestId',
    },
    {
      handle: (_params, request) => {
        const rep = request.query.get('salesRepCode')
        const users = rep === null ? state.app.users : state.app.users.filter((user) => user.salesRepCodes.includes(rep))
        return json(200, {users})
      },
      method: 'GET',
      pattern: '/users',
    },
    {
      handle: ({userId}) => {
        const devices = state.app.devices.get(userId as string)
        return devices ? json(200, {devices}) : error(404, 'not_found', `No user ${userId}.`)
      },
      method: 'GET',
      pattern: '/users/:userId/devices',
    },
    {
      handle: ({code}) => {
        const published = state.app.customers.get(code as string)
        return published ? json(200, published) : error(404, 'not_found', `Customer ${code} was never published to the app.`)
      },
      method: 'GET',
      pattern: '/customers/:code',
    },
    {
      handle: ({code}) => {
        const published = state.app.items.get(code as string)
        return published ? json(200, published) : error(404, 'not_found', `Item ${code} was never published to the app.`)
      },
      method: 'GET',
      pattern: '/items/:code',
    },
  ])
}

export function webshopHandler(state: InstallationState, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return platformHandler('/webshop/v1', tokens, [
    {handle: (_params, request) => listPage(request, 'customers', state.webshop.customers), method: 'GET', pattern: '/customers'},
    {
      handle: (_params, request) =>
        listPage(request, 'items', state.webshop.items, (item) => ({
          itemCode: item.itemCode,
          price: item.price,
          publishedAt: item.publishedAt,
          stock: item.stock,
          visible: item.visible,
        })),
      method: 'GET',
      pattern: '/items',
    },
    {
      handle: (_params, request) =>
        idempotentPost(request, tokens, jobs.idempotency.webshop, (body) => {
          const entity = body.entity
          const keys = body.keys ?? null
          if (entity !== 'customers' && entity !== 'items') return error(400, 'bad_request', 'entity must be customers or items.')
          if (keys !== null && (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string'))) return error(400, 'bad_request', 'keys must be a list of strings or null.')
          const republish: Json = {entity, keys, requestId: jobs.nextId('rp'), requestedAt: new Date().toISOString(), status: 'pending'}
          jobs.republishRequests.set(republish.requestId as string, republish)
          jobs.timers.after(jobTiming.republishMs, () => {
            const doneAt = new Date().toISOString()
            if (entity === 'customers')
              for (const code of (keys as string[] | null) ?? [...state.cms.customers.keys()]) publishCustomer(state, code, doneAt, {app: false, webshop: true})
            else for (const code of (keys as string[] | null) ?? [...state.cms.items.keys()]) publishItem(state, code, doneAt, {app: false, webshop: true})
            Object.assign(republish, {doneAt, status: 'done'})
          })
          return json(202, {...republish})
        }),
      method: 'POST',
      pattern: '/republish',
    },
    {
      handle: ({requestId}) => {
        const republish = jobs.republishRequests.get(requestId as string)
        return republish ? json(200, republish) : error(404, 'not_found', `No republish request ${requestId}.`)
      },
      method: 'GET',
      pattern: '/republish/:requestId',
    },
    {
      handle: ({code}) => {
        const published = state.webshop.customers.get(code as string)
        return published ? json(200, published) : error(404, 'not_found', `No customer ${code} in the webshop.`)
      },
      method: 'GET',
      pattern: '/customers/:code',
    },
    {
      handle: ({orderNr}) => {
        const order = state.webshop.orders.get(orderNr as string)
        return order ? json(200, order) : error(404, 'not_found', `No order ${orderNr} in the webshop.`)
      },
      method: 'GET',
      pattern: '/orders/:orderNr',
    },
    {
      handle: ({code}) => {
        const item = state.webshop.items.get(code as string)
        return item
          ? json(200, {itemCode: item.itemCode, price: item.price, publishedAt: item.publishedAt, stock: item.stock, visible: item.visible})
          : error(404, 'not_found', `No item ${code} in the webshop.`)
      },
      method: 'GET',
      pattern: '/items/:code',
    },
  ])
}
