import type {HttpClient} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import {registerUrlSecrets} from '../../http/redact.js'
import {parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'
import {PlatformService, pathSegment, type ServiceEndpoint} from './service.js'
import type {Installation, StartedJob, SyncEntity, SyncJob, SyncRecordOutcome, SyncRun} from './types.js'

const system = 'CMS'

/** `GET /me`: who the token belongs to and the role, checked field by field. */
export function parseMe(raw: unknown): {user: string; role: string} {
  return parseAnswer(schemas.me, raw, system, '/me')
}

/** `GET /installation`, checked before anything uses it (time zone, `at`, `everyHours`, names). */
export function parseInstallation(raw: unknown): Installation {
  const installation = parseAnswer(schemas.installation, raw, system, '/installation')
  // A file-server URL the CMS reports may carry user info: a secret of this run from now on.
  registerUrlSecrets(installation.ftpUrl)
  return installation
}

/** The CMS back office, `/api/v1`. */
export class CmsClient extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/api/v1', system)
  }

  async me(): Promise<{user: string; role: string}> {
    return parseMe((await this.get('/me')).body)
  }

  async installation(): Promise<Installation> {
    return parseInstallation((await this.get('/installation')).body)
  }

  async syncRuns(entity: SyncEntity, limit = 10): Promise<SyncRun[]> {
    return parseAnswer(
      schemas.syncRuns,
      (await this.get(`/sync/runs?entity=${entity}&limit=${limit}`)).body,
      system,
      '/sync/runs',
    )
  }

  /** `POST /sync/jobs`; a job already running for the entity (409 `job_running`) is attached to instead. */
  async startSyncJob(
    request: {entity: SyncEntity; mode: 'targeted' | 'full'; keys: string[] | null},
    idempotencyKey: string,
  ): Promise<StartedJob<SyncJob>> {
    return this.startJob('/sync/jobs', request, idempotencyKey)
  }

  /** `POST /orders/{orderNr}/retransfer`: a job of entity `orders`. */
  async retransferOrder(orderNr: string, idempotencyKey: string): Promise<StartedJob<SyncJob>> {
    return this.startJob(`/orders/${pathSegment(orderNr)}/retransfer`, {}, idempotencyKey)
  }

  async syncJob(jobId: string): Promise<SyncJob> {
    return parseAnswer(schemas.syncJob, (await this.get(`/sync/jobs/${pathSegment(jobId)}`)).body, system, 'the job')
  }

  private async startJob(path: string, body: unknown, idempotencyKey: string): Promise<StartedJob<SyncJob>> {
    const response = await this.post(path, body, idempotencyKey, [409])
    if (response.status === 409) {
      const running = schemas.runningJob.safeParse(response.body)
      const jobId = running.success ? running.data : null
      if (!jobId)
        throw new RequestProblem({
          httpStatus: 409,
          kind: 'http-error',
          message: `CMS: HTTP 409, ${JSON.stringify(response.body).slice(0, 200)}`,
        })
      return {attached: true, job: await this.syncJob(jobId)}
    }
    return {attached: false, job: parseAnswer(schemas.syncJob, response.body, system, 'the job')}
  }

  /** What recent runs did with a record; for `prices`, `key` is the list and `itemCode` narrows it to one item's rows. */
  async syncRecords(entity: SyncEntity, key: string, limit = 5, itemCode?: string): Promise<SyncRecordOutcome[]> {
    const query = new URLSearchParams({
      entity,
      key,
      ...(itemCode === undefined ? {} : {itemCode}),
      limit: String(limit),
    })
    return parseAnswer(schemas.syncRecords, (await this.get(`/sync/records?${query}`)).body, system, '/sync/records')
  }
}
