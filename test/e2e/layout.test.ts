import {spawn} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun, parseJson, projectRoot, runCli} from '../helpers/cli.js'
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
    running = await startTestSandbox(['acme', 'nordic-stale'])
  })
  afterAll(async () => {
    await running.stop()
  })

  const traces = [
    ['customer', '10042', 'acme'],
    ['customer', '10080', 'acme'],
    ['item', 'N-100', 'nordic-stale'],
    ['order', 'B-3001', 'nordic-stale'],
  ] as const
  for (const [entity, key, installation] of traces)
    it(`${entity} ${key} (${installation}): no line over 80 columns, every time whole, tables one width`, async () => {
      const result = await runCli(['trace', entity, key, ...running.flags(installation)], {env: {COLUMNS: '80'}})
      const lines = result.stdout.split('\n')
      for (const line of lines) expect(visible(line).length, line).toBeLessThanOrEqual(80)
      expect(result.stdout).not.toMatch(/…/)
      // Every time of the JSON report's evidence appears whole in the view.
      const report = parseJson(await runCli(['trace', entity, key, ...running.flags(installation), '--json']))
      const times = (result.stdout.match(timePattern) ?? []).length
      const evidenceTimes = [
        ...report.hops.flatMap((hop: {evidence: unknown[]}) => hop.evidence),
        ...report.verdict.evidence,
      ].filter((entry: {at?: string}) => entry.at).length
      expect(times).toBeGreaterThanOrEqual(evidenceTimes)
      // The hop table and the diff tables have one width.
      const borders = new Set(lines.filter((line) => /^[┌├└]/.test(line)).map((line) => visible(line).length))
      expect(borders.size).toBe(1)
    })

  it('wraps the verdict at word boundaries', async () => {
    const result = await runCli(['trace', 'order', 'B-3001', ...running.flags('nordic-stale')], {env: {COLUMNS: '80'}})
    const also = result.stdout.split('\n').findIndex((line) => line.startsWith('  Also: '))
    expect(also).toBeGreaterThan(0)
    const next = result.stdout.split('\n')[also + 1] as string
    expect(next).toMatch(/^ {4}\S/)
    const joined = result.stdout.replace(/\n {2,}/g, ' ')
    expect(joined).toContain("The ERP's export job has stopped: customers.csv was last written")
  })

  it('doctor Markdown ends with the local time, its zone and the version; counts are singular or plural as they fall', async () => {
    const doctor = await runCli(['doctor', ...running.flags('acme'), '--format', 'markdown'], {
      env: {TZ: 'Europe/Stockholm'},
    })
    expect(doctor.stdout).toMatch(
      /_Checked \d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\) Europe\/Stockholm with synctrace \d+\.\d+\.\d+, profile sandbox-acme\._/,
    )
    const order = await runCli(['trace', 'order', 'B-3001', ...running.flags('nordic-stale')], {env: {COLUMNS: '80'}})
    expect(order.stdout).toContain('Transfer: sent, 1 attempt')
    expect(order.stdout).not.toMatch(/\(s\)/)
  })

  it.skipIf(!hasScript)('fits a pseudo-terminal of 80 columns', async () => {
    const screen = await runIn80ColumnTty(['trace', 'customer', '10042', ...running.flags('acme'), '--no-input'])
    expect(screen).toContain('Verdict')
    for (const line of screen.split('\n')) expect(visible(line).length, line).toBeLessThanOrEqual(80)
    expect(screen).toMatch(timePattern)
  })
})
