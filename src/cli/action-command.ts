import {type Command, Flags} from '@oclif/core'

import type {ActionResult, VerificationResult} from '../actions/perform.js'
import type {ActionTarget} from '../actions/target.js'
import {listLine} from '../actions/list-view.js'
import {redactUrl} from '../http/redact.js'
import {handOffTerminal} from '../render/handoff.js'
import {ExitCode} from '../util/errors.js'
import {sanitizeForTerminal} from '../util/sanitize.js'
import {shellQuote} from '../util/shell.js'
import {formatInZone, localTimeZone} from '../util/time.js'
import {connectionFlags, requestTimeoutMs, SynctraceCommand, waitFlag} from './base-command.js'

/** Flags of every command that changes an installation. */
export const actionFlags = {
  'dry-run': Flags.boolean({
    default: false,
    description: 'Print the request that would be sent, change nothing, exit 0.',
  }),
  'idempotency-key': Flags.string({
    description:
      'Reuse the Idempotency-Key of an attempt whose answer was lost (the audit log has it), so no second job starts.',
  }),
  'no-input': Flags.boolean({default: false, description: 'Never prompt; without --yes, refuse instead.'}),
  wait: waitFlag(),
  yes: Flags.boolean({
    char: 'y',
    default: false,
    description: 'Confirm the change without a prompt (required when not running interactively).',
  }),
}

export const actionConnectionFlags = {
  config: connectionFlags.config,
  installation: connectionFlags.installation,
  'no-cache': connectionFlags['no-cache'],
  profile: connectionFlags.profile,
  sandbox: connectionFlags.sandbox,
  'sandbox-role': connectionFlags['sandbox-role'],
  timeout: connectionFlags.timeout,
}

export interface ActionsOutput {
  results: ActionResult[]
  exitCode: number
}

/** Which exit code wins when one command performed several actions: the most serious one. */
function worstExit(codes: number[]): number {
  const order = [ExitCode.interrupted, ExitCode.failed, 5, 6, ExitCode.incomplete, ExitCode.breakFound, ExitCode.ok]
  return order.find((code) => codes.includes(code)) ?? codes[0] ?? ExitCode.ok
}

function sameLink(entry: VerificationResult): boolean {
  const [a, b] = [entry.before.brokenLink, entry.after.brokenLink]
  return Boolean(a && b && a.from === b.from && a.to === b.to)
}

/** The lines of one record's verification: fixed only when consistent at every hop; else what remains and whose it is. */
export function renderVerification(entry: VerificationResult): string[] {
  const clean = (text: string | null | undefined) => sanitizeForTerminal(text ?? '')
  if (entry.alreadyConsistent && entry.consistent)
    return [
      `  ${clean(entry.key)}: already consistent at every hop before the action, and still is (nothing was broken)`,
    ]
  if (entry.consistent)
    return [`  ${clean(entry.key)}: ${clean(entry.before.headline)} → consistent at every hop ✔ fixed`]
  const lines = [
    `  ${clean(entry.key)}: ${clean(entry.before.headline)} → ${clean(entry.after.headline)}  ✘ not consistent yet${entry.breakGone && !sameLink(entry) ? ` (the ${clean(entry.before.headline)} break is gone)` : ''}`,
  ]
  lines.push(`    now: ${clean(entry.after.summary)}`)
  if (entry.remaining) {
    const {action} = entry.remaining
    lines.push(
      `    next: ${clean(action.description)} (${action.automatable ? 'synctrace can do it, as ' : 'by '}${clean(action.owner)})`,
    )
    if (action.command && action.automatable) lines.push(`      $ ${clean(action.command)}`)
  }
  return lines
}

/** "Interrupted at the prompt (Ctrl-C); nothing was sent.": the reason says "interrupted" itself, once. */
function interruptedLine(reason: string): string {
  const rest = reason.replace(/^interrupted\b\s*/i, '')
  return rest === reason ? `Interrupted: ${reason}.` : `Interrupted ${rest}.`
}

