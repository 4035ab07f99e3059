import {spawn} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun, projectRoot} from '../helpers/cli.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'
import {hasScript} from '../helpers/tty.js'

// What a terminal shows of a line: colour codes out, and only what follows the last carriage return (the live hop line is redrawn in place).
const visible = (line: string) =>
  Array.from(
    line
      .replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/\r$/, '')
      .split('\r')
      .at(-1) ?? '',
  )
const timePattern = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} \([+-]\d{2}:\d{2}\)/g

/** On a pseudo-terminal of 80 columns (util-linux `script`). */
function runIn80ColumnTty(args: string[]): Promise<string> {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`
  return new Promise((resolve, reject) => {
    const child = spawn(
      'script',
      ['-qec', `stty cols 80 rows 50; ${[process.execPath, binRun, ...args].map(quote).join(' ')}`, '/dev/null'],
      {
        cwd: projectRoot,
        env: {...process.env, COLUMNS: undefined, NO_COLOR: '1', SYNCTRACE_CHECK_INVARIANTS: '1'},
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    // Decoded once at the end: a chunk may end inside a multi-byte character (the table's box lines).
    const chunks: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
    })
    child.on('error', reject)
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

describe('the terminal view fits 80 columns', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['acme'])
  })
  afterAll(async () => {
    await running.stop()
  })

  it.skipIf(!hasScript)('fits a pseudo-terminal of 80 columns', async () => {
    const screen = await runIn80ColumnTty(['trace', 'customer', '10042', ...running.flags('acme'), '--no-input'])
    expect(screen).toContain('Verdict')
    for (const line of screen.split('\n')) expect(visible(line).length, line).toBeLessThanOrEqual(80)
    expect(screen).toMatch(timePattern)
  })
})
