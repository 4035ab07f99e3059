import {wrapText} from '../render/wrap.js'

/**
 * An error as oclif prints one, on the run's stderr: " ›   Error: <cause>" and " ›   Try this: <what to do>",
 * wrapped to the terminal's width (OCLIF_COLUMNS, else the stream's columns, else 80).
 */
export function renderError(message: string, suggestions: string[], width: number): string {
  const lines = [`Error: ${message}`]
  if (suggestions.length === 1) lines.push(`Try this: ${suggestions[0]}`)
  else if (suggestions.length > 1) lines.push('Try this:', ...suggestions.map((suggestion) => `  * ${suggestion}`))
  const room = Math.max(20, width - 6)
  return lines
    .flatMap((line) => wrapText(line, room))
    .map((line) => ` ›   ${line}`)
    .join('\n')
}
