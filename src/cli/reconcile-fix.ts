import type {ActionResult, PerformOptions} from '../actions/perform.js'
import type {Profile} from '../config/profile.js'
import type {FixPlan} from '../reconcile/fix.js'
import type {ReconcileRequest, ReconcileResult} from '../reconcile/session.js'
import type {ReconcileClass, ReconcileTarget, ReconcileSummary} from '../reconcile/types.js'
import {ExitCode, UserError} from '../util/errors.js'
import {formatCount} from '../util/numbers.js'
import type {RunContext} from '../context/run-context.js'
import type {OutputOptions} from '../util/output.js'

export interface FixOutput {
  /** What was planned: keys per class that --fix resolves. */
  planned: Array<{class: ReconcileClass; count: number}>
  results: ActionResult[]
  /** Keys acted on, and how many are consistent when compared again. */
  keys: number
  fixed: number
  /** Findings left among those keys after the fix, per class. */
  remaining: Array<{class: ReconcileClass; count: number}>
  exitCode: number
}

/** The command's ways out: its log (nothing under --json) and how text to each stream passes the output boundary. */
export interface CommandIo {
  ctx: RunContext
  log(message: string): void
  stdout: OutputOptions
  stderr: OutputOptions
}

/** What the fix of a finished run needs: the flags that ask for it, where it goes, and the request to compare its keys again with. */
export interface FixRequest {
  entity: ReconcileTarget
  flags: {fix: boolean; yes: boolean; 'no-input': boolean; wait: number}
  session: {profile: Profile; commandSuffix: string; adminSuffix: string}
  json: boolean
  base: Omit<ReconcileRequest, 'between' | 'resume'>
  io: CommandIo
}

type Reporter = {report: PerformOptions['progress']; end: () => void}

/** The plan's keys: the count per class, and every key once. */
interface PlannedKeys {
  planned: Array<{class: ReconcileClass; count: number}>
  keys: Set<string>
}

/** --fix, or the offer on a terminal: one confirmation, the chunks through the actions layer, then the keys compared again. */
export async function maybeFix(result: ReconcileResult, request: FixRequest): Promise<FixOutput | null> {
  const {summary} = result
  const {entity, flags} = request
  if (!summary.classes.some((entry) => entry.fix !== null)) return null
  const {canPrompt, progressReporter} = await import('./interactive.js')
  const {ctx} = request.io
  const confirmPrompt = (message: string) => ctx.prompter.confirm(message)
  const interactive = canPrompt(ctx, {json: request.json, 'no-input': flags['no-input']})
  if (!flags.fix && !interactive) return null
  const {describePlan, planFix} = await import('../reconcile/fix.js')
  const plan = await planFix(summary, result.recordsPath, entity)
  if (plan.targets.length === 0) return null
  const {cmsRole} = await import('../actions/role.js')
  const me = await cmsRole(request.session.profile, {http: ctx.http()})
  const progress = progressReporter(ctx)
  const options = performOptions(request, confirmPrompt, progress)
  const keys: PlannedKeys = {
    keys: new Set(plan.classes.flatMap((entry) => entry.keys)),
    planned: plan.classes.map((entry) => ({class: entry.class, count: entry.keys.length})),
  }
  if (me?.role !== 'admin') return flags.fix ? refused(plan, options, request, keys) : null
  if (!flags.yes) {
    const answer = await confirmFix(
      `${describePlan(plan, entity)} on installation ${summary.installation}`,
      request,
      interactive,
      confirmPrompt,
    )
    if (answer !== 'yes') return unanswered(plan, answer, {me, request, summary}, keys)
  }
  return fixAndCompare(plan, options, progress, request, summary, keys)
}

function performOptions(
  request: FixRequest,
  confirm: PerformOptions['confirm'],
  progress: Reporter,
): Omit<PerformOptions, 'yes' | 'verifiedByCaller'> {
  return {
    adminCommandSuffix: request.session.adminSuffix,
    commandSuffix: request.session.commandSuffix,
    clock: request.io.ctx.clock,
    confirm,
    debug: request.base.debug,
    http: request.base.http,
    dryRun: false,
    interactive: false,
    profile: request.session.profile,
    // A chunk's description names its 500 keys: the progress line keeps to its start.
    progress: request.json
      ? () => undefined
      : (state) =>
          progress.report({...state, text: state.text.length > 100 ? `${state.text.slice(0, 99)}…` : state.text}),
    signal: request.base.signal,
    version: request.base.version,
    waitTimeoutMs: request.flags.wait * 1000,
  }
}

