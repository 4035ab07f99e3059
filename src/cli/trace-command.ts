import {type Command, Flags} from '@oclif/core'

import type {ActionResult, RemainingBreak} from '../actions/perform.js'
import type {ActionTarget} from '../actions/target.js'
import type {Profile} from '../config/profile.js'
import type {EntityName, TraceReport} from '../report/types.js'
import {connectionFlags, requestTimeoutMs, SynctraceCommand, waitFlag} from './base-command.js'

/** One step of the fix loop: the action's result and the trace made after it. */
export type FixStep = ActionResult & {trace: TraceReport | null}

/**
 * `trace --fix` (or "Run it now"): every action performed until the record is consistent, or what remains.
 * The first step's result stays at the top level as well, so that readers of schema version 1 (which had
 * one action result here) keep working; `exitCode` is the outcome's.
 */
export type FixOutcome = Partial<ActionResult> & FixLoop

interface FixLoop {
  steps: FixStep[]
  /** Consistent at every hop after the last step. */
  consistent: boolean
  /** The break that remains, with its action and owner, when not consistent. */
  remaining: RemainingBreak | null
  exitCode: number
}

export type TraceWithFix = TraceReport & {fix?: FixOutcome}

/** Where the fix loop's actions go, and the commands it names. */
interface FixSession {
  profile: Profile
  commandSuffix: string
  adminSuffix: string
}

interface FixFlags {
  fix: boolean
  yes: boolean
  json: boolean
  'no-input': boolean
  timeout?: number
  wait: number
}

/** Flags of every `trace` command. */
export const traceFlags = {
  ...connectionFlags,
  fix: Flags.boolean({
    default: false,
    description: 'Perform the suggested action when synctrace can (sync, app refresh, webshop republish), then verify; needs --yes unless confirmed at the prompt.',
  }),
  format: Flags.option({
    char: 'f',
    default: 'terminal',
    description: 'Output format: terminal, markdown (for a ticket) or json.',
    options: ['terminal', 'markdown', 'json'] as const,
  })(),
  'no-input': Flags.boolean({default: false, description: 'Never prompt (no offer to fix after the trace).'}),
  wait: waitFlag('With --fix (or "Run it now"): '),
  yes: Flags.boolean({char: 'y', default: false, description: 'With --fix: confirm the action without a prompt.'}),
}

export const traceExitCodes = `On a terminal, when the action is one synctrace can perform, it offers to run it (run it now / show the command / skip); --fix --yes runs it without asking. Never prompts under --json, --no-input or without a TTY.

With --fix (or "Run it now"), synctrace carries on with the next action it can perform (a sync, then the app refresh of the affected user, then a webshop republish...) until the record is consistent at every hop, or names what remains and whose it is. A support role is never offered the fix: it gets the command to hand to an admin.

Exit codes: 0 consistent everywhere, 1 synctrace failed, 2 usage error, 3 a break was found, 4 a hop could not be checked and nothing else was found broken, 5 (--fix) not allowed for your role, 6 (--fix) a job failed or did not finish, 130 interrupted. With --fix, the exit code is that of the trace after the last action.`

interface TraceFlags {
  fix: boolean
  yes: boolean
  format: string
  'no-input': boolean
  timeout?: number
  wait: number
  sandbox: boolean
  'sandbox-role': string
  installation?: string
  profile?: string
  config?: string
}

