import {Flags} from '@oclif/core'

import type {ActionResult} from '../actions/perform.js'
import type {ReconcileProgress} from '../reconcile/run.js'
import type {HopPair, ReconcileClass, ReconcileEntity, ReconcileSummary} from '../reconcile/types.js'
import {ExitCode, UserError} from '../util/errors.js'
import {type OutputOptions, redrawLine, writeLine, writeOut} from '../util/output.js'
import {connectionFlags, SynctraceCommand} from './base-command.js'

export const reconcileExitCodes =
  'Exit codes: 0 every record consistent (or all findings fixed), 2 usage, 3 findings (see the classes), 4 a hop could not be read or some records could not be (record-unreadable), 5 --fix not allowed for your role, 6 a fix job failed or did not finish within --wait, 130 interrupted (continue with --resume).'

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

export interface ReconcileOutput extends ReconcileSummary {
  /** Where the records were written with --output, else null. */
  recordsFile: string | null
  fix: FixOutput | null
}

const formatOf = (path: string): 'csv' | 'jsonl' | 'markdown' => (/\.csv$/i.test(path) ? 'csv' : /\.(md|markdown)$/i.test(path) ? 'markdown' : 'jsonl')

function seconds(value: number): string {
  if (value < 90) return `${Math.ceil(value)} s`
  return `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`
}

