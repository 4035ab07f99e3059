import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('doctor', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterEach(async () => {
    for (const hop of ['erp', 'cms', 'app', 'webshop'] as const) {
      await running.sandbox.setFault('acme', hop, null)
      running.sandbox.setClockOffset('acme', hop, 0)
    }
  })
  afterAll(async () => {
    await running.stop()
  })

  it('reports a healthy installation: every hop reachable and authenticated, what each reports, syncs on time', async () => {
    const result = await runCommand(['doctor', ...running.flags(), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(
      report.hops.map(
        (hop: {hop: string; status: string; authenticated: boolean}) => `${hop.hop}:${hop.status}:${hop.authenticated}`,
      ),
    ).toEqual(['erp:ok:true', 'cms:ok:true', 'app:ok:true', 'webshop:ok:true'])
    expect(report.hops[0].reports).toMatchObject({api: 'v2.0', company: 'Acme AB', system: 'Business Central'})
    expect(report.hops[1].reports).toMatchObject({connection: 'direct', installation: 'acme', role: 'admin'})
    expect(report.syncs.map((sync: {entity: string; overdue: boolean}) => `${sync.entity}:${sync.overdue}`)).toEqual([
      'customers:false',
      'items:false',
      'prices:false',
      'stock:false',
    ])
  })

  it('exits 4 when a hop is down, naming it, while the others still report', async () => {
    await running.sandbox.setFault('acme', 'app', {kind: 'down'})
    const report = parseJson(await runCommand(['doctor', ...running.flags(), '--json']))
    expect(report.exitCode).toBe(4)
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'app')).toMatchObject({
      reachable: false,
      status: 'unreachable',
    })
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'cms').status).toBe('ok')
  })

  it('warns about a server clock that is off, since "changed after the sync" depends on it (exit 3)', async () => {
    running.sandbox.setClockOffset('acme', 'cms', 10 * 60_000)
    const result = await runCommand(['doctor', ...running.flags(), '--format', 'markdown'])
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toContain('its clock is 10 min ahead of this machine')
  })

  it('calls an automatic sync overdue when its last success is older than the schedule allows', async () => {
    const state = running.sandbox.installation('acme').state
    const saved = state.cms.runs
    state.cms.runs = saved.filter((run: {entity: string}) => run.entity !== 'stock')
    try {
      const report = parseJson(await runCommand(['doctor', ...running.flags(), '--json']))
      expect(report.exitCode).toBe(3)
      expect(report.problems).toContain('sync: no successful full or automatic stock sync in the recent runs')
    } finally {
      state.cms.runs = saved
    }
  })

  it('reports refused credentials as not authenticated', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synctrace-doc-'))
    const acme = running.sandbox.installation('acme')
    const profile = acme.profile('admin')
    const config = {
      profiles: {bad: {...profile, name: undefined, webshop: {token: 'wrong-token', url: profile.webshop.url}}},
    }
    await writeFile(join(dir, 'config.json'), JSON.stringify(config))
    const report = parseJson(await runCommand(['doctor', '--config', join(dir, 'config.json'), '--json']))
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'webshop')).toMatchObject({
      authenticated: false,
      problem: {httpStatus: 401, kind: 'auth'},
      status: 'problem',
    })
    expect(report.exitCode).toBe(3)
    await rm(dir, {force: true, recursive: true})
  })
})

describe('doctor on ftp installations', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['nordic', 'nordic-stale'])
  })
  afterAll(async () => {
    await running.stop()
  })

  it('reads the file server: login, and the age of every export file', async () => {
    const result = await runCommand(['doctor', ...running.flags('nordic'), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    const ftp = report.hops.find((hop: {hop: string}) => hop.hop === 'ftp')
    expect(ftp).toMatchObject({authenticated: true, reachable: true, status: 'ok'})
    expect(Object.keys(ftp.reports)).toEqual(['customers.csv', 'customers.xml', 'items.csv'])
    expect(ftp.reports['customers.csv']).toMatch(/^written \d+ min ago$/)
  })

  it('calls an export file older than two sync intervals a stopped export job (exit 3)', async () => {
    const result = await runCommand(['doctor', ...running.flags('nordic-stale'), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report.problems).toContain(
      "ftp: customers.csv was last written 3 days ago although the CMS syncs every 24 h: the ERP's export job has stopped",
    )
  })
})

describe('secrets never appear in output, logs or --debug', () => {
  let running: RunningSandbox
  let dir: string
  beforeAll(async () => {
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-canary-'))
  })
  afterAll(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('keeps the tokens, the client secret and a canary env secret out of every command', async () => {
    const acme = running.sandbox.installation('acme')
    const canary = 'CANARY-5f0e1d2c-never-print-me'
    const secrets = [acme.tokens.admin, acme.tokens.support, acme.state.erp.state.clientSecret, canary]
    const env = {CANARY_TOKEN: canary, SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl')}
    const canaryConfig = join(dir, 'canary.json')
    const base = acme.profile('admin')
    await writeFile(
      canaryConfig,
      JSON.stringify({
        profiles: {
          canary: {
            ...base,
            name: undefined,
            webshop: {token: 'env:CANARY_TOKEN', url: `${base.webshop.url}/?token=${canary}`},
          },
        },
      }),
    )
    const runs = [
      ['trace', 'customer', '10042', ...running.flags(), '--debug'],
      ['trace', 'customer', '10042', ...running.flags(), '--debug', '--json'],
      ['trace', 'customer', '10042', ...running.flags(), '--debug', '--format', 'markdown'],
      ['trace', 'customer', '10042', '--config', canaryConfig, '--debug', '--json'],
      ['doctor', '--config', canaryConfig, '--debug'],
      ['doctor', ...running.flags(), '--debug', '--json'],
      ['sync', 'customer', '10042', ...running.flags(), '--dry-run', '--debug'],
      ['sync', 'customer', '10042', ...running.flags(), '--yes', '--debug', '--json'],
      [
        'sync',
        'customer',
        '10042',
        '--config',
        running.configPath,
        '--profile',
        'sandbox-acme-support',
        '--yes',
        '--debug',
      ],
      ['refresh', 'webshop', 'customer', '10090', '--config', canaryConfig, '--yes', '--debug'],
      ['audit', '--json'],
      ['profile', 'show', 'canary', '--config', canaryConfig],
      ['profile', 'show', 'sandbox-acme', '--config', running.configPath, '--json'],
    ]
    for (const args of runs) {
      const result = await runCommand(args, {env})
      for (const secret of secrets) {
        expect(result.stdout, `stdout of ${args.join(' ')}`).not.toContain(secret)
        expect(result.stderr, `stderr of ${args.join(' ')}`).not.toContain(secret)
      }
    }
    const debug = await runCommand(
      ['trace', 'customer', '10042', ...running.flags(), '--debug', '--json', '--no-cache'],
      {env},
    )
    expect(debug.stderr).toMatch(/\[debug\] GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/customers\/10042 → 200 in \d+ ms/)
    expect(debug.stderr).toMatch(/\[debug\] POST http:\/\/127\.0\.0\.1:\d+\/acme-tenant\/oauth2\/v2\.0\/token → 200/)
  })
})
