import {parseTime} from '../../util/time.js'
import {asArray, asObject, type JsonObject, optionalNumber, optionalString, requiredString, stringList} from '../validate.js'
import {platformCustomerToCanonical, platformItemToCanonical} from './map-customer.js'
import type {HttpClient} from '../../http/client.js'
import {PlatformService, pathSegment, type ServiceEndpoint} from './service.js'
import {RequestProblem} from '../../http/problem.js'
import {registerUrlSecrets} from '../../http/redact.js'
import type {CmsCustomer, CmsItem, CmsOrder, ConnectionType, Installation, RecordOrigin, StartedJob, SyncEntity, SyncJob, SyncRecordOutcome, SyncRun} from './types.js'

const system = 'CMS'

function toSyncRun(raw: unknown): SyncRun {
  const run = asObject(raw, system, 'a sync run')
  const error = run.error
  return {
    entity: optionalString(run, 'entity') ?? '',
    error: typeof error === 'string' ? error : error && typeof error === 'object' ? (optionalString(error as JsonObject, 'message') ?? 'error') : null,
    finishedAt: parseTime(run.finishedAt),
    keys: stringList(run, 'keys'),
    mode: optionalString(run, 'mode') ?? 'auto',
    requestedBy: optionalString(run, 'requestedBy'),
    runId: requiredString(run, 'runId', system, 'a sync run'),
    source: optionalString(run, 'source'),
    sourceFile: optionalString(run, 'sourceFile'),
    sourceFileModifiedAt: parseTime(run.sourceFileModifiedAt),
    startedAt: parseTime(run.startedAt),
    status: optionalString(run, 'status') ?? 'unknown',
  }
}

function toSyncJob(raw: unknown): SyncJob {
  const job = asObject(raw, system, 'the job')
  const progress = job.progress && typeof job.progress === 'object' ? (job.progress as JsonObject) : null
  const error = job.error
  return {
    createdAt: parseTime(job.createdAt),
    entity: optionalString(job, 'entity') ?? '',
    error: typeof error === 'string' ? error : error && typeof error === 'object' ? (optionalString(error as JsonObject, 'message') ?? 'error') : null,
    finishedAt: parseTime(job.finishedAt),
    jobId: requiredString(job, 'jobId', system, 'the job'),
    keys: stringList(job, 'keys'),
    mode: optionalString(job, 'mode') ?? '',
    progress: progress ? {done: optionalNumber(progress, 'done') ?? 0, total: optionalNumber(progress, 'total') ?? 0} : null,
    requestedBy: optionalString(job, 'requestedBy'),
    runId: optionalString(job, 'runId'),
    startedAt: parseTime(job.startedAt),
    status: optionalString(job, 'status') ?? 'unknown',
  }
}

/** The job id a 409 `job_running` names, so the tool can attach to it. */
function runningJobId(body: unknown): string | null {
  const error = body && typeof body === 'object' ? (body as JsonObject).error : null
  if (!error || typeof error !== 'object') return null
  const {code, jobId} = error as JsonObject
  return code === 'job_running' && typeof jobId === 'string' ? jobId : null
}

/** The CMS back office, `/api/v1`. */
export class CmsClient extends PlatformService {
  constructor(http: HttpClient, endpoint: ServiceEndpoint) {
    super(http, endpoint, '/api/v1', system)
  }

  async me(): Promise<{user: string; role: string}> {
    const body = asObject((await this.get('/me')).body, system, '/me')
    return {role: requiredString(body, 'role', system, '/me'), user: requiredString(body, 'user', system, '/me')}
  }

  async installation(): Promise<Installation> {
    const body = asObject((await this.get('/installation')).body, system, '/installation')
    const connection = requiredString(body, 'connection', system, '/installation')
    if (connection !== 'direct' && connection !== 'ftp') throw new Error(`CMS: unknown connection type "${connection}"`)
    const erp = body.erp && typeof body.erp === 'object' ? (body.erp as JsonObject) : {}
    const ftp = body.ftp && typeof body.ftp === 'object' ? (body.ftp as JsonObject) : null
    const autoSync = body.autoSync && typeof body.autoSync === 'object' ? (body.autoSync as JsonObject) : null
    // A file-server URL the CMS reports may carry user info: a secret of this run from now on.
    registerUrlSecrets(ftp ? optionalString(ftp, 'url') : null)
    const filters: Record<string, boolean> = {}
    if (body.filters && typeof body.filters === 'object')
      for (const [name, value] of Object.entries(body.filters as JsonObject)) if (typeof value === 'boolean') filters[name] = value
    return {
      autoSync: autoSync
        ? {
            at: optionalString(autoSync, 'at'),
            everyHours: optionalNumber(autoSync, 'everyHours') ?? 24,
            timezone: optionalString(autoSync, 'timezone') ?? 'UTC',
          }
        : null,
      connection: connection as ConnectionType,
      erpSystem: optionalString(erp, 'system') ?? 'unknown',
      filters,
      ftpUrl: ftp ? optionalString(ftp, 'url') : null,
      id: requiredString(body, 'id', system, '/installation'),
      name: optionalString(body, 'name') ?? '',
    }
  }

