import {json, type SandboxResponse} from '../../emulation/service.js'
import type {ReconcileEntity} from '../../reconcile/types.js'
import {error, type PlatformJobs} from '../platform/service.js'
import {jobRunningFor, newJob} from '../platform/sync-jobs.js'
import type {ScaleModel} from './model.js'
import type {ScaleSource} from './source.js'

type Json = Record<string, unknown>

const maxJobKeys = 1000

const entityOf = (value: unknown): ReconcileEntity | null => (value === 'customers' || value === 'items' ? value : null)

/**
 * `POST /sync/jobs` of a scale installation (the CMS's job table, queue and conflicts are the platform's):
 * a targeted customer or item sync of at most `maxJobKeys` keys, each key read from the generated source.
 */
export function startScaleSync(
  model: ScaleModel,
  source: ScaleSource,
  jobs: PlatformJobs,
  body: Json,
  requestedBy: string,
): SandboxResponse {
  const entity = entityOf(body.entity)
  const keys = body.keys
  if (
    !entity ||
    body.mode !== 'targeted' ||
    !Array.isArray(keys) ||
    keys.length === 0 ||
    keys.some((key) => typeof key !== 'string')
  )
    return error(400, 'bad_request', 'The scale sandbox runs targeted customer or item syncs with a list of keys.')
  if (keys.length > maxJobKeys) return error(400, 'bad_request', `At most ${maxJobKeys} keys per targeted job.`)
  const conflict = jobRunningFor(jobs, entity)
  if (conflict) return conflict
  const job = newJob(jobs, {entity, keys, mode: 'targeted', requestedBy, total: keys.length})
  jobs.timers.after(100, () => {
    const started = Date.now()
    Object.assign(job, {startedAt: new Date(started).toISOString(), status: 'running'})
    jobs.timers.after(200, () => finishScaleSync(model, source, jobs, job, {entity, keys: keys as string[], started}))
  })
  return json(202, {...job})
}

/** The job's sync: each key synced, the run recorded, the job succeeded. */
function finishScaleSync(
  model: ScaleModel,
  source: ScaleSource,
  jobs: PlatformJobs,
  job: Json,
  run: {entity: ReconcileEntity; keys: string[]; started: number},
): void {
  const {entity, keys} = run
  const counts = {created: 0, failed: 0, read: keys.length, skipped: 0, unchanged: 0, updated: 0}
  for (const key of keys) {
    const outcome = syncKey(model, source, entity, key, new Date().toISOString())
    if (outcome === 'updated') counts.updated++
    else if (outcome === 'skipped') counts.skipped++
    else counts.failed++
  }
  const runId = jobs.nextId('r')
  model.runs.push({
    counts,
    entity,
    error: null,
    finishedAt: new Date().toISOString(),
    keys,
    mode: 'targeted',
    requestedBy: job.requestedBy,
    runId,
    source: model.id === 'scale-ftp' ? 'ftp-file' : 'erp-api',
    sourceFile: null,
    sourceFileModifiedAt: null,
    startedAt: new Date(run.started).toISOString(),
    status: 'succeeded',
  })
  Object.assign(job, {
    finishedAt: new Date().toISOString(),
    progress: {done: keys.length, total: keys.length},
    runId,
    status: 'succeeded',
  })
}

/**
 * What a targeted sync does for one key: reads the source (`failed` when it has no readable record), honours
 * the filter (private customers, inactive items: `skipped`), writes the CMS, publishes to the app and webshop.
 */
function syncKey(
  model: ScaleModel,
  source: ScaleSource,
  entity: ReconcileEntity,
  key: string,
  at: string,
): 'updated' | 'skipped' | 'failed' {
  const index = model.indexOf(entity, key)
  const read = index === null ? null : source(entity, index, model.cms(entity, index) ?? undefined)
  const record = read?.record
  if (!read || !record) return 'failed'
  if (entity === 'customers' ? record.isPrivate === true : record.active === false) return 'skipped'
  model.writeCms(key, {...record, erpModifiedAt: read.modifiedAt, origin: 'erp', syncedAt: at})
  model.publish(entity, key, record, at, {app: true, webshop: true})
  return 'updated'
}
