import type {HttpClient} from '../../http/client.js'
import {parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'
import {PlatformService, pathSegment, type ServiceEndpoint} from './service.js'
import type {AppDevice, AppUser, PendingRequest} from './types.js'

const system = 'App backend'

/** The sales app's backend, `/app/v1`: what was published to the app and what each device has. */
export class AppClient extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/app/v1', system)
  }

  /** Users of a sales rep; without a code, every user (the contract's `/users` read without its filter). */
  async usersOfSalesRep(salesRepCode?: string): Promise<AppUser[]> {
    const query = salesRepCode === undefined ? '' : `?${new URLSearchParams({salesRepCode})}`
    return parseAnswer(schemas.appUsers, (await this.get(`/users${query}`)).body, system, '/users')
  }

  /** Devices of a user; null when the app backend does not know the user. */
  async devices(userId: string): Promise<AppDevice[] | null> {
    const response = await this.get(`/users/${pathSegment(userId)}/devices`, [404])
    if (response.status === 404) return null
    return parseAnswer(schemas.appDevices, response.body, system, '/devices')
  }

  /** `POST /users/{id}/full-refresh`: every device of the user runs a full refresh at its next start. */
  async requestFullRefresh(userId: string, idempotencyKey: string): Promise<PendingRequest> {
    return parseAnswer(
      schemas.pendingRequest,
      (await this.post(`/users/${pathSegment(userId)}/full-refresh`, {}, idempotencyKey)).body,
      system,
      'the refresh request',
    )
  }

  async refreshRequest(requestId: string): Promise<PendingRequest> {
    return parseAnswer(
      schemas.pendingRequest,
      (await this.get(`/refresh-requests/${pathSegment(requestId)}`)).body,
      system,
      'the refresh request',
    )
  }
}
