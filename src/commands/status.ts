import {Args} from '@oclif/core'

import {connectionFlags, requestTimeoutMs, SynctraceCommand} from '../cli/base-command.js'
import type {JobStatus} from '../actions/job-status.js'
import {ExitCode} from '../util/errors.js'

export type {JobStatus} from '../actions/job-status.js'

export default class Status extends SynctraceCommand<typeof Status> {
  static override summary =
    'Show a job synctrace started: a CMS sync (j-…), an app refresh (rr-…) or a webshop republish (rp-…).'

  static override description =
    `Reads the job or request by its id, as the fix commands and synctrace audit show it: GET /sync/jobs/{id} on the CMS for j-…, GET /refresh-requests/{id} on the app backend for rr-…, GET /republish/{id} on the webshop for rp-…. For checking a job that synctrace stopped waiting for. A --sandbox installation lives for one command only, so a job an earlier --sandbox command started is gone (synctrace audit lists what it did); synctrace sandbox --write-config <path> starts one that lives across commands. Exit code 0 when it succeeded or is still going, 2 when there is no such job, 4 when the service could not be asked, 6 when it failed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> j-31 --profile acme',
    '<%= config.bin %> <%= command.id %> rr-33 --sandbox',
  ]

  static override aliases = ['sync:status']

  static override args = {
    jobId: Args.string({
      description: 'The job id (j-31, rr-33, rp-31), as the fix command or the audit log shows it.',
      required: true,
    }),
  }

  static override flags = {...connectionFlags}

  public async run(): Promise<JobStatus> {
    const {args, flags} = await this.parse(Status)
    const {openSession} = await import('../cli/session.js')
    const {jobKind, jobTimeZone, readJobStatus} = await import('../actions/job-status.js')
    const {validateKey} = await import('../model/keys.js')
    const jobId = validateKey('job id', args.jobId).key
    jobKind(jobId)
    const session = await openSession(flags, this.ctx.env)
    try {
      const asking = {
        http: this.ctx.http(),
        throwawaySandbox: flags.sandbox ? 'synctrace sandbox --write-config <path>' : undefined,
        timeoutMs: requestTimeoutMs(flags),
      }
      const status = await readJobStatus(session.profile, jobId, asking)
      if (status.status === 'failed') this.ctx.exitCode = ExitCode.jobFailed
      if (!this.jsonEnabled()) this.log(await describeStatus(status, await jobTimeZone(session.profile, asking)))
      return status
    } finally {
      await session.close()
    }
  }
}

/** The job in one line, its times in the installation's zone (as a trace shows them), then a line naming the zone. */
async function describeStatus(status: JobStatus, time: {zone: string; ofInstallation: boolean}): Promise<string> {
  const {sanitizeForTerminal} = await import('../util/sanitize.js')
  const {formatInZone, needsSeconds} = await import('../util/time.js')
  const times = [status.startedAt, status.finishedAt].flatMap((at) => (at ? [new Date(at)] : []))
  const seconds = needsSeconds(...times)
  const when = (label: string, at: string | null | undefined) =>
    at ? ` · ${label} ${formatInZone(new Date(at), time.zone, {seconds})}` : ''
  const whose = time.ofInstallation
    ? "the installation's time zone"
    : "this machine's (the CMS did not say the installation's)"
  const zoneLine = times.length > 0 ? `\nTimes in ${sanitizeForTerminal(time.zone)}, ${whose}.` : ''
  if (status.kind !== 'sync') {
    const what = status.kind === 'app-refresh' ? 'App refresh' : 'Webshop republish'
    return `${sanitizeForTerminal(`${what} ${status.jobId}: ${status.status}${when('finished', status.finishedAt)}`)}${zoneLine}`
  }
  const progress = status.progress ? ` ${status.progress.done}/${status.progress.total}` : ''
  return `${sanitizeForTerminal(
    `Job ${status.jobId}: ${status.status}${progress} · ${status.mode} sync of ${status.entity}${status.keys ? ` (${status.keys.join(', ')})` : ''} · requested by ${status.requestedBy ?? '?'}${when('started', status.startedAt)}${when('finished', status.finishedAt)}${status.runId ? ` · run ${status.runId}` : ''}${status.error ? ` · error: ${status.error}` : ''}`,
  )}${zoneLine}`
}
