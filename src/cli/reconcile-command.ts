import type {ReconcileTarget} from '../reconcile/types.js'
import {SynctraceCommand} from './base-command.js'
import {checkReconcileFlags, reconcileFlags, reconcileHelp} from './reconcile-flags.js'
import type {CommandIo} from './reconcile-fix.js'
import type {ReconcileOutput} from './reconcile-output.js'

/** `reconcile customers|items`: one class per entity, the same behaviour. */
export function reconcileCommand(entity: ReconcileTarget) {
  const help = reconcileHelp(entity)
  return class Reconcile extends SynctraceCommand<typeof Reconcile> {
    static override summary = help.summary
    static override description = help.description
    static override examples = help.examples
    static override flags = reconcileFlags(entity)

    public async run(): Promise<ReconcileOutput | undefined> {
      const {flags} = await this.parse(Reconcile)
      checkReconcileFlags(entity, flags)
      const json = this.jsonEnabled() || flags.format === 'json'
      const {openSession} = await import('./session.js')
      const {compareWithProgress} = await import('./reconcile-progress.js')
      const session = await openSession({...flags, scale: flags.scale}, this.ctx.env)
      const base = {
        commandSuffix: session.commandSuffix,
        debug: this.debugLine,
        env: this.ctx.env,
        http: this.ctx.http(),
        entity,
        profile: session.profile,
        signal: this.abortController.signal,
        timeoutSeconds: flags.timeout,
        version: this.config.version,
      }
      try {
        const result = await compareWithProgress(
          {...base, between: flags.between ?? null, resume: flags.resume},
          {
            betweenFlag: flags.between,
            commandSuffix: session.commandSuffix,
            ctx: this.ctx,
            live: this.ctx.out.isTTY('stderr') && !json,
            stderr: this.outputOptions('stderr'),
          },
        )
        const {planThenApply} = await import('./reconcile-output.js')
        const io: CommandIo = {
          ctx: this.ctx,
          log: (message) => this.log(message),
          stderr: this.outputOptions('stderr'),
          stdout: this.outputOptions('stdout'),
        }
        const output = await planThenApply(result, {base, entity, flags, io, json, session})
        this.ctx.exitCode = output.exitCode
        result.finish()
        return undefined
      } finally {
        await session.close()
      }
    }
  }
}
