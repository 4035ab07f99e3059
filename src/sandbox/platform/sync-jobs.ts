import {json, type SandboxResponse} from '../../emulation/service.js'
import {jobTiming} from '../job-timers.js'
import {runCustomerSync, runItemSync} from '../jobs.js'
import {runPriceSync} from '../jobs-prices.js'
import {pricesOf} from '../price-state.js'
import {sourceCustomers} from '../source-records.js'
import type {InstallationState} from '../state.js'
import type {RunStart} from '../sync-run.js'
import {error, type PlatformJobs} from './service.js'

type Json = Record<string, unknown>

const syncEntities = ['customers', 'items', 'prices', 'stock', 'orders']

/** 409 `job_running` naming the job already queued or running for the entity, or null when there is none. */
export function jobRunningFor(jobs: PlatformJobs, entity: string): SandboxResponse | null {
  const running = [...jobs.cmsJobs.values()].find(
    (job) => job.entity === entity && (job.status === 'queued' || job.status === 'running'),
  )
  return running
    ? json(409, {
        error: {
          code: 'job_running',
          jobId: running.jobId,
          message: `Job ${running.jobId} for ${entity} is already ${running.status}.`,
        },
      })
    : null
}

/** A new queued job in the contract's shape, kept in the job table. */
export function newJob(
  jobs: PlatformJobs,
  fields: {entity: string; mode: string; keys: unknown; total: number; requestedBy: string},
): Json {
  const job: Json = {
    createdAt: new Date().toISOString(),
    entity: fields.entity,
    error: null,
    finishedAt: null,
    jobId: jobs.nextId('j'),
    keys: fields.keys,
    mode: fields.mode,
    progress: {done: 0, total: fields.total},
    requestedBy: fields.requestedBy,
    runId: null,
    startedAt: null,
    status: 'queued',
  }
  jobs.cmsJobs.set(job.jobId as string, job)
  return job
}

export interface SyncJobRequest {
  entity: string
  mode: string
  keys: string[] | null
  requestedBy: string
  total: number
}

/** `POST /sync/jobs`: a queued job that runs a while (its progress in steps), then the entity's sync. */
export function startSyncJob(
  state: InstallationState,
  jobs: PlatformJobs,
  body: Json,
  requestedBy: string,
): SandboxResponse {
  const entity = body.entity
  const mode = body.mode
  const keys = body.keys === null || body.keys === undefined ? null : body.keys
  if (typeof entity !== 'string' || !syncEntities.includes(entity))
    return error(400, 'bad_request', `entity must be one of ${syncEntities.join(', ')}.`)
  if (mode !== 'targeted' && mode !== 'full') return error(400, 'bad_request', 'mode must be targeted or full.')
  if (keys !== null && (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string')))
    return error(400, 'bad_request', 'keys must be a list of strings or null.')
  if (mode === 'targeted' && (keys === null || keys.length === 0))
    return error(400, 'bad_request', 'A targeted job needs keys.')
  const conflict = jobRunningFor(jobs, entity)
  if (conflict) return conflict
  const total =
    entity === 'customers'
      ? keys === null
        ? sourceCustomers(state).length
        : (keys as string[]).length
      : entity === 'prices' && keys === null
        ? pricesOf(state).cms.lists.size
        : (keys?.length ?? 0)
  return queueSyncJob(jobs, {entity, keys: keys as string[] | null, mode, requestedBy, total}, (run) =>
    runSeededSync(state, entity, run),
  )
}

/**
 * A sync job's life, the same for every installation: queued, running a while (its progress in steps), then
 * `run` (the entity's sync run, with the run's id and start), then succeeded.
 */
export function queueSyncJob(
  jobs: PlatformJobs,
  request: SyncJobRequest,
  run: (start: RunStart) => void,
): SandboxResponse {
  const {entity, keys, mode, requestedBy, total} = request
  const job = newJob(jobs, {entity, keys, mode, requestedBy, total})
  jobs.timers.after(jobTiming.queuedMs, () => {
    job.status = 'running'
    job.startedAt = new Date().toISOString()
    for (let step = 1; step <= jobTiming.progressSteps; step++)
      jobs.timers.after(step * jobTiming.progressStepMs, () => {
        job.progress = {done: Math.round((total * step) / (jobTiming.progressSteps + 1)), total}
      })
    jobs.timers.after((jobTiming.progressSteps + 1) * jobTiming.progressStepMs, () => {
      const runId = jobs.nextId('r')
      run({keys, mode, requestedBy, runId, startedAt: job.startedAt as string})
      job.runId = runId
      job.progress = {done: total, total}
      job.status = 'succeeded'
      job.finishedAt = new Date().toISOString()
    })
  })
  return json(202, {...job})
}

/** The seeded installation's sync run of the entity (customers, items, prices or stock; an order sync reads nothing here). */
function runSeededSync(state: InstallationState, entity: string, run: RunStart): void {
  if (entity === 'customers') runCustomerSync(state, run)
  else if (entity === 'prices') runPriceSync(state, run)
  else if (entity !== 'orders') runItemSync(state, {...run, entity})
  else
    state.cms.runs.unshift({
      counts: {created: 0, failed: 0, read: 0, skipped: 0, unchanged: 0, updated: 0},
      entity,
      error: null,
      finishedAt: new Date().toISOString(),
      keys: run.keys,
      mode: run.mode,
      requestedBy: run.requestedBy,
      runId: run.runId,
      source: 'erp-api',
      sourceFile: null,
      sourceFileModifiedAt: null,
      startedAt: run.startedAt,
      status: 'succeeded',
    })
}
