import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {fleetPlan, startFleet} from '../../dist/sandbox/fleet.js'
import type {PlantedProblem} from '../../src/sandbox/fleet.js'
import {parseJson} from '../helpers/cli.js'
import {schemaValidator, violations} from '../helpers/json-schemas.js'
import {runCommand} from '../helpers/run-command.js'

type Entry = {
  profile: string
  installation: string | null
  status: string
  problems: Array<{kind: string; owner: string; summary: string; severity: string}>
}

/** What doctor --all must report for each planted problem: the kind of problem and who acts on it. */
const expected: Record<PlantedProblem, {kind: string; owner: string}> = {
  'bad-credentials': {kind: 'auth', owner: 'admin'},
  'export-stopped': {kind: 'export-stopped', owner: 'it-partner'},
  hanging: {kind: 'not-checked', owner: 'admin'},
  'orders-stuck': {kind: 'orders-stuck', owner: 'platform-support'},
  'sync-failing': {kind: 'sync-failing', owner: 'platform-support'},
  'sync-overdue': {kind: 'sync-overdue', owner: 'admin'},
}

const kindOrder = ['not-checked', 'auth', 'sync-failing', 'export-stopped', 'orders-stuck', 'sync-overdue']

describe('doctor --all over a sandbox fleet', () => {
  it('finds exactly the planted problems, each with its owner; the hanging one is not checked (exit 4) while the others complete, worst first', async () => {
    const plan = await fleetPlan(12)
    expect(new Set(plan.map((entry) => entry.planted)).size).toBe(7)
    expect(new Set(plan.map((entry) => entry.erp)).size).toBeGreaterThanOrEqual(5)
    const result = await runCommand(['doctor', '--all', '--sandbox', '--fleet', '12', '--deadline', '8', '--json'])
    const entries = parseJson<Entry[]>(result)
    expect(result.exitCode).toBe(4)
    expect(violations(schemaValidator(), 'doctor-fleet.schema.json', entries)).toEqual([])
    const found = Object.fromEntries(
      entries.map((entry) => [entry.profile, entry.problems.map((problem) => `${problem.kind}:${problem.owner}`)]),
    )
    const wanted = Object.fromEntries(
      plan.map((entry) => {
        const want = entry.planted ? expected[entry.planted as PlantedProblem] : null
        return [entry.id, want ? [`${want.kind}:${want.owner}`] : []]
      }),
    )
    expect(found).toEqual(wanted)
    const hanging = entries.find((entry) => entry.status === 'not-checked') as Entry
    expect(hanging.profile).toBe(plan.find((entry) => entry.planted === 'hanging')?.id)
    expect(hanging.problems[0]?.summary).toBe('no answer within its deadline of 8 s')
    expect(entries.filter((entry) => entry.status === 'not-checked')).toHaveLength(1)
    expect(entries.map((entry) => entry.problems[0]?.kind ?? 'healthy')).toEqual([
      ...kindOrder,
      ...Array(6).fill('healthy'),
    ])
  })

  it('prints a table worst first with since-when in the installation zone, and the healthy ones as a count (markdown, csv, terminal)', async () => {
    const select = ['doctor', '--all', '--sandbox', '--fleet', '12', '--profiles', 'fleet-0*']
    const markdown = await runCommand([...select, '--format', 'markdown'])
    expect(markdown.exitCode).toBe(3)
    const rows = markdown.stdout.split('\n').filter((line) => line.startsWith('| fleet-'))
    expect(rows.map((row) => row.split(' | ')[0])).toEqual(['| fleet-04', '| fleet-02', '| fleet-08', '| fleet-06'])
    expect(rows[0]).toMatch(
      /customers sync failing since \d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\) \(3 runs: ERP login refused/,
    )
    expect(rows[0]).toContain('| platform support |')
    expect(markdown.stdout).toContain('5 healthy installations.')
    expect(markdown.stdout).not.toContain('fleet-01')
    const csv = await runCommand([...select, '--format', 'csv'])
    const lines = csv.stdout.trim().split('\n')
    expect(lines[0]).toBe('profile,installation,status,kind,severity,since,problem,owner,action,command,problems')
    expect(lines).toHaveLength(10)
    expect(lines.slice(1, 5).map((line) => line.split(',').slice(0, 4).join(','))).toEqual([
      'fleet-04,fleet-04,problems,sync-failing',
      'fleet-02,fleet-02,problems,export-stopped',
      'fleet-08,fleet-08,problems,orders-stuck',
      'fleet-06,fleet-06,problems,sync-overdue',
    ])
    expect(lines.slice(5).every((line) => line.includes(',healthy,'))).toBe(true)
    const terminal = await runCommand(select)
    expect(terminal.stdout).toContain('9 installations checked: 0 not checked, 4 with problems, 5 healthy')
    expect(terminal.stdout).toContain('✔ 5 healthy installations')
  })

  it('draws its progress on stderr on a terminal, never on stdout; none in a pipe', async () => {
    const argv = ['doctor', '--all', '--sandbox', '--fleet', '12', '--profiles', 'fleet-0?']
    const tty = await runCommand(argv, {tty: {stderr: true, stdout: true}})
    expect(tty.stderr).toMatch(/Checking installations .* 9\/9 \| failing so far: 4/)
    expect(tty.stdout).not.toContain('Checking installations')
    const piped = await runCommand(argv)
    expect(piped.stderr).not.toContain('Checking installations')
  })

  it('draws its progress line only through the output boundary: redrawn in place, no other cursor control, erased at the end', async () => {
    const argv = ['doctor', '--all', '--sandbox', '--fleet', '12', '--profiles', 'fleet-0?', '--no-color']
    const tty = await runCommand(argv, {tty: {stderr: true, stdout: true}})
    const redraws = tty.stderr.split('\r\u001B[K').slice(1)
    expect(redraws.length).toBeGreaterThanOrEqual(10)
    expect(tty.stderr.startsWith('\r\u001B[K')).toBe(true)
    expect(redraws.every((text) => !/[\u001B\r]/.test(text))).toBe(true)
    expect(redraws[0]).toBe('Checking installations [....................] 0/9 | failing so far: 0')
    expect(redraws.at(-1)).toBe('')
  })
})

