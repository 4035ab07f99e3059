import type {Progress} from '../actions/perform.js'
import {redrawLine, writeLine} from '../util/output.js'
import {sanitizeForTerminal} from '../util/sanitize.js'

/** A prompt may be shown only when a person is there: stdin and stdout are TTYs, no --json, no --no-input. */
export function canPrompt(flags: {json?: boolean; 'no-input'?: boolean}): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !flags.json && !flags['no-input'])
}

export async function confirmPrompt(message: string): Promise<boolean> {
  const {confirm} = await import('@inquirer/prompts')
  const {cleanMessage} = await import('../util/output.js')
  return confirm({default: false, message: cleanMessage(message)})
}

/**
 * Progress on stderr: one line redrawn in place on a TTY, plain lines (only when something changed)
 * otherwise, so logs stay readable. stdout stays free for the result.
 */
export function progressReporter(): {report: (progress: Progress) => void; end: () => void} {
  const tty = Boolean(process.stderr.isTTY)
  let last = ''
  return {
    end: () => {
      if (tty && last) writeLine('stderr', {format: 'terminal'})
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
      if (tty) redrawLine(line)
      else writeLine('stderr', {format: 'terminal'}, line)
    },
  }
}
