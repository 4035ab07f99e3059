import {AsyncLocalStorage} from 'node:async_hooks'
import {PassThrough} from 'node:stream'

import {Config} from '@oclif/core'

import {runContexts, terminalProvider} from '../../dist/cli/context.js'
import type {RunContextProvider} from '../../src/cli/context.js'
import {createRunContext} from '../../dist/context/run-context.js'
import type {RunContext} from '../../src/context/run-context.js'
import {systemClock} from '../../dist/util/clock.js'
import type {Clock} from '../../src/util/clock.js'
import type {Prompter} from '../../src/util/prompter.js'
import {projectRoot} from './cli.js'

/** What one in-process run printed and ended with: the same shape as a spawned run's (test/helpers/cli.ts). */
export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
  /** The prompts shown, in order (their messages). */
  prompts: string[]
  /**
   * What the prompts put on the terminal, in order: each message, a select's choices (`  ❯ name`), an input's
   * answer as echoed (`  > text`, or `  > (masked)` for a question that hides what is typed; an empty answer
   * to a question with a default is its default, as inquirer's, shown as `  (default: text)`) and each refusal
   * of an answer (`  ! reason`).
   */
  shown: string[]
  /** stdout, stderr and each prompt's message (as `? message`), in the order a terminal showed them. */
  screen: string
  /** The run's clock (`RunOptions.clock`) when the run last wrote to stdout or stderr; null if it wrote nothing. */
  lastOutputAt: number | null
}

/** Ctrl-C at a prompt: the prompt fails as inquirer's does when interrupted (an `ExitPromptError`). */
export const ctrlC = {ctrlC: true} as const

/**
 * A scripted answer to the next prompt: a confirm's yes/no, a select's value, an input's text, or Ctrl-C.
 * An input answer its question refuses is shown with the reason and the next answer is typed, as at a terminal.
 */
export type Answer = boolean | string | typeof ctrlC

export interface RunOptions {
  /** Environment for the run, over the test process's (set on process.env for the run's duration). */
  env?: Record<string, string | undefined>
  /** Which streams are terminals (default: none, as in a pipe). */
  tty?: {stdin?: boolean; stdout?: boolean; stderr?: boolean}
  /** Answers to the prompts, in order; a prompt without one fails the test. */
  answers?: Answer[]
  /** Columns of the terminal streams. */
  columns?: number
  /** The run's clock (default: the wall clock's time, polls that wait at most 20 ms). */
  clock?: Clock
}

/** The wall clock's time with short polls: a fix waits for the sandbox's (scaled) job without idling. */
export const fastPollClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 20), signal),
}

/** The terminal as a person saw it: both streams and the prompts, interleaved. */
type Screen = {text: string; lastOutputAt: number | null; now: () => number}

class CapturedStream {
  text = ''
  constructor(
    readonly isTTY: boolean,
    readonly columns: number | undefined,
    private readonly screen: Screen,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk
    this.screen.text += chunk
    this.screen.lastOutputAt = this.screen.now()
    return true
  }
}

function interrupted(): Error {
  return Object.assign(new Error('User force closed the prompt with SIGINT'), {name: 'ExitPromptError'})
}