/** `reconcile customers|items`: one class per entity, the same behaviour. */
export function reconcileCommand(entity: ReconcileEntity) {
  const singular = entity === 'customers' ? 'customer' : 'item'
  return class Reconcile extends SynctraceCommand<typeof Reconcile> {
    static override summary = `Compare every ${singular} between two hops and classify each difference.`

    static override description =
      `Streams the ${entity} of both hops (paged as their APIs page, under each ERP's rate limit), matches them by key, compares each pair with the same mapping-aware comparison a trace uses, and classifies every difference with the trace's rules (missing, created or changed after the last sync, excluded by a filter, differs although synced, not published, …, and records only the downstream hop has). Prints a summary table (count, meaning and action per class), then the records.

--fix starts one targeted CMS sync per ${500} keys of the classes a sync resolves (and a webshop republish for the unpublished), after one confirmation, then compares those keys again: "fixed" only when they are consistent. Ctrl-C writes a checkpoint; --resume continues from it with the same result as an uninterrupted run.

${reconcileExitCodes}`

    static override examples = [
      `<%= config.bin %> <%= command.id %> --sandbox`,
      `<%= config.bin %> <%= command.id %> --sandbox --scale 100000 --between cms,webshop`,
      `<%= config.bin %> <%= command.id %> --profile acme --between cms,app --format markdown`,
      `<%= config.bin %> <%= command.id %> --profile acme --format csv --output ${entity}.csv`,
      `<%= config.bin %> <%= command.id %> --profile acme --fix --yes`,
      `<%= config.bin %> <%= command.id %> --profile acme --resume`,
    ]

    static override flags = {
      ...connectionFlags,
      between: Flags.option({
        description: 'The two hops to compare (default: erp,cms, or ftp,cms on an ftp installation).',
        options: ['erp,cms', 'ftp,cms', 'cms,app', 'cms,webshop'] as const,
      })(),
      fix: Flags.boolean({
        default: false,
        description:
          'Perform the fix of every class synctrace can fix (targeted sync, webshop republish), then compare those keys again; needs --yes unless confirmed at the prompt.',
      }),
      format: Flags.option({
        char: 'f',
        default: 'terminal',
        description: 'terminal (summary, first --limit records per class), markdown (for a ticket), csv or jsonl (every record), json (summary and every record).',
        options: ['terminal', 'markdown', 'csv', 'jsonl', 'json'] as const,
      })(),
      limit: Flags.integer({default: 10, description: 'Records shown per class on the terminal and in Markdown.', max: 100_000, min: 0}),
      'no-input': Flags.boolean({default: false, description: 'Never prompt; --fix then needs --yes.'}),
      output: Flags.string({char: 'o', description: 'Write every record to this file (.csv, .md, else JSON lines); stdout gets the summary.'}),
      resume: Flags.boolean({default: false, description: 'Continue the interrupted run of the same entity and hops from its checkpoint.'}),
      scale: Flags.integer({
        description: `With --sandbox: a generated installation with this many ${entity} per hop (planted differences of every class; --installation scale or scale-ftp).`,
        max: 5_000_000,
        min: 10,
      }),
      wait: Flags.integer({default: 300, description: 'With --fix: seconds to wait for each job (it goes on in the platform after that).', max: 3600, min: 1}),
      yes: Flags.boolean({char: 'y', default: false, description: 'With --fix: confirm without a prompt.'}),
    }

    public async run(): Promise<ReconcileOutput | undefined> {
      const {flags} = await this.parse(Reconcile)
      if (flags.scale !== undefined && !flags.sandbox)
        throw new UserError('--scale generates a sandbox installation and needs --sandbox.', `Run: synctrace reconcile ${entity} --sandbox --scale ${flags.scale}`)
      if (flags.output && (flags.format === 'csv' || flags.format === 'jsonl') && formatOf(flags.output) !== flags.format)
        throw new UserError(
          `--output ${flags.output} does not end in .${flags.format === 'csv' ? 'csv' : 'jsonl'}, the --format given.`,
          `Name the file ${entity}.${flags.format}, or leave out --format.`,
        )
      const json = this.jsonEnabled() || flags.format === 'json'
      const {openSession} = await import('./session.js')
      const {runReconcile} = await import('../reconcile/session.js')
      const {ReconcileInterrupted} = await import('../reconcile/run.js')
      const session = await openSession({...flags, scale: flags.scale})
      const live = Boolean(process.stderr.isTTY) && !json
      let lastLine = ''
      const progress = (state: ReconcileProgress) => {
        if (!live || state.phase === 'done') return
        const eta = state.etaSeconds === null ? '' : ` · about ${seconds(state.etaSeconds)} left`
        const line =
          state.phase === 'sorting' && state.compared === 0
            ? `Reading and sorting ${entity}…`
            : `${state.compared.toLocaleString('en-US')} ${entity} compared · ${Math.round(state.recordsPerSecond).toLocaleString('en-US')}/s · ${state.findings} findings${eta}`
        if (line !== lastLine) redrawLine(line)
        lastLine = line
      }
      const endProgress = () => {
        if (live && lastLine) redrawLine('')
        if (live && lastLine) process.stderr.write('\r')
        lastLine = ''
      }
      const base = {
        commandSuffix: session.commandSuffix,
        debug: this.debugLine,
        entity,
        profile: session.profile,
        signal: this.abortController.signal,
        timeoutSeconds: flags.timeout,
        version: this.config.version,
      }
      try {
        let result: Awaited<ReturnType<typeof runReconcile>>
        try {
          result = await runReconcile({...base, between: (flags.between as HopPair | undefined) ?? null, progress, resume: flags.resume})
        } catch (error) {
          endProgress()
          if (error instanceof ReconcileInterrupted) {
            const done = error.checkpoint
            writeLine(
              'stderr',
              this.outputOptions('stderr'),
              `Stopped after ${done.compared} ${entity} (up to ${done.lastKey ?? 'the start'}); the checkpoint is kept. Continue with: synctrace reconcile ${entity}${flags.between ? ` --between ${flags.between}` : ''}${session.commandSuffix ? ` ${session.commandSuffix}` : ''} --resume`,
            )
            process.exitCode = ExitCode.interrupted
          }
          throw error
        }
        endProgress()
        const {summary, recordsPath} = result
        const fix = await this.maybeFix(result, flags, session, json, base)
        const output: ReconcileOutput = {...summary, fix, recordsFile: flags.output ?? null}
        if (fix)
          output.exitCode = (
            fix.exitCode === ExitCode.ok ? (summary.classes.some((entry) => entry.fix === null) ? ExitCode.breakFound : ExitCode.ok) : fix.exitCode
          ) as ReconcileOutput['exitCode']
        await this.print(output, recordsPath, flags, json)
        process.exitCode = fix ? fix.exitCode || output.exitCode : output.exitCode
        result.finish()
        return undefined
      } finally {
        await session.close()
      }
    }

    /** --fix, or the offer on a terminal: one confirmation, the chunks through the actions layer, then the keys compared again. */
    private async maybeFix(
      result: Awaited<ReturnType<typeof import('../reconcile/session.js').runReconcile>>,
      flags: {fix: boolean; yes: boolean; 'no-input': boolean; wait: number; between?: string},
      session: {profile: import('../config/profile.js').Profile; commandSuffix: string; adminSuffix: string},
      json: boolean,
      base: Omit<import('../reconcile/session.js').ReconcileRequest, 'between' | 'resume'>,
    ): Promise<FixOutput | null> {
      const {summary} = result
      if (!summary.classes.some((entry) => entry.fix !== null)) return null
      const {canPrompt, confirmPrompt, progressReporter} = await import('./interactive.js')
      const interactive = canPrompt({json, 'no-input': flags['no-input']})
      if (!flags.fix && !interactive) return null
      const {describePlan, performPlan, planFix} = await import('../reconcile/fix.js')
      const plan = await planFix(summary, result.recordsPath, entity)
      if (plan.targets.length === 0) return null
      const {cmsRole} = await import('../actions/role.js')
      const me = await cmsRole(session.profile, {debug: this.debugLine, signal: this.abortController.signal})
      const where = ` on installation ${summary.installation}`
      const description = describePlan(plan, entity)
      const progress = progressReporter()
      const performOptions = {
        adminCommandSuffix: session.adminSuffix,
        commandSuffix: session.commandSuffix,
        confirm: confirmPrompt,
        debug: this.debugLine,
        dryRun: false,
        interactive: false,
        profile: session.profile,
        // A chunk's description names its 500 keys: the progress line keeps to its start.
        progress: json
          ? () => undefined
          : (state: {text: string; done?: number; total?: number}) => progress.report({...state, text: state.text.length > 100 ? `${state.text.slice(0, 99)}…` : state.text}),
        signal: this.abortController.signal,
        version: this.config.version,
        waitTimeoutMs: flags.wait * 1000,
      }
      const planned = plan.classes.map((entry) => ({class: entry.class, count: entry.keys.length}))
      const keys = new Set(plan.classes.flatMap((entry) => entry.keys))
      if (me?.role !== 'admin') {
        if (!flags.fix) return null
        // The actions layer refuses it (and logs the refusal) before anything is sent.
        const results = await performPlan({...plan, targets: plan.targets.slice(0, 1)}, performOptions, () => undefined)
        if (!json) {
          const {renderActionResult} = await import('./action-command.js')
          for (const entry of results) this.log(renderActionResult(entry))
        }
        return {exitCode: results[0]?.exitCode ?? ExitCode.refused, fixed: 0, keys: keys.size, planned, remaining: planned, results}
      }
      if (!flags.yes) {
        if (!interactive) throw new UserError(`--yes is required to ${description}${where} when not running interactively.`, `Run it again with --fix --yes to confirm.`)
        let confirmed: boolean
        try {
          confirmed = await confirmPrompt(`${flags.fix ? 'This will' : 'Fix them now? This will'} ${description}${where}. Continue?`)
        } catch (error) {
          if ((error as {name?: string}).name === 'ExitPromptError') {
            process.exitCode = ExitCode.interrupted
            return {exitCode: ExitCode.interrupted, fixed: 0, keys: keys.size, planned, remaining: planned, results: []}
          }
          throw error
        }
        if (!confirmed) return null
      }
      const results = await performPlan(plan, performOptions, (index, total, chunk) => {
        progress.end()
        if (!json)
          writeLine(
            'stderr',
            this.outputOptions('stderr'),
            `Fix ${index + 1}/${total}: ${chunk.outcome} (${chunk.job?.id ?? 'no job'}, ${chunk.request.body && typeof chunk.request.body === 'object' ? ((chunk.request.body as {keys?: unknown[]}).keys?.length ?? 0) : 0} keys)`,
          )
      })
      progress.end()
      const failed = results.find((entry) => entry.outcome !== 'succeeded')
      const {runReconcile} = await import('../reconcile/session.js')
      // Only the keys acted on, compared again the same way.
      const verify = await runReconcile({...base, between: summary.between, onlyKeys: keys, resume: false})
      const remainingCounts = new Map<ReconcileClass, number>()
      const {readRecords} = await import('../reconcile/render.js')
      for await (const record of readRecords(verify.recordsPath)) if (keys.has(record.key)) remainingCounts.set(record.class, (remainingCounts.get(record.class) ?? 0) + 1)
      verify.finish()
      const remainingTotal = [...remainingCounts.values()].reduce((sum, count) => sum + count, 0)
      const fixed = keys.size - remainingTotal
      if (!json)
        writeLine(
          'stderr',
          this.outputOptions('stderr'),
          `Compared the ${keys.size} ${entity} again: ${fixed} consistent${remainingTotal > 0 ? `, ${remainingTotal} not yet` : ' ✔ fixed'}.`,
        )
      return {
        exitCode: failed ? failed.exitCode : remainingTotal > 0 ? ExitCode.breakFound : ExitCode.ok,
        fixed,
        keys: keys.size,
        planned,
        remaining: [...remainingCounts].map(([klass, count]) => ({class: klass, count})),
        results,
      }
    }

    private async print(output: ReconcileOutput, recordsPath: string, flags: {format: string; limit: number; output?: string}, json: boolean): Promise<void> {
      const render = await import('../reconcile/render.js')
      const jsonOptions: OutputOptions = {format: 'json'}
      const textOptions = this.outputOptions('stdout')
      if (flags.output) await this.writeRecordsFile(flags.output, recordsPath)
      if (json) {
        const {records: _unused, ...head} = {...output, records: undefined}
        const opening = JSON.stringify(head, null, 2).replace(/\n}$/, '')
        writeOut('stdout', `${opening},\n  "records": [`, jsonOptions)
        if (!flags.output) {
          let first = true
          let buffer = ''
          for await (const record of render.readRecords(recordsPath)) {
            buffer += `${first ? '\n' : ',\n'}    ${JSON.stringify(record)}`
            first = false
            if (buffer.length > 1 << 16) {
              writeOut('stdout', buffer, jsonOptions)
              buffer = ''
            }
          }
          writeOut('stdout', `${buffer}${first ? '' : '\n  '}]\n}\n`, jsonOptions)
        } else writeOut('stdout', ']\n}\n', jsonOptions)
        return
      }
      if (flags.format === 'csv' || flags.format === 'jsonl') {
        const first = await render.firstPerClass(recordsPath, 0)
        // The records are the data on stdout; the summary goes to stderr, so a pipe gets only the records.
        writeLine('stderr', this.outputOptions('stderr'), render.renderTerminal(output, first, flags.output ?? null))
        if (flags.output) return
        const options: OutputOptions = flags.format === 'jsonl' ? jsonOptions : textOptions
        let buffer = flags.format === 'csv' ? render.csvHeader() : ''
        for await (const record of render.readRecords(recordsPath)) {
          buffer += flags.format === 'csv' ? render.csvLine(record) : `${JSON.stringify(record)}\n`
          if (buffer.length > 1 << 16) {
            writeOut('stdout', buffer, options)
            buffer = ''
          }
        }
        writeOut('stdout', buffer, options)
        return
      }
      const first = await render.firstPerClass(recordsPath, flags.limit)
      if (flags.format === 'markdown') this.log(render.renderMarkdownSummary(output, first))
      else this.log(render.renderTerminal(output, first, flags.output ?? null))
      if (output.fix?.results[0]?.outcome === 'refused') this.log(`\nFix: not done (${output.fix.results[0].reason ?? 'refused'}); nothing was sent.`)
      else if (output.fix && !json)
        this.log(
          `\nFix: ${output.fix.fixed} of ${output.fix.keys} ${entity} consistent after it${output.fix.remaining.length > 0 ? `; left: ${output.fix.remaining.map((entry) => `${entry.class} ${entry.count}`).join(', ')}` : ''}.`,
        )
    }

    /** Every record into the --output file, in the format its name says, through the output boundary. */
    private async writeRecordsFile(path: string, recordsPath: string): Promise<void> {
      const render = await import('../reconcile/render.js')
      const {cleanOutput} = await import('../util/output.js')
      const {closeSync, constants, openSync, writeSync} = await import('node:fs')
      const format = formatOf(path)
      const options: OutputOptions = {format: format === 'jsonl' ? 'json' : format === 'markdown' ? 'markdown' : 'terminal'}
      let fd: number
      try {
        fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600)
      } catch (error) {
        throw new UserError(
          `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
          'Give --output a path in a folder you can write to (an existing symlink is refused).',
        )
      }
      try {
        let buffer = format === 'csv' ? render.csvHeader() : format === 'markdown' ? render.markdownRecordsHeader : ''
        for await (const record of render.readRecords(recordsPath)) {
          buffer += format === 'csv' ? render.csvLine(record) : format === 'markdown' ? render.markdownRecordLine(record) : `${JSON.stringify(record)}\n`
          if (buffer.length > 1 << 16) {
            writeSync(fd, cleanOutput(buffer, options))
            buffer = ''
          }
        }
        writeSync(fd, cleanOutput(buffer, options))
      } finally {
        closeSync(fd)
      }
    }
  }
}
