import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {spawn} from 'node:child_process'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun, parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {type ScaleSandbox, startScaleSandbox} from '../helpers/scale-sandbox.js'
import {hasScript, runInTty} from '../helpers/tty.js'

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

describe('reconcile against the scale sandbox (2 000 per hop, both installations)', () => {
  let small: ScaleSandbox
  beforeAll(async () => {
    small = await startScaleSandbox(2000)
  }, 90_000)
  afterAll(async () => small?.stop())

  it('finds exactly the planted differences for customers and items between every pair of hops', async () => {
    const runs = (['customers', 'items'] as const).flatMap((entity) => [
      ...(['erp,cms', 'cms,app', 'cms,webshop'] as const).map((pair) => ({entity, installation: 'scale', pair})),
      {entity, installation: 'scale-ftp', pair: 'ftp,cms'},
    ])
    for (let index = 0; index < runs.length; index += 2) {
      const pairRuns = runs.slice(index, index + 2)
      const results = await Promise.all(
        pairRuns.map(({entity, installation, pair}) =>
          runCli(['reconcile', entity, '--between', pair, ...small.flags(installation), '--json'], {
            env: small.env,
            timeoutMs: 60_000,
          }),
        ),
      )
      for (const [position, {entity, installation, pair}] of pairRuns.entries()) {
        const report = parseJson(results[position] as never)
        expect({entity, installation, pair, ...countsOf(report)}).toEqual({
          entity,
          installation,
          pair,
          ...small.planted[installation]?.[entity]?.[pair],
        })
      }
    }
  }, 240_000)

  it('gives the same findings in every output format', async () => {
    const base = ['reconcile', 'customers', '--between', 'cms,app', ...small.flags()]
    const planted = small.planted.scale?.customers?.['cms,app'] as Counts
    const csvPath = join(small.dir, 'records.csv')
    // One run of the same entity and hops at a time per cache folder (a second is refused): each run its own.
    const run = (args: string[], index: number) =>
      runCli([...base, ...args], {env: {...small.env, XDG_CACHE_HOME: join(small.dir, `cache-${index}`)}})
    const [json, csv, jsonl, markdown, terminal, file] = await Promise.all(
      [
        ['--json'],
        ['--format', 'csv'],
        ['--format', 'jsonl'],
        ['--format', 'markdown', '--limit', '3'],
        ['--limit', '2'],
        ['--output', csvPath],
      ].map(run),
    )
    expect(countsOf(parseJson(json))).toEqual(planted)
    expect(
      tally(
        parseJson(json).records.map((record: {class: string}) => record.class),
        (klass) => klass,
      ),
    ).toEqual(planted)
    const csvLines = csv.stdout.trim().split('\n')
    expect(csvLines[0]).toBe(
      'class,key,cause,summary,fields,upstreamModifiedAt,lastSyncStartedAt,cmsSyncedAt,publishedAt,users,side,error,file,line',
    )
    expect(tally(csvLines.slice(1), (line) => line.split(',')[0] as string)).toEqual(planted)
    expect(csv.stderr).toContain('customers compared')
    expect(tally(jsonl.stdout.trim().split('\n'), (line) => JSON.parse(line).class)).toEqual(planted)
    for (const [klass, count] of Object.entries(planted)) {
      expect(markdown.stdout).toMatch(new RegExp(`\\| ${klass} \\| ${count} \\|`))
      expect(terminal.stdout).toMatch(new RegExp(`^${klass}\\s+${count}\\s`, 'm'))
    }
    // Markdown for a ticket: the first N per class, never a local path.
    expect(markdown.stdout.match(/^- `C\d{8}`/gm)).toHaveLength(3 * Object.keys(planted).length)
    expect(markdown.stdout).not.toContain(small.dir)
    expect(terminal.stdout).toContain('… and 18 more')
    expect(file.exitCode).toBe(3)
    expect(
      tally(readFileSync(csvPath, 'utf8').trim().split('\n').slice(1), (line) => line.split(',')[0] as string),
    ).toEqual(planted)
    // Per user where the entity is per user: every published customer (5 residues of 100 are not in the app, one is visible to nobody), over the 20 reps' users.
    const perUser = parseJson(json).publishedPerUser as Counts
    expect(Object.keys(perUser)).toHaveLength(20)
    expect(Object.values(perUser).reduce((sum, count) => sum + count, 0)).toBe(2000 - 5 * 20 - 20)
  }, 120_000)

  it('refuses --fix for the support role before anything is sent', async () => {
    const result = await runCli(
      [
        'reconcile',
        'customers',
        '--between',
        'cms,webshop',
        ...small.flags('scale', 'support'),
        '--fix',
        '--yes',
        '--json',
      ],
      {env: small.env},
    )
    expect(result.exitCode).toBe(5)
    const report = parseJson(result)
    expect(report.fix.results[0]).toMatchObject({job: null, outcome: 'refused', role: 'support'})
    const audit = readFileSync(small.env.SYNCTRACE_AUDIT_LOG as string, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(audit.at(-1)).toMatchObject({action: 'webshop-republish', jobId: null, outcome: 'refused', role: 'support'})
    const again = parseJson(
      await runCli(['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--json'], {
        env: small.env,
      }),
    )
    expect(countsOf(again)).toEqual(small.planted.scale?.customers?.['cms,webshop'])
  }, 60_000)

  it.skipIf(!hasScript)(
    'never prompts under --json: --fix without --yes is refused with the flag to use, on a terminal too',
    async () => {
      const {exitCode, screen} = await runInTty(
        ['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--fix', '--json'],
        [{type: 'y\r', when: 'Continue?'}],
        small.env,
      )
      expect(screen).not.toContain('Continue?')
      expect(screen).toContain('--yes is required')
      expect(exitCode).toBe(2)
    },
    60_000,
  )

  it('--fix --yes syncs and republishes the planted classes in chunks, and compares those keys again: none left', async () => {
    const fixed = await runCli(['reconcile', 'customers', ...small.flags(), '--fix', '--yes', '--json'], {
      env: small.env,
      timeoutMs: 90_000,
    })
    const report = parseJson(fixed)
    const planted = small.planted.scale?.customers?.['erp,cms'] as Counts
    const fixable =
      (planted['created-after-sync'] ?? 0) +
      (planted['erp-changed-after-sync'] ?? 0) +
      (planted['not-read-by-sync'] ?? 0)
    expect(report.fix).toMatchObject({fixed: fixable, keys: fixable, remaining: []})
    expect(
      report.fix.results.map((result: {outcome: string; request: {body: {keys: string[]; mode: string}}}) => [
        result.outcome,
        result.request.body.mode,
      ]),
    ).toEqual([['succeeded', 'targeted']])
    // Fixed, but the classes a sync cannot fix remain: exit 3.
    expect(fixed.exitCode).toBe(3)
    const after = parseJson(await runCli(['reconcile', 'customers', ...small.flags(), '--json'], {env: small.env}))
    expect(countsOf(after)).toEqual({
      'cms-differs-from-erp': planted['cms-differs-from-erp'],
      'excluded-by-filter': planted['excluded-by-filter'],
      'removed-from-erp': planted['removed-from-erp'],
    })
    const audit = readFileSync(small.env.SYNCTRACE_AUDIT_LOG as string, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(audit.filter((entry) => entry.action === 'sync-targeted')).toMatchObject([
      {idempotencyKey: expect.any(String), jobId: expect.stringMatching(/^j-/), outcome: 'succeeded', role: 'admin'},
    ])

    const republished = parseJson(
      await runCli(
        ['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--fix', '--yes', '--json'],
        {env: small.env, timeoutMs: 90_000},
      ),
    )
    const webshop = small.planted.scale?.customers?.['cms,webshop'] as Counts
    expect(republished.fix).toMatchObject({
      fixed: (webshop['not-published-to-webshop'] ?? 0) + (webshop['webshop-behind'] ?? 0),
      remaining: [],
    })
    const left = parseJson(
      await runCli(['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--json'], {
        env: small.env,
      }),
    )
    expect(countsOf(left)).toEqual({
      'only-in-webshop': webshop['only-in-webshop'],
      'webshop-differs-from-cms': webshop['webshop-differs-from-cms'],
    })
  }, 180_000)
})