function scriptedPrompter(answers: Answer[], prompts: string[], shown: string[], screen: Screen): Prompter {
  const take = (message: string): boolean | string => {
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`)
    const answer = answers.shift() as Answer
    if (typeof answer === 'object') throw interrupted()
    return answer
  }
  const next = (message: string): boolean | string => {
    screen.text += `? ${message}\n`
    prompts.push(message)
    shown.push(message)
    return take(message)
  }
  return {
    confirm: async (message) => next(message) === true,
    input: async (question) => {
      const typed = (text: string) => (text === '' && question.default !== undefined ? question.default : text)
      let answer = typed(String(next(question.message)))
      if (question.default !== undefined) shown.push(`  (default: ${question.default})`)
      for (;;) {
        shown.push(`  > ${question.mask ? '(masked)' : answer}`)
        const valid = await question.validate?.(answer)
        if (typeof valid !== 'string') return answer
        shown.push(`  ! ${valid}`)
        if (answers.length === 0) throw new Error(`the answer "${answer}" was refused: ${valid}`)
        answer = typed(String(take(question.message)))
      }
    },
    select: async (message, choices) => {
      screen.text += `? ${message}\n`
      prompts.push(message)
      shown.push(message, ...choices.map((choice) => `  ❯ ${choice.name}`))
      const answer = String(take(message))
      if (!choices.some((choice) => choice.value === answer))
        throw new Error(`"${answer}" is not a choice of: ${message}`)
      return answer as never
    },
  }
}

let config: Promise<Config> | undefined

/**
 * The provider of each run in progress, found through the run's own async context: runs started side by side
 * (`Promise.all`, as agents running commands at once) each get their own streams, prompter and exit code
 * (a library warning goes to the run started last: src/util/warnings.ts keeps one sink). Runs side by side
 * share process.env: give them the same `env`.
 */
const runProviders = new AsyncLocalStorage<RunContextProvider>()
const dispatcher: RunContextProvider = {
  create: (signal) => providerOfThisRun().create(signal),
  finish: (context) => providerOfThisRun().finish(context),
  onInterrupt: (handler) => providerOfThisRun().onInterrupt(handler),
}
function providerOfThisRun(): RunContextProvider {
  const provider = runProviders.getStore()
  if (!provider) throw new Error('a command ran outside runCommand while a runCommand was in progress')
  return provider
}

/** The test process's values of the variables runs in progress have set, restored when the last run ends. */
const savedEnv = new Map<string, string | undefined>()
let runsInProgress = 0

function enterRun(env: Record<string, string | undefined>): void {
  if (runsInProgress++ === 0) runContexts.current = dispatcher
  for (const [name, value] of Object.entries(env)) {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name])
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}

function leaveRun(): void {
  if (--runsInProgress > 0) return
  runContexts.current = terminalProvider
  for (const [name, value] of savedEnv)
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  savedEnv.clear()
}

/**
 * The command id and its own arguments: the longest run of leading words that names a command; else (an
 * unknown command) every word before the first flag, as oclif reads them.
 */
function splitCommand(loaded: Config, argv: string[]): {id: string; rest: string[]; found: boolean} {
  for (let words = Math.min(3, argv.length); words >= 1; words--) {
    const id = argv.slice(0, words).join(':')
    if (argv.slice(0, words).every((word) => !word.startsWith('-')) && loaded.findCommand(id))
      return {found: true, id, rest: argv.slice(words)}
  }
  const firstFlag = argv.findIndex((word) => word.startsWith('-'))
  const words = Math.max(1, firstFlag === -1 ? argv.length : firstFlag)
  return {found: false, id: argv.slice(0, words).join(':'), rest: argv.slice(words)}
}

/**
 * Runs a synctrace command in this process, as a user's command line would (`['trace', 'customer', '10042',
 * '--sandbox']`), on a test run context: captured streams (terminals or not), a scripted prompter, the
 * run's environment, a clock that polls fast, and sandbox jobs 100× faster. The built commands (dist/) run;
 * nothing is spawned.
 */
export async function runCommand(argv: string[], options: RunOptions = {}): Promise<CommandResult> {
  config ??= Config.load({root: projectRoot})
  const loaded = await config
  const {id, rest, found} = splitCommand(loaded, argv)
  // The sandbox a `--sandbox` run starts runs its jobs 100× faster (SYNCTRACE_SANDBOX_TIME_SCALE), unless the test says.
  const env = {
    NO_COLOR: '1',
    OCLIF_COLUMNS: '400',
    SYNCTRACE_CHECK_INVARIANTS: '1',
    SYNCTRACE_SANDBOX_TIME_SCALE: '0.01',
    ...options.env,
  }
  const clock = options.clock ?? fastPollClock
  const screen: Screen = {lastOutputAt: null, now: () => clock.now(), text: ''}
  const stdout = new CapturedStream(Boolean(options.tty?.stdout), options.columns, screen)
  const stderr = new CapturedStream(Boolean(options.tty?.stderr), options.columns, screen)
  const stdin = Object.assign(new PassThrough(), {isTTY: Boolean(options.tty?.stdin)})
  const prompts: string[] = []
  const shown: string[] = []
  const answers = [...(options.answers ?? [])]
  let finished: RunContext | undefined
  const provider: RunContextProvider = {
    create: (signal) =>
      createRunContext({
        clock,
        env: {...process.env},
        io: {stderr, stdin, stdout},
        prompter: scriptedPrompter(answers, prompts, shown, screen),
        signal,
      }),
    finish: (context) => {
      finished = context
    },
    onInterrupt: () => undefined,
  }
  enterRun(env)
  try {
    const command = found ? loaded.findCommand(id) : undefined
    // An unknown command runs oclif's command_not_found hook, as bin/run.js would.
    if (!command) await runProviders.run(provider, () => loaded.runHook('command_not_found', {argv: rest, id}))
    else {
      const CommandClass = await command.load()
      await runProviders.run(provider, () => CommandClass.run(rest, loaded))
    }
  } finally {
    leaveRun()
  }
  return {
    exitCode: finished?.exitCode ?? 0,
    lastOutputAt: screen.lastOutputAt,
    prompts,
    screen: screen.text,
    shown,
    stderr: stderr.text,
    stdout: stdout.text,
  }
}
