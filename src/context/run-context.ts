import {HttpClient} from '../http/client.js'
import type {Clock} from '../util/clock.js'
import type {IOStreams} from '../util/io.js'
import {Output} from '../util/output.js'
import type {Prompter} from '../util/prompter.js'
import {installWarningSink} from '../util/warnings.js'

/**
 * One command run's context, as gh's Factory: its streams and output boundary, its environment, clock and
 * prompter, Ctrl-C, --debug, the one HTTP client (built on first use), and the exit code the run ends with.
 * The base command creates it (src/cli/base-command.ts); a test creates it with captured streams. Nothing
 * below src/cli reaches for process.stdout, stderr, stdin or exitCode: it is given this.
 */
export interface RunContext {
  readonly io: IOStreams
  readonly out: Output
  readonly env: NodeJS.ProcessEnv
  readonly clock: Clock
  readonly prompter: Prompter
  readonly signal: AbortSignal
  /** Lines for --debug (already through the boundary when written); undefined without --debug. */
  debug: ((line: string) => void) | undefined
  /** The run's one HTTP client: one connection pool, --debug lines and Ctrl-C for every request of the run. */
  http(): HttpClient
  /** What the process exits with (0 until a command says otherwise). */
  exitCode: number
  /** Ends the HTTP client's connections at once (the run's output is written): nothing waits for a socket to close. */
  close(): Promise<void>
}

export interface RunContextOptions {
  io: IOStreams
  env: NodeJS.ProcessEnv
  clock: Clock
  prompter: Prompter
  signal: AbortSignal
}

export function createRunContext(options: RunContextOptions): RunContext {
  let client: HttpClient | undefined
  const out = new Output(options.io)
  installWarningSink((message) => out.warn(message))
  const context: RunContext = {
    ...options,
    close: async () => {
      const closing = client
      client = undefined
      await closing?.destroy()
    },
    debug: undefined,
    exitCode: 0,
    http: () => {
      client ??= new HttpClient({debug: context.debug, signal: options.signal})
      return client
    },
    out,
  }
  return context
}
