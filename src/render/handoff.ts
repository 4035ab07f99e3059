import {escapeMarkdownCell, sanitizeForTerminal} from '../util/sanitize.js'

/** What a support agent hands to an admin: the action in words and the command as the admin would type it. */
export interface HandOff {
  description: string
  command: string
  role: string | null
}

export function handOffTerminal(handOff: HandOff): string {
  return [
    `Hand-off to an admin (your CMS role is ${sanitizeForTerminal(handOff.role ?? 'unknown')}; only an admin can ${sanitizeForTerminal(handOff.description)}).`,
    'Paste this into the ticket:',
    `  ${sanitizeForTerminal(handOff.command)}`,
  ].join('\n')
}

export function handOffMarkdown(handOff: HandOff): string {
  return [
    `**Hand-off to an admin:** ${escapeMarkdownCell(handOff.description)} (only an admin can; the trace was made with the CMS role ${escapeMarkdownCell(handOff.role ?? 'unknown')}).`,
    '',
    '```sh',
    sanitizeForTerminal(handOff.command),
    '```',
  ].join('\n')
}
