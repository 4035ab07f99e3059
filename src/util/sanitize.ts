/**
 * Neutralises what a terminal would interpret in text that came from a remote system (or that is about
 * to be printed at all): ESC-introduced sequences (CSI, OSC 8 hyperlinks, OSC 52 clipboard writes), C0
 * controls such as CR and BS that can overwrite what is on screen, DEL, C1 controls (U+0080–U+009F,
 * among them U+009B, which some terminals read as CSI), the bidi controls U+202A–U+202E and
 * U+2066–U+2069 (and the marks U+200E, U+200F, U+061C), the separators U+2028/U+2029 and zero-width
 * characters (U+200B–U+200D, U+2060, U+FEFF). Each removed control is shown as U+FFFD, so a reader sees
 * that something was there.
 */
// eslint-disable-next-line no-control-regex
const escapeSequence =
  /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[PX^_][^\u001B]*(?:\u001B\\)?|[@-Z\\-_])/g
/** A colour/style sequence (SGR): the only escape synctrace itself writes to stdout. */
// eslint-disable-next-line no-control-regex
const styleSequence = /\u001B\[[0-9;]{0,32}m/g
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g
/** Invisible characters that reorder, hide or split what is shown. */
const invisibleCharacter = /[\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g
/** Everything the output boundary treats as unsafe, for checks (tests) and JSON escaping. */
// eslint-disable-next-line no-control-regex
export const unsafeCharacter =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/

const placeholder = '\uFFFD'

/**
 * Text for a terminal or a Markdown ticket, lines kept: newline and tab stay, every other control,
 * escape and invisible character becomes U+FFFD. With `keepStyle`, SGR colour sequences survive
 * (synctrace's own colours; they cannot move the cursor or write anywhere).
 */
export function neutralizeText(value: string, options: {keepStyle?: boolean} = {}): string {
  const styles: string[] = []
  let text = value
  // Styles are set aside under a private-use marker, the rest is neutralised, then they come back.
  if (options.keepStyle)
    text = text
      .replace(/\uE000/g, placeholder)
      .replace(styleSequence, (style) => `\uE000${styles.push(style) - 1}\uE001`)
  text = text
    .replace(escapeSequence, placeholder)
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, placeholder) // eslint-disable-line no-control-regex
    .replace(invisibleCharacter, placeholder)
  if (options.keepStyle) text = text.replace(/\uE000(\d+)\uE001/g, (_, index: string) => styles[Number(index)] ?? '')
  return text
}

/** A value shown inside a line: like neutralizeText, and tabs and newlines become spaces, so it stays on its line. */
export function sanitizeForTerminal(value: string): string {
  return value
    .replace(escapeSequence, placeholder)
    .replace(/[\t\n]/g, ' ')
    .replace(controlCharacter, placeholder)
    .replace(invisibleCharacter, placeholder)
}

/**
 * JSON text with every unsafe character that JSON.stringify leaves raw (DEL, C1, bidi, U+2028/2029,
 * zero-width) written as a `\uXXXX` escape: the same JSON value, no raw control byte on the wire. Only
 * valid for JSON.stringify output, where such characters can only be inside strings.
 */
export function escapeUnsafeInJson(json: string): string {
  return json.replace(
    new RegExp(unsafeCharacter.source, 'g'),
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
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
