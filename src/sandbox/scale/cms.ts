import {type Handler, json, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import type {ReconcileEntity} from '../../reconcile/types.js'
import {sandboxUsers} from '../platform/service.js'
import type {ScaleModel} from './model.js'
import {
  adminPost,
  entityOf,
  error,
  lookup,
  platformService,
  recordRoutes,
  type ScaleJobs,
  type ScaleTokens,
} from './platform-kit.js'

type Json = Record<string, unknown>

const maxJobKeys = 1000

/** The CMS over the generated records: who am I, the installation, the records, sync runs and targeted sync jobs. */
export function scaleCms(model: ScaleModel, tokens: ScaleTokens, jobs: ScaleJobs): Handler {
  const syncJobs = new Map<string, Json>()
  const remembered = new Map<string, {body: string; answer: Json}>()
  return platformService('/api/v1', tokens, [
    {
      handle: (_params, request) =>
        json(
          200,
          request.bearer === tokens.admin
            ? {role: 'admin', user: sandboxUsers.admin}
            : {role: 'support', user: sandboxUsers.support},
        ),
      method: 'GET',
      pattern: '/me',
    },
    {handle: () => json(200, installationOf(model)), method: 'GET', pattern: '/installation'},
    ...recordRoutes(model, (entity, index) => model.cms(entity, index)),
    {handle: (_params, request) => json(200, {runs: latestRuns(model, request)}), method: 'GET', pattern: '/sync/runs'},
    {handle: () => json(200, {records: []}), method: 'GET', pattern: '/sync/records'},
    {
      handle: (_params, request) =>
        adminPost(request, tokens, remembered, (body) => startTargetedSync(model, jobs, syncJobs, body)),
      method: 'POST',
      pattern: '/sync/jobs',
    },
    {handle: ({jobId}) => lookup(syncJobs, jobId as string, 'job'), method: 'GET', pattern: '/sync/jobs/:jobId'},
  ])
}

function installationOf(model: ScaleModel): Json {
  return {
    autoSync: {at: null, everyHours: 24, timezone: 'UTC'},
    connection: model.id === 'scale-ftp' ? 'ftp' : 'direct',
    erp: {system: model.id === 'scale-ftp' ? 'generic-ftp' : 'businesscentral'},
    filters: {onlyWebshopItems: false, skipBlockedCustomers: false, skipPrivateCustomers: true},
    ftp: null,
    id: model.id,
    name: `Scale ${model.records}`,
  }
}

/** `GET /sync/runs?entity&limit`: the entity's runs, newest first. */
function latestRuns(model: ScaleModel, request: SandboxRequest): Json[] {
  const entity = request.query.get('entity')
  const limit = Math.min(100, Number(request.query.get('limit') ?? 20) || 20)
  return model.runs
    .filter((run) => run.entity === entity)
    .sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)))
    .slice(0, limit)
}

/** `POST /sync/jobs`: a targeted customer or item sync of at most `maxJobKeys` keys, one job per entity at a time. */
function startTargetedSync(
  model: ScaleModel,
  jobs: ScaleJobs,
  syncJobs: Map<string, Json>,
  body: Json,
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
  const running = [...syncJobs.values()].find(
    (job) => job.entity === entity && (job.status === 'queued' || job.status === 'running'),
  )
  if (running)
    return json(409, {
      error: {code: 'job_running', jobId: running.jobId, message: `Job ${running.jobId} is ${running.status}.`},
    })
  const job: Json = {
    createdAt: new Date().toISOString(),
    entity,
    error: null,
    finishedAt: null,
    jobId: jobs.nextId('j'),
    keys,
    mode: 'targeted',
    progress: {done: 0, total: keys.length},
    requestedBy: sandboxUsers.admin,
    runId: null,
    startedAt: null,
    status: 'queued',
  }
  syncJobs.set(job.jobId as string, job)
  jobs.timers.after(100, () => {
    const started = Date.now()
    Object.assign(job, {startedAt: new Date(started).toISOString(), status: 'running'})
    jobs.timers.after(200, () => finishTargetedSync(model, jobs, job, {entity, keys: keys as string[], started}))
  })
  return json(202, {...job})
}

/** The job's sync: each key synced, the run recorded, the job succeeded. */
function finishTargetedSync(
  model: ScaleModel,
  jobs: ScaleJobs,
  job: Json,
  run: {entity: ReconcileEntity; keys: string[]; started: number},
): void {
  const {entity, keys} = run
  const counts = {created: 0, failed: 0, read: keys.length, skipped: 0, unchanged: 0, updated: 0}
  for (const key of keys) {
    const outcome = model.sync(entity, key, Date.now())
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
    requestedBy: sandboxUsers.admin,
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
