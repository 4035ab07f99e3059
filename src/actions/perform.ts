import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import type {PendingRequest, StartedJob, SyncJob} from '../connectors/platform/types.js'
import {HttpClient, newIdempotencyKey} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import {headline} from '../render/labels.js'
import {traceCustomer, traceItem, traceOrder} from '../trace/run.js'
import type {TraceReport} from '../report/types.js'
import {ExitCode, UserError} from '../util/errors.js'
import {type AuditEntry, appendAudit, beginAudit, finishAudit} from './audit.js'
import {type ActionTarget, actionName, commandFor, describeTarget, type PlannedRequest, type RecordToVerify, recordsToVerify, requestFor, subjectOf} from './target.js'

export interface Progress {
  text: string
  done?: number
  total?: number
}

export interface PerformOptions {
  profile: Profile
  commandSuffix: string
  version: string
  /** --yes: confirmed on the command line. */
  yes: boolean
  dryRun: boolean
  /** May a prompt be shown (stdin and stdout are TTYs, no --json, no --no-input)? */
  interactive: boolean
  confirm: (message: string) => Promise<boolean>
  progress: (progress: Progress) => void
  /** How long to wait for the job before giving up waiting (the job goes on). */
  waitTimeoutMs: number
  /** Reuse the Idempotency-Key of an earlier attempt whose answer was lost. */
  idempotencyKey?: string
  /** Records to re-trace afterwards, besides those the action names (from `trace --fix`). */
  verify?: RecordToVerify[]
  /** The app user a verification trace checks (from `trace --fix --user`). */
  verifyUser?: string
  /** Traces just made of records to verify (`trace --fix`): used as "before" instead of tracing again. */
  tracedBefore?: TraceReport[]
  signal?: AbortSignal
  debug?: (line: string) => void
  /** Flags an admin would type for this installation (`--profile <installation>`): the hand-off command. */
  adminCommandSuffix?: string
  /** `retransfer --force`: send the order although the ERP already has it. */
  force?: boolean
  /** Receives the traces made after the action (one per record verified), for `trace --fix` to carry on. */
  onTraced?: (after: TraceReport[]) => void
  /** The caller verifies the records itself (`reconcile --fix` compares them again in bulk): no trace per record. */
  verifiedByCaller?: boolean
}

export interface VerificationResult {
  entity: 'customer' | 'item' | 'order'
  key: string
  before: {cause: string; headline: string; brokenLink: TraceReport['verdict']['brokenLink']}
  after: {cause: string; headline: string; brokenLink: TraceReport['verdict']['brokenLink']; summary: string}
  /** The break the action was for is gone (another one may remain downstream). */
  breakGone: boolean
  /** The record is consistent at every hop after the action: only then is it fixed. */
  consistent: boolean
  /** It was consistent before the action already: nothing was broken. */
  alreadyConsistent: boolean
  /** What remains when not consistent: the next action and who takes it. */
  remaining: RemainingBreak | null
}

export interface RemainingBreak {
  headline: string
  cause: string
  summary: string
  action: TraceReport['action']
}

export function remainingBreak(report: TraceReport): RemainingBreak | null {
  if (report.verdict.ok) return null
  return {action: report.action, cause: report.verdict.cause, headline: headline(report), summary: report.verdict.summary}
}

export interface ActionResult {
  action: string
  description: string
  command: string
  scope: ActionTarget
  installation: string | null
  cmsUser: string | null
  role: string | null
  outcome: AuditEntry['outcome']
  reason: string | null
  request: PlannedRequest & {idempotencyKey: string}
  job: {id: string; status: string; attached: boolean; doneAt: string | null} | null
  verification: VerificationResult[]
  /** After an app refresh: has every device of the user run it? */
  devices: Array<{deviceId: string; lastFullRefreshAt: string | null; refreshed: boolean}> | null
  exitCode: number
}

/** Exit codes of actions beyond the common ones. */

