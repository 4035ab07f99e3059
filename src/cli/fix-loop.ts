import type {ActionResult, RemainingBreak} from '../actions/perform.js'
import type {ActionTarget} from '../actions/target.js'
import type {Profile} from '../config/profile.js'
import type {RunContext} from '../context/run-context.js'
import type {TraceReport} from '../report/types.js'
import {requestTimeoutMs} from './base-command.js'

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

/** What the fix loop needs of the command it runs in. */
export interface FixContext {
  ctx: RunContext
  log: (message: string) => void
  logToStderr: (message: string) => void
  debug: (line: string) => void
  signal: AbortSignal
  version: string
}

/**
 * After the trace: perform the automatable action (--fix, or "Run it now" at the prompt), trace again,
 * and carry on with the next automatable action until the record is consistent at every hop or what
 * remains is not synctrace's to do. Each step is confirmed at a prompt on a terminal or covered by --yes.
 */
export async function fixLoop(
  report: TraceReport,
  session: FixSession,
  flags: FixFlags,
  interactive: boolean,
  context: FixContext,
): Promise<FixOutcome | undefined> {
  const {targetFromTrace} = await import('../actions/from-trace.js')
  const {describeTarget} = await import('../actions/target.js')
  const {renderActionResult} = await import('./action-command.js')
  const {reportTimeZone} = await import('../render/labels.js')
  const {terminalWidth, wrapLines} = await import('../render/wrap.js')
  const {ExitCode} = await import('../util/errors.js')
  const width = terminalWidth(context.ctx.io.stdout, context.ctx.env)
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
      const choice = await offer(target, describeTarget(target), current, steps.length > 0, session, context)
      if (choice === 'show') context.log(current.action.command ?? '')
      if (choice === 'interrupted') stoppedExit = ExitCode.interrupted
      if (choice !== 'run') break
    }
    const step = await fixStep(target, current, session, {...flags, yes: flags.yes || !flags.fix}, interactive, context)
    steps.push(step)
    if (!flags.json) context.log(`\n${wrapLines(renderActionResult(step, reportTimeZone(current)), width)}`)
    if (step.outcome !== 'succeeded' || !step.trace) {
      stoppedExit = step.outcome === 'declined' ? current.exitCode : step.exitCode
      break
    }
    current = step.trace
  }
  if (steps.length === 0 && stoppedExit === null) return undefined
  const {remainingBreak} = await import('../actions/perform.js')
  const remaining = remainingBreak(current)
  if (!flags.json && steps.length > 0)
    await logFixSummary(current, steps.length, stoppedExit === null ? remaining : null, {
      ...context,
      log: (message) => context.log(wrapLines(message, width)),
    })
  const first = steps[0]
  const firstResult: Partial<ActionResult> = first ? (({trace: _trace, ...result}) => result)(first) : {}
  return {...firstResult, consistent: current.verdict.ok, exitCode: stoppedExit ?? current.exitCode, remaining, steps}
}

/** The trace's own flags of a report (a price's quantity and date), from its entity's descriptor. */
async function paramsOf(report: TraceReport): Promise<Record<string, string | number> | undefined> {
  const {entities} = await import('../entities/index.js')
  return entities[report.entity].actions.paramsOf?.(report)
}

/** One action of the fix loop, and the trace of the record made after it (null when none was made). */
async function fixStep(
  target: ActionTarget,
  current: TraceReport,
  session: FixSession,
  flags: FixFlags,
  interactive: boolean,
  context: FixContext,
): Promise<FixStep> {
  const {progressReporter} = await import('./interactive.js')
  const {performAction} = await import('../actions/perform.js')
  const progress = progressReporter(context.ctx)
  let after: TraceReport | null = null
  try {
    const result = await performAction(target, {
      adminCommandSuffix: session.adminSuffix,
      commandSuffix: session.commandSuffix,
      clock: context.ctx.clock,
      confirm: (message) => context.ctx.prompter.confirm(message),
      debug: context.debug,
      http: context.ctx.http(),
      dryRun: false,
      interactive,
      onTraced: (reports) => {
        after = reports.find((entry) => entry.entity === current.entity && entry.key === current.key) ?? null
      },
      profile: session.profile,
      progress: progress.report,
      requestTimeoutMs: requestTimeoutMs(flags),
      signal: context.signal,
      tracedBefore: [current],
      verify: [{entity: current.entity, key: current.key, params: await paramsOf(current)}],
      verifyUser: current.user ?? undefined,
      version: context.version,
      waitTimeoutMs: flags.wait * 1000,
      yes: flags.yes,
    })
    return {...result, trace: after}
  } finally {
    progress.end()
  }
}

async function logFixSummary(
  current: TraceReport,
  stepCount: number,
  remaining: RemainingBreak | null,
  context: FixContext,
): Promise<void> {
  const {sanitizeForTerminal} = await import('../util/sanitize.js')
  const count = `${stepCount} ${stepCount === 1 ? 'step' : 'steps'}`
  if (current.verdict.ok)
    context.log(
      `\n✔ ${sanitizeForTerminal(`${current.entity} ${current.key}`)} is consistent at every hop after ${count}.`,
    )
  else if (remaining)
    context.log(
      `\n✘ Still not consistent after ${count}: ${sanitizeForTerminal(remaining.headline)} (${remaining.cause}). What remains is for ${remaining.action.owner}: ${sanitizeForTerminal(remaining.action.description)}`,
    )
}

/** The offer at the prompt (an admin on a terminal): run it now, show the command, or skip. */
async function offer(
  target: ActionTarget,
  description: string,
  report: TraceReport,
  next: boolean,
  session: {profile: Profile; commandSuffix: string},
  context: FixContext,
): Promise<'run' | 'show' | 'skip' | 'interrupted'> {
  const {isPromptInterrupt} = await import('../actions/perform.js')
  try {
    return (await context.ctx.prompter.select(
      next
        ? `Not consistent yet (${report.verdict.cause}). synctrace can do the next step.`
        : 'synctrace can fix this.',
      [
        {name: `Run it now: ${description}`, value: 'run'},
        {name: 'Show the command (for the ticket or an admin)', value: 'show'},
        {name: 'Skip', value: 'skip'},
      ],
    )) as 'run' | 'show' | 'skip'
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
      ...(report.installation?.autoSync ? {timeZone: report.installation.timezone} : {}),
      verification: null,
    })
    context.logToStderr('\nInterrupted at the prompt; nothing was changed.')
    return 'interrupted'
  }
}
