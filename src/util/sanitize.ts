/**
 * Neutralises what a terminal would interpret in data that came from a remote system:
 * ESC-introduced sequences (CSI, OSC 8 hyperlinks, OSC 52 clipboard writes), C0 controls such as
 * CR and BS that can overwrite what is on screen, DEL and C1 controls. Tabs and newlines become spaces,
 * so a value always stays on its line. Each removed control is shown as U+FFFD so a reader sees that
 * something was there.
 */
// eslint-disable-next-line no-control-regex
const escapeSequence = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[PX^_][^\u001B]*(?:\u001B\\)?|[@-Z\\-_])/g
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g

export function sanitizeForTerminal(value: string): string {
  return value.replace(escapeSequence, '\uFFFD').replace(/[\t\n]/g, ' ').replace(controlCharacter, '\uFFFD')
}

/** Escapes a value for a Markdown table cell: pipes, backticks, and line breaks would break the table. */
export function escapeMarkdownCell(value: string): string {
  return sanitizeForTerminal(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/([*_[\]<>])/g, '\\$1')
}

/** Shortens a value for display, keeping its start and saying how much was cut. */
export function truncateForDisplay(value: string, maxLength = 120): string {
  if (value.length <= maxLength) return value
  return `${value.slice(0, maxLength - 1)}… (${value.length} chars)`
}
