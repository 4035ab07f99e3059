import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import {redactSecrets} from '../http/redact.js'
import {ExitCode, UserError} from '../util/errors.js'
import {sanitizeForTerminal} from '../util/sanitize.js'
import {shouldUseColor} from './color.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof SynctraceCommand)['baseFlags'] & T['flags']>

/** Flags of every command that reaches an installation. */
export const connectionFlags = {
  config: Flags.string({description: 'Config file with the profiles (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).', helpGroup: 'CONNECTION'}),
  installation: Flags.string({description: 'With --sandbox: which sandbox installation (acme).', helpGroup: 'CONNECTION'}),
  profile: Flags.string({char: 'p', description: 'Profile of the installation to use (default: $SYNCTRACE_PROFILE, else the config file\'s default).', helpGroup: 'CONNECTION'}),
  sandbox: Flags.boolean({default: false, description: 'Start the built-in sandbox installation for this command and run against it.', helpGroup: 'CONNECTION'}),
  'sandbox-role': Flags.option({default: 'admin', description: 'With --sandbox: the platform role whose token is used.', helpGroup: 'CONNECTION', options: ['admin', 'support'] as const})(),
  timeout: Flags.integer({description: 'Seconds one request to a hop may take, retries included (default 20).', helpGroup: 'CONNECTION', max: 600, min: 1}),
}

/**
 * The base of every synctrace command: --json, --debug, colour, Ctrl-C, and one error policy: a user's
 * mistake is one line of cause and one of what to do, never a stack trace (unless --debug).
 */
export abstract class SynctraceCommand<T extends typeof Command = typeof Command> extends Command {
  static override baseFlags = {
    color: Flags.boolean({allowNo: true, default: true, description: 'Colour the terminal output (NO_COLOR and non-TTY output turn it off).', helpGroup: 'GLOBAL'}),
    debug: Flags.boolean({default: false, description: 'Log each request and its timing to stderr; secrets are redacted.', helpGroup: 'GLOBAL'}),
  }

  static override enableJsonFlag = true

  /** Commands that wait for Ctrl-C themselves (the sandbox) turn the default interrupt handling off. */
  static handlesInterrupt = false

  protected flags!: BaseFlags<T>
  protected readonly abortController = new AbortController()
  private interrupted = false

  public override async init(): Promise<void> {
    await super.init()
    const {flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (this.ctor as typeof SynctraceCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    if ((this.ctor as typeof SynctraceCommand).handlesInterrupt) return
    // The first Ctrl-C aborts the requests and lets the run wind down (saying what goes on); a second one
    // exits at once. Either way the exit code is 130.
    process.on('SIGINT', () => {
      if (this.interrupted) process.exit(ExitCode.interrupted)
      this.interrupted = true
      this.abortController.abort(new Error('interrupted'))
      process.stderr.write('\nInterrupted.\n')
      setTimeout(() => process.exit(ExitCode.interrupted), 1500).unref()
    })
  }

  protected get useColor(): boolean {
    return shouldUseColor(this.flags.color, process.env, Boolean(process.stdout.isTTY))
  }

  /** A debug line to stderr, only with --debug, with every known secret removed. */
  protected debugLine = (line: string): void => {
    if (this.flags?.debug) process.stderr.write(`[debug] ${sanitizeForTerminal(redactSecrets(line))}\n`)
  }

  /** Errors under --json: a small documented object, never oclif's internals. */
  protected override toErrorJson(error: unknown): {error: {message: string; suggestions: string[]; exitCode: number}} {
    const {message, suggestions} = error as {message?: string; suggestions?: string[]}
    return {
      error: {
        exitCode: Number(process.exitCode ?? ExitCode.failed),
        message: redactSecrets(String(message ?? error)).split('\n')[0] as string,
        suggestions: (suggestions ?? []).map((suggestion) => redactSecrets(suggestion)),
      },
    }
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (this.interrupted) {
      process.exitCode = ExitCode.interrupted
      return undefined
    }
    if (error instanceof UserError) {
      process.exitCode = error.exitCode
      return super.catch(new Errors.CLIError(redactSecrets(error.message), {exit: error.exitCode, suggestions: [redactSecrets(error.suggestion)]}))
    }
    if (error instanceof Errors.CLIError || error.oclif?.exit !== undefined) {
      process.exitCode = error.oclif?.exit ?? ExitCode.failed
      return super.catch(error)
    }
    if (this.flags?.debug) process.stderr.write(`${redactSecrets(error.stack ?? String(error))}\n`)
    process.exitCode = ExitCode.failed
    return super.catch(
      new Errors.CLIError(`synctrace failed: ${redactSecrets(error.message ?? String(error)).split('\n')[0]}`, {
        exit: ExitCode.failed,
        suggestions: [this.flags?.debug ? 'The stack trace is above; please include it in a bug report.' : 'Run again with --debug for details.'],
      }),
    )
  }
}
