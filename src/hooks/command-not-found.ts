import type {Hook} from '@oclif/core'

import {runContexts} from '../cli/context.js'
import {renderError} from '../cli/error-view.js'
import {editDistance} from '../util/closest.js'
import {ExitCode} from '../util/errors.js'
import {cleanMessage} from '../util/output.js'

/** The command meant by a mistyped one: the closest command id to the first words typed. */
export function closestCommand(typed: string[], commandIds: string[]): string | null {
  let best: {id: string; score: number} | null = null
  const ids = commandIds.map((id) => id.replaceAll(':', ' '))
  for (let words = Math.min(typed.length, 3); words >= 1; words--) {
    const attempt = typed.slice(0, words).join(' ')
    for (const id of ids) {
      const score = editDistance(attempt, id)
      if (score <= Math.max(2, Math.floor(id.length / 3)) && (!best || score < best.score)) best = {id, score}
    }
  }
  return best?.id ?? null
}

/**
 * An unknown command, in the style of every other error (one line of cause, one of what to do: the closest
 * command), on a run context of its own: oclif calls this before any command exists.
 */
const hook: Hook<'command_not_found'> = async (options) => {
  const words = options.id.split(':').filter((word) => !word.startsWith('-'))
  const suggestion = closestCommand(words, options.config.commandIDs)
  const commandWords = suggestion ? suggestion.split(' ').length : 1
  const message = cleanMessage(`Unknown command "${words.slice(0, commandWords).join(' ')}".`)
  // oclif joins every word before the first flag into the id: the ones after the command are its arguments.
  const rest = [...words.slice(commandWords), ...(options.argv ?? [])]
  const suggestions = [
    cleanMessage(
      suggestion
        ? `Did you mean synctrace ${[suggestion, ...rest].join(' ')}?`
        : 'Run synctrace help for the list of commands.',
    ),
  ]
  const ctx = runContexts.current.create(new AbortController().signal)
  ctx.exitCode = ExitCode.usage
  if ((options.argv ?? []).includes('--json')) {
    const error = {exitCode: ExitCode.usage, message, suggestions}
    ctx.out.line('stdout', {format: 'json'}, JSON.stringify({error}, null, 2))
  } else {
    const width = Number.parseInt(ctx.env.OCLIF_COLUMNS ?? '', 10) || ctx.io.stderr.columns || 80
    ctx.out.line('stderr', {format: 'terminal'}, renderError(message, suggestions, width))
  }
  await ctx.close()
  runContexts.current.finish(ctx)
  return true
}

export default hook