/** The base of `trace customer` and `trace item`: run the trace, render it, offer or perform the fix. */
export abstract class TraceCommand<T extends typeof Command> extends SynctraceCommand<T> {
  protected async traceAndReport(entity: EntityName, rawKey: string, flags: TraceFlags, userId?: string): Promise<TraceWithFix> {
    const {validateKey} = await import('../model/keys.js')
    const {entities} = await import('../report/entities.js')
    const {keyName} = entities[entity]
    const {key, trimmed} = validateKey(keyName, rawKey)
    if (trimmed) this.warn(`Leading or trailing spaces in the ${keyName} were ignored.`)
    const {openSession} = await import('./session.js')
    const {traceRecord} = await import('../trace/run.js')
    const session = await openSession(flags)
    let report: TraceWithFix
    // A live per-hop line on a terminal's stderr; nothing on pipes or under --json.
    const live = process.stderr.isTTY && !this.jsonEnabled() && flags.format !== 'json' ? (await import('./hop-progress.js')).hopProgress(session.profile) : null
    try {
      report = await traceRecord(entity, session.profile, key, {
        activity: live?.activity,
        commandSuffix: session.commandSuffix,
        debug: this.debugLine,
        signal: this.abortController.signal,
        timeoutMs: requestTimeoutMs(flags),
        userId,
        version: this.config.version,
      }).finally(() => live?.end())
      process.exitCode = report.exitCode
      const machineReadable = this.jsonEnabled() || flags.format === 'json'
      const {canPrompt} = await import('./interactive.js')
      const interactive = canPrompt({...flags, json: machineReadable})
      // The role is known before anything is offered: a support agent gets a hand-off, never "Run it now".
      const {targetFromTrace} = await import('../actions/from-trace.js')
      const target = targetFromTrace(report)
      const me =
        target && (flags.fix || interactive || flags.format === 'markdown')
          ? await (await import('../actions/role.js')).cmsRole(session.profile, {debug: this.debugLine, signal: this.abortController.signal})
          : null
      const handOff = target && me && me.role !== 'admin' ? await this.handOffFor(target, me.role, session.adminSuffix) : null
      if (!machineReadable) await this.render(report, flags.format, session, handOff)
      if (handOff && !flags.fix) {
        if (flags.format !== 'markdown') this.log(`\n${(await import('../render/handoff.js')).handOffTerminal(handOff)}`)
      } else if (target) {
        const fix = await this.fixLoop(report, session, {...flags, json: machineReadable}, interactive)
        if (fix) {
          report.fix = fix
          process.exitCode = fix.exitCode
        }
      } else if (flags.fix && !machineReadable) {
        this.log(`\nNothing to run: ${report.action.kind === 'none' ? 'the record is consistent' : `this needs a person: ${report.action.description} (${report.action.owner})`}.`)
      }
    } finally {
      await session.close()
    }
    if (flags.format === 'json' && !this.jsonEnabled()) this.log(JSON.stringify(report, null, 2))
    return report
  }

  private async handOffFor(target: ActionTarget, role: string, adminSuffix: string) {
    const {commandFor, describeTarget} = await import('../actions/target.js')
    return {command: commandFor(target, adminSuffix), description: describeTarget(target), role}
  }

  protected async render(
    report: TraceReport,
    format: string,
    session: {commandSuffix: string; adminSuffix: string},
    handOff: {command: string; description: string; role: string} | null,
  ): Promise<void> {
    if (format === 'markdown') {
      // Pasted into a ticket: the commands as an admin would type them, never a local path.
      const pasted = withCommandSuffix(report, session.commandSuffix, session.adminSuffix)
      const {renderMarkdown} = await import('../render/markdown.js')
      const handOffBlock = handOff ? `\n\n${(await import('../render/handoff.js')).handOffMarkdown(handOff)}` : ''
      this.log(`${renderMarkdown(pasted)}${handOffBlock}`)
      return
    }
    const {Chalk} = await import('chalk')
    const color = this.useColor
    const {renderTerminal} = await import('../render/terminal.js')
    const {terminalWidth} = await import('../render/wrap.js')
    this.log(await renderTerminal(report, {chalk: new Chalk({level: color ? 2 : 0}), color, width: terminalWidth()}))
  }

  /**
   * After the trace: perform the automatable action (--fix, or "Run it now" at the prompt), trace again,
   * and carry on with the next automatable action until the record is consistent at every hop or what
   * remains is not synctrace's to do. Each step is confirmed at a prompt on a terminal or covered by --yes.
   */
  protected async fixLoop(report: TraceReport, session: FixSession, flags: FixFlags, interactive: boolean): Promise<FixOutcome | undefined> {
    const {targetFromTrace} = await import('../actions/from-trace.js')
    const {describeTarget} = await import('../actions/target.js')
    const {renderActionResult} = await import('./action-command.js')
    const {ExitCode} = await import('../util/errors.js')
    const steps: FixStep[] = []
    const tried = new Set<string>()
    let current = report
    let stoppedExit: number | null = null
    for (let target = targetFromTrace(current); target; target = targetFromTrace(current)) {
      // The same action twice would not help: what remains is then named, not retried.
      if (tried.has(JSON.stringify(target))) break
      tried.add(JSON.stringify(target))
      if (!flags.fix) {
        if (!interactive) return undefined
        const choice = await this.offer(target, describeTarget(target), current, steps.length > 0, session)
        if (choice === 'show') this.log(current.action.command ?? '')
        if (choice === 'interrupted') stoppedExit = ExitCode.interrupted
        if (choice !== 'run') break
      }
      const step = await this.fixStep(target, current, session, {...flags, yes: flags.yes || !flags.fix}, interactive)
      steps.push(step)
      if (!flags.json) this.log(`\n${renderActionResult(step)}`)
      if (step.outcome !== 'succeeded' || !step.trace) {
        stoppedExit = step.outcome === 'declined' ? current.exitCode : step.exitCode
        break
      }
      current = step.trace
    }
    if (steps.length === 0 && stoppedExit === null) return undefined
    const {remainingBreak} = await import('../actions/perform.js')
    const remaining = remainingBreak(current)
    if (!flags.json && steps.length > 0) await this.logFixSummary(current, steps.length, stoppedExit === null ? remaining : null)
    const first = steps[0]
    const firstResult: Partial<ActionResult> = first ? (({trace: _trace, ...result}) => result)(first) : {}
    return {...firstResult, consistent: current.verdict.ok, exitCode: stoppedExit ?? current.exitCode, remaining, steps}
  }