/** Inquirer's answer to Ctrl-C at a prompt. */
export function isPromptInterrupt(error: unknown): boolean {
  return (error as {name?: string} | null)?.name === 'ExitPromptError'
}

/** Where the ERP already holds the order (its document number, or the processed file): a retransfer would duplicate it. */
function orderAlreadyInErp(report: TraceReport): string | null {
  const erp = report.hops.find((hop) => hop.hop === 'erp')
  if (erp?.status === 'present') {
    const document = erp.evidence.find((entry) => entry.name === 'erpDocumentNumber')?.text ?? report.hops.flatMap((hop) => hop.evidence).find((entry) => entry.name === 'erpDocumentNumber')?.text
    return document ? `the ERP already has it as document ${document.split(',')[0]}` : 'the ERP already has it'
  }
  const processed = report.hops.find((hop) => hop.hop === 'ftp')?.evidence.find((entry) => entry.name === 'orderFile' && /(^|\/)processed\//.test(entry.file ?? entry.text ?? ''))
  if (processed) return `the ERP already imported it (${processed.file ?? processed.text})`
  return null
}

function sameBreak(before: TraceReport, after: TraceReport): boolean {
  const a = before.verdict.brokenLink
  const b = after.verdict.brokenLink
  return Boolean(a && b && a.from === b.from && a.to === b.to && before.verdict.cause === after.verdict.cause)
}

function problemText(error: unknown): string {
  return error instanceof RequestProblem ? error.problem.message : (error as Error).message
}

interface Waited {
  status: 'done' | 'failed' | 'timed-out'
  jobStatus: string
  doneAt: string | null
  reason: string | null
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    }, {once: true})
  })
}

/** Polls until the job or request is finished, reporting progress; gives up waiting at the deadline. */
async function waitFor(poll: () => Promise<{finished: boolean; failed: boolean; status: string; progress: Progress; doneAt: string | null; error: string | null}>, options: PerformOptions): Promise<Waited> {
  const deadline = Date.now() + options.waitTimeoutMs
  let intervalMs = 300
  for (;;) {
    const state = await poll()
    options.progress(state.progress)
    if (state.finished) return {doneAt: state.doneAt, jobStatus: state.status, reason: state.failed ? (state.error ?? 'the job failed') : null, status: state.failed ? 'failed' : 'done'}
    if (Date.now() + intervalMs > deadline) return {doneAt: null, jobStatus: state.status, reason: `still ${state.status} after ${Math.round(options.waitTimeoutMs / 1000)} s`, status: 'timed-out'}
    await sleep(intervalMs, options.signal)
    intervalMs = Math.min(2000, Math.round(intervalMs * 1.5))
  }
}

/**
 * Performs one action safely: checks the CMS role first, confirms (prompt on a TTY, else --yes), sends
 * the request with an Idempotency-Key (a retried request never starts a second job; a job already running
 * is attached to), waits for it with progress, re-traces the affected customers, and logs every attempt,
 * refused and dry-run ones included.
 */