/** Not an admin: the actions layer refuses it (and logs the refusal) before anything is sent. */
async function refused(
  plan: FixPlan,
  options: Omit<PerformOptions, 'yes' | 'verifiedByCaller'>,
  request: FixRequest,
  {keys, planned}: PlannedKeys,
): Promise<FixOutput> {
  const {performPlan} = await import('../reconcile/fix.js')
  const results = await performPlan({...plan, targets: plan.targets.slice(0, 1)}, options, () => undefined)
  if (!request.json) {
    const {renderActionResult} = await import('./action-command.js')
    for (const entry of results) request.io.log(renderActionResult(entry))
  }
  return {
    exitCode: results[0]?.exitCode ?? ExitCode.refused,
    fixed: 0,
    keys: keys.size,
    planned,
    remaining: planned,
    results,
  }
}

/**
 * No at the prompt, or Ctrl-C: nothing is sent, and each request the fix would have sent is audited as the
 * trace audits its confirmation (`declined`, or `interrupted` with exit 130), with who was asked.
 */
async function unanswered(
  plan: FixPlan,
  answer: 'no' | 'interrupted',
  run: {me: {user: string; role: string}; request: FixRequest; summary: ReconcileSummary},
  {keys, planned}: PlannedKeys,
): Promise<FixOutput> {
  const {Attempt} = await import('../actions/attempt.js')
  const {newIdempotencyKey} = await import('../http/client.js')
  const {profile, commandSuffix} = run.request.session
  const results = plan.targets.map((target) => {
    const attempt = new Attempt(target, profile, commandSuffix, newIdempotencyKey())
    Object.assign(attempt.result, {cmsUser: run.me.user, installation: run.summary.installation, role: run.me.role})
    return answer === 'no'
      ? attempt.finish('declined', 'declined at the prompt', run.summary.exitCode)
      : attempt.finish('interrupted', 'interrupted at the prompt (Ctrl-C); nothing was sent', ExitCode.interrupted)
  })
  const exitCode = answer === 'no' ? run.summary.exitCode : ExitCode.interrupted
  return {exitCode, fixed: 0, keys: keys.size, planned, remaining: planned, results}
}

/** The one confirmation: --yes, else the prompt on a terminal (Ctrl-C at it: interrupted), else the flag is required. */
async function confirmFix(
  description: string,
  request: FixRequest,
  interactive: boolean,
  confirmPrompt: (message: string) => Promise<boolean>,
): Promise<'yes' | 'no' | 'interrupted'> {
  if (!interactive)
    throw new UserError(
      `--yes is required to ${description} when not running interactively.`,
      `Run it again with --fix --yes to confirm.`,
    )
  try {
    return (await confirmPrompt(
      `${request.flags.fix ? 'This will' : 'Fix them now? This will'} ${description}. Continue?`,
    ))
      ? 'yes'
      : 'no'
  } catch (error) {
    const {isPromptInterrupt} = await import('../actions/perform.js')
    if (isPromptInterrupt(error)) return 'interrupted'
    throw error
  }
}

/** The chunks one after the other (a line for each), then only the keys acted on compared again the same way. */
async function fixAndCompare(
  plan: FixPlan,
  options: Omit<PerformOptions, 'yes' | 'verifiedByCaller'>,
  progress: Reporter,
  request: FixRequest,
  summary: ReconcileSummary,
  {keys, planned}: PlannedKeys,
): Promise<FixOutput> {
  const {compareAgain, performPlan} = await import('../reconcile/fix.js')
  const say = (line: string) => {
    if (!request.json) request.io.ctx.out.line('stderr', request.io.stderr, line)
  }
  const results = await performPlan(plan, options, (index, total, chunk) => {
    progress.end()
    const body = chunk.request.body && typeof chunk.request.body === 'object' ? chunk.request.body : {}
    const sent = (body as {keys?: unknown[]}).keys?.length ?? 0
    say(`Fix ${index + 1}/${total}: ${chunk.outcome} (${chunk.job?.id ?? 'no job'}, ${formatCount(sent)} keys)`)
  })
  progress.end()
  const failed = results.find((entry) => entry.outcome !== 'succeeded')
  const {fixed, remaining} = await compareAgain({...request.base, between: summary.between}, keys)
  const remainingTotal = keys.size - fixed
  say(
    `Compared the ${formatCount(keys.size)} ${request.entity} again: ${formatCount(fixed)} consistent${remainingTotal > 0 ? `, ${formatCount(remainingTotal)} not yet` : ' ✔ fixed'}.`,
  )
  return {
    exitCode: failed ? failed.exitCode : remainingTotal > 0 ? ExitCode.breakFound : ExitCode.ok,
    fixed,
    keys: keys.size,
    planned,
    remaining,
    results,
  }
}