  /** One action of the fix loop, and the trace of the record made after it (null when none was made). */
  private async fixStep(target: ActionTarget, current: TraceReport, session: FixSession, flags: FixFlags, interactive: boolean): Promise<FixStep> {
    const {confirmPrompt, progressReporter} = await import('./interactive.js')
    const {performAction} = await import('../actions/perform.js')
    const progress = progressReporter()
    let after: TraceReport | null = null
    try {
      const result = await performAction(target, {
        adminCommandSuffix: session.adminSuffix,
        commandSuffix: session.commandSuffix,
        confirm: confirmPrompt,
        debug: this.debugLine,
        dryRun: false,
        interactive,
        onTraced: (reports) => {
          after = reports.find((entry) => entry.entity === current.entity && entry.key === current.key) ?? null
        },
        profile: session.profile,
        progress: progress.report,
        requestTimeoutMs: requestTimeoutMs(flags),
        signal: this.abortController.signal,
        tracedBefore: [current],
        verify: [{entity: current.entity, key: current.key}],
        verifyUser: current.user ?? undefined,
        version: this.config.version,
        waitTimeoutMs: flags.wait * 1000,
        yes: flags.yes,
      })
      return {...result, trace: after}
    } finally {
      progress.end()
    }
  }

  private async logFixSummary(current: TraceReport, stepCount: number, remaining: RemainingBreak | null): Promise<void> {
    const {sanitizeForTerminal} = await import('../util/sanitize.js')
    const count = `${stepCount} ${stepCount === 1 ? 'step' : 'steps'}`
    if (current.verdict.ok) this.log(`\n✔ ${sanitizeForTerminal(`${current.entity} ${current.key}`)} is consistent at every hop after ${count}.`)
    else if (remaining)
      this.log(
        `\n✘ Still not consistent after ${count}: ${sanitizeForTerminal(remaining.headline)} (${remaining.cause}). What remains is for ${remaining.action.owner}: ${sanitizeForTerminal(remaining.action.description)}`,
      )
  }

  /** The offer at the prompt (an admin on a terminal): run it now, show the command, or skip. */
  private async offer(
    target: ActionTarget,
    description: string,
    report: TraceReport,
    next: boolean,
    session: {profile: Profile; commandSuffix: string},
  ): Promise<'run' | 'show' | 'skip' | 'interrupted'> {
    const {select} = await import('@inquirer/prompts')
    const {isPromptInterrupt} = await import('../actions/perform.js')
    try {
      return (await select({
        choices: [
          {name: `Run it now: ${description}`, value: 'run'},
          {name: 'Show the command (for the ticket or an admin)', value: 'show'},
          {name: 'Skip', value: 'skip'},
        ],
        message: next ? `Not consistent yet (${report.verdict.cause}). synctrace can do the next step.` : 'synctrace can fix this.',
      })) as 'run' | 'show' | 'skip'
    } catch (error) {
      if (!isPromptInterrupt(error)) throw error
      // Ctrl-C at the offer: nothing was sent; the attempt is logged as declined.
      const {appendAudit} = await import('../actions/audit.js')
      const {actionName, commandFor} = await import('../actions/target.js')
      appendAudit({
        action: actionName(target),
        cmsUser: null,
        command: commandFor(target, session.commandSuffix),
        idempotencyKey: null,
        installation: report.installation?.id ?? session.profile.installation ?? null,
        jobId: null,
        outcome: 'declined',
        profile: session.profile.name,
        reason: 'interrupted at the fix offer (Ctrl-C); nothing was sent',
        role: 'admin',
        scope: target as unknown as Record<string, unknown>,
        time: new Date().toISOString(),
        verification: null,
      })
      this.logToStderr('\nInterrupted at the prompt; nothing was changed.')
      return 'interrupted'
    }
  }
}

/** The report with its suggested command pointing at the installation as `suffix` says, not as `from` did. */
function withCommandSuffix(report: TraceReport, from: string, suffix: string): TraceReport {
  const command = report.action.command
  if (!command || !from || !command.endsWith(from)) return report
  return {...report, action: {...report.action, command: `${command.slice(0, command.length - from.length)}${suffix}`.trimEnd()}}
}
