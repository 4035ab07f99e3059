import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {type CommandResult, runCommand} from '../helpers/run-command.js'
import {type ScaleSandbox, startScaleSandbox} from '../helpers/scale-sandbox.js'

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
    for (const {entity, installation, pair} of runs) {
      const result = await runCommand(
        ['reconcile', entity, '--between', pair, ...small.flags(installation), '--json'],
        {env: small.env},
      )
      expect({entity, installation, pair, ...countsOf(parseJson(result))}).toEqual({
        entity,
        installation,
        pair,
        ...small.planted[installation]?.[entity]?.[pair],
      })
    }
  }, 240_000)

  it('gives the same findings in every output format', async () => {
    const base = ['reconcile', 'customers', '--between', 'cms,app', ...small.flags()]
    const planted = small.planted.scale?.customers?.['cms,app'] as Counts
    const csvPath = join(small.dir, 'records.csv')
    // Each run its own cache folder, as when they ran at once (one run of the same entity and hops at a time per folder).
    const run = (args: string[], index: number) =>
      runCommand([...base, ...args], {env: {...small.env, XDG_CACHE_HOME: join(small.dir, `cache-${index}`)}})
    const formats = [
      ['--json'],
      ['--format', 'csv'],
      ['--format', 'jsonl'],
      ['--format', 'markdown', '--limit', '3'],
      ['--limit', '2'],
      ['--output', csvPath],
    ]
    const results = []
    for (const [index, args] of formats.entries()) results.push(await run(args, index))
    const [json, csv, jsonl, markdown, terminal, file] = results as [CommandResult, ...CommandResult[]]
    expect(countsOf(parseJson(json))).toEqual(planted)
    expect(
      tally(
        parseJson(json).records.map((record: {class: string}) => record.class),
        (klass) => klass,
      ),
    ).toEqual(planted)
    const csvLines = csv.stdout.trim().split('\n')
    expect(csvLines[0]).toBe(
      'Class,Customer code,Cause (as trace names it),Finding,Fields that differ,Changed in the source,Last sync started,Written to the CMS,Published,App users who do not see it,Side,Error,Export file,Line',
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
    const result = await runCommand(
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
      await runCommand(['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--json'], {
        env: small.env,
      }),
    )
    expect(countsOf(again)).toEqual(small.planted.scale?.customers?.['cms,webshop'])
  }, 60_000)

  it('never prompts under --json: --fix without --yes is refused with the flag to use, on a terminal too', async () => {
    const result = await runCommand(
      ['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--fix', '--json'],
      {answers: [true], env: small.env, tty: {stderr: true, stdin: true, stdout: true}},
    )
    const screen = result.stdout + result.stderr
    expect(result.prompts).toEqual([])
    expect(screen).not.toContain('Continue?')
    expect(screen).toContain('--yes is required')
    expect(result.exitCode).toBe(2)
  }, 60_000)

  it('--fix --yes syncs and republishes the planted classes in chunks, and compares those keys again: none left', async () => {
    const fixed = await runCommand(['reconcile', 'customers', ...small.flags(), '--fix', '--yes', '--json'], {
      env: small.env,
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
    const after = parseJson(await runCommand(['reconcile', 'customers', ...small.flags(), '--json'], {env: small.env}))
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
      await runCommand(
        ['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--fix', '--yes', '--json'],
        {env: small.env},
      ),
    )
    const webshop = small.planted.scale?.customers?.['cms,webshop'] as Counts
    expect(republished.fix).toMatchObject({
      fixed: (webshop['not-published-to-webshop'] ?? 0) + (webshop['webshop-behind'] ?? 0),
      remaining: [],
    })
    const left = parseJson(
      await runCommand(['reconcile', 'customers', '--between', 'cms,webshop', ...small.flags(), '--json'], {
        env: small.env,
      }),
    )
    expect(countsOf(left)).toEqual({
      'only-in-webshop': webshop['only-in-webshop'],
      'webshop-differs-from-cms': webshop['webshop-differs-from-cms'],
    })
  }, 180_000)
})
