import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import type {RunContext} from '../context/run-context.js'
import {ExitCode, UserError} from '../util/errors.js'
import {cleanMessage, type OutputOptions} from '../util/output.js'
import {shouldUseColor} from './color.js'
import {runContexts} from './context.js'
import {renderError} from './error-view.js'
import {sandboxInstallations, scaleInstallationNames} from './sandbox-installations.js'
import {type CommandLineSource, describeCommandLineError} from './command-line-errors.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof SynctraceCommand)['baseFlags'] & T['flags']
>

/**
 * A `--format` flag's conflict with --json: a format other than json and --json are refused together
 * (oclif's flag relationships; the refusal is worded by src/cli/command-line-errors.ts).
 */
export const notWithJson = [
  {
    flags: [{name: 'json', when: async (flags: Record<string, unknown>) => flags.format !== 'json'}],
    type: 'none' as const,
  },
]

/** Flags of every command that reaches an installation. */
export const connectionFlags = {
  config: Flags.string({
    description: 'Config file with the profiles (default: $SYNCTRACE_CONFIG, else ~/.config/synctrace/config.json).',
    helpGroup: 'CONNECTION',
  }),
  installation: Flags.string({
    description: `With --sandbox: which sandbox installation: ${sandboxInstallations.join(', ')} (default acme; with reconcile --scale: ${scaleInstallationNames.join(', ')}).`,
    helpGroup: 'CONNECTION',
  }),
  'no-cache': Flags.boolean({
    default: false,
    description:
      'Neither use nor keep a cached OAuth access token: ask the token endpoint anew (tokens are kept in tokens.json beside the secrets file).',
    helpGroup: 'CONNECTION',
  }),
  profile: Flags.string({
    char: 'p',
    description: "Profile of the installation to use (default: $SYNCTRACE_PROFILE, else the config file's default).",
    helpGroup: 'CONNECTION',
  }),
  sandbox: Flags.boolean({
    default: false,
    description: 'Start the built-in sandbox installation for this command and run against it.',
    exclusive: ['profile', 'config'],
    helpGroup: 'CONNECTION',
  }),
  'sandbox-role': Flags.option({
    default: 'admin',
    description: 'With --sandbox: the platform role whose token is used.',
    helpGroup: 'CONNECTION',
    options: ['admin', 'support'] as const,
  })(),
  timeout: Flags.integer({
    description: "Seconds one request to a hop may take, retries included (default 20, or the profile's timeoutMs).",
    helpGroup: 'CONNECTION',
    max: 600,
    min: 1,
  }),
}

/** `--wait` of every command that waits for a job (a CMS sync, an app refresh, a webshop republish, a retransfer). */
export function waitFlag(when = '') {
  return Flags.integer({
    default: 300,
    description: `${when}Seconds to wait for the job to finish; the job goes on in the platform if the wait ends.`,
    max: 3600,
    min: 1,
  })
}

/** A --timeout in seconds as the milliseconds a request may take; undefined leaves the profile's (or the default). */
export function requestTimeoutMs(flags: {timeout?: number}): number | undefined {
  return flags.timeout === undefined ? undefined : flags.timeout * 1000
}

/**
 * The base of every synctrace command: --json, --debug, colour, Ctrl-C, and one error policy: a user's
 * mistake is one line of cause and one of what to do, never a stack trace (unless --debug).
 */