export async function performAction(target: ActionTarget, options: PerformOptions): Promise<ActionResult> {
  const {profile} = options
  const http = new HttpClient({debug: options.debug, signal: options.signal, timeouts: profile.timeoutMs ? {totalMs: profile.timeoutMs} : undefined})
  const clients = clientsForProfile(profile, http)
  const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey()
  const result: ActionResult = {
    action: actionName(target),
    cmsUser: null,
    devices: null,
    command: commandFor(target, options.commandSuffix),
    description: describeTarget(target),
    exitCode: ExitCode.ok,
    installation: profile.installation ?? null,
    job: null,
    outcome: 'failed',
    reason: null,
    request: {...requestFor(target, profile), idempotencyKey},
    role: null,
    scope: target,
    verification: [],
  }
  const entryFor = (outcome: AuditEntry['outcome'], reason: string | null): AuditEntry => ({
    action: result.action,
    cmsUser: result.cmsUser,
    command: result.command,
    idempotencyKey: outcome === 'dry-run' || outcome === 'refused' || outcome === 'declined' ? null : idempotencyKey,
    installation: result.installation,
    jobId: result.job?.id ?? null,
    outcome,
    profile: profile.name,
    reason,
    role: result.role,
    scope: target as unknown as Record<string, unknown>,
    time: new Date().toISOString(),
    verification:
      result.verification.length > 0
        ? {
            breakGone: result.verification.every((entry) => entry.breakGone),
            consistent: result.verification.every((entry) => entry.consistent),
            details: result.verification.map((entry) => `${entry.key}: ${entry.before.headline} → ${entry.after.headline}`),
          }
        : null,
  })
  /** The attempt's write-ahead entry, once a request that may change a system is about to be sent. */
  let attempt: string | null = null
  let audited = false
  const audit = (outcome: AuditEntry['outcome'], reason: string | null) => {
    result.outcome = outcome
    result.reason = reason
    audited = true
    const entry = entryFor(outcome, reason)
    if (attempt) finishAudit(attempt, entry)
    else appendAudit(entry)
    return result
  }

  try {
    try {
      const [me, installation] = await Promise.all([clients.cms.me(), clients.cms.installation().catch(() => null)])
      result.cmsUser = me.user
      result.role = me.role
      if (installation) result.installation = installation.id
    } catch (error) {
      if (options.signal?.aborted) throw error
      // The server refusing who you are is a refusal (5); any other failure of the CMS is another system's (4).
      if (error instanceof RequestProblem && error.problem.httpStatus === 403) {
        result.exitCode = ExitCode.refused
        return audit('refused', `the CMS refused to say who you are (${problemText(error)})`)
      }
      const reason = `cannot check your CMS role, so nothing was changed: ${problemText(error)}`
      audit('failed', reason)
      throw new UserError(`Cannot check your CMS role, so nothing was changed: ${problemText(error)}`, 'Check that the CMS is reachable and the token valid (synctrace trace customer <code> shows each hop), then try again.', error instanceof RequestProblem ? ExitCode.incomplete : ExitCode.failed)
    }
    if (result.role !== 'admin') {
      result.command = commandFor(target, options.adminCommandSuffix ?? options.commandSuffix)
      result.exitCode = ExitCode.refused
      return audit('refused', `your CMS role is ${result.role}; only an admin may start jobs`)
    }
    if (options.dryRun) return audit('dry-run', null)
    if (!options.yes) {
      if (!options.interactive) {
        audit('refused', 'not confirmed: --yes is required when not running interactively')
        throw new UserError(`--yes is required to ${result.description} when not running interactively.`, `Run it again with --yes to confirm, or --dry-run to see the request: ${result.command} --yes`)
      }
      const where = result.installation ? ` on installation ${result.installation}` : ''
      let confirmed: boolean
      try {
        confirmed = await options.confirm(`This will ${result.description}${where}. Continue?`)
      } catch (error) {
        if (!isPromptInterrupt(error)) throw error
        result.exitCode = ExitCode.interrupted
        return audit('interrupted', 'interrupted at the prompt (Ctrl-C); nothing was sent')
      }
      if (!confirmed) return audit('declined', 'declined at the prompt')
    }

    const verifyKeys = options.verifiedByCaller ? [] : [...new Map([...recordsToVerify(target), ...(options.verify ?? [])].map((record) => [`${record.entity}:${record.key}`, record])).values()]
    const traceOptions = {commandSuffix: options.commandSuffix, debug: options.debug, signal: options.signal, userId: options.verifyUser, version: options.version}
    const tracers = {customer: traceCustomer, item: traceItem, order: traceOrder}
    const retrace = (record: RecordToVerify) => tracers[record.entity](profile, record.key, traceOptions)
    const known = (record: RecordToVerify) => options.tracedBefore?.find((report) => report.entity === record.entity && report.key === record.key)
    const before = await Promise.all(verifyKeys.map((record) => known(record) ?? retrace(record)))
    if (target.kind === 'order-retransfer' && !options.force) {
      // Never a duplicate: the order is looked up in the ERP (or Orders/processed/) before it is sent again.
      const order = before[verifyKeys.findIndex((record) => record.entity === 'order')]
      const inErp = order ? orderAlreadyInErp(order) : null
      if (inErp) {
        result.exitCode = ExitCode.breakFound
        return audit('refused', `not sent: ${inErp}; sending it again would duplicate it (--force sends it anyway)`)
      }
      const erp = order?.hops.find((hop) => hop.hop === 'erp')
      if (erp && (erp.status === 'unreachable' || erp.status === 'error')) {
        result.exitCode = ExitCode.incomplete
        return audit('refused', `not sent: the ERP could not be asked whether it already has order ${target.orderNr} (${erp.summary}); --force sends it anyway`)
      }
    }

    // Write-ahead: the attempt and its Idempotency-Key are on disk before anything is sent.
    try {
      attempt = beginAudit(entryFor('started', null))
    } catch (error) {
      audited = true
      result.outcome = 'failed'
      throw new UserError(`The audit log cannot be written (${problemText(error)}), so nothing was sent.`, 'Check $SYNCTRACE_AUDIT_LOG (or the data directory) and its permissions, then try again.')
    }
    options.progress({text: `${result.description}…`})
    const sentAt = new Date()
    let waited: Waited
    try {
      if (target.kind === 'sync' || target.kind === 'order-retransfer') {
        const started: StartedJob<SyncJob> =
          target.kind === 'sync'
            ? await clients.cms.startSyncJob({entity: target.entity, keys: target.keys, mode: target.mode}, idempotencyKey)
            : await clients.cms.retransferOrder(target.orderNr, idempotencyKey)
        result.job = {attached: started.attached, doneAt: null, id: started.job.jobId, status: started.job.status}
        if (started.attached) options.progress({text: `a ${started.job.entity} job is already ${started.job.status}: following job ${started.job.jobId} instead of starting another`})
        waited = await waitFor(async () => {
          const job = await clients.cms.syncJob(started.job.jobId)
          const finished = job.status === 'succeeded' || job.status === 'failed'
          return {
            doneAt: job.finishedAt?.toISOString() ?? null,
            error: job.error,
            failed: job.status === 'failed',
            finished,
            progress: {done: job.progress?.done, text: `job ${job.jobId} ${job.status}`, total: job.progress?.total},
            status: job.status,
          }
        }, options)
      } else {
        const started: PendingRequest =
          target.kind === 'app-refresh'
            ? await clients.app.requestFullRefresh(target.userId, idempotencyKey)
            : await clients.webshop.republish({entity: target.entity, keys: target.keys}, idempotencyKey)
        result.job = {attached: false, doneAt: null, id: started.requestId, status: started.status}
        waited = await waitFor(async () => {
          const request = target.kind === 'app-refresh' ? await clients.app.refreshRequest(started.requestId) : await clients.webshop.republishRequest(started.requestId)
          const waitingFor = target.kind === 'app-refresh' ? 'waiting for the devices to start' : 'waiting for the webshop'
          return {doneAt: request.doneAt?.toISOString() ?? null, error: null, failed: false, finished: request.status === 'done', progress: {text: `request ${request.requestId} ${request.status}${request.status === 'pending' ? `, ${waitingFor}` : ''}`}, status: request.status}
        }, options)
      }
    } catch (error) {
      if (options.signal?.aborted) throw error
      if (error instanceof RequestProblem && error.problem.httpStatus === 403) {
        result.exitCode = ExitCode.refused
        return audit('refused', `the ${result.request.service === 'cms' ? 'CMS' : result.request.service} refused it: ${error.problem.message}`)
      }
      // Nothing to act on: the thing named does not exist there (a plain answer, nothing was started).
      if (error instanceof RequestProblem && error.problem.httpStatus === 404 && !result.job) {
        result.exitCode = ExitCode.usage
        return audit('failed', `there is no ${subjectOf(target)}: the ${result.request.service === 'cms' ? 'CMS' : result.request.service} answered 404 (${problemText(error)})`)
      }
      // Another system's failure (5xx, 401, a timeout) is exit 4; only an answer that may have been lost
      // (a timeout or a broken connection) can hide a started job.
      result.exitCode = error instanceof RequestProblem ? ExitCode.incomplete : ExitCode.jobFailed
      const mayHaveReached = !result.job && !(error instanceof RequestProblem && error.problem.httpStatus !== undefined)
      return audit('failed', `${problemText(error)}${mayHaveReached ? `; if the request may have reached the server, run the command again with --idempotency-key ${idempotencyKey}` : ''}`)
    }
    if (result.job) Object.assign(result.job, {doneAt: waited.doneAt, status: waited.jobStatus})
    if (waited.status !== 'done') {
      result.exitCode = ExitCode.jobFailed
      return audit(waited.status === 'timed-out' ? 'timed-out' : 'failed', waited.reason)
    }

    if (target.kind === 'app-refresh') {
      const devices = (await clients.app.devices(target.userId)) ?? []
      result.devices = devices.map((device) => ({
        deviceId: device.deviceId,
        lastFullRefreshAt: device.lastFullRefreshAt?.toISOString() ?? null,
        refreshed: device.lastFullRefreshAt !== null && device.lastFullRefreshAt.getTime() >= sentAt.getTime() - 1000,
      }))
    }
    const after = await Promise.all(verifyKeys.map(retrace))
    options.onTraced?.(after)
    result.verification = verifyKeys.map(({entity, key}, index) => {
      const was = before[index] as TraceReport
      const now = after[index] as TraceReport
      return {
        after: {brokenLink: now.verdict.brokenLink, cause: now.verdict.cause, headline: headline(now), summary: now.verdict.summary},
        alreadyConsistent: was.verdict.ok,
        before: {brokenLink: was.verdict.brokenLink, cause: was.verdict.cause, headline: headline(was)},
        breakGone: was.verdict.ok ? now.verdict.ok : !sameBreak(was, now) && now.verdict.complete,
        consistent: now.verdict.ok,
        entity,
        key,
        remaining: remainingBreak(now),
      }
    })
    const devicesRefreshed = (result.devices ?? []).every((device) => device.refreshed)
    // Fixed only when every record is consistent at every hop; a break that remains is exit 3 (or 4 when
    // a hop could not be checked), named with its next action.
    const worstAfter = Math.max(ExitCode.ok, ...after.map((report) => report.exitCode))
    result.exitCode = !devicesRefreshed ? ExitCode.breakFound : worstAfter
    return audit('succeeded', null)
  } catch (error) {
    if (options.signal?.aborted && result.job) {
      result.exitCode = ExitCode.interrupted
      return audit('interrupted', `stopped waiting; ${result.job.id} goes on`)
    }
    if (!audited) {
      if (options.signal?.aborted) {
        result.exitCode = ExitCode.interrupted
        audit('interrupted', attempt ? `interrupted; if the request reached the server, resume with --idempotency-key ${idempotencyKey}` : 'interrupted before anything was sent')
      } else if (error instanceof RequestProblem) {
        // Another system failed (a verification read, the devices): its failure, exit 4, never a crash.
        result.exitCode = ExitCode.incomplete
        return audit('failed', problemText(error))
      } else {
        audit('failed', error instanceof UserError ? error.message : `synctrace failed: ${problemText(error)}`)
      }
    }
    throw error
  } finally {
    await http.close()
  }
}
