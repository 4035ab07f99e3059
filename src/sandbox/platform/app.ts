import {type Handler, json, type SandboxResponse} from '../../emulation/service.js'
import {jobTiming} from '../job-timers.js'
import type {InstallationState} from '../state.js'
import type {PlatformBacking} from './backing.js'
import {appPriceRoutes} from './published-prices.js'
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

/** The app backend of a seeded installation (or a history's). */
export function appHandler(state: InstallationState, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return appService(seededPlatform(state), tokens, jobs)
}

/** The app backend: its published records, users and their devices, full-refresh requests. */
export function appService(state: PlatformBacking, tokens: PlatformTokens, jobs: PlatformJobs): Handler {
  return platformHandler('/app/v1', tokens, [
    ...appPriceRoutes(state),
    {
      handle: (_params, request) =>
        listPage(request, 'customers', state.app.customers, {maxPageSize: state.maxPageSize()}),
      method: 'GET',
      pattern: '/customers',
    },
    {
      handle: (_params, request) => listPage(request, 'items', state.app.items, {maxPageSize: state.maxPageSize()}),
      method: 'GET',
      pattern: '/items',
    },
    {
      handle: ({userId}, request) =>
        idempotentPost(request, tokens, jobs.idempotency.app, () => requestFullRefresh(state, jobs, userId as string)),
      method: 'POST',
      pattern: '/users/:userId/full-refresh',
    },
    {
      handle: ({requestId}) =>
        foundOr404(jobs.refreshRequests.get(requestId as string), `No refresh request ${requestId}.`),
      method: 'GET',
      pattern: '/refresh-requests/:requestId',
    },
    {
      handle: (_params, request) => {
        const rep = request.query.get('salesRepCode')
        const users =
          rep === null ? state.app.users : state.app.users.filter((user) => user.salesRepCodes.includes(rep))
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
      handle: ({code}) =>
        foundOr404(state.app.customers.get(code as string), `Customer ${code} was never published to the app.`),
      method: 'GET',
      pattern: '/customers/:code',
    },
    {
      handle: ({code}) =>
        foundOr404(state.app.items.get(code as string), `Item ${code} was never published to the app.`),
      method: 'GET',
      pattern: '/items/:code',
    },
  ])
}

/** `POST /users/:userId/full-refresh`: a pending request, done when the user's devices next start. */
function requestFullRefresh(state: PlatformBacking, jobs: PlatformJobs, userId: string): SandboxResponse {
  const devices = state.app.devices.get(userId)
  if (!devices) return error(404, 'not_found', `No user ${userId}.`)
  const refresh: Json = {requestId: jobs.nextId('rr'), requestedAt: new Date().toISOString(), status: 'pending', userId}
  jobs.refreshRequests.set(refresh.requestId as string, refresh)
  // The devices run the full refresh at their next start, which the sandbox simulates shortly after.
  jobs.timers.after(jobTiming.deviceStartMs, () => {
    const doneAt = new Date().toISOString()
    for (const device of devices)
      Object.assign(device, {lastFullRefreshAt: doneAt, lastRefreshAt: doneAt, lastSeenAt: doneAt})
    Object.assign(refresh, {doneAt, status: 'done'})
  })
  return json(202, {...refresh})
}