export abstract class SynctraceCommand<T extends typeof Command = typeof Command> extends Command {
  static override baseFlags = {
    color: Flags.boolean({
      allowNo: true,
      default: true,
      description: 'Colour the terminal output (NO_COLOR and non-TTY output turn it off).',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({
      default: false,
      description: 'Log each request and its timing to stderr; secrets are redacted.',
      helpGroup: 'GLOBAL',
    }),
  }

  static override enableJsonFlag = true

  /** Commands that wait for Ctrl-C themselves (the sandbox) turn the default interrupt handling off. */
  static handlesInterrupt = false

  /** The sandbox prints its own (throw-away) tokens on purpose; every other command's output is redacted. */
  static printsOwnSecrets = false

  protected flags!: BaseFlags<T>
  protected readonly abortController = new AbortController()
  /** This run's context: streams and output boundary, environment, clock, prompter, HTTP client, exit code. */
  protected ctx!: RunContext
  private interrupted = false

  public override async init(): Promise<void> {
    this.ctx = runContexts.current.create(this.abortController.signal)
    await super.init()
    const {flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (this.ctor as typeof SynctraceCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    if (this.flags.debug) this.ctx.debug = this.debugLine
    if ((this.ctor as typeof SynctraceCommand).handlesInterrupt) return
    // The first Ctrl-C aborts the requests and lets the run wind down (saying what goes on); a second one
    // exits at once. Either way the exit code is 130.
    runContexts.current.onInterrupt(() => {
      if (this.interrupted) process.exit(ExitCode.interrupted)
      this.interrupted = true
      this.abortController.abort(new Error('interrupted'))
      this.ctx.out.line('stderr', this.outputOptions('stderr'), '\nInterrupted.')
      setTimeout(() => process.exit(ExitCode.interrupted), 1500).unref()
    })
  }

  /** The run ends: the HTTP client's connections close, and the exit code goes to the process (or the test). */
  public override async finally(error: Error | undefined): Promise<void> {
    await super.finally(error)
    if (!this.ctx) return
    await this.ctx.close()
    runContexts.current.finish(this.ctx)
  }

  protected get useColor(): boolean {
    return shouldUseColor(this.flags.color, this.ctx.env, this.ctx.out.isTTY('stdout'))
  }

  /** A debug line to stderr, only with --debug, with every known secret removed. */
  protected debugLine = (line: string): void => {
    if (this.flags?.debug) this.ctx.out.line('stderr', this.outputOptions('stderr'), `[debug] ${cleanMessage(line)}`)
  }

  /**
   * How text to a stream passes the output boundary: stdout is JSON under --json or --format json, else
   * terminal/Markdown text (colour kept only when it is on); stderr is always text.
   */
  protected outputOptions(stream: 'stdout' | 'stderr'): OutputOptions {
    const secretsAllowed = (this.ctor as typeof SynctraceCommand).printsOwnSecrets
    if (stream === 'stderr') return {format: 'terminal', secretsAllowed}
    const format = (this.flags as {format?: string} | undefined)?.format
    if (this.jsonEnabled() || format === 'json') return {format: 'json', secretsAllowed}
    if (format === 'markdown') return {format: 'markdown', secretsAllowed}
    let color = false
    try {
      color = this.useColor
    } catch {
      // Flags not parsed yet: no colour.
    }
    return {color, format: 'terminal', secretsAllowed}
  }

  public override log(message = '', ...args: unknown[]): void {
    if (this.jsonEnabled()) return
    this.ctx.out.line(
      'stdout',
      this.outputOptions('stdout'),
      typeof message === 'string' ? message : String(message),
      ...args,
    )
  }

  public override logToStderr(message = '', ...args: unknown[]): void {
    if (this.jsonEnabled()) return
    this.ctx.out.line(
      'stderr',
      this.outputOptions('stderr'),
      typeof message === 'string' ? message : String(message),
      ...args,
    )
  }

  public override logJson(json: unknown): void {
    this.ctx.out.line(
      'stdout',
      {format: 'json', secretsAllowed: (this.ctor as typeof SynctraceCommand).printsOwnSecrets},
      JSON.stringify(json, null, 2),
    )
  }

  /** A warning on stderr through the boundary, " ›   Warning: …" (nothing under --json). */
  public override warn(input: string | Error): string | Error {
    if (this.jsonEnabled()) return input
    this.ctx.out.warn(cleanMessage(typeof input === 'string' ? input : input.message))
    return input
  }

  /** Errors under --json: a small documented object, never oclif's internals. */
  protected override toErrorJson(error: unknown): {error: {message: string; suggestions: string[]; exitCode: number}} {
    const {message, suggestions} = error as {message?: string; suggestions?: string[]}
    return {
      error: {
        exitCode: this.ctx.exitCode || ExitCode.failed,
        message: cleanMessage(String(message ?? error).split('\n')[0] as string),
        suggestions: (suggestions ?? []).map((suggestion) => cleanMessage(suggestion)),
      },
    }
  }

  /**
   * A mistake on the command line (flag, argument, value, conflicting flags), in the same style as every
   * other error: one line of cause, one of what to do (the closest flag or value, or the usage line). Exit 2.
   */
  private commandLineError(error: Error): boolean {
    const name = `synctrace ${this.id?.replaceAll(':', ' ') ?? ''}`.trim()
    const ctor = this.ctor as unknown as CommandLineSource & {baseFlags?: CommandLineSource['flags']}
    const flags = {...ctor.baseFlags, ...ctor.flags, json: {type: 'boolean'}, help: {type: 'boolean'}}
    const described = describeCommandLineError(error, name, {...ctor, flags})
    if (!described) return false
    // The command line was read (and refused): no "did not parse its arguments" warning on top.
    this.parsed = true
    this.failWith(ExitCode.usage, described.message, described.suggestions)
    return true
  }

  /** An error the run ends with: the --json object on stdout, or "Error: …" and "Try this: …" on stderr. */
  private failWith(exitCode: number, message: string, suggestions: string[]): void {
    this.ctx.exitCode = exitCode
    const clean = {message: cleanMessage(message), suggestions: suggestions.map((entry) => cleanMessage(String(entry)))}
    if (this.jsonEnabled()) {
      this.logJson({error: {exitCode, ...clean}})
      return
    }
    const width = Number.parseInt(this.ctx.env.OCLIF_COLUMNS ?? '', 10) || this.ctx.io.stderr.columns || 80
    this.ctx.out.line('stderr', this.outputOptions('stderr'), renderError(clean.message, clean.suggestions, width))
  }

  /**
   * Every error reaches stderr (or the --json object) through the boundary, printed here on the run's
   * streams: its message and suggestions are redacted and neutralised, one line of cause and one of what to
   * do; a stack trace only with --debug. The exit code goes into the run context.
   */
  protected override async catch(
    error: Error & {exitCode?: number; oclif?: {exit?: number}; suggestions?: string[]; code?: string},
  ): Promise<unknown> {
    this.ctx ??= runContexts.current.create(this.abortController.signal)
    // Ctrl-C at a prompt (inquirer's ExitPromptError) or while a request ran: exit 130, no failure message.
    if (this.interrupted || error.name === 'ExitPromptError') {
      if (!this.interrupted)
        this.ctx.out.line('stderr', this.outputOptions('stderr'), '\nInterrupted at the prompt; nothing was changed.')
      this.ctx.exitCode = ExitCode.interrupted
      return undefined
    }
    // A mistake on the command line (flag, argument, value): one line of cause, one of what to do; no help dump.
    if ((error instanceof Errors.CLIError || /^Parsing --/.test(String(error.message))) && this.commandLineError(error))
      return undefined
    if (error instanceof UserError) return this.failWith(error.exitCode, error.message, [error.suggestion])
    // this.exit(n): the exit code, nothing printed.
    if (error instanceof Errors.ExitError) {
      this.ctx.exitCode = error.oclif.exit ?? 0
      return undefined
    }
    if (error instanceof Errors.CLIError || error.oclif?.exit !== undefined)
      return this.failWith(error.oclif?.exit ?? ExitCode.failed, String(error.message), error.suggestions ?? [])
    if (this.flags?.debug) this.ctx.out.line('stderr', this.outputOptions('stderr'), String(error.stack ?? error))
    return this.failWith(
      ExitCode.failed,
      `synctrace failed: ${String(error.message ?? error).split('\n')[0] as string}`,
      [
        this.flags?.debug
          ? 'The stack trace is above; please include it in a bug report.'
          : 'Run again with --debug for details.',
      ],
    )
  }
}
