import {type Handler, json, type SandboxResponse} from '../../emulation/service.js'
import {jobTiming} from '../job-timers.js'
import type {InstallationState} from '../state.js'
import type {PlatformBacking} from './backing.js'
import {webshopPriceRoutes} from './published-prices.js'
import {seededPlatform} from './seeded.js'
import {
  error,
  foundOr404,
  idempotentPost,
  listPage,
  type PlatformJobs,
  type PlatformTokens,
  platformHandler,
} from './service.js'

type Json = Record<string, unknown>

/** The webshop's item as it answers it: price, stock and visibility, not the whole record. */
const webshopItem = (item: Json): Json => ({
  itemCode: item.itemCode,
  price: item.price,
  publishedAt: item.publishedAt,
  stock: item.stock,
  visible: item.visible,
})

/** The webshop of a seeded installation (or a history's). */
export function webshopHandler(state: InstallationState, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return webshopService(seededPlatform(state), tokens, jobs)
}

/** The webshop: its published customers and items, its orders, republish requests. */
export function webshopService(state: PlatformBacking, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return platformHandler('/webshop/v1', tokens, [
    ...webshopPriceRoutes(state),
    {
      handle: (_params, request) =>
        listPage(request, 'customers', state.webshop.customers, {maxPageSize: state.maxPageSize()}),
      method: 'GET',
      pattern: '/customers',
    },
    {
      handle: (_params, request) =>
        listPage(request, 'items', state.webshop.items, {maxPageSize: state.maxPageSize(), view: webshopItem}),
      method: 'GET',
      pattern: '/items',
    },
    {
      handle: (_params, request) =>
        idempotentPost(request, tokens, jobs.idempotency.webshop, (body) => requestRepublish(state, jobs, body)),
      method: 'POST',
      pattern: '/republish',
    },
    {
      handle: ({requestId}) =>
        foundOr404(jobs.republishRequests.get(requestId as string), `No republish request ${requestId}.`),
      method: 'GET',
      pattern: '/republish/:requestId',
    },
    {
      handle: ({code}) =>
        foundOr404(state.webshop.customers.get(code as string), `No customer ${code} in the webshop.`),
      method: 'GET',
      pattern: '/customers/:code',
    },
    {
      handle: ({orderNr}) =>
        foundOr404(state.webshop.orders.get(orderNr as string), `No order ${orderNr} in the webshop.`),
      method: 'GET',
      pattern: '/orders/:orderNr',
    },
    {
      handle: ({code}) => {
        const item = state.webshop.items.get(code as string)
        return foundOr404(item && webshopItem(item), `No item ${code} in the webshop.`)
      },
      method: 'GET',
      pattern: '/items/:code',
    },
  ])
}

/** `POST /republish`: the CMS's records (the keys, else all of the entity) pushed to the webshop again shortly after. */
function requestRepublish(state: PlatformBacking, jobs: PlatformJobs, body: Json): SandboxResponse {
  const entity = body.entity
  const keys = body.keys ?? null
  if (entity !== 'customers' && entity !== 'items' && entity !== 'prices')
    return error(400, 'bad_request', 'entity must be customers, items or prices.')
  if (keys !== null && (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string')))
    return error(400, 'bad_request', 'keys must be a list of strings or null.')
  const republish: Json = {
    entity,
    keys,
    requestId: jobs.nextId('rp'),
    requestedAt: new Date().toISOString(),
    status: 'pending',
  }
  jobs.republishRequests.set(republish.requestId as string, republish)
  jobs.timers.after(jobTiming.republishMs, () => {
    const doneAt = new Date().toISOString()
    state.republish(entity, keys as string[] | null, doneAt)
    Object.assign(republish, {doneAt, status: 'done'})
  })
  return json(202, {...republish})
}
