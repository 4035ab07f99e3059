import {clientsForProfile} from '../config/clients.js'
import type {InstallationClients} from '../connectors/installation.js'
import {newIdempotencyKey} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import {traceRecord} from '../trace/run.js'
import type {TraceReport} from '../report/types.js'
import {ExitCode, UserError} from '../util/errors.js'
import type {ActionResult, PerformOptions} from './types.js'
import {Attempt, problemText} from './attempt.js'
import {type ActionTarget, commandFor, type RecordToVerify, recordsToVerify, subjectOf} from './target.js'
import {orderAlreadyInErp, refreshedDevices, verification} from './verify.js'
import {verifiedLists} from './verify-lists.js'
import {startWork, type Waited, waitFor} from './wait.js'

export type {ActionResult, PerformOptions, Progress, RemainingBreak, VerificationResult} from './types.js'
export {remainingBreak} from './verify.js'

/** Inquirer's answer to Ctrl-C at a prompt. */
export function isPromptInterrupt(error: unknown): boolean {
  return (error as {name?: string} | null)?.name === 'ExitPromptError'
}

/** Who you are, from the CMS: only an admin may go on. A refusal is the attempt's outcome; null lets it go on. */
async function checkRole(
  attempt: Attempt,
  clients: InstallationClients,
  options: PerformOptions,
): Promise<ActionResult | null> {
  const {result} = attempt
  try {
    const [me, installation] = await Promise.all([clients.cms.me(), clients.cms.installation().catch(() => null)])
    result.cmsUser = me.user
    result.role = me.role
    if (installation) result.installation = installation.id
    if (installation?.autoSync) {
      attempt.timeZone = installation.autoSync.timezone
      options.onTimeZone?.(installation.autoSync.timezone)
    }
  } catch (error) {
    if (options.signal?.aborted) throw error
    // The server refusing who you are is a refusal (5); any other failure of the CMS is another system's (4).
    if (error instanceof RequestProblem && error.problem.httpStatus === 403)
      return attempt.finish('refused', `the CMS refused to say who you are (${problemText(error)})`, ExitCode.refused)
    attempt.finish('failed', `cannot check your CMS role, so nothing was changed: ${problemText(error)}`)
    throw new UserError(
      `Cannot check your CMS role, so nothing was changed: ${problemText(error)}`,
      'Check that the CMS is reachable and the token valid (synctrace trace customer <code> shows each hop), then try again.',
      error instanceof RequestProblem ? ExitCode.incomplete : ExitCode.failed,
    )
  }
  if (result.role === 'admin') return null
  result.command = commandFor(attempt.target, options.adminCommandSuffix ?? options.commandSuffix)
  return attempt.finish('refused', `your CMS role is ${result.role}; only an admin may start jobs`, ExitCode.refused)
}

/** --yes, or the prompt on a terminal; null when confirmed. */
async function confirmed(attempt: Attempt, options: PerformOptions): Promise<ActionResult | null> {
  const {result} = attempt
  if (options.yes) return null
  if (!options.interactive) {
    attempt.finish('refused', 'not confirmed: --yes is required when not running interactively')
    throw new UserError(
      `--yes is required to ${result.description} when not running interactively.`,
      `Run it again with --yes to confirm, or --dry-run to see the request: ${result.command} --yes`,
    )
  }
  const where = result.installation ? ` on installation ${result.installation}` : ''
  try {
    if (await options.confirm(`This will ${result.description}${where}. Continue?`)) return null
  } catch (error) {
    if (!isPromptInterrupt(error)) throw error
    return attempt.finish('interrupted', 'interrupted at the prompt (Ctrl-C); nothing was sent', ExitCode.interrupted)
  }
  return attempt.finish('declined', 'declined at the prompt')
}

/** Never a duplicate: an order the ERP already has (or may have) is not sent again unless --force. */
function retransferRefused(attempt: Attempt, order: TraceReport | undefined): ActionResult | null {
  const target = attempt.target
  if (target.kind !== 'order-retransfer') return null
  const inErp = order ? orderAlreadyInErp(order) : null
  if (inErp)
    return attempt.finish(
      'refused',
      `not sent: ${inErp}; sending it again would duplicate it (--force sends it anyway)`,
      ExitCode.breakFound,
    )
  const erp = order?.hops.find((hop) => hop.hop === 'erp')
  if (erp && (erp.status === 'unreachable' || erp.status === 'error'))
    return attempt.finish(
      'refused',
      `not sent: the ERP could not be asked whether it already has order ${target.orderNr} (${erp.summary}); --force sends it anyway`,
      ExitCode.incomplete,
    )
  return null
}

