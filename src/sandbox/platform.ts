import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from './service.js'
import type {InstallationState} from './state.js'

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

function limitOf(request: SandboxRequest, fallback: number): number {
  const limit = Number(request.query.get('limit') ?? fallback)
  return Number.isFinite(limit) && limit > 0 ? Math.min(limit, 200) : fallback
}

export function cmsHandler(state: InstallationState, tokens: PlatformTokens): Handler {
  return platformHandler('/api/v1', tokens, [
    {
      handle: (_params, request) =>
        json(200, request.bearer === tokens.admin ? {role: 'admin', user: sandboxUsers.admin} : {role: 'support', user: sandboxUsers.support}),
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

export function appHandler(state: InstallationState, tokens: PlatformTokens): Handler {
  return platformHandler('/app/v1', tokens, [
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
  ])
}

export function webshopHandler(state: InstallationState, tokens: PlatformTokens): Handler {
  return platformHandler('/webshop/v1', tokens, [
    {
      handle: ({code}) => {
        const published = state.webshop.customers.get(code as string)
        return published ? json(200, published) : error(404, 'not_found', `No customer ${code} in the webshop.`)
      },
      method: 'GET',
      pattern: '/customers/:code',
    },
  ])
}
