import {Args} from '@oclif/core'

import {connectionFlags, requestTimeoutMs, SynctraceCommand} from '../cli/base-command.js'
import {ExitCode} from '../util/errors.js'

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

export default class Status extends SynctraceCommand<typeof Status> {
  static override summary =
    'Show a job synctrace started: a CMS sync (j-…), an app refresh (rr-…) or a webshop republish (rp-…).'

  static override description =
    `Reads the job or request by its id, as the fix commands and synctrace audit show it: GET /sync/jobs/{id} on the CMS for j-…, GET /refresh-requests/{id} on the app backend for rr-…, GET /republish/{id} on the webshop for rp-…. For checking a job that synctrace stopped waiting for. Exit code 0 when it succeeded or is still going, 2 when there is no such job, 4 when the service could not be asked, 6 when it failed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> j-31 --profile acme',
    '<%= config.bin %> <%= command.id %> rr-33 --sandbox',
  ]

  static override aliases = ['sync:status']

  static override args = {
    jobId: Args.string({
      description: 'The id (j-31, rr-33, rp-31), as the fix command or the audit log shows it.',
      required: true,
    }),
  }

  static override flags = {...connectionFlags}

  public async run(): Promise<JobStatus> {
    const {args, flags} = await this.parse(Status)
    const {openSession} = await import('../cli/session.js')
    const {HttpClient} = await import('../http/client.js')
    const {clientsForProfile} = await import('../config/clients.js')
    const {validateKey} = await import('../model/keys.js')
    const {UserError} = await import('../util/errors.js')
    const {RequestProblem} = await import('../http/problem.js')
    const jobId = validateKey('job id', args.jobId).key
    const kind = jobId.startsWith('rr-')
      ? 'app-refresh'
      : jobId.startsWith('rp-')
        ? 'webshop-republish'
        : jobId.startsWith('j-')
          ? 'sync'
          : null
    if (!kind)
      throw new UserError(
        `"${jobId}" is not an id synctrace knows: sync jobs are j-…, app refreshes rr-…, webshop republishes rp-….`,
        'synctrace audit lists the ids of every job synctrace started.',
      )
    const session = await openSession(flags)
    const timeoutMs = requestTimeoutMs(flags)
    const http = new HttpClient({
      debug: this.debugLine,
      signal: this.abortController.signal,
      timeouts: timeoutMs ? {totalMs: timeoutMs} : undefined,
    })
    const service = {'app-refresh': 'app backend', sync: 'CMS', 'webshop-republish': 'webshop'}[kind]
    const iso = (date: Date | null | undefined) => date?.toISOString() ?? null
    try {
      const clients = clientsForProfile(session.profile, http)
      let status: JobStatus
      try {
        if (kind === 'sync') {
          const job = await clients.cms.syncJob(jobId)
          status = {
            ...job,
            createdAt: iso(job.createdAt),
            finishedAt: iso(job.finishedAt),
            kind,
            startedAt: iso(job.startedAt),
          }
        } else {
          const request =
            kind === 'app-refresh'
              ? await clients.app.refreshRequest(jobId)
              : await clients.webshop.republishRequest(jobId)
          status = {finishedAt: iso(request.doneAt), jobId: request.requestId, kind, status: request.status}
        }
      } catch (error) {
        if (error instanceof RequestProblem && error.problem.httpStatus === 404)
          throw new UserError(
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
      if (status.status === 'failed') process.exitCode = ExitCode.jobFailed
      if (!this.jsonEnabled()) this.log(await describeStatus(status))
      return status
    } finally {
      await http.close()
      await session.close()
    }
  }
}

async function describeStatus(status: JobStatus): Promise<string> {
  const {sanitizeForTerminal} = await import('../util/sanitize.js')
  const {formatLocal} = await import('../util/time.js')
  const when = (label: string, at: string | null | undefined) => (at ? ` · ${label} ${formatLocal(new Date(at))}` : '')
  if (status.kind !== 'sync') {
    const what = status.kind === 'app-refresh' ? 'app full refresh' : 'webshop republish'
    return sanitizeForTerminal(
      `${what === 'app full refresh' ? 'App refresh' : 'Webshop republish'} ${status.jobId}: ${status.status}${when('done', status.finishedAt)}`,
    )
  }
  const progress = status.progress ? ` ${status.progress.done}/${status.progress.total}` : ''
  return sanitizeForTerminal(
    `Job ${status.jobId}: ${status.status}${progress} · ${status.mode} sync of ${status.entity}${status.keys ? ` (${status.keys.join(', ')})` : ''} · requested by ${status.requestedBy ?? '?'}${when('started', status.startedAt)}${when('finished', status.finishedAt)}${status.runId ? ` · run ${status.runId}` : ''}${status.error ? ` · error: ${status.error}` : ''}`,
  )
}
