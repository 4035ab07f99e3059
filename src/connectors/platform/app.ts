import {parseTime} from '../../util/time.js'
import {asArray, asObject, optionalString, requiredString, stringList} from '../validate.js'
import {platformCustomerToCanonical, platformItemToCanonical} from './map-customer.js'
import type {HttpClient} from '../../http/client.js'
import {PlatformService, pathSegment, type ServiceEndpoint} from './service.js'
import {toPendingRequest} from './pending.js'
import type {AppDevice, AppPublishedCustomer, AppUser, PendingRequest, PublishedItem} from './types.js'

const system = 'App backend'

/** The sales app's backend, `/app/v1`: what was published to the app and what each device has. */
export class AppClient extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/app/v1', system)
  }

  /** Users of a sales rep; without a code, every user (the contract's `/users` read without its filter). */
  async usersOfSalesRep(salesRepCode?: string): Promise<AppUser[]> {
    const query = salesRepCode === undefined ? '' : `?${new URLSearchParams({salesRepCode})}`
    const body = asObject((await this.get(`/users${query}`)).body, system, '/users')
    return asArray(body.users, system, '"users"').map((raw) => {
      const user = asObject(raw, system, 'a user')
      return {
        name: optionalString(user, 'name') ?? '',
        salesRepCodes: stringList(user, 'salesRepCodes') ?? [],
        userId: requiredString(user, 'userId', system, 'a user'),
      }
    })
  }

  /** Devices of a user; null when the app backend does not know the user. */
  async devices(userId: string): Promise<AppDevice[] | null> {
    const response = await this.get(`/users/${pathSegment(userId)}/devices`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, '/devices')
    return asArray(body.devices, system, '"devices"').map((raw) => {
      const device = asObject(raw, system, 'a device')
      const pending = Array.isArray(device.pendingUploads) ? device.pendingUploads : []
      return {
        appVersion: optionalString(device, 'appVersion'),
        deviceId: requiredString(device, 'deviceId', system, 'a device'),
        lastFullRefreshAt: parseTime(device.lastFullRefreshAt),
        lastRefreshAt: parseTime(device.lastRefreshAt),
        lastSeenAt: parseTime(device.lastSeenAt),
        model: optionalString(device, 'model'),
        pendingUploads: pending
          .filter((upload): upload is Record<string, unknown> => Boolean(upload) && typeof upload === 'object')
          .map((upload) => ({createdAt: parseTime(upload.createdAt), key: String(upload.key ?? ''), kind: String(upload.kind ?? '')})),
      }
    })
  }

  /** `POST /users/{id}/full-refresh`: every device of the user runs a full refresh at its next start. */
  async requestFullRefresh(userId: string, idempotencyKey: string): Promise<PendingRequest> {
    return toPendingRequest((await this.post(`/users/${pathSegment(userId)}/full-refresh`, {}, idempotencyKey)).body, system)
  }

  async refreshRequest(requestId: string): Promise<PendingRequest> {
    return toPendingRequest((await this.get(`/refresh-requests/${pathSegment(requestId)}`)).body, system)
  }

  /** An item as published to the app (items are visible to every user). */
  async item(code: string): Promise<PublishedItem | null> {
    const response = await this.get(`/items/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the published item')
    return {item: platformItemToCanonical(body.record, system), publishedAt: parseTime(body.publishedAt), visible: null}
  }

  async customer(code: string): Promise<AppPublishedCustomer | null> {
    const response = await this.get(`/customers/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the published customer')
    return {
      customer: platformCustomerToCanonical(body.record, system),
      publishedAt: parseTime(body.publishedAt),
      visibleToUserIds: stringList(body, 'visibleToUserIds') ?? [],
    }
  }
}
