import {type Command, Flags} from '@oclif/core'

import type {ActionResult} from '../actions/perform.js'
import type {Profile} from '../config/profile.js'
import type {TraceReport} from '../trace/types.js'
import {connectionFlags, SynctraceCommand} from './base-command.js'

export type TraceWithFix = TraceReport & {fix?: ActionResult}

/** Flags of every `trace` command. */
export const traceFlags = {
  ...connectionFlags,
  fix: Flags.boolean({default: false, description: 'Perform the suggested action when synctrace can (sync, app refresh, webshop republish), then verify; needs --yes unless confirmed at the prompt.'}),
  format: Flags.option({char: 'f', default: 'terminal', description: 'Output format: terminal, markdown (for a ticket) or json.', options: ['terminal', 'markdown', 'json'] as const})(),
  'no-input': Flags.boolean({default: false, description: 'Never prompt (no offer to fix after the trace).'}),
  yes: Flags.boolean({char: 'y', default: false, description: 'With --fix: confirm the action without a prompt.'}),
}

export const traceExitCodes = `On a terminal, when the action is one synctrace can perform, it offers to run it (run it now / show the command / skip); --fix --yes runs it without asking. Never prompts under --json, --no-input or without a TTY.

Exit codes: 0 consistent everywhere, 1 synctrace failed, 2 usage error, 3 a break was found, 4 a hop could not be checked and nothing else was found broken. With --fix, the exit code is the action's (see sync customer).`

interface TraceFlags {
  fix: boolean
  yes: boolean
  format: string
  'no-input': boolean
  timeout?: number
  sandbox: boolean
  'sandbox-role': string
  installation?: string
  profile?: string
  config?: string
}

/** The base of `trace customer` and `trace item`: run the trace, render it, offer or perform the fix. */
export abstract class TraceCommand<T extends typeof Command> extends SynctraceCommand<T> {
  protected async traceAndReport(entity: 'customer' | 'item' | 'order', rawKey: string, flags: TraceFlags, userId?: string): Promise<TraceWithFix> {
    const {validateKey} = await import('../model/keys.js')
    const {key, trimmed} = validateKey(entity === 'order' ? 'order number' : `${entity} code`, rawKey)
    if (trimmed) this.warn(`Leading or trailing spaces in the ${entity === 'order' ? 'order number' : `${entity} code`} were ignored.`)
    const {openSession} = await import('./session.js')
    const {traceCustomer, traceItem, traceOrder} = await import('../trace/run.js')
    const session = await openSession(flags)
    let report: TraceWithFix
    try {
      report = await {customer: traceCustomer, item: traceItem, order: traceOrder}[entity](session.profile, key, {
        commandSuffix: session.commandSuffix,
        debug: this.debugLine,
        signal: this.abortController.signal,
        timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
        userId,
        version: this.config.version,
      })
      process.exitCode = report.exitCode
      const machineReadable = this.jsonEnabled() || flags.format === 'json'
      if (!machineReadable) await this.render(report, flags.format)
      const fix = await this.offerFix(report, session, {...flags, json: machineReadable})
      if (fix) {
        report.fix = fix
        process.exitCode = fix.exitCode
      }
    } finally {
      await session.close()
    }
    if (flags.format === 'json' && !this.jsonEnabled()) this.log(JSON.stringify(report, null, 2))
    return report
  }

  protected async render(report: TraceReport, format: string): Promise<void> {
    if (format === 'markdown') {
      this.log((await import('../render/markdown.js')).renderMarkdown(report))
      return
    }
    const {Chalk} = await import('chalk')
    const color = this.useColor
    const {renderTerminal} = await import('../render/terminal.js')
    this.log(await renderTerminal(report, {chalk: new Chalk({level: color ? 2 : 0}), color, width: process.stdout.columns || 120}))
  }

  /** After the trace: run the automatable action with --fix, or offer it at a prompt when a person is there. */
  protected async offerFix(
    report: TraceReport,
    session: {profile: Profile; commandSuffix: string},
    flags: {fix: boolean; yes: boolean; json: boolean; 'no-input': boolean},
  ): Promise<ActionResult | undefined> {
    const {targetFromTrace} = await import('../actions/from-trace.js')
    const target = targetFromTrace(report)
    const {canPrompt, confirmPrompt, progressReporter} = await import('./interactive.js')
    const interactive = canPrompt(flags)
    if (!target) {
      if (flags.fix && !flags.json) this.log(`\nNothing to run: ${report.action.kind === 'none' ? 'the record is consistent' : 'this action needs a person (see above)'}.`)
      return undefined
    }
    let yes = flags.yes
    if (!flags.fix) {
      if (!interactive) return undefined
      const {describeTarget} = await import('../actions/target.js')
      const {select} = await import('@inquirer/prompts')
      const choice = await select({
        choices: [
          {name: `Run it now: ${describeTarget(target)}`, value: 'run'},
          {name: 'Show the command (for the ticket or an admin)', value: 'show'},
          {name: 'Skip', value: 'skip'},
        ],
        message: 'synctrace can fix this.',
      })
      if (choice === 'show') this.log(report.action.command ?? '')
      if (choice !== 'run') return undefined
      yes = true
    }
    const {performAction} = await import('../actions/perform.js')
    const {renderActionResult} = await import('./action-command.js')
    const progress = progressReporter()
    try {
      const result = await performAction(target, {
        commandSuffix: session.commandSuffix,
        confirm: confirmPrompt,
        debug: this.debugLine,
        dryRun: false,
        interactive,
        profile: session.profile,
        progress: progress.report,
        signal: this.abortController.signal,
        tracedBefore: [report],
        verify: [{entity: report.entity, key: report.key}],
        verifyUser: report.user ?? undefined,
        version: this.config.version,
        waitTimeoutMs: 300_000,
        yes,
      })
      progress.end()
      if (!flags.json) this.log(`\n${renderActionResult(result)}`)
      return result
    } finally {
      progress.end()
    }
  }
}
