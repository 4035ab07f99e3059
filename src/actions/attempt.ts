import type {Profile} from '../config/profile.js'
import {RequestProblem} from '../http/problem.js'
import {ExitCode, UserError} from '../util/errors.js'
import {type AuditEntry, appendAudit, beginAudit, finishAudit} from './audit.js'
import type {ActionResult} from './types.js'
import {type ActionTarget, actionName, commandFor, describeTarget, requestFor} from './target.js'

/** The text of a failed request or step, for the result's reason and the audit log. */
export function problemText(error: unknown): string {
  return error instanceof RequestProblem ? error.problem.message : (error as Error).message
}

/**
 * One action attempt: its result as it takes shape, and its audit trail. Every outcome, refused and
 * dry-run ones included, ends in exactly one audit entry; once a request that may change a system is about
 * to go out, a write-ahead entry with the Idempotency-Key is on disk first.
 */
export class Attempt {
  readonly result: ActionResult
  /** The write-ahead entry's id, once written. */
  private journal: string | null = null
  private audited = false
  /** The installation's time zone, once its CMS has said it: logged with the entry, for showing its time. */
  timeZone: string | null = null

  constructor(
    readonly target: ActionTarget,
    private readonly profile: Profile,
    commandSuffix: string,
    readonly idempotencyKey: string,
  ) {
    this.result = {
      action: actionName(target),
      cmsUser: null,
      command: commandFor(target, commandSuffix),
      description: describeTarget(target),
      devices: null,
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
  }

  /** Has anything been sent that may have changed a system? */
  get sent(): boolean {
    return this.journal !== null
  }

  private entry(outcome: AuditEntry['outcome'], reason: string | null): AuditEntry {
    const {result} = this
    return {
      action: result.action,
      cmsUser: result.cmsUser,
      command: result.command,
      idempotencyKey:
        outcome === 'dry-run' || outcome === 'refused' || outcome === 'declined' ? null : this.idempotencyKey,
      installation: result.installation,
      jobId: result.job?.id ?? null,
      outcome,
      profile: this.profile.name,
      reason,
      role: result.role,
      scope: this.target as unknown as Record<string, unknown>,
      time: new Date().toISOString(),
      ...(this.timeZone ? {timeZone: this.timeZone} : {}),
      verification:
        result.verification.length > 0
          ? {
              breakGone: result.verification.every((entry) => entry.breakGone),
              consistent: result.verification.every((entry) => entry.consistent),
              details: result.verification.map(
                (entry) => `${entry.key}: ${entry.before.headline} → ${entry.after.headline}`,
              ),
            }
          : null,
    }
  }

  /** The attempt's outcome, logged (closing the write-ahead entry when there is one); `exitCode` when given. */
  finish(outcome: AuditEntry['outcome'], reason: string | null, exitCode?: number): ActionResult {
    const {result} = this
    if (exitCode !== undefined) result.exitCode = exitCode
    result.outcome = outcome
    result.reason = reason
    this.audited = true
    const entry = this.entry(outcome, reason)
    if (this.journal) finishAudit(this.journal, entry)
    else appendAudit(entry)
    return result
  }

  /** Write-ahead: the attempt and its Idempotency-Key are on disk before anything is sent. */
  begin(): void {
    try {
      this.journal = beginAudit(this.entry('started', null))
    } catch (error) {
      this.audited = true
      this.result.outcome = 'failed'
      throw new UserError(
        `The audit log cannot be written (${problemText(error)}), so nothing was sent.`,
        'Check $SYNCTRACE_AUDIT_LOG (or the data directory) and its permissions, then try again.',
      )
    }
  }

  /**
   * An error that ended the attempt: Ctrl-C while waiting leaves the job running (an outcome, not an
   * error); another system's failure is exit 4; anything else is logged and thrown on.
   */
  failed(error: unknown, signal: AbortSignal | undefined): ActionResult {
    const {result} = this
    if (signal?.aborted && result.job)
      return this.finish('interrupted', `stopped waiting; ${result.job.id} goes on`, ExitCode.interrupted)
    if (!this.audited) {
      if (signal?.aborted)
        this.finish(
          'interrupted',
          this.sent
            ? `interrupted; if the request reached the server, resume with --idempotency-key ${this.idempotencyKey}`
            : 'interrupted before anything was sent',
          ExitCode.interrupted,
        )
      // Another system failed (a verification read, the devices): its failure, exit 4, never a crash.
      else if (error instanceof RequestProblem) return this.finish('failed', problemText(error), ExitCode.incomplete)
      else this.finish('failed', error instanceof UserError ? error.message : `synctrace failed: ${problemText(error)}`)
    }
    throw error
  }
}
