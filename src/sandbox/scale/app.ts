import {type Handler, json, type SandboxRequest} from '../../emulation/service.js'
import {iso} from './clock.js'
import type {ScaleModel} from './model.js'
import {reps} from './planted.js'
import {error, platformService, recordRoutes, type ScaleTokens} from './platform-kit.js'

/** The app backend over the generated records: one user per sales rep, each with one device that refreshed a minute ago. */
export function scaleApp(model: ScaleModel, tokens: ScaleTokens): Handler {
  const users = Array.from({length: reps}, (_unused, index) => ({
    name: `Rep ${index + 1}`,
    salesRepCodes: [`SR${index + 1}`],
    userId: `u-${index + 1}`,
  }))
  const usersOf = (request: SandboxRequest) => {
    const rep = request.query.get('salesRepCode')
    return rep === null ? users : users.filter((user) => user.salesRepCodes.includes(rep))
  }
  const devicesOf = (userId: string) => [
    {
      appVersion: '5.12.0',
      deviceId: `d-${userId}`,
      lastFullRefreshAt: iso(model.clock.now - 60_000),
      lastRefreshAt: iso(model.clock.now - 60_000),
      lastSeenAt: iso(model.clock.now - 60_000),
      model: 'iPad',
      pendingUploads: [],
    },
  ]
  return platformService('/app/v1', tokens, [
    {handle: (_params, request) => json(200, {users: usersOf(request)}), method: 'GET', pattern: '/users'},
    {
      handle: ({userId}) =>
        users.some((user) => user.userId === userId)
          ? json(200, {devices: devicesOf(userId as string)})
          : error(404, 'not_found', `No user ${userId}.`),
      method: 'GET',
      pattern: '/users/:userId/devices',
    },
    ...recordRoutes(model, (entity, index) => model.app(entity, index)),
  ])
}
