import {Args, type Command, Flags} from '@oclif/core'

import type {ActionTarget} from '../actions/target.js'
import {type EntityDescriptor, keyArguments, keySeparator, type TraceOptions} from '../entities/descriptor.js'
import type {EntityName, TraceReport} from '../report/types.js'
import {helpdeskFlag, postToTicketFlag} from './helpdesk-flags.js'
import {connectionFlags, notWithJson, requestTimeoutMs, SynctraceCommand, waitFlag} from './base-command.js'
import type {FixContext, FixOutcome} from './fix-loop.js'
import type {Session} from './session.js'
import type {PostOutcome} from '../ticket/types.js'

export type {FixOutcome, FixStep} from './fix-loop.js'

export type TraceWithFix = TraceReport & {fix?: FixOutcome; post?: PostOutcome}

/** Flags of every `trace` command. */
export const traceFlags = {
  ...connectionFlags,
  fix: Flags.boolean({
    default: false,
    description:
      'Perform the suggested action when synctrace can (sync, app refresh, webshop republish), then verify; needs --yes unless confirmed at the prompt.',
  }),
  format: Flags.option({
    char: 'f',
    relationships: notWithJson,
    default: 'terminal',
    description: 'Output format: terminal, markdown (for a ticket) or json.',
    options: ['terminal', 'markdown', 'json'] as const,
  })(),
  helpdesk: helpdeskFlag,
  'no-input': Flags.boolean({default: false, description: 'Never prompt (no offer to fix after the trace).'}),
  post: postToTicketFlag,
  wait: waitFlag('With --fix (or "Run it now"): '),
  yes: Flags.boolean({char: 'y', default: false, description: 'With --fix: confirm the action without a prompt.'}),
}

export const traceExitCodes = `On a terminal, when the action is one synctrace can perform, it offers to run it (run it now / show the command / skip); --fix --yes runs it without asking. Never prompts under --json, --no-input or without a TTY.

With --fix (or "Run it now"), synctrace carries on with the next action it can perform (a sync, then the app refresh of the affected user, then a webshop republish...) until the record is consistent at every hop, or names what remains and whose it is. A support role is never offered the fix: it gets the command to hand to an admin.

Exit codes: 0 consistent everywhere, 1 synctrace failed, 2 usage error, 3 a break was found, 4 a hop could not be checked and nothing else was found broken, 5 (--fix) not allowed for your role, 6 (--fix) a job failed or did not finish, 130 interrupted. With --fix, the exit code is that of the trace after the last action.`

interface TraceFlags {
  fix: boolean
  helpdesk?: string
  post?: string
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

/** The base of every `trace <entity>` command: run the trace, render it, offer or perform the fix. */
export abstract class TraceCommand<T extends typeof Command> extends SynctraceCommand<T> {
  protected async traceAndReport(
    entity: EntityName,
    rawKey: string,
    flags: TraceFlags,
    userId?: string,
    parts: Omit<TraceOptions, 'userId'> = {},
  ): Promise<TraceWithFix> {
    const {validateKey} = await import('../model/keys.js')
    const {entities} = await import('../entities/index.js')
    const {keyName} = entities[entity]
    const {key, trimmed} = parts.keyParts ? {key: rawKey, trimmed: false} : validateKey(keyName, rawKey)
    if (trimmed) this.warn(`Leading or trailing spaces in the ${keyName} were ignored.`)
    const {openSession} = await import('./session.js')
    const {traceRecord} = await import('../trace/run.js')
    const session = await openSession(flags, this.ctx.env)
    let report: TraceWithFix
    // A live per-hop line on a terminal's stderr; nothing on pipes or under --json.
    const live =
      this.ctx.out.isTTY('stderr') && !this.jsonEnabled() && flags.format !== 'json'
        ? (await import('./hop-progress.js')).hopProgress(session.profile, this.ctx.out)
        : null
    // What runs after the trace (the views, the fix's target) loads while the hops answer: once the deadline
    // passes, the output follows at once, not after loading modules on a busy machine.
    const afterwards = preloadAfterTrace(this.jsonEnabled() ? 'json' : flags.format)
    try {
      report = await traceRecord(entity, session.profile, key, {
        activity: live?.activity,
        commandSuffix: session.commandSuffix,
        debug: this.debugLine,
        http: this.ctx.http(),
        now: () => this.ctx.clock.now(),
        signal: this.abortController.signal,
        timeoutMs: requestTimeoutMs(flags),
        userId,
        ...parts,
        version: this.config.version,
      }).finally(() => live?.end())
      await afterwards
      this.ctx.exitCode = report.exitCode
      // The ticket is checked before the trace's output: a typo in --post is said at once, not after a fix.
      const helpdesk = flags.post
        ? await (await import('./post-note.js')).helpdeskFor(session.profile, this.ctx, flags.post)
        : null
      await this.afterTrace(report, session, flags)
      if (helpdesk && flags.post) await this.postReport(report, session, helpdesk.connector, flags.post)
    } finally {
      await session.close()
    }
    if (flags.format === 'json' && !this.jsonEnabled()) this.log(JSON.stringify(report, null, 2))
    return report
  }