describe('doctor --all over the seeded sandbox', () => {
  it('reads what the seeds hold: a partly failed run, orders whose transfer failed, files the ERP import rejected', async () => {
    const result = await runCommand(['doctor', '--all', '--sandbox', '--json'])
    const entries = parseJson<Entry[]>(result)
    const worst = Object.fromEntries(
      entries.map((entry) => [
        entry.profile,
        `${entry.problems[0]?.kind ?? 'healthy'}:${entry.problems[0]?.owner ?? ''}`,
      ]),
    )
    expect(worst).toMatchObject({
      fjord: 'healthy:',
      nimbus: 'orders-stuck:admin',
      nordic: 'sync-failing:platform-support',
      winbas: 'orders-rejected:erp-consultant',
    })
    const nordic = entries.find((entry) => entry.profile === 'nordic') as Entry
    expect(nordic.problems[0]?.summary).toMatch(
      /^customers sync partly failing since .* \(2 runs: 1 record not written\)$/,
    )
    const winbas = entries.find((entry) => entry.profile === 'winbas') as Entry
    expect(winbas.problems[0]?.summary).toMatch(
      /^1 order file rejected by the ERP's import since .*Orders\/error\/W-5002\.xml\)$/,
    )
  })
})

describe('doctor --all over the config file', () => {
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let dir: string
  let config: string
  beforeAll(async () => {
    fleet = await startFleet({
      only: (id: string) => ['fleet-01', 'fleet-02', 'fleet-03', 'fleet-04'].includes(id),
      size: 12,
    })
    dir = await mkdtemp(join(tmpdir(), 'synctrace-fleet-'))
    config = join(dir, 'config.json')
    const tags: Record<string, string[]> = {
      'fleet-01': ['north'],
      'fleet-02': ['north', 'ftp'],
      'fleet-03': [],
      'fleet-04': ['south'],
    }
    const profiles = Object.fromEntries(
      fleet.profiles().map((profile) => [
        `shop-${profile.name}`,
        {
          app: profile.app,
          cms: profile.cms,
          installation: profile.installation,
          tags: tags[profile.name],
          webshop: profile.webshop,
        },
      ]),
    )
    await writeFile(config, JSON.stringify({profiles}), {mode: 0o600})
  })
  afterAll(async () => {
    await fleet.stop()
    await rm(dir, {force: true, recursive: true})
  })

  const profilesOf = (result: {stdout: string}) =>
    parseJson<Entry[]>(result as never)
      .map((entry) => entry.profile)
      .sort()

  it("serves the fleet's platform from one CMS, one app backend and one webshop server, each installation under its id", () => {
    const profiles = fleet.profiles()
    for (const hop of ['cms', 'app', 'webshop'] as const)
      expect(new Set(profiles.map((profile) => new URL(profile[hop].url).origin)).size).toBe(1)
    expect(profiles.map((profile) => new URL(profile.cms.url).pathname)).toEqual([
      '/fleet-01',
      '/fleet-02',
      '/fleet-03',
      '/fleet-04',
    ])
  })

  it('checks every profile, or those a --profiles glob or --tag selects', async () => {
    const all = await runCommand(['doctor', '--all', '--config', config, '--json'])
    expect(profilesOf(all)).toEqual(['shop-fleet-01', 'shop-fleet-02', 'shop-fleet-03', 'shop-fleet-04'])
    expect(all.exitCode).toBe(3)
    const star = await runCommand(['doctor', '--all', '--config', config, '--profiles', '*-03', '--json'])
    expect(profilesOf(star)).toEqual(['shop-fleet-03'])
    expect(star.exitCode).toBe(0)
    const north = await runCommand(['doctor', '--all', '--config', config, '--tag', 'north', '--json'])
    expect(profilesOf(north)).toEqual(['shop-fleet-01', 'shop-fleet-02'])
    const both = await runCommand(['doctor', '--all', '--config', config, '--tag', 'north', '--tag', 'ftp', '--json'])
    expect(profilesOf(both)).toEqual(['shop-fleet-02'])
  })
})
