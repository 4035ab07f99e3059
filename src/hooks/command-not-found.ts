import type {Hook} from '@oclif/core'

import {ExitCode} from '../util/errors.js'
import {cleanMessage, Output} from '../util/output.js'

function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length] as number
}

/** The command meant by a mistyped one: the closest command id to the first words typed. */
export function closestCommand(typed: string[], commandIds: string[]): string | null {
  let best: {id: string; score: number} | null = null
  const ids = commandIds.map((id) => id.replaceAll(':', ' '))
  for (let words = Math.min(typed.length, 3); words >= 1; words--) {
    const attempt = typed.slice(0, words).join(' ')
    for (const id of ids) {
      const score = distance(attempt, id)
      if (score <= Math.max(2, Math.floor(id.length / 3)) && (!best || score < best.score)) best = {id, score}
    }
  }
  return best?.id ?? null
}

/** An unknown command: one line, "did you mean", where to look; the documented JSON object under --json. */
const hook: Hook<'command_not_found'> = async (options) => {
  const words = options.id.split(':').filter((word) => !word.startsWith('-'))
  const suggestion = closestCommand(words, options.config.commandIDs)
  const typed = (suggestion ? words.slice(0, suggestion.split(' ').length) : words.slice(0, 1)).join(' ')
  const message = `Unknown command "${typed}".`
  const suggestions = [
    suggestion ? `Did you mean \`synctrace ${suggestion}\`?` : 'Run synctrace help for the list of commands.',
  ]
  process.exitCode = ExitCode.usage
  // An entry point like bin/run.js: oclif calls it before any command (and its run context) exists.
  const out = new Output({stderr: process.stderr, stdin: process.stdin, stdout: process.stdout})
  if ((options.argv ?? []).includes('--json')) {
    out.line(
      'stdout',
      {format: 'json'},
      JSON.stringify(
        {error: {exitCode: ExitCode.usage, message: cleanMessage(message), suggestions: suggestions.map(cleanMessage)}},
        null,
        2,
      ),
    )
    return true
  }
  out.line(
    'stderr',
    {format: 'terminal'},
    `${cleanMessage(message)} ${cleanMessage(suggestions[0] as string)}\n\nSee synctrace --help`,
  )
  return true
}

export default hook