  /** After the trace: render it, then the hand-off (support), the fix loop (admin) or "nothing to run". */
  private async afterTrace(report: TraceWithFix, session: Session, flags: TraceFlags): Promise<void> {
    const machineReadable = this.jsonEnabled() || flags.format === 'json'
    const {canPrompt} = await import('./interactive.js')
    const interactive = canPrompt(this.ctx, {...flags, json: machineReadable})
    // The role is known before anything is offered: a support agent gets a hand-off, never "Run it now".
    const {targetFromTrace} = await import('../actions/from-trace.js')
    const target = targetFromTrace(report)
    const me =
      target && (flags.fix || interactive || flags.format === 'markdown')
        ? await (await import('../actions/role.js')).cmsRole(session.profile, {http: this.ctx.http()})
        : null
    const handOff =
      target && me && me.role !== 'admin' ? await this.handOffFor(target, me.role, session.adminSuffix) : null
    if (!machineReadable) await this.render(report, flags.format, session, handOff)
    if (handOff && !flags.fix) {
      if (flags.format !== 'markdown') this.log(`\n${(await import('../render/handoff.js')).handOffTerminal(handOff)}`)
    } else if (target) {
      const {fixLoop} = await import('./fix-loop.js')
      const fix = await fixLoop(report, session, {...flags, json: machineReadable}, interactive, this.fixContext())
      if (fix) {
        report.fix = fix
        this.ctx.exitCode = fix.exitCode
      }
    } else if (flags.fix && !machineReadable) {
      this.log(
        `\nNothing to run: ${report.action.kind === 'none' ? 'the record is consistent' : `this needs a person: ${report.action.description} (${report.action.owner})`}.`,
      )
    }
  }

  /** `--post <ticket>`: the report (and what the fix loop did) as one internal note on the ticket, once. */
  private async postReport(
    report: TraceWithFix,
    session: Session,
    connector: import('../connectors/helpdesk/types.js').HelpdeskConnector,
    ticket: string,
  ): Promise<void> {
    const {postLine, postNote, traceNote} = await import('./post-note.js')
    const pasted = withCommandSuffix(report, session.commandSuffix, session.adminSuffix)
    report.post = await postNote(connector, await traceNote(ticket, report, pasted))
    if (report.post.status === 'unconfirmed' && this.ctx.exitCode === 0) this.ctx.exitCode = 4
    if (!this.jsonEnabled()) this.logToStderr(postLine(report.post))
  }

  /** The command's output, --debug, Ctrl-C and version, for the fix loop. */
  private fixContext(): FixContext {
    return {
      ctx: this.ctx,
      debug: this.debugLine,
      log: (message) => this.log(message),
      logToStderr: (message) => this.logToStderr(message),
      signal: this.abortController.signal,
      version: this.config.version,
    }
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
    this.log(
      await renderTerminal(report, {
        chalk: new Chalk({level: color ? 2 : 0}),
        color,
        width: terminalWidth(this.ctx.io.stdout, this.ctx.env),
      }),
    )
  }
}

/** Loads the modules the output of a trace needs (a failed load is left for their own import to report). */
function preloadAfterTrace(format: string): Promise<unknown> {
  const views =
    format === 'markdown'
      ? [import('../render/markdown.js')]
      : format === 'terminal'
        ? [import('chalk'), import('../render/terminal.js'), import('../render/wrap.js')]
        : []
  return Promise.all([import('./interactive.js'), import('../actions/from-trace.js'), ...views]).catch(() => undefined)
}

/** The report with its suggested command pointing at the installation as `suffix` says, not as `from` did. */
export function withCommandSuffix(report: TraceReport, from: string, suffix: string): TraceReport {
  const command = report.action.command
  if (!command || !from || !command.endsWith(from)) return report
  return {
    ...report,
    action: {...report.action, command: `${command.slice(0, command.length - from.length)}${suffix}`.trimEnd()},
  }
}

/**
 * The `trace <entity>` command of an entity, from its descriptor's texts: the key argument, the shared trace
 * flags and `--user` where the entity has one. `src/commands/trace/<entity>.ts` exports it.
 */
export function traceCommandFor(entity: EntityDescriptor): typeof Command {
  const {command} = entity
  const user = command.user
  const keyArgs = keyArguments(command)
  const flags = {
    ...traceFlags,
    ...(user === undefined ? {} : {user: Flags.string({char: 'u', description: user})}),
    ...Object.fromEntries(
      (command.options ?? []).map((option) => [
        option.name,
        Flags.string({description: option.description, helpValue: option.kind === 'date' ? '<yyyy-MM-dd>' : '<n>'}),
      ]),
    ),
  }
  return class extends TraceCommand<typeof Command> {
    static override summary = command.summary
    static override description = `${command.description}\n\n${traceExitCodes}`
    static override examples = command.examples.map((example) => `<%= config.bin %> <%= command.id %> ${example}`)
    static override args = Object.fromEntries(
      keyArgs.map((arg) => [arg.name, Args.string({description: arg.description, required: true})]),
    )
    static override flags = flags

    public async run(): Promise<TraceWithFix> {
      const parsed = await this.parse(this.ctor)
      const parsedFlags = parsed.flags as unknown as TraceFlags & {user?: string} & Record<string, unknown>
      const {validateKey} = await import('../model/keys.js')
      const userId = parsedFlags.user === undefined ? undefined : validateKey('user id', parsedFlags.user).key
      const values = keyArgs.map((arg) => parsed.args[arg.name] as string)
      if (values.length === 1)
        return this.traceAndReport(entity.name as EntityName, values[0] as string, parsedFlags, userId)
      const {traceParams} = await import('./trace-params.js')
      const parts = values.map((value, index) => validateKey(`${keyArgs[index]?.name ?? 'key'} code`, value).key)
      const params = traceParams(command.options ?? [], parsedFlags)
      return this.traceAndReport(entity.name as EntityName, parts.join(keySeparator), parsedFlags, userId, {
        keyParts: parts,
        params,
      })
    }
  }
}
