import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startFleet} from '../../dist/sandbox/fleet.js'
import type {PlantedProblem} from '../../src/sandbox/fleet.js'
import {parseJson} from '../helpers/cli.js'
import {schemaValidator, violations} from '../helpers/json-schemas.js'
import {runCommand} from '../helpers/run-command.js'

/**
 * Issue 25's "done means" at its own size: `doctor --all` over 200 sandbox installations finds exactly the
 * planted problems, per installation and kind, in every format; the hanging ones are reported as not checked
 * within their deadline while the others complete.
 */

const size = 200

const kindOf: Record<PlantedProblem, string> = {
  'bad-credentials': 'auth',
  'export-stopped': 'export-stopped',
  hanging: 'not-checked',
  'orders-stuck': 'orders-stuck',
  'sync-failing': 'sync-failing',
  'sync-overdue': 'sync-overdue',
}

type Entry = {profile: string; status: string; problems: Array<{kind: string; summary: string}>}

describe(`doctor --all over a fleet of ${size}`, () => {
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let dir: string
  let config: string
  let wanted: Record<string, string>
  beforeAll(async () => {
    fleet = await startFleet({size})
    dir = await mkdtemp(join(tmpdir(), 'synctrace-fleet-scale-'))
    config = join(dir, 'config.json')
    // Every section of each sandbox profile (the ERP's and the file server's too), named after its installation;
    // a rotating refresh token (Visma eAccounting) in the secrets file beside the config, as profile add keeps it.
    const secrets: Record<string, string> = {}
    const profiles = Object.fromEntries(
      fleet.profiles().map(({name, ...profile}) => {
        const erp = (profile as {erp?: Record<string, unknown>}).erp
        if (erp?.system !== 'visma-eaccounting') return [name, profile]
        secrets[`${name}.erp.refreshToken`] = String(erp.refreshToken)
        return [name, {...profile, erp: {...erp, refreshToken: `secret:${name}.erp.refreshToken`}}]
      }),
    )
    await writeFile(config, JSON.stringify({profiles}), {mode: 0o600})
    await writeFile(join(dir, 'secrets.json'), JSON.stringify(secrets), {mode: 0o600})
    wanted = Object.fromEntries(
      fleet.plan.map((entry) => [entry.id, entry.planted ? kindOf[entry.planted as PlantedProblem] : 'healthy']),
    )
  }, 300_000)
  afterAll(async () => {
    await fleet?.stop()
    await rm(dir, {force: true, recursive: true})
  })

  const argv = () => ['doctor', '--all', '--config', config, '--deadline', '10']

  it('JSON: exactly the planted problem of each installation, valid against the schema; the hanging ones not checked', async () => {
    const result = await runCommand([...argv(), '--json'])
    expect(result.exitCode).toBe(4)
    const entries = parseJson<Entry[]>(result)
    expect(violations(schemaValidator(), 'doctor-fleet.schema.json', entries)).toEqual([])
    const found = Object.fromEntries(
      entries.map((entry) => [entry.profile, entry.problems.map((problem) => problem.kind).join(',') || 'healthy']),
    )
    const differing = (got: Record<string, string>) =>
      Object.keys(wanted)
        .filter((id) => got[id] !== wanted[id])
        .map((id) => `${id}: ${got[id]} (planted: ${wanted[id]})`)
    expect(differing(found)).toEqual([])
    for (const entry of entries.filter((each) => each.status === 'not-checked'))
      expect(entry.problems[0]?.summary).toBe('no answer within its deadline of 10 s')
  })

  it('CSV and Markdown: the same installations with the same kinds; the healthy ones a count in Markdown', async () => {
    const csv = await runCommand([...argv(), '--format', 'csv'])
    const rows = csv.stdout.trim().split('\n').slice(1)
    const fromCsv = Object.fromEntries(
      rows.map((line) => {
        const [profile, , status, kind] = line.split(',')
        return [profile, status === 'healthy' ? 'healthy' : kind]
      }),
    )
    expect(fromCsv).toEqual(wanted)
    const markdown = await runCommand([...argv(), '--format', 'markdown'])
    const listed = markdown.stdout.split('\n').filter((line) => line.startsWith('| fleet-'))
    const problems = Object.entries(wanted).filter(([, kind]) => kind !== 'healthy')
    expect(listed.map((line) => line.split(' | ')[0]?.slice(2)).sort()).toEqual(problems.map(([id]) => id).sort())
    expect(markdown.stdout).toContain(`${size - problems.length} healthy installations.`)
  })
})
