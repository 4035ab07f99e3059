import type {Profile} from '../config/profile.js'
import {clientsForProfile} from '../config/clients.js'
import type {HttpClient} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import {UserError} from '../util/errors.js'
import {installationTimeZone, localTimeZone} from '../util/time.js'

/** One job or request synctrace started, whatever its kind. */
export interface JobStatus {
  /** `sync` (CMS job, j-…), `app-refresh` (rr-…) or `webshop-republish` (rp-…). */
  kind: 'sync' | 'app-refresh' | 'webshop-republish'
  jobId: string
  status: string
  entity?: string
  mode?: string
  keys?: string[] | null
  progress?: {done: number; total: number} | null
  requestedBy?: string | null
  createdAt?: string | null
  startedAt?: string | null
  finishedAt: string | null
  error?: string | null
  runId?: string | null
}

/** The kind of job an id names: j-… a CMS sync, rr-… an app refresh, rp-… a webshop republish. */
export function jobKind(jobId: string): JobStatus['kind'] {
  if (jobId.startsWith('rr-')) return 'app-refresh'
  if (jobId.startsWith('rp-')) return 'webshop-republish'
  if (jobId.startsWith('j-')) return 'sync'
  throw new UserError(
    `"${jobId}" is not an id synctrace knows: sync jobs are j-…, app refreshes rr-…, webshop republishes rp-….`,
    'synctrace audit lists the ids of every job synctrace started.',
  )
}

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null

/** Reads a job or request by its id from the service that runs it; a missing one or an unreachable service is a user error. */
export async function readJobStatus(
  profile: Profile,
  jobId: string,
  options: {
    http: HttpClient
    timeoutMs?: number
    /** Asked of a sandbox started for this command (--sandbox): the command that starts one that lives on. */
    throwawaySandbox?: string
  },
): Promise<JobStatus> {
  const kind = jobKind(jobId)
  const http = options.http.scoped({timeouts: options.timeoutMs ? {totalMs: options.timeoutMs} : undefined})
  const clients = await clientsForProfile(profile, http)
  const service = {'app-refresh': 'app backend', sync: 'CMS', 'webshop-republish': 'webshop'}[kind]
  try {
    if (kind === 'sync') {
      const job = await clients.cms.syncJob(jobId)
      return {
        ...job,
        createdAt: iso(job.createdAt),
        finishedAt: iso(job.finishedAt),
        kind,
        startedAt: iso(job.startedAt),
      }
    }
    const request =
      kind === 'app-refresh' ? await clients.app.refreshRequest(jobId) : await clients.webshop.republishRequest(jobId)
    return {finishedAt: iso(request.doneAt), jobId: request.requestId, kind, status: request.status}
  } catch (error) {
    if (error instanceof RequestProblem && error.problem.httpStatus === 404)
      throw options.throwawaySandbox
        ? new UserError(
            `The ${service} has no job ${jobId}: a --sandbox installation lives for one command only, so a job an earlier --sandbox command started is gone with it.`,
            `synctrace audit lists what that command did. For a sandbox that lives across commands, run ${options.throwawaySandbox} in another terminal and use its profile (--config <path> --profile sandbox-<installation>).`,
          )
        : new UserError(
            `The ${service} has no job ${jobId}.`,
            'Check the id: synctrace audit lists the jobs synctrace started.',
          )
    if (error instanceof RequestProblem)
      throw new UserError(
        `The ${service} could not be asked about ${jobId}: ${error.problem.message}`,
        'synctrace doctor checks every hop.',
        4,
      )
    throw error
  }
}

/**
 * The zone a job's times are shown in: the installation's (`autoSync.timezone` of the CMS's `/installation`),
 * else, when the CMS does not say it or cannot be asked, this machine's; `ofInstallation` says which.
 */
export async function jobTimeZone(
  profile: Profile,
  options: {http: HttpClient; timeoutMs?: number},
): Promise<{zone: string; ofInstallation: boolean}> {
  const http = options.http.scoped({timeouts: options.timeoutMs ? {totalMs: options.timeoutMs} : undefined})
  try {
    const installation = await (await clientsForProfile(profile, http)).cms.installation()
    if (installation.autoSync) return {ofInstallation: true, zone: installationTimeZone(installation)}
  } catch {
    // The job's own answer says what is wrong with the service; its times are then shown in this machine's zone.
  }
  return {ofInstallation: false, zone: localTimeZone()}
}
