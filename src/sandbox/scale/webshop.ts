import {type Handler, json, type SandboxResponse} from '../../emulation/service.js'
import type {ScaleModel} from './model.js'
import {
  adminPost,
  entityOf,
  error,
  lookup,
  platformService,
  recordRoutes,
  type ScaleJobs,
  type ScaleTokens,
} from './platform-kit.js'

type Json = Record<string, unknown>

/** The webshop over the generated records, with republish requests that push the CMS's records again. */
export function scaleWebshop(model: ScaleModel, tokens: ScaleTokens, jobs: ScaleJobs): Handler {
  const republishes = new Map<string, Json>()
  const remembered = new Map<string, {body: string; answer: Json}>()
  return platformService('/webshop/v1', tokens, [
    ...recordRoutes(model, (entity, index) => model.webshop(entity, index)),
    {
      handle: (_params, request) =>
        adminPost(request, tokens, remembered, (body) => startRepublish(model, jobs, republishes, body)),
      method: 'POST',
      pattern: '/republish',
    },
    {
      handle: ({requestId}) => lookup(republishes, requestId as string, 'republish request'),
      method: 'GET',
      pattern: '/republish/:requestId',
    },
  ])
}

function startRepublish(
  model: ScaleModel,
  jobs: ScaleJobs,
  republishes: Map<string, Json>,
  body: Json,
): SandboxResponse {
  const entity = entityOf(body.entity)
  const keys = body.keys
  if (!entity || !Array.isArray(keys) || keys.some((key) => typeof key !== 'string'))
    return error(400, 'bad_request', 'entity must be customers or items, keys a list of strings.')
  const republish: Json = {
    entity,
    keys,
    requestId: jobs.nextId('rp'),
    requestedAt: new Date().toISOString(),
    status: 'pending',
  }
  republishes.set(republish.requestId as string, republish)
  jobs.timers.after(300, () => {
    const doneAt = new Date().toISOString()
    for (const key of keys as string[]) model.republish(entity, key, doneAt)
    Object.assign(republish, {doneAt, status: 'done'})
  })
  return json(202, {...republish})
}
