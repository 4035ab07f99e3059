import type {Profile} from '../config/profile.js'
import {type EntityName, entityList} from '../entities/index.js'
import {joinUrl, pathSegment} from '../connectors/platform/service.js'
import {displayUrl} from '../http/redact.js'
import type {SyncEntity} from '../connectors/platform/types.js'
import {shellQuote} from '../util/shell.js'

/** Something synctrace can change in an installation, on an admin's behalf. */
export type ActionTarget =
  | {kind: 'sync'; entity: SyncEntity; mode: 'targeted' | 'full'; keys: string[] | null}
  | {kind: 'app-refresh'; userId: string}
  | {kind: 'webshop-republish'; entity: 'customers' | 'items' | 'prices'; keys: string[] | null}
  | {kind: 'order-retransfer'; orderNr: string}

const singular: Record<string, string> = {
  customers: 'customer',
  items: 'item',
  orders: 'order',
  prices: 'price',
  stock: 'stock',
}

/** How a command names some records of an entity: `customer 10042`, but price lists as `prices B2B-A`. */
const keyNoun = (entity: string) => (entity === 'prices' ? 'prices' : singular[entity])

function keyList(entity: string, keys: string[] | null): string {
  if (entity === 'prices')
    return keys === null ? 'every price list' : `price list${keys.length === 1 ? '' : 's'} ${keys.join(', ')}`
  if (keys === null) return `all ${entity}`
  return `${keys.length === 1 ? singular[entity] : entity} ${keys.join(', ')}`
}

/** Exactly what will change, in words, for the confirmation and the log. */
export function describeTarget(target: ActionTarget): string {
  switch (target.kind) {
    case 'sync':
      return target.mode === 'full'
        ? `start a full CMS sync of ${target.entity}`
        : `start a targeted CMS sync of ${keyList(target.entity, target.keys)}`
    case 'app-refresh':
      return `make every device of app user ${target.userId} run a full refresh at its next start`
    case 'webshop-republish':
      return `republish ${keyList(target.entity, target.keys)} to the webshop`
    case 'order-retransfer':
      return `send order ${target.orderNr} to the ERP again`
  }
}

/** What the action acts on, for "there is no such …" when the server answers 404. */
export function subjectOf(target: ActionTarget): string {
  switch (target.kind) {
    case 'sync':
      return keyList(target.entity, target.keys)
    case 'app-refresh':
      return `app user ${target.userId}`
    case 'webshop-republish':
      return keyList(target.entity, target.keys)
    case 'order-retransfer':
      return `order ${target.orderNr}`
  }
}

/** The synctrace command that performs the action: what a support agent hands to an admin. */
export function commandFor(target: ActionTarget, suffix: string): string {
  const keys = (keys: string[] | null) => (keys ?? []).map(shellQuote).join(' ')
  let command: string
  switch (target.kind) {
    case 'sync':
      command =
        target.mode === 'full'
          ? `synctrace sync ${target.entity} --full`
          : `synctrace sync ${keyNoun(target.entity)} ${keys(target.keys)}`
      break
    case 'app-refresh':
      command = `synctrace refresh app --user ${shellQuote(target.userId)}`
      break
    case 'webshop-republish':
      command =
        target.keys === null
          ? `synctrace refresh webshop ${target.entity}`
          : `synctrace refresh webshop ${keyNoun(target.entity)} ${keys(target.keys)}`
      break
    case 'order-retransfer':
      command = `synctrace retransfer order ${shellQuote(target.orderNr)}`
      break
  }
  return suffix ? `${command} ${suffix}` : command
}

export interface PlannedRequest {
  service: 'cms' | 'app' | 'webshop'
  method: 'POST'
  url: string
  body: unknown
}

/** The request that carries the action out, as the contract defines it (its URL as printed: no user info). */
export function requestFor(target: ActionTarget, profile: Profile): PlannedRequest {
  switch (target.kind) {
    case 'sync':
      return {
        body: {entity: target.entity, keys: target.keys, mode: target.mode},
        method: 'POST',
        service: 'cms',
        url: displayUrl(joinUrl(profile.cms.url, '/api/v1', '/sync/jobs')),
      }
    case 'app-refresh':
      return {
        body: {},
        method: 'POST',
        service: 'app',
        url: displayUrl(joinUrl(profile.app.url, '/app/v1', `/users/${pathSegment(target.userId)}/full-refresh`)),
      }
    case 'webshop-republish':
      return {
        body: {entity: target.entity, keys: target.keys},
        method: 'POST',
        service: 'webshop',
        url: displayUrl(joinUrl(profile.webshop.url, '/webshop/v1', '/republish')),
      }
    case 'order-retransfer':
      return {
        body: {},
        method: 'POST',
        service: 'cms',
        url: displayUrl(joinUrl(profile.cms.url, '/api/v1', `/orders/${pathSegment(target.orderNr)}/retransfer`)),
      }
  }
}

export interface RecordToVerify {
  entity: EntityName
  key: string
  /** The trace's own flags (a price's `--quantity`, `--date`), given again when it is traced again. */
  params?: Readonly<Record<string, string | number>>
}

/** The records whose trace shows whether the action worked (a targeted sync or republish names them). */
export function recordsToVerify(target: ActionTarget): RecordToVerify[] {
  if (target.kind === 'order-retransfer') return [{entity: 'order', key: target.orderNr}]
  if (target.kind !== 'sync' && target.kind !== 'webshop-republish') return []
  const entity = entityList.find((descriptor) => descriptor.actions.verifiedBy.includes(target.entity))?.name
  return entity ? (target.keys ?? []).map((key) => ({entity, key})) : []
}

/** The audit log's short name of an action. */
export function actionName(target: ActionTarget): string {
  if (target.kind === 'sync') return `sync-${target.mode}`
  return target.kind
}
