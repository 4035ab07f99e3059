import {writeLine} from './output.js'

const given = new Set<string>()

/** A warning on stderr, through the output boundary, once per run for the same text. */
export function warnUser(message: string): void {
  if (given.has(message)) return
  given.add(message)
  writeLine('stderr', {format: 'terminal'}, ` ›   Warning: ${message}`)
}