/** An action's outcome for a person; its times in `timeZone` (the installation's, when its CMS said it). */
export function renderActionResult(result: ActionResult, timeZone = localTimeZone()): string {
  const clean = (text: string | null | undefined) => sanitizeForTerminal(text ?? '')
  const jobId = result.job ? clean(result.job.id) : null
  const lines: string[] = []
  switch (result.outcome) {
    case 'refused':
      lines.push(`Not done: ${clean(result.reason ?? 'refused')}.`)
      if (result.role !== 'admin')
        lines.push(handOffTerminal({command: result.command, description: result.description, role: result.role}))
      break
    case 'dry-run':
      lines.push(`Dry run: would ${clean(result.description)}. Nothing was sent.`)
      lines.push(`  ${result.request.method} ${clean(redactUrl(result.request.url))}`)
      lines.push(`  Idempotency-Key: ${clean(result.request.idempotencyKey)}`)
      lines.push(`  ${clean(JSON.stringify(result.request.body))}`)
      break
    case 'declined':
      lines.push('Cancelled at the prompt; nothing was changed.')
      break
    case 'interrupted':
      if (!result.job) lines.push(interruptedLine(clean(result.reason ?? 'nothing was sent')))
      else lines.push(`Stopped waiting. ${checkLater(result, jobId ?? '')}`)
      break
    case 'failed':
    case 'timed-out':
      lines.push(
        `${result.outcome === 'timed-out' ? 'Still not finished' : 'Failed'}: ${clean(result.description)}${jobId ? ` (${jobId})` : ''}: ${clean(result.reason ?? '')}`,
      )
      if (jobId) lines.push(checkLater(result, jobId))
      break
    case 'succeeded':
      lines.push(
        `Done: ${clean(result.description)}${result.job ? ` (${result.job.attached ? 'followed running ' : ''}${jobId}, ${clean(result.job.status)})` : ''}.`,
      )
      for (const device of result.devices ?? [])
        lines.push(
          `  device ${clean(device.deviceId)}: ${device.refreshed ? `full refresh done ${device.lastFullRefreshAt ? formatInZone(new Date(device.lastFullRefreshAt), timeZone) : '?'}` : 'has not run the full refresh yet'}`,
        )
      for (const list of result.priceLists ?? []) lines.push(sanitizeForTerminal(listLine(list, timeZone)))
      for (const entry of result.verification) lines.push(...renderVerification(entry))
      break
  }
  return lines.join('\n')
}

/** The base of sync, refresh and retransfer commands: one or more targets, performed safely in order. */
export abstract class ActionCommand<T extends typeof Command> extends SynctraceCommand<T> {
  protected async performTargets(
    targets: ActionTarget[],
    flags: Record<string, unknown> & {json?: boolean},
  ): Promise<ActionsOutput> {
    const {openSession} = await import('./session.js')
    const {performAction} = await import('../actions/perform.js')
    const {canPrompt, progressReporter} = await import('./interactive.js')
    const session = await openSession(flags as never, this.ctx.env)
    const results: ActionResult[] = []
    const progress = progressReporter(this.ctx)
    let timeZone: string | undefined
    try {
      for (const target of targets) {
        const result = await performAction(target, {
          adminCommandSuffix: session.adminSuffix,
          commandSuffix: session.commandSuffix,
          clock: this.ctx.clock,
          confirm: (message) => this.ctx.prompter.confirm(message),
          debug: this.debugLine,
          http: this.ctx.http(),
          dryRun: Boolean(flags['dry-run']),
          force: Boolean(flags.force),
          onTimeZone: (zone) => {
            timeZone = zone
          },
          idempotencyKey: flags['idempotency-key'] as string | undefined,
          interactive: canPrompt(this.ctx, flags),
          profile: session.profile,
          progress: progress.report,
          requestTimeoutMs: requestTimeoutMs(flags as {timeout?: number}),
          signal: this.abortController.signal,
          version: this.config.version,
          waitTimeoutMs: Number(flags.wait ?? 300) * 1000,
          yes: Boolean(flags.yes),
        })
        progress.end()
        results.push(result)
        if (!flags.json) this.log(renderActionResult(result, timeZone))
        if (result.outcome !== 'succeeded' && result.outcome !== 'dry-run') break
      }
    } finally {
      progress.end()
      await session.close()
    }
    const exitCode = worstExit(results.map((result) => result.exitCode))
    this.ctx.exitCode = exitCode
    return {exitCode, results}
  }
}

/**
 * Where a job synctrace stopped following can be looked at later; not on a --sandbox installation, which
 * lives for this one command only, so the job ends with it.
 */
function checkLater(result: ActionResult, jobId: string): string {
  if (/(^|\s)--sandbox(\s|$)/.test(result.command))
    return `${jobId} ran on a --sandbox installation, which ends with this command; for a sandbox that lives across commands: synctrace sandbox --write-config <path>.`
  return `${jobId} goes on in the platform; check it later with: synctrace status ${shellQuote(result.job?.id ?? '')}`
}
