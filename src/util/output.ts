import {formatWithOptions} from 'node:util'

import {redactSecrets, redactSecretsInJson} from '../http/redact.js'
import {escapeUnsafeInJson, neutralizeText} from './sanitize.js'

/**
 * The one output boundary: everything synctrace writes to stdout and stderr passes through here.
 * - every registered secret is replaced, in every format; in JSON inside string values only, so it stays JSON;
 * - terminal and Markdown text is neutralised (C0 but newline and tab, ESC, DEL, C1, bidi controls,
 *   U+2028/2029, zero-width characters), keeping only synctrace's own colour sequences when colour is on;
 * - JSON text keeps its value, but the characters JSON.stringify leaves raw are written as `\uXXXX`.
 */
export type OutputFormat = 'terminal' | 'markdown' | 'json'

export interface OutputOptions {
  format: OutputFormat
  /** Keep SGR colour sequences (terminal output with colour on). */
  color?: boolean
  /** The sandbox command prints its own tokens on purpose: the one caller that may skip redaction. */
  secretsAllowed?: boolean
}

export function cleanOutput(text: string, options: OutputOptions): string {
  if (options.format === 'json') return escapeUnsafeInJson(options.secretsAllowed ? text : redactSecretsInJson(text))
  const redacted = options.secretsAllowed ? text : redactSecrets(text)
  return neutralizeText(redacted, {keepStyle: options.color === true && options.format === 'terminal'})
}

/** One line of cause for an error message: no secret, no control, one line. */
export function cleanMessage(text: string): string {
  return neutralizeText(redactSecrets(text)).replace(/[\t\n]+/g, ' ')
}

export function writeOut(stream: 'stdout' | 'stderr', text: string, options: OutputOptions): void {
  const target = stream === 'stdout' ? process.stdout : process.stderr
  target.write(cleanOutput(text, options))
}

/** Like console.log's formatting of its arguments, then through the boundary, with a newline. */
export function writeLine(stream: 'stdout' | 'stderr', options: OutputOptions, message = '', ...args: unknown[]): void {
  writeOut(stream, `${args.length > 0 ? formatWithOptions({colors: false}, message, ...args) : message}\n`, options)
}

/** A progress line redrawn in place on a TTY: the one cursor control synctrace writes, ahead of neutralised text. */
export function redrawLine(text: string): void {
  process.stderr.write(`\r\u001B[K${cleanOutput(text, {format: 'terminal'}).replace(/[\r\n]+/g, ' ')}`)
}
