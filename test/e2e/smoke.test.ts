import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {fastSandboxEnv, type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// The smoke tier: each command once through bin/run.js, as a user's shell runs it (a new process, the
// terminal's run context, the real exit code), against one sandbox. What each command does in detail is
// tested in process (test/cmd, test/lib); `synctrace sandbox` itself is spawned in sandbox-command.test.ts.
describe('each command once through bin/run.js', () => {
  let running: RunningSandbox
  let dir: string
  let env: Record<string, string>
  beforeAll(async () => {
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-smoke-'))
    env = {SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'), XDG_CACHE_HOME: join(dir, 'cache')}
  })
  afterAll(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('trace: names the break, prints the command that fixes it, exits 3', async () => {
    const result = await runCli(['trace', 'customer', '10042', ...running.flags()], {env})
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toContain('Verdict')
    expect(result.stdout).toContain('$ synctrace sync customer 10042')
  })

  it('ticket --sandbox --helpdesk jira --post: traces what SUP-4711 names, adds one internal note, exits 3', async () => {
    const result = await runCli(['ticket', '4711', '--sandbox', '--helpdesk', 'jira', '--post', '--json'], {
      env: {...env, ...fastSandboxEnv},
    })
    expect(result.exitCode).toBe(3)
    const report = parseJson(result)
    expect(report.ticket).toMatchObject({id: 'SUP-4711', system: 'jira'})
    expect(report.records.map((record: {key: string}) => record.key)).toEqual(['10042', 'A-2003'])
    expect(report.post).toMatchObject({status: 'posted', ticket: 'SUP-4711'})
  })

  it('ticket --post through the built CLI on Zendesk (the running sandbox) and Freshdesk: one note, then "already on the ticket"', async () => {
    const zendesk = ['ticket', '4711', ...running.flags(), '--post', '--json']
    const first = await runCli(zendesk, {env})
    expect(first.exitCode).toBe(3)
    expect(parseJson(first).post).toMatchObject({status: 'posted'})
    const again = await runCli(zendesk, {env})
    expect(again.exitCode).toBe(3)
    expect(parseJson(again).post).toMatchObject({status: 'already-on-ticket'})
    const freshdesk = await runCli(['ticket', '4711', '--sandbox', '--helpdesk', 'freshdesk', '--post', '--json'], {
      env: {...env, ...fastSandboxEnv},
    })
    expect(freshdesk.exitCode).toBe(3)
    expect(parseJson(freshdesk)).toMatchObject({post: {status: 'posted'}, ticket: {system: 'freshdesk'}})
  })

  it('reconcile: counts what differs between two hops as JSON, exits 3 on findings', async () => {
    const result = await runCli(['reconcile', 'customers', '--between', 'cms,webshop', ...running.flags(), '--json'], {
      env,
    })
    expect(result.exitCode).toBe(3)
    expect(JSON.stringify(parseJson(result))).toContain('10090')
  })

  it('doctor: every hop reachable, exit 0', async () => {
    const result = await runCli(['doctor', ...running.flags(), '--json'], {env})
    expect(result.exitCode).toBe(0)
    expect(parseJson(result).hops.map((hop: {status: string}) => hop.status)).toEqual(['ok', 'ok', 'ok', 'ok'])
  })

  it('sync then status: the job succeeds, a break remains (exit 3); status reads the job (exit 0)', async () => {
    const sync = await runCli(['sync', 'customer', '10042', ...running.flags(), '--yes', '--json'], {env})
    expect(sync.exitCode).toBe(3)
    const [result] = parseJson(sync).results
    expect(result).toMatchObject({outcome: 'succeeded'})
    const status = await runCli(['status', result.job.id, ...running.flags(), '--json'], {env})
    expect(status.exitCode).toBe(0)
    expect(parseJson(status)).toMatchObject({jobId: result.job.id})
  })

  it('refresh: a consistent item stays consistent, exit 0', async () => {
    const result = await runCli(['refresh', 'webshop', 'item', 'P-100', ...running.flags(), '--yes'], {env})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('P-100: already consistent at every hop before the action, and still is')
  })

  it('retransfer: an order the ERP already booked is refused, exit 3', async () => {
    const result = await runCli(['retransfer', 'order', 'A-2001', ...running.flags(), '--yes', '--json'], {env})
    expect(result.exitCode).toBe(3)
    expect(parseJson(result).results[0]).toMatchObject({outcome: 'refused'})
  })

  it('audit: lists the attempts of this file, oldest first', async () => {
    const result = await runCli(['audit', '--json'], {env})
    expect(result.exitCode).toBe(0)
    expect(parseJson(result).entries.map((entry: {action: string}) => entry.action)).toEqual([
      'sync-targeted',
      'webshop-republish',
      'order-retransfer',
    ])
  })

  it('profile: adds a profile from flags, lists it as the default', async () => {
    const home = {...env, APP_TOKEN: 'x', XDG_CONFIG_HOME: join(dir, 'config')}
    const empty = await runCli(['profile', 'list', '--json'], {env: home})
    expect(empty.exitCode).toBe(0)
    expect(parseJson(empty).profiles).toEqual([])
    const urls = (hop: string) => running.sandbox.installation('acme').services[hop].url as string
    const added = await runCli(
      [
        'profile',
        'add',
        'smoke',
        '--cms-url',
        urls('cms'),
        '--cms-token',
        'env:APP_TOKEN',
        '--app-url',
        urls('app'),
        '--app-token',
        'env:APP_TOKEN',
        '--webshop-url',
        urls('webshop'),
        '--webshop-token',
        'env:APP_TOKEN',
      ],
      {env: home},
    )
    expect(added.exitCode).toBe(0)
    expect(added.stdout).toContain('Profile "smoke" saved')
    const listed = await runCli(['profile', 'list', '--json'], {env: home})
    expect(parseJson(listed).profiles).toEqual([expect.objectContaining({default: true, name: 'smoke'})])
  })

  it('without a TTY on stdin and without --yes, a fix refuses (exit 2) and sends nothing', async () => {
    const posts = () => running.sandbox.requests('acme', 'cms').filter((request) => request.method === 'POST').length
    const before = posts()
    const result = await runCli(['sync', 'customer', '10050', ...running.flags()], {env})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--yes is required')
    expect(posts()).toBe(before)
  })
})

describe('usage errors and the startup fast paths through bin/run.js', () => {
  it('a usage error: one line of cause, one of what to do, exit 2, no stack trace', async () => {
    const result = await runCli(['trace', 'customer', '10042', '--sandbx'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toBe(
      ' ›   Error: Unknown flag --sandbx.\n ›   Try this: Did you mean --sandbox? (see synctrace trace customer --help)\n',
    )
  })

  it('an unknown command suggests the closest one', async () => {
    const result = await runCli(['trcae', 'customer', '1'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(' ›   Error: Unknown command "trcae customer".')
    expect(result.stderr).toContain(' ›   Try this: Did you mean synctrace trace customer 1?')
    expect(result.stderr).not.toContain('not found')
    const json = await runCli(['trcae', 'customer', '1', '--json'])
    expect(json.exitCode).toBe(2)
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        exitCode: 2,
        message: 'Unknown command "trcae customer".',
        suggestions: ['Did you mean synctrace trace customer 1 --json?'],
      },
    })
  })

  it('prints the version and help without starting anything', async () => {
    const version = await runCli(['--version'])
    expect(version.exitCode).toBe(0)
    expect(version.stdout).toMatch(/^synctrace\/\d+\.\d+\.\d+/)
    const help = await runCli(['trace', 'customer', '--help'])
    expect(help.stdout).toContain('--user')
    expect(help.stdout).toContain('Exit codes: 0 consistent everywhere')
  })

  it('--version and the top-level --help answer as oclif would (the help rendered at build time)', async () => {
    const version = await runCli(['--version'])
    expect(version.stdout).toBe(`synctrace/0.1.0 ${process.platform}-${process.arch} node-${process.version}\n`)
    const help = await runCli(['--help'])
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toContain(`synctrace/0.1.0 ${process.platform}-${process.arch} node-${process.version}`)
    for (const command of ['trace', 'status', 'audit', 'doctor', 'autocomplete']) expect(help.stdout).toContain(command)
  })
})
