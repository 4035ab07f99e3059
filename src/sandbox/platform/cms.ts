import {type Handler, json, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {rowsKey} from '../price-state.js'
import {arrayStore} from '../record-store.js'
import {type InstallationState, syncRecordsKey} from '../state.js'
import type {PlatformBacking} from './backing.js'
import {cmsPriceRoutes} from './cms-prices.js'
import {seededPlatform} from './seeded.js'
import {
  error,
  foundOr404,
  idempotentPost,
  limitOf,
  listPage,
  type PlatformJobs,
  type PlatformTokens,
  platformHandler,
  type Route,
  sandboxUsers,
  userOf,
} from './service.js'

type Json = Record<string, unknown>

/** The CMS of a seeded installation (or a history's). */
export function cmsHandler(state: InstallationState, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return cmsService(seededPlatform(state), tokens, jobs)
}

/** The CMS: its records, sync jobs and runs, orders and their retransfer, who am I, the installation. */
export function cmsService(state: PlatformBacking, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return platformHandler('/api/v1', tokens, [
    ...cmsPriceRoutes(state),
    ...recordRoutes(state),
    ...jobRoutes(state, tokens, jobs),
    {
      handle: (_params, request) =>
        json(
          200,
          request.bearer === tokens.admin
            ? {role: 'admin', user: sandboxUsers.admin}
            : {role: 'support', user: sandboxUsers.support},
        ),
      method: 'GET',
      pattern: '/me',
    },
    {handle: () => json(200, state.installation()), method: 'GET', pattern: '/installation'},
    {handle: (_params, request) => syncRuns(state, request), method: 'GET', pattern: '/sync/runs'},
    {handle: (_params, request) => ordersByTransfer(state, request), method: 'GET', pattern: '/orders'},
    {handle: (_params, request) => syncRecords(state, request), method: 'GET', pattern: '/sync/records'},
  ])
}

/** The CMS's customers and items: pages of each, and one by its code. */
function recordRoutes(state: PlatformBacking): Route[] {
  return [
    {
      handle: (_params, request) =>
        listPage(request, 'customers', state.cms.customers, {maxPageSize: state.maxPageSize()}),
      method: 'GET',
      pattern: '/customers',
    },
    {
      handle: (_params, request) => listPage(request, 'items', state.cms.items, {maxPageSize: state.maxPageSize()}),
      method: 'GET',
      pattern: '/items',
    },
    {
      handle: ({code}) => foundOr404(state.cms.customers.get(code as string), `No customer ${code}.`),
      method: 'GET',
      pattern: '/customers/:code',
    },
    {
      handle: ({code}) => foundOr404(state.cms.items.get(code as string), `No item ${code}.`),
      method: 'GET',
      pattern: '/items/:code',
    },
  ]
}

/** Sync jobs (start one, ask about one), orders and their retransfer: the POSTs are admin's and idempotent. */
function jobRoutes(state: PlatformBacking, tokens: PlatformTokens, jobs: PlatformJobs): Route[] {
  const post = (request: SandboxRequest, create: (body: Json) => SandboxResponse) =>
    idempotentPost(request, tokens, jobs.idempotency.cms, create)
  return [
    {
      handle: (_params, request) => post(request, (body) => state.startSyncJob(jobs, body, userOf(request, tokens))),
      method: 'POST',
      pattern: '/sync/jobs',
    },
    {
      handle: ({jobId}) => foundOr404(jobs.cmsJobs.get(jobId as string), `No job ${jobId}.`),
      method: 'GET',
      pattern: '/sync/jobs/:jobId',
    },
    {
      handle: ({orderNr}, request) =>
        post(request, () => state.retransferOrder(jobs, orderNr as string, userOf(request, tokens))),
      method: 'POST',
      pattern: '/orders/:orderNr/retransfer',
    },
    {
      handle: ({orderNr}) => foundOr404(state.cms.orders.get(orderNr as string), `No order ${orderNr}.`),
      method: 'GET',
      pattern: '/orders/:orderNr',
    },
  ]
}

/** `GET /sync/runs?entity&limit`: the entity's runs, newest first. */
function syncRuns(state: PlatformBacking, request: SandboxRequest): SandboxResponse {
  const entity = request.query.get('entity')
  if (!entity) return error(400, 'bad_request', 'The query parameter entity is required.')
  const runs = state.cms.runs
    .filter((run) => run.entity === entity)
    .sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)))
    .slice(0, limitOf(request, 20))
  return json(200, {runs})
}

/** `GET /sync/records?entity&key&limit`: what the latest runs did with one record, newest first. */
function syncRecords(state: PlatformBacking, request: SandboxRequest): SandboxResponse {
  const entity = request.query.get('entity')
  const key = request.query.get('key')
  if (!entity || key === null) return error(400, 'bad_request', 'The query parameters entity and key are required.')
  const itemCode = entity === 'prices' ? request.query.get('itemCode') : null
  // A price list's records: the list itself, or (with itemCode) that item's rows on it.
  const records = state.cms.records.get(syncRecordsKey(entity, itemCode ? rowsKey(key, itemCode) : key)) ?? []
  return json(200, {records: records.slice(0, limitOf(request, 5))})
}

const transferStatuses = ['queued', 'failed', 'on-hold']

/** Orders by UTF-8 bytes of their number, as every key order of the contract. */
const byOrderNr = (a: Json, b: Json) => Buffer.compare(Buffer.from(String(a.orderNr)), Buffer.from(String(b.orderNr)))

/** `GET /orders?transferStatus&limit&after`: the orders in one transfer status, paged by `orderNr` (the fleet view). */
function ordersByTransfer(state: PlatformBacking, request: SandboxRequest): SandboxResponse {
  const status = request.query.get('transferStatus')
  if (!status || !transferStatuses.includes(status))
    return error(400, 'bad_request', 'transferStatus must be one of queued, failed, on-hold.')
  const orders = [...state.cms.orders.values()]
    .filter((order) => (order.transfer as Json | undefined)?.status === status)
    .map(({channel, customerCode, orderNr, receivedAt, transfer}) => ({
      channel,
      customerCode,
      orderNr,
      receivedAt,
      transfer,
    }))
    .sort(byOrderNr)
  const after = request.query.get('after')
  const from = after === null ? 0 : orders.filter((order) => byOrderNr(order, {orderNr: after}) <= 0).length
  const page = listPage(request, 'items', arrayStore(orders.slice(from), 'orderNr'), {maxPageSize: state.maxPageSize()})
  const body = page.body as {items?: Json[]; error?: unknown}
  if (body.error || !body.items) return page
  const last = body.items.at(-1)
  const more = from + body.items.length < orders.length
  return json(200, {next: more && last ? String(last.orderNr) : null, orders: body.items})
}
