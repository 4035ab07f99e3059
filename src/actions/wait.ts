import type {InstallationClients} from '../connectors/installation.js'
import type {PendingRequest, StartedJob, SyncJob} from '../connectors/platform/types.js'
import {type Clock, systemClock} from '../util/clock.js'
import type {Progress} from './types.js'
import type {ActionTarget} from './target.js'

/** Sending the action's request, and waiting for the job or request it starts. */

export interface Waited {
  status: 'done' | 'failed' | 'timed-out'
  jobStatus: string
  doneAt: string | null
  reason: string | null
}

export interface WaitOptions {
  waitTimeoutMs: number
  progress: (progress: Progress) => void
  signal?: AbortSignal
  /** The time the wait reads and sleeps on; the wall clock unless a test hands a faster one. */
  clock?: Clock
}

export interface StartedWork {
  job: {id: string; status: string; attached: boolean}
  /** One look at the job or request. */
  poll: () => Promise<PollState>
}

interface PollState {
  finished: boolean
  failed: boolean
  status: string
  progress: Progress
  doneAt: string | null
  error: string | null
}

/** The first pause between two polls; each next one is half as long again, up to `longestPollIntervalMs`. */
const firstPollIntervalMs = 300
const longestPollIntervalMs = 2000

/** Polls until the job or request is finished, reporting progress; gives up waiting at the deadline (`--wait`). */
export async function waitFor(poll: () => Promise<PollState>, options: WaitOptions): Promise<Waited> {
  const clock = options.clock ?? systemClock
  const deadline = clock.now() + options.waitTimeoutMs
  let intervalMs = firstPollIntervalMs
  for (;;) {
    const state = await poll()
    options.progress(state.progress)
    if (state.finished)
      return {
        doneAt: state.doneAt,
        jobStatus: state.status,
        reason: state.failed ? (state.error ?? 'the job failed') : null,
        status: state.failed ? 'failed' : 'done',
      }
    if (clock.now() + intervalMs > deadline)
      return {
        doneAt: null,
        jobStatus: state.status,
        reason: `still ${state.status} after ${Math.round(options.waitTimeoutMs / 1000)} s`,
        status: 'timed-out',
      }
    await clock.sleep(intervalMs, options.signal)
    intervalMs = Math.min(longestPollIntervalMs, Math.round(intervalMs * 1.5))
  }
}

/** A CMS job (a sync, or an order's retransfer): started, or a running one of the same entity attached to. */
async function startCmsJob(
  target: ActionTarget & {kind: 'sync' | 'order-retransfer'},
  clients: InstallationClients,
  idempotencyKey: string,
  progress: (progress: Progress) => void,
): Promise<StartedWork> {
  const started: StartedJob<SyncJob> =
    target.kind === 'sync'
      ? await clients.cms.startSyncJob({entity: target.entity, keys: target.keys, mode: target.mode}, idempotencyKey)
      : await clients.cms.retransferOrder(target.orderNr, idempotencyKey)
  if (started.attached)
    progress({
      text: `a ${started.job.entity} job is already ${started.job.status}: following job ${started.job.jobId} instead of starting another`,
    })
  const poll = async (): Promise<PollState> => {
    const job = await clients.cms.syncJob(started.job.jobId)
    return {
      doneAt: job.finishedAt?.toISOString() ?? null,
      error: job.error,
      failed: job.status === 'failed',
      finished: job.status === 'succeeded' || job.status === 'failed',
      progress: {done: job.progress?.done, text: `job ${job.jobId} ${job.status}`, total: job.progress?.total},
      status: job.status,
    }
  }
  return {job: {attached: started.attached, id: started.job.jobId, status: started.job.status}, poll}
}

/** An app refresh or a webshop republish: a request that is done once the devices or the webshop have it. */
async function startRequest(
  target: ActionTarget & {kind: 'app-refresh' | 'webshop-republish'},
  clients: InstallationClients,
  idempotencyKey: string,
): Promise<StartedWork> {
  const started: PendingRequest =
    target.kind === 'app-refresh'
      ? await clients.app.requestFullRefresh(target.userId, idempotencyKey)
      : await clients.webshop.republish({entity: target.entity, keys: target.keys}, idempotencyKey)
  const waitingFor = target.kind === 'app-refresh' ? 'waiting for the devices to start' : 'waiting for the webshop'
  const poll = async (): Promise<PollState> => {
    const request =
      target.kind === 'app-refresh'
        ? await clients.app.refreshRequest(started.requestId)
        : await clients.webshop.republishRequest(started.requestId)
    return {
      doneAt: request.doneAt?.toISOString() ?? null,
      error: null,
      failed: false,
      finished: request.status === 'done',
      progress: {
        text: `request ${request.requestId} ${request.status}${request.status === 'pending' ? `, ${waitingFor}` : ''}`,
      },
      status: request.status,
    }
  }
  return {job: {attached: false, id: started.requestId, status: started.status}, poll}
}

/** Sends the action's request (with its Idempotency-Key) and says how to follow what it started. */
export function startWork(
  target: ActionTarget,
  clients: InstallationClients,
  idempotencyKey: string,
  progress: (progress: Progress) => void,
): Promise<StartedWork> {
  if (target.kind === 'sync' || target.kind === 'order-retransfer')
    return startCmsJob(target, clients, idempotencyKey, progress)
  return startRequest(target, clients, idempotencyKey)
}
