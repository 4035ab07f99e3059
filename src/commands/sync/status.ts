import {Args} from '@oclif/core'

import {connectionFlags, SynctraceCommand} from '../../cli/base-command.js'

interface JobStatus {
  jobId: string
  entity: string
  mode: string
  keys: string[] | null
  status: string
  progress: {done: number; total: number} | null
  requestedBy: string | null
  createdAt: string | null
  startedAt: string | null
  finishedAt: string | null
  error: string | null
  runId: string | null
}

export default class SyncStatus extends SynctraceCommand<typeof SyncStatus> {
  static override summary = 'Show a CMS sync job: status, progress, its run.'

  static override description = 'Reads GET /sync/jobs/{jobId}: for checking a job that synctrace stopped waiting for. Exit code 0 when it succeeded or is still going, 6 when it failed.'

  static override examples = ['<%= config.bin %> <%= command.id %> j-31 --profile acme']

  static override args = {jobId: Args.string({description: 'The job id (j-31), as the sync command or the audit log shows it.', required: true})}

  static override flags = {...connectionFlags}

  public async run(): Promise<JobStatus> {
    const {args, flags} = await this.parse(SyncStatus)
    const {openSession} = await import('../../cli/session.js')
    const {HttpClient} = await import('../../http/client.js')
    const {CmsClient} = await import('../../connectors/platform/cms.js')
    const {validateKey} = await import('../../model/keys.js')
    const jobId = validateKey('job id', args.jobId).key
    const session = await openSession(flags)
    const http = new HttpClient({debug: this.debugLine, signal: this.abortController.signal, timeouts: flags.timeout ? {totalMs: flags.timeout * 1000} : undefined})
    try {
      const job = await new CmsClient(http, session.profile.cms).syncJob(jobId).catch(async (error: unknown) => {
        const {RequestProblem} = await import('../../http/problem.js')
        const {UserError} = await import('../../util/errors.js')
        if (error instanceof RequestProblem && error.problem.httpStatus === 404) throw new UserError(`The CMS has no job ${jobId}.`, 'Check the id: synctrace audit lists the jobs synctrace started.')
        throw error
      })
      const iso = (date: Date | null) => date?.toISOString() ?? null
      const status: JobStatus = {...job, createdAt: iso(job.createdAt), finishedAt: iso(job.finishedAt), startedAt: iso(job.startedAt)}
      if (job.status === 'failed') process.exitCode = 6
      if (!this.jsonEnabled()) {
        const {sanitizeForTerminal} = await import('../../util/sanitize.js')
        const progress = job.progress ? ` ${job.progress.done}/${job.progress.total}` : ''
        this.log(sanitizeForTerminal(`Job ${job.jobId}: ${job.status}${progress} · ${job.mode} sync of ${job.entity}${job.keys ? ` (${job.keys.join(', ')})` : ''} · requested by ${job.requestedBy ?? '?'}${job.runId ? ` · run ${job.runId}` : ''}${job.error ? ` · error: ${job.error}` : ''}`))
      }
      return status
    } finally {
      await http.close()
      await session.close()
    }
  }
}
