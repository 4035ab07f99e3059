import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {spawn} from 'node:child_process'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun, parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {type ScaleSandbox, startScaleSandbox} from '../helpers/scale-sandbox.js'

// The scale tier (`npm run test:scale`): 100 000 records per hop, minutes of work. The reconcile cases of
// 2 000 per hop run in process in test/cmd/reconcile.test.ts.
type Counts = Record<string, number>

const countsOf = (report: {classes: Array<{class: string; count: number}>}): Counts =>
  Object.fromEntries(report.classes.map((entry) => [entry.class, entry.count]))

function tally(lines: string[], classOf: (line: string) => string): Counts {
  const counts: Counts = {}
  for (const line of lines) {
    const klass = classOf(line)
    counts[klass] = (counts[klass] ?? 0) + 1
  }
  return counts
}

describe('reconcile against the scale sandbox (100 000 per hop)', () => {
  let big: ScaleSandbox
  /** The records of the uninterrupted run (one JSON text each), for the resumed run to equal. */
  let uninterrupted: string[] = []
  beforeAll(async () => {
    big = await startScaleSandbox(100_000, ['scale', 'scale-ftp'])
  }, 180_000)
  afterAll(async () => big?.stop())

  it('finds exactly the planted differences of customers between the ERP and the CMS, each with its cause and action', async () => {
    const result = await runCli(['reconcile', 'customers', ...big.flags(), '--json'], {
      env: big.env,
      timeoutMs: 120_000,
    })
    expect(result.exitCode).toBe(3)
    const report = parseJson(result)
    expect(countsOf(report)).toEqual(big.planted.scale?.customers?.['erp,cms'])
    expect(report.records).toHaveLength(Object.values(countsOf(report)).reduce((sum, count) => sum + count, 0))
    expect(report.compared).toBe(98_000)
    expect(report.sorting).toEqual({downstream: 'stream', upstream: 'stream'})
    const stale = report.classes.find((entry: {class: string}) => entry.class === 'erp-changed-after-sync')
    expect(stale).toMatchObject({
      action: {kind: 'targeted-sync', owner: 'admin'},
      cause: 'erp-changed-after-sync',
      fix: 'targeted-sync',
    })
    expect(report.records.find((record: {class: string}) => record.class === 'erp-changed-after-sync')).toMatchObject({
      diff: [{field: 'name'}],
      key: 'C00000002',
    })
    uninterrupted = report.records.map((record: unknown) => JSON.stringify(record)).sort()
  }, 150_000)

  it('finds exactly the planted differences for customers and items between every other pair of hops', async () => {
    const runs = [
      ...(['cms,app', 'cms,webshop'] as const).map((pair) => ({
        entity: 'customers' as const,
        installation: 'scale',
        pair,
      })),
      ...(['erp,cms', 'cms,app', 'cms,webshop'] as const).map((pair) => ({
        entity: 'items' as const,
        installation: 'scale',
        pair,
      })),
      ...(['customers', 'items'] as const).map((entity) => ({entity, installation: 'scale-ftp', pair: 'ftp,cms'})),
    ]
    for (const {entity, installation, pair} of runs) {
      // Reading a whole export is one file-server session, bounded by --timeout (README).
      const timeout = pair === 'ftp,cms' ? ['--timeout', '300'] : []
      const result = await runCli(
        ['reconcile', entity, '--between', pair, ...big.flags(installation), ...timeout, '--json'],
        {env: big.env, timeoutMs: 330_000},
      )
      const report = parseJson(result)
      expect(
        report.classes,
        `${entity} ${pair} on ${installation}: exit ${result.exitCode} ${result.stderr.slice(0, 400)} ${result.stdout.slice(0, 400)}`,
      ).toBeDefined()
      expect({entity, installation, pair, ...countsOf(report)}).toEqual({
        entity,
        installation,
        pair,
        ...big.planted[installation]?.[entity]?.[pair],
      })
    }
  }, 900_000)

  it('gives the same counts in every output format at this size', async () => {
    const planted = big.planted.scale?.items?.['cms,webshop'] as Counts
    const run = (format: string) =>
      runCli(['reconcile', 'items', '--between', 'cms,webshop', ...big.flags('scale'), '--format', format], {
        env: big.env,
        timeoutMs: 150_000,
      })
    const [csv, jsonl, markdown, terminal] = [
      await run('csv'),
      await run('jsonl'),
      await run('markdown'),
      await run('terminal'),
    ]
    expect(tally(csv.stdout.trim().split('\n').slice(1), (line) => line.split(',')[0] as string)).toEqual(planted)
    expect(tally(jsonl.stdout.trim().split('\n'), (line) => JSON.parse(line).class)).toEqual(planted)
    for (const [klass, count] of Object.entries(planted)) {
      expect(markdown.stdout).toMatch(
        new RegExp(`\\| \`?${klass}\`? \\| ${count.toLocaleString('en-US').replace(',', '[ ,]?')} \\|`),
      )
      expect(terminal.stdout).toContain(klass)
    }
  }, 600_000)

  it('continues after Ctrl-C with --resume and gives the same records as an uninterrupted run', async () => {
    const args = ['reconcile', 'customers', ...big.flags(), '--format', 'jsonl']
    expect(uninterrupted.length).toBeGreaterThan(0)
    const checkpoint = join(
      big.env.XDG_CACHE_HOME as string,
      'synctrace',
      'reconcile',
      'scale-customers-erp-cms',
      'checkpoint.json',
    )
    const interrupted = await new Promise<{code: number | null; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, [binRun, ...args], {
        cwd: projectRoot,
        env: {...process.env, ...big.env, NO_COLOR: '1'},
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.setEncoding('utf8')
      child.stderr.on('data', (chunk) => (stderr += chunk))
      // Ctrl-C once the run has written a checkpoint past the start.
      const poll = setInterval(() => {
        if (
          existsSync(checkpoint) &&
          (JSON.parse(readFileSync(checkpoint, 'utf8')) as {lastKey: string | null}).lastKey !== null
        ) {
          clearInterval(poll)
          child.kill('SIGINT')
        }
      }, 50)
      child.on('close', (code) => {
        clearInterval(poll)
        resolve({code, stderr})
      })
    })
    expect(interrupted.code).toBe(130)
    expect(interrupted.stderr).toMatch(
      /the checkpoint is kept\. Continue with: synctrace reconcile customers .*--resume/,
    )
    const stoppedAt = (JSON.parse(readFileSync(checkpoint, 'utf8')) as {lastKey: string}).lastKey
    expect(stoppedAt < 'C00099999').toBe(true)
    const resumed = await runCli([...args, '--resume'], {env: big.env, timeoutMs: 120_000})
    expect(resumed.exitCode).toBe(3)
    expect(resumed.stderr).toContain('(resumed)')
    const lines = (text: string) => text.split('\n').filter(Boolean).sort()
    expect(lines(resumed.stdout)).toEqual(uninterrupted)
    // A finished run leaves no checkpoint behind.
    expect(existsSync(checkpoint)).toBe(false)
  }, 200_000)
})
