import {z} from 'zod'

import type {HttpClient} from '../../http/client.js'
import {parseAnswer} from '../schema.js'
import {parseInstallation} from './cms.js'
import {PlatformService, type ServiceEndpoint} from './service.js'
import type {Installation} from './types.js'

const system = 'CMS'

const time = z.string().nullish()

/** A run as the fleet view reads it: its status, its times, its error and how many records it failed. */
const fleetRuns = z.looseObject({
  runs: z.array(
    z.looseObject({
      counts: z.looseObject({failed: z.number().nullish()}).nullish(),
      entity: z.string(),
      error: z.string().nullish(),
      finishedAt: time,
      keys: z.array(z.string()).nullish(),
      mode: z.string().nullish(),
      runId: z.string(),
      startedAt: time,
      status: z.string(),
    }),
  ),
})

const waitingOrders = z.looseObject({
  next: z.string().nullish(),
  orders: z.array(
    z.looseObject({
      orderNr: z.string(),
      receivedAt: time,
      transfer: z.looseObject({error: z.string().nullish(), lastAttemptAt: time, status: z.string()}).nullish(),
    }),
  ),
})

const installationErp = z.looseObject({
  erp: z.looseObject({credentialsExpireAt: z.string().nullish()}).nullish(),
})

export type FleetRun = z.infer<typeof fleetRuns>['runs'][number]
export type WaitingOrder = z.infer<typeof waitingOrders>['orders'][number]
export type TransferStatus = 'queued' | 'failed' | 'on-hold'

/** What the CMS tells a fleet view (platform-api.md "For watching many installations"). */
export class FleetCms extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/api/v1', system)
  }

  /** The entity's recent runs, newest first, with their failed counts (a partly failed run). */
  async runs(entity: string, limit = 20): Promise<FleetRun[]> {
    const query = new URLSearchParams({entity, limit: String(limit)})
    return parseAnswer(fleetRuns, (await this.get(`/sync/runs?${query}`)).body, system, '/sync/runs').runs
  }

  /** Every order in one transfer status, page by page (at most `most`). */
  async orders(status: TransferStatus, most = 1000): Promise<WaitingOrder[]> {
    const found: WaitingOrder[] = []
    let after: string | null | undefined = null
    do {
      const query: URLSearchParams = new URLSearchParams({
        limit: '500',
        transferStatus: status,
        ...(after ? {after} : {}),
      })
      const page: z.infer<typeof waitingOrders> = parseAnswer(
        waitingOrders,
        (await this.get(`/orders?${query}`)).body,
        system,
        '/orders',
      )
      found.push(...page.orders)
      after = page.next
    } while (after && found.length < most)
    return found
  }

  /** The installation, and when the ERP consent or secret the CMS holds expires (null: no known expiry). */
  async installation(): Promise<{installation: Installation; credentialsExpireAt: string | null}> {
    const body = (await this.get('/installation')).body
    const installation = parseInstallation(body)
    const erp = parseAnswer(installationErp, body, system, '/installation').erp
    return {credentialsExpireAt: erp?.credentialsExpireAt ?? null, installation}
  }
}
