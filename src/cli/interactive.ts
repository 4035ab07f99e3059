import type {Progress} from '../actions/perform.js'
import type {RunContext} from '../context/run-context.js'
import {sanitizeForTerminal} from '../util/sanitize.js'

/** A prompt may be shown only when a person is there: stdin and stdout are TTYs, no --json, no --no-input. */
export function canPrompt(ctx: RunContext, flags: {json?: boolean; 'no-input'?: boolean}): boolean {
  return ctx.out.isTTY('stdin') && ctx.out.isTTY('stdout') && !flags.json && !flags['no-input']
}

/**
 * Progress on stderr: one line redrawn in place on a TTY, plain lines (only when something changed)
 * otherwise, so logs stay readable. stdout stays free for the result.
 */
export function progressReporter(ctx: RunContext): {report: (progress: Progress) => void; end: () => void} {
  const tty = ctx.out.isTTY('stderr')
  let last = ''
  return {
    end: () => {
      if (tty && last) ctx.out.line('stderr')
      last = ''
    },
    report: (progress) => {
      const bar =
        progress.total && progress.total > 0
          ? ` [${'#'.repeat(Math.round(((progress.done ?? 0) / progress.total) * 20)).padEnd(20, '.')}] ${progress.done ?? 0}/${progress.total}`
          : ''
      const line = sanitizeForTerminal(`${progress.text}${bar}`)
      if (line === last) return
      last = line
      if (tty) ctx.out.redraw(line)
      else ctx.out.line('stderr', {format: 'terminal'}, line)
    },
  }
}