  async customer(code: string): Promise<CmsCustomer | null> {
    const response = await this.get(`/customers/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the customer')
    const origin = optionalString(body, 'origin')
    return {
      customer: platformCustomerToCanonical(body, system),
      erpModifiedAt: parseTime(body.erpModifiedAt),
      origin: (origin === 'app' || origin === 'webshop' ? origin : 'erp') as RecordOrigin,
      syncedAt: parseTime(body.syncedAt),
    }
  }

  async item(code: string): Promise<CmsItem | null> {
    const response = await this.get(`/items/${pathSegment(code)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the item')
    return {erpModifiedAt: parseTime(body.erpModifiedAt), item: platformItemToCanonical(body, system), syncedAt: parseTime(body.syncedAt)}
  }

  async order(orderNr: string): Promise<CmsOrder | null> {
    const response = await this.get(`/orders/${pathSegment(orderNr)}`, [404])
    if (response.status === 404) return null
    const body = asObject(response.body, system, 'the order')
    const transfer = body.transfer && typeof body.transfer === 'object' ? (body.transfer as JsonObject) : {}
    const lines = Array.isArray(body.lines) ? body.lines : []
    const error = transfer.error
    return {
      channel: optionalString(body, 'channel') ?? 'app',
      createdAt: parseTime(body.createdAt),
      customerCode: optionalString(body, 'customerCode') ?? '',
      lines: lines
        .filter((line): line is JsonObject => Boolean(line) && typeof line === 'object')
        .map((line) => ({itemCode: optionalString(line, 'itemCode') ?? '', lineNo: optionalNumber(line, 'lineNo') ?? 0, price: optionalNumber(line, 'price'), quantity: optionalNumber(line, 'quantity') ?? 0})),
      orderDate: optionalString(body, 'orderDate'),
      orderNr: requiredString(body, 'orderNr', system, 'the order'),
      receivedAt: parseTime(body.receivedAt),
      transfer: {
        attempts: optionalNumber(transfer, 'attempts') ?? 0,
        erpDocumentNumber: optionalString(transfer, 'erpDocumentNumber'),
        error: typeof error === 'string' ? error : error && typeof error === 'object' ? (optionalString(error as JsonObject, 'message') ?? 'error') : null,
        file: optionalString(transfer, 'file'),
        lastAttemptAt: parseTime(transfer.lastAttemptAt),
        status: optionalString(transfer, 'status') ?? 'unknown',
      },
      yourReference: optionalString(body, 'yourReference'),
    }
  }

  async syncRuns(entity: SyncEntity, limit = 10): Promise<SyncRun[]> {
    const body = asObject((await this.get(`/sync/runs?entity=${entity}&limit=${limit}`)).body, system, '/sync/runs')
    return asArray(body.runs, system, '"runs"').map(toSyncRun)
  }

  /** `POST /sync/jobs`; a job already running for the entity (409 `job_running`) is attached to instead. */
  async startSyncJob(request: {entity: SyncEntity; mode: 'targeted' | 'full'; keys: string[] | null}, idempotencyKey: string): Promise<StartedJob<SyncJob>> {
    return this.startJob('/sync/jobs', request, idempotencyKey)
  }

  /** `POST /orders/{orderNr}/retransfer`: a job of entity `orders`. */
  async retransferOrder(orderNr: string, idempotencyKey: string): Promise<StartedJob<SyncJob>> {
    return this.startJob(`/orders/${pathSegment(orderNr)}/retransfer`, {}, idempotencyKey)
  }

  async syncJob(jobId: string): Promise<SyncJob> {
    return toSyncJob((await this.get(`/sync/jobs/${pathSegment(jobId)}`)).body)
  }

  private async startJob(path: string, body: unknown, idempotencyKey: string): Promise<StartedJob<SyncJob>> {
    const response = await this.post(path, body, idempotencyKey, [409])
    if (response.status === 409) {
      const jobId = runningJobId(response.body)
      if (!jobId) throw new RequestProblem({httpStatus: 409, kind: 'http-error', message: `CMS: HTTP 409, ${JSON.stringify(response.body).slice(0, 200)}`})
      return {attached: true, job: await this.syncJob(jobId)}
    }
    return {attached: false, job: toSyncJob(response.body)}
  }

  async syncRecords(entity: SyncEntity, key: string, limit = 5): Promise<SyncRecordOutcome[]> {
    const query = new URLSearchParams({entity, key, limit: String(limit)})
    const body = asObject((await this.get(`/sync/records?${query}`)).body, system, '/sync/records')
    return asArray(body.records, system, '"records"').map((raw) => {
      const record = asObject(raw, system, 'a sync record')
      return {
        at: parseTime(record.at),
        outcome: optionalString(record, 'outcome') ?? 'unknown',
        reason: optionalString(record, 'reason'),
        runId: optionalString(record, 'runId') ?? '',
      }
    })
  }
}

