import {createRunContext, type RunContext} from '../context/run-context.js'
import {systemClock} from '../util/clock.js'
import type {IOStreams} from '../util/io.js'
import {inquirerPrompter} from './prompter.js'

/**
 * Where a command's run context comes from. The terminal's provider gives the process's streams,
 * environment and clock, sets the process's exit code when the run ends and passes Ctrl-C on; a test
 * replaces `runContexts.current` with captured streams and keeps the finished context to read.
 */
export interface RunContextProvider {
  create(signal: AbortSignal): RunContext
  /** The run ended: its exit code becomes the process's (the terminal), or the test reads it. */
  finish(context: RunContext): void
  /** Ctrl-C reaches the run (the terminal's provider); a test's provider sends none. */
  onInterrupt(handler: () => void): void
}

export const terminalProvider: RunContextProvider = {
  create(signal) {
    const io: IOStreams = {stderr: process.stderr, stdin: process.stdin, stdout: process.stdout}
    return createRunContext({clock: systemClock, env: process.env, io, prompter: inquirerPrompter(io), signal})
  },
  finish(context) {
    if (context.exitCode !== 0) process.exitCode = context.exitCode
  },
  onInterrupt(handler) {
    process.on('SIGINT', handler)
  },
}

export const runContexts: {current: RunContextProvider} = {current: terminalProvider}
