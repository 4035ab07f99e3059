import {formatWithOptions} from 'node:util'

import {redactSecrets, redactSecretsInJson} from '../http/redact.js'
import type {IOStreams} from './io.js'
import {escapeUnsafeInJson, neutralizeText} from './sanitize.js'

/**
 * The one output boundary: everything synctrace writes to stdout and stderr passes through an `Output`,
 * which writes on the run's streams (src/util/io.ts; the terminal's, or a test's).
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

export type StreamName = 'stdout' | 'stderr'

export function cleanOutput(text: string, options: OutputOptions): string {
  if (options.format === 'json') return escapeUnsafeInJson(options.secretsAllowed ? text : redactSecretsInJson(text))
  const redacted = options.secretsAllowed ? text : redactSecrets(text)
  return neutralizeText(redacted, {keepStyle: options.color === true && options.format === 'terminal'})
}

/** One line of cause for an error message: no secret, no control, one line. */
export function cleanMessage(text: string): string {
  return neutralizeText(redactSecrets(text)).replace(/[\t\n]+/g, ' ')
}

const terminalText: OutputOptions = {format: 'terminal'}

/** The output boundary of one run: the only writer to its streams. */
export class Output {
  private readonly warned = new Set<string>()

  constructor(readonly io: IOStreams) {}

  write(stream: StreamName, text: string, options: OutputOptions = terminalText): void {
    this.io[stream].write(cleanOutput(text, options))
  }

  /** Like console.log's formatting of its arguments, then through the boundary, with a newline. */
  line(stream: StreamName, options: OutputOptions = terminalText, message = '', ...args: unknown[]): void {
    this.write(stream, `${args.length > 0 ? formatWithOptions({colors: false}, message, ...args) : message}\n`, options)
  }

  /** A progress line redrawn in place on a TTY: the one cursor control synctrace writes, ahead of neutralised text. */
  redraw(text: string): void {
    this.io.stderr.write(`\r\u001B[K${cleanOutput(text, terminalText).replace(/[\r\n]+/g, ' ')}`)
  }

  /** A carriage return on stderr (the end of a redrawn line before plain lines follow). */
  carriageReturn(): void {
    this.io.stderr.write('\r')
  }

  /** A warning on stderr, once per run for the same text. */
  warn(message: string): void {
    if (this.warned.has(message)) return
    this.warned.add(message)
    this.line('stderr', terminalText, ` ›   Warning: ${message}`)
  }

  /** Whether a stream is a terminal. */
  isTTY(stream: StreamName | 'stdin'): boolean {
    return Boolean(this.io[stream].isTTY)
  }
}