/** Sends the request and waits for what it started; a failure to send or to follow it is the attempt's outcome. */
async function sendAndWait(
  attempt: Attempt,
  clients: InstallationClients,
  options: PerformOptions,
): Promise<Waited | ActionResult> {
  const {result} = attempt
  const service = result.request.service === 'cms' ? 'CMS' : result.request.service
  try {
    const work = await startWork(attempt.target, clients, attempt.idempotencyKey, options.progress)
    result.job = {...work.job, doneAt: null}
    return await waitFor(work.poll, options)
  } catch (error) {
    if (options.signal?.aborted) throw error
    if (error instanceof RequestProblem && error.problem.httpStatus === 403)
      return attempt.finish('refused', `the ${service} refused it: ${error.problem.message}`, ExitCode.refused)
    // Nothing to act on: the thing named does not exist there (a plain answer, nothing was started).
    if (error instanceof RequestProblem && error.problem.httpStatus === 404 && !result.job)
      return attempt.finish(
        'failed',
        `there is no ${subjectOf(attempt.target)}: the ${service} answered 404 (${problemText(error)})`,
        ExitCode.usage,
      )
    // Another system's failure (5xx, 401, a timeout) is exit 4; only an answer that may have been lost
    // (a timeout or a broken connection) can hide a started job.
    const mayHaveReached = !result.job && !(error instanceof RequestProblem && error.problem.httpStatus !== undefined)
    const hint = mayHaveReached
      ? `; if the request may have reached the server, run the command again with --idempotency-key ${attempt.idempotencyKey}`
      : ''
    return attempt.finish(
      'failed',
      `${problemText(error)}${hint}`,
      error instanceof RequestProblem ? ExitCode.incomplete : ExitCode.jobFailed,
    )
  }
}

/** The records to trace before and after, and how: those the action names and those `trace --fix` adds. */
function verifier(target: ActionTarget, options: PerformOptions) {
  const records = options.verifiedByCaller
    ? []
    : [
        ...new Map(
          [...recordsToVerify(target), ...(options.verify ?? [])].map((record) => [
            `${record.entity}:${record.key}`,
            record,
          ]),
        ).values(),
      ]
  const traceOptions = {
    commandSuffix: options.commandSuffix,
    http: options.http,
    debug: options.debug,
    signal: options.signal,
    timeoutMs: options.requestTimeoutMs,
    userId: options.verifyUser,
    version: options.version,
  }
  const retrace = (record: RecordToVerify) =>
    traceRecord(record.entity, options.profile, record.key, {...traceOptions, params: record.params})
  const known = (record: RecordToVerify) =>
    options.tracedBefore?.find((report) => report.entity === record.entity && report.key === record.key)
  return {
    after: () => Promise.all(records.map(retrace)),
    before: () => Promise.all(records.map((record) => known(record) ?? retrace(record))),
    records,
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
  const timeoutMs = options.requestTimeoutMs ?? profile.timeoutMs
  const http = options.http.scoped({timeouts: timeoutMs ? {totalMs: timeoutMs} : undefined})
  const clients = await clientsForProfile(profile, http)
  const attempt = new Attempt(target, profile, options.commandSuffix, options.idempotencyKey ?? newIdempotencyKey())
  const {result} = attempt
  try {
    const stopped =
      (await checkRole(attempt, clients, options)) ??
      (options.dryRun ? attempt.finish('dry-run', null) : await confirmed(attempt, options))
    if (stopped) return stopped
    const traces = verifier(target, options)
    const before = await traces.before()
    const refused = options.force
      ? null
      : retransferRefused(attempt, before[traces.records.findIndex((record) => record.entity === 'order')])
    if (refused) return refused
    attempt.begin()
    options.progress({text: `${result.description}…`})
    const sentAt = new Date()
    const waited = await sendAndWait(attempt, clients, options)
    if ('outcome' in waited) return waited
    if (result.job) Object.assign(result.job, {doneAt: waited.doneAt, status: waited.jobStatus})
    if (waited.status !== 'done')
      return attempt.finish(waited.status === 'timed-out' ? 'timed-out' : 'failed', waited.reason, ExitCode.jobFailed)
    if (target.kind === 'app-refresh') result.devices = await refreshedDevices(clients, target.userId, sentAt)
    const lists = await verifiedLists(clients, target)
    if (lists) result.priceLists = lists
    const after = await traces.after()
    options.onTraced?.(after)
    result.verification = verification(traces.records, before, after)
    // Fixed only when every record is consistent at every hop (and every device refreshed, every list named
    // known and active); a break that remains is exit 3 (or 4 when a hop could not be checked).
    const done = (result.devices ?? []).every((device) => device.refreshed) && (lists ?? []).every((l) => l.consistent)
    return attempt.finish(
      'succeeded',
      null,
      done ? Math.max(ExitCode.ok, ...after.map((report) => report.exitCode)) : ExitCode.breakFound,
    )
  } catch (error) {
    return attempt.failed(error, options.signal)
  } finally {
    await http.close()
  }
}
