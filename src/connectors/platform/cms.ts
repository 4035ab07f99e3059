import {parseTime} from '../../util/time.js'
import {asArray, asObject, type JsonObject, malformed, optionalNumber, optionalString, requiredString, stringList} from '../validate.js'
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

/** An identifier the CMS sends (user, role, installation id): a short string on one line, or the field is named as bad. */
function identifier(object: JsonObject, field: string, what: string, required: boolean): string | null {
  const value = object[field]
  if (value === undefined || value === null) {
    if (required) throw malformed(system, `${what} has no "${field}"`)
    return null
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') throw malformed(system, `${what}: "${field}" is ${Array.isArray(value) ? 'a list' : typeof value}, not a string`)
  if (value.length > 200) throw malformed(system, `${what}: "${field}" is ${value.length} characters long`)
  return value
}

/** `GET /me`: who the token belongs to and the role, checked field by field. */
export function parseMe(raw: unknown): {user: string; role: string} {
  const body = asObject(raw, system, '/me')
  return {role: identifier(body, 'role', '/me', true) as string, user: identifier(body, 'user', '/me', true) as string}
}

function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false
  try {
    new Intl.DateTimeFormat('en-GB', {timeZone: zone}).format(0)
    return true
  } catch {
    return false
  }
}

/**
 * `GET /installation`, checked before anything uses it: the schedule's time zone must be a real IANA zone,
 * `at` a wall-clock time HH:MM, `everyHours` a number of hours between 1/60 and 8760; a bad field is this
 * hop's error, naming the field, never a crash of the whole run.
 */
export function parseInstallation(raw: unknown): Installation {
  const what = '/installation'
  const body = asObject(raw, system, what)
  const connection = identifier(body, 'connection', what, true) as string
  if (connection !== 'direct' && connection !== 'ftp') throw malformed(system, `${what}: "connection" is "${connection.slice(0, 40)}", neither "direct" nor "ftp"`)
  const section = (field: string): JsonObject | null => {
    const value = body[field]
    if (value === undefined || value === null) return null
    if (typeof value !== 'object' || Array.isArray(value)) throw malformed(system, `${what}: "${field}" is not an object`)
    return value as JsonObject
  }
  const erp = section('erp') ?? {}
  const ftp = section('ftp')
  const autoSync = section('autoSync')
  const filtersSection = section('filters')
  const filters: Record<string, boolean> = {}
  if (filtersSection) for (const [name, value] of Object.entries(filtersSection)) if (typeof value === 'boolean') filters[name] = value
  let schedule: Installation['autoSync'] = null
  if (autoSync) {
    const timezone = autoSync.timezone === undefined || autoSync.timezone === null ? 'UTC' : autoSync.timezone
    if (typeof timezone !== 'string' || !isTimeZone(timezone)) throw malformed(system, `${what}: "autoSync.timezone" ${typeof timezone === 'string' ? `"${timezone.slice(0, 40)}" is not a known time zone` : 'is not a string'}`)
    const at = autoSync.at === undefined || autoSync.at === null ? null : autoSync.at
    if (at !== null && (typeof at !== 'string' || !/^([01]?\d|2[0-3]):[0-5]\d$/.test(at))) throw malformed(system, `${what}: "autoSync.at" ${typeof at === 'string' ? `"${at.slice(0, 20)}" is not a time HH:MM` : 'is not a string'}`)
    const everyRaw = autoSync.everyHours === undefined || autoSync.everyHours === null ? 24 : autoSync.everyHours
    const everyHours = typeof everyRaw === 'number' ? everyRaw : typeof everyRaw === 'string' && everyRaw.trim() !== '' ? Number(everyRaw) : Number.NaN
    if (!Number.isFinite(everyHours) || everyHours < 1 / 60 || everyHours > 8760) throw malformed(system, `${what}: "autoSync.everyHours" ${typeof everyRaw === 'number' || typeof everyRaw === 'string' ? `(${String(everyRaw).slice(0, 20)}) is not a number of hours between 1/60 and 8760` : 'is not a number'}`)
    schedule = {at, everyHours, timezone}
  }
  const ftpUrl = ftp ? identifier(ftp, 'url', `${what} ftp`, false) : null
  // A file-server URL the CMS reports may carry user info: a secret of this run from now on.
  registerUrlSecrets(ftpUrl)
  const erpSystem = identifier(erp, 'system', `${what} erp`, false) ?? 'unknown'
  // Names are looked up in tables: one that is a property of every object ("constructor") is not a name.
  if (erpSystem in Object.prototype) throw malformed(system, `${what}: "erp.system" "${erpSystem}" is not an ERP name`)
  return {
    autoSync: schedule,
    connection: connection as ConnectionType,
    erpSystem,
    filters,
    ftpUrl,
    id: identifier(body, 'id', what, true) as string,
    name: identifier(body, 'name', what, false) ?? '',
  }
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

