import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

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
      const result = await runCommand(['trace', entity, key, ...running.flags(installation)], {env: {COLUMNS: '80'}})
      const lines = result.stdout.split('\n')
      for (const line of lines) expect(visible(line).length, line).toBeLessThanOrEqual(80)
      expect(result.stdout).not.toMatch(/…/)
      // Every time of the JSON report's evidence appears whole in the view.
      const report = parseJson(await runCommand(['trace', entity, key, ...running.flags(installation), '--json']))
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
    const result = await runCommand(['trace', 'order', 'B-3001', ...running.flags('nordic-stale')], {
      env: {COLUMNS: '80'},
    })
    const also = result.stdout.split('\n').findIndex((line) => line.startsWith('  Also: '))
    expect(also).toBeGreaterThan(0)
    const next = result.stdout.split('\n')[also + 1] as string
    expect(next).toMatch(/^ {4}\S/)
    const joined = result.stdout.replace(/\n {2,}/g, ' ')
    expect(joined).toContain("The ERP's export job has stopped: customers.csv was last written")
  })

  it('doctor Markdown ends with the local time, its zone and the version; counts are singular or plural as they fall', async () => {
    const doctor = await runCommand(['doctor', ...running.flags('acme'), '--format', 'markdown'], {
      env: {TZ: 'Europe/Stockholm'},
    })
    expect(doctor.stdout).toMatch(
      /_Checked \d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\) Europe\/Stockholm with synctrace \d+\.\d+\.\d+, profile sandbox-acme\._/,
    )
    const order = await runCommand(['trace', 'order', 'B-3001', ...running.flags('nordic-stale')], {
      env: {COLUMNS: '80'},
    })
    expect(order.stdout).toContain('Transfer: sent, 1 attempt')
    expect(order.stdout).not.toMatch(/\(s\)/)
  })
})
