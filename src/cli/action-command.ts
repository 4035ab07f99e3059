import {type Command, Flags} from '@oclif/core'

import type {ActionResult} from '../actions/perform.js'
import type {ActionTarget} from '../actions/target.js'
import {redactUrl} from '../http/redact.js'
import {ExitCode} from '../util/errors.js'
import {sanitizeForTerminal} from '../util/sanitize.js'
import {shellQuote} from '../util/shell.js'
import {connectionFlags, SynctraceCommand} from './base-command.js'

/** Flags of every command that changes an installation. */
export const actionFlags = {
  'dry-run': Flags.boolean({default: false, description: 'Print the request that would be sent, change nothing, exit 0.'}),
  'idempotency-key': Flags.string({description: 'Reuse the Idempotency-Key of an attempt whose answer was lost (the audit log has it), so no second job starts.'}),
  'no-input': Flags.boolean({default: false, description: 'Never prompt; without --yes, refuse instead.'}),
  timeout: Flags.integer({default: 300, description: 'Seconds to wait for the job to finish (it goes on in the platform if the wait ends).', max: 3600, min: 1}),
  yes: Flags.boolean({char: 'y', default: false, description: 'Confirm the change without a prompt (required when not running interactively).'}),
}

export const actionConnectionFlags = {
  config: connectionFlags.config,
  installation: connectionFlags.installation,
  profile: connectionFlags.profile,
  sandbox: connectionFlags.sandbox,
  'sandbox-role': connectionFlags['sandbox-role'],
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

export function renderActionResult(result: ActionResult): string {
  const clean = (text: string | null | undefined) => sanitizeForTerminal(text ?? '')
  const jobId = result.job ? clean(result.job.id) : null
  const lines: string[] = []
  switch (result.outcome) {
    case 'refused':
      lines.push(`Not done: ${clean(result.reason ?? 'refused')}.`)
      lines.push(`Only an admin can ${clean(result.description)}. Hand this command to an admin (paste it into the ticket):`)
      lines.push(`  ${clean(result.command)}`)
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
      lines.push(`Stopped waiting. ${jobId ?? 'The job'} goes on in the platform; check it later with: synctrace sync status ${jobId ? shellQuote(jobId) : '<jobId>'}`)
      break
    case 'failed':
    case 'timed-out':
      lines.push(`${result.outcome === 'timed-out' ? 'Still not finished' : 'Failed'}: ${clean(result.description)}${jobId ? ` (${jobId})` : ''}: ${clean(result.reason ?? '')}`)
      if (jobId) lines.push(`Check it later with: synctrace sync status ${shellQuote(jobId)}`)
      break
    case 'succeeded':
      lines.push(`Done: ${clean(result.description)}${result.job ? ` (${result.job.attached ? 'followed running ' : ''}${jobId}, ${clean(result.job.status)})` : ''}.`)
      for (const device of result.devices ?? [])
        lines.push(`  device ${clean(device.deviceId)}: ${device.refreshed ? `full refresh done ${clean(device.lastFullRefreshAt)}` : 'has not run the full refresh yet'}`)
      for (const entry of result.verification) {
        lines.push(`  ${clean(entry.key)}: ${clean(entry.before.headline)} → ${clean(entry.after.headline)}  ${entry.breakGone ? '✔ fixed' : '✘ not fixed'}`)
        if (!entry.after.brokenLink && entry.after.cause === 'consistent') continue
        lines.push(`    now: ${clean(entry.after.summary)}`)
      }
      break
  }
  return lines.join('\n')
}

/** The base of sync, refresh and retransfer commands: one or more targets, performed safely in order. */
export abstract class ActionCommand<T extends typeof Command> extends SynctraceCommand<T> {
  protected async performTargets(targets: ActionTarget[], flags: Record<string, unknown> & {json?: boolean}): Promise<ActionsOutput> {
    const {openSession} = await import('./session.js')
    const {performAction} = await import('../actions/perform.js')
    const {canPrompt, confirmPrompt, progressReporter} = await import('./interactive.js')
    const session = await openSession(flags as never)
    const results: ActionResult[] = []
    const progress = progressReporter()
    try {
      for (const target of targets) {
        const result = await performAction(target, {
          commandSuffix: session.commandSuffix,
          confirm: confirmPrompt,
          debug: this.debugLine,
          dryRun: Boolean(flags['dry-run']),
          idempotencyKey: flags['idempotency-key'] as string | undefined,
          interactive: canPrompt(flags),
          profile: session.profile,
          progress: progress.report,
          signal: this.abortController.signal,
          version: this.config.version,
          waitTimeoutMs: Number(flags.timeout ?? 300) * 1000,
          yes: Boolean(flags.yes),
        })
        progress.end()
        results.push(result)
        if (!flags.json) this.log(renderActionResult(result))
        if (result.outcome !== 'succeeded' && result.outcome !== 'dry-run') break
      }
    } finally {
      progress.end()
      await session.close()
    }
    const exitCode = worstExit(results.map((result) => result.exitCode))
    process.exitCode = exitCode
    return {exitCode, results}
  }
}
