import {readFileSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {parseJson, projectRoot} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// `sync prices <list...>` and `refresh webshop prices [<list...>]`, with the safety of every fix command,
// against fjord's seeded price scenarios (list E re-read by a targeted run; F not republished to the webshop).

const tty = {stderr: true, stdin: true, stdout: true}

describe('sync prices and refresh webshop prices', () => {
  let running: RunningSandbox
  let dir: string
  let auditLog: string
  const env = () => ({SYNCTRACE_AUDIT_LOG: auditLog})
  const flags = () => running.flags('fjord')
  const posts = (hop: 'cms' | 'webshop') =>
    running.sandbox.requests('fjord', hop).filter((request: {method: string}) => request.method === 'POST')
  const auditLines = async () =>
    (await readFile(auditLog, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synctrace-sync-prices-'))
  })
  beforeEach(async () => {
    running = await startTestSandbox(['fjord'])
    auditLog = join(dir, `audit-${Math.random().toString(36).slice(2)}.jsonl`)
  })
  afterEach(async () => {
    await running.stop()
  })
  afterAll(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('sync prices E --yes: one targeted prices job of list E, audited with its key, the list checked afterwards', async () => {
    const result = await runCommand(['sync', 'prices', 'E', ...flags(), '--yes', '--json'], {env: env()})
    const output = parseJson(result)
    expect(result.exitCode).toBe(0)
    const [sync] = output.results
    expect(sync).toMatchObject({
      action: 'sync-targeted',
      command: expect.stringMatching(/^synctrace sync prices E /),
      description: 'start a targeted CMS sync of price list E',
      outcome: 'succeeded',
      request: {body: {entity: 'prices', keys: ['E'], mode: 'targeted'}},
      scope: {entity: 'prices', keys: ['E'], kind: 'sync', mode: 'targeted'},
    })
    expect(sync.priceLists).toEqual([
      expect.objectContaining({active: true, consistent: true, found: true, priceListCode: 'E'}),
    ])
    expect(posts('cms')).toHaveLength(1)
    expect(posts('cms')[0].idempotencyKey).toBe(sync.request.idempotencyKey)
    const job = [...running.sandbox.installation('fjord').jobs.cmsJobs.values()][0]
    expect(job).toMatchObject({entity: 'prices', keys: ['E'], mode: 'targeted'})
    const audit = await auditLines()
    expect(audit.map((line) => line.outcome)).toEqual(['succeeded'])
    expect(audit[0]).toMatchObject({
      idempotencyKey: sync.request.idempotencyKey,
      scope: {entity: 'prices', keys: ['E']},
    })
    const terminal = await runCommand(['sync', 'prices', 'E', ...flags(), '--yes'], {env: env()})
    expect(terminal.stdout).toContain('Done: start a targeted CMS sync of price list E')
    expect(terminal.stdout).toMatch(/list E: active at the CMS/)
  })

  it('a list the ERP does not have: the job runs, the list is named as unknown to the CMS, exit 3', async () => {
    const result = await runCommand(['sync', 'prices', 'ZZ', ...flags(), '--yes', '--json'], {env: env()})
    expect(result.exitCode).toBe(3)
    expect(parseJson(result).results[0].priceLists).toEqual([
      expect.objectContaining({consistent: false, found: false, priceListCode: 'ZZ'}),
    ])
  })

  it('a full prices run needs --full, and --full takes no list codes; nothing is sent', async () => {
    const bare = await runCommand(['sync', 'prices', ...flags(), '--yes'], {env: env()})
    expect(bare.exitCode).toBe(2)
    expect(bare.stderr).toContain('synctrace sync prices reads every price list and needs --full.')
    const both = await runCommand(['sync', 'prices', 'E', '--full', ...flags(), '--yes'], {env: env()})
    expect(both.exitCode).toBe(2)
    expect(both.stderr).toContain('--full syncs every price list and takes no list codes.')
    const full = await runCommand(['sync', 'prices', '--full', ...flags(), '--dry-run', '--json'], {env: env()})
    expect(full.exitCode).toBe(0)
    expect(parseJson(full).results[0].request.body).toEqual({entity: 'prices', keys: null, mode: 'full'})
    expect(posts('cms')).toHaveLength(0)
  })

  it('refuses a support user before sending anything and hands an admin the exact command', async () => {
    const support = ['--config', running.configPath, '--profile', 'sandbox-fjord-support']
    const result = await runCommand(['sync', 'prices', 'C', ...support, '--yes'], {env: env()})
    expect(result.exitCode).toBe(5)
    expect(result.stdout).toContain('your CMS role is support')
    expect(result.stdout).toContain('  synctrace sync prices C --profile sandbox-fjord')
    expect(posts('cms')).toHaveLength(0)
    expect((await auditLines()).map((line) => line.outcome)).toEqual(['refused'])
  })

  it('asks on a terminal, never under --json or without a terminal', async () => {
    const asked = await runCommand(['sync', 'prices', 'E', ...flags()], {answers: [false], env: env(), tty})
    expect(asked.prompts).toEqual([
      'This will start a targeted CMS sync of price list E on installation fjord. Continue?',
    ])
    expect(asked.stdout).toContain('Cancelled at the prompt; nothing was changed.')
    const json = await runCommand(['refresh', 'webshop', 'prices', 'F', ...flags(), '--json'], {env: env(), tty})
    expect(json.prompts).toEqual([])
    expect(json.exitCode).toBe(2)
    const pipe = await runCommand(['sync', 'prices', 'E', ...flags()], {env: env()})
    expect(pipe.prompts).toEqual([])
    expect(pipe.exitCode).toBe(2)
    expect(pipe.stderr).toContain('synctrace sync prices E')
    expect(posts('cms')).toHaveLength(0)
    expect(posts('webshop')).toHaveLength(0)
  })

  it('refresh webshop prices F: republishes list F (entity prices), and 30107/F-100 is consistent afterwards', async () => {
    const before = parseJson(await runCommand(['trace', 'price', '30107', 'F-100', ...flags(), '--json']))
    expect(before.verdict.cause).toBe('webshop-behind')
    const result = await runCommand(['refresh', 'webshop', 'prices', 'F', ...flags(), '--yes', '--json'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(parseJson(result).results[0]).toMatchObject({
      action: 'webshop-republish',
      outcome: 'succeeded',
      request: {body: {entity: 'prices', keys: ['F']}, service: 'webshop'},
    })
    expect(posts('webshop')).toHaveLength(1)
    const after = parseJson(await runCommand(['trace', 'price', '30107', 'F-100', ...flags(), '--json']))
    expect(after.verdict).toMatchObject({cause: 'consistent', ok: true})
    const all = await runCommand(['refresh', 'webshop', 'prices', ...flags(), '--dry-run', '--json'], {env: env()})
    expect(parseJson(all).results[0].request.body).toEqual({entity: 'prices', keys: null})
  })

  it('the command a price trace hands off is exactly runnable', async () => {
    const report = parseJson(await runCommand(['trace', 'price', '30107', 'F-100', ...flags(), '--json']))
    const command: string = report.action.command
    expect(command).toMatch(/^synctrace refresh webshop prices F /)
    const argv = command.replace(/^synctrace /, '').split(' ')
    const result = await runCommand([...argv, '--yes'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Done: republish price list F to the webshop')
  })
})

describe('completion of the price fix commands', () => {
  it('offers prices after refresh webshop, and the flags of sync prices after a list code', async () => {
    const {complete} = await import('../../dist/cli/completion.js')
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'oclif.manifest.json'), 'utf8'))
    const commands = Object.values(manifest.commands) as never
    const words = async (line: string[]) => {
      const result = await complete(line, commands, {})
      return 'files' in result ? [] : result.words
    }
    expect(await words(['refresh', 'webshop', 'p'])).toEqual(['prices'])
    expect(await words(['sync', 'prices', 'E', '--fu'])).toEqual(['--full'])
  })
})
