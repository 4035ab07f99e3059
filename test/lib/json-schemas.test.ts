import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readAudit} from '../../dist/actions/audit.js'
import {describeFleet} from '../../dist/cli/sandbox-fleet.js'
import {openConfigFiles} from '../../dist/config/profile-edit.js'
import {maskProfile} from '../../dist/config/store.js'
import {runDoctor} from '../../dist/doctor/doctor.js'
import {parseFaultSpec} from '../../dist/emulation/service.js'
import {describeSandbox} from '../../dist/sandbox/describe.js'
import {startFleet} from '../../dist/sandbox/fleet.js'
import {describeScale} from '../../dist/sandbox/scale/describe.js'
import {startScaleInstallation} from '../../dist/sandbox/scale/installation.js'
import {traceRecord} from '../../dist/trace/run.js'
import {type CliResult, parseJson, runCli} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {schemaValidator, violations} from '../helpers/json-schemas.js'
import {type RunningSandbox, startTestSandbox, testHttp} from '../helpers/sandbox.js'

/**
 * Real --json outputs conform to the published schemas (schemas/): traces of every entity and of the
 * verdicts (ok, a broken link, a hop unreachable or answering garbage), doctor, the sandbox's description,
 * the profile commands, and through the built CLI the outputs only a command assembles (a fix, reconcile,
 * status, errors). Library calls against one sandbox for the file; a handful of CLI runs.
 */

const ajv = schemaValidator()
const expectConforms = (schema: string, value: unknown) => expect(violations(ajv, schema, value)).toEqual([])

type Entity = 'customer' | 'item' | 'order'

/** `profile add` without prompts: the acme installation's URLs, its tokens as env: references. */
/** `profile add`'s arguments for a profile of the sandbox's acme installation, every value given. */
function profileAddArgs(configPath: string, running: RunningSandbox): string[] {
  const profile = running.sandbox.installation('acme').profile('admin')
  return [
    'profile',
    'add',
    'schema-test',
    '--config',
    configPath,
    '--connection',
    'direct',
    '--erp',
    'none',
    '--installation',
    'acme',
    '--default',
    '--no-input',
    '--cms-url',
    profile.cms.url,
    '--cms-token',
    'env:SCHEMA_TEST_TOKEN',
    '--app-url',
    profile.app.url,
    '--app-token',
    'env:SCHEMA_TEST_TOKEN',
    '--webshop-url',
    profile.webshop.url,
    '--webshop-token',
    'env:SCHEMA_TEST_TOKEN',
    '--json',
  ]
}

describe('real --json outputs conform to the published schemas', () => {
  let running: RunningSandbox
  let dir: string
  let env: Record<string, string>
  const cli = (args: string[]): Promise<CliResult> => runCli([...args, ...running.flags()], {env})
  const trace = (installation: string, entity: Entity, key: string, userId?: string) =>
    traceRecord(entity, running.sandbox.installation(installation).profile('admin'), key, {
      commandSuffix: ` --installation ${installation}`,
      http: testHttp,
      timeoutMs: 20_000,
      userId,
      version: 'test',
    })

  beforeAll(async () => {
    running = await startTestSandbox(['acme', 'nordic', 'acme-plain'])
    dir = await mkdtemp(join(tmpdir(), 'synctrace-schemas-'))
    env = {
      SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
    }
  }, 60_000)
  afterAll(async () => {
    await running?.stop()
    if (dir) await rm(dir, {force: true, recursive: true})
  })

  it('trace reports of customers, items and orders, direct and through the file server, every kind of verdict', async () => {
    const cases: Array<[string, Entity, string, string?]> = [
      ['acme', 'customer', '10001'], // consistent
      ['acme', 'customer', '10042'], // ERP → CMS stale, with a diff
      ['acme', 'customer', '10070'], // the app's users and devices
      ['acme', 'customer', '10080', 'u-17'], // --user, not visible
      ['acme', 'customer', '10099'], // broken at the origin (from: null)
      ['acme', 'customer', 'N-5001'], // created in the app: outbound
      ['acme', 'item', 'P-100'],
      ['acme', 'item', 'P-200'],
      ['acme', 'item', 'P-400'], // ok with a note
      ['acme', 'order', 'A-2001'],
      ['acme', 'order', 'A-2003'],
      ['nordic', 'customer', '20050'], // the export file, its file server
      ['nordic', 'customer', '20060'], // an unreadable row: file and line
      ['nordic', 'item', 'N-200'],
      ['nordic', 'order', 'B-3002'], // rejected in Orders/error/
    ]
    const reports = await Promise.all(cases.map(([id, entity, key, user]) => trace(id, entity, key, user)))
    expect(new Set(reports.map((report) => report.exitCode))).toEqual(new Set([0, 3]))
    expect(reports.some((report) => report.fileServer)).toBe(true)
    for (const report of reports) expectConforms('trace-report.schema.json', report)
  })

  it('a hop that is down, and a CMS that answers HTML (no installation known), in a trace and in doctor', async () => {
    const plain = running.sandbox.installation('acme-plain').profile('admin')
    await running.sandbox.setFault('acme-plain', 'webshop', parseFaultSpec('down'))
    const unreachable = await trace('acme-plain', 'customer', '11001')
    expect(unreachable.verdict.cause).toBe('hop-unreachable')
    const webshopDown = await runDoctor(plain, {http: testHttp, timeoutMs: 5_000})
    await running.sandbox.setFault('acme-plain', 'cms', parseFaultSpec('html'))
    const garbled = await trace('acme-plain', 'customer', '11042')
    expect(garbled.installation).toBeNull()
    const cmsGarbled = await runDoctor(plain, {http: testHttp, timeoutMs: 5_000})
    await running.sandbox.setFault('acme-plain', 'cms', null)
    await running.sandbox.setFault('acme-plain', 'webshop', null)
    for (const report of [unreachable, garbled]) expectConforms('trace-report.schema.json', report)
    expect(webshopDown.exitCode).toBe(4)
    for (const report of [webshopDown, cmsGarbled]) expectConforms('doctor.schema.json', report)
  })

  it('doctor of a direct and of a file-server installation', async () => {
    for (const id of ['acme', 'nordic']) {
      const report = await runDoctor(running.sandbox.installation(id).profile('admin'), {
        http: testHttp,
        timeoutMs: 20_000,
      })
      expectConforms('doctor.schema.json', report)
    }
  })

  it("the sandbox's description, seeded and at scale", async () => {
    expectConforms('sandbox.schema.json', describeSandbox(running.sandbox))
    const scale = await startScaleInstallation({id: 'scale', records: 20})
    try {
      expectConforms('sandbox.schema.json', describeScale([scale], 20))
    } finally {
      await scale.stop()
    }
  })

  it('ticket --post (records found, nothing found) and trace --post, as the commands return them', async () => {
    for (const ticket of ['4711', '4713']) {
      const result = await runCommand(['ticket', ticket, '--post', '--json', ...running.flags()])
      const report = parseJson(result)
      expect(report.post.status, result.stderr).toBe('posted')
      expectConforms('ticket.schema.json', report)
    }
    const traced = parseJson(
      await runCommand(['trace', 'customer', '10090', '--post', '4712', '--json', ...running.flags()]),
    )
    expect(traced.post.status).toBe('posted')
    expectConforms('trace-report.schema.json', traced)
  })

  it('doctor --all over a small fleet with a problem of every kind, and the fleet the sandbox describes', async () => {
    const result = await runCommand(['doctor', '--all', '--sandbox', '--fleet', '12', '--deadline', '8', '--json'])
    const entries = parseJson(result as CliResult)
    expect(entries.map((entry: {status: string}) => entry.status)).toContain('not-checked')
    expectConforms('doctor-fleet.schema.json', entries)
    const fleet = await startFleet({size: 2})
    try {
      expectConforms('sandbox-fleet.schema.json', describeFleet(fleet))
    } finally {
      await fleet.stop()
    }
  })

  it('profile add and profile show, as the commands return them', async () => {
    const configPath = join(dir, 'profiles.json')
    const result = await runCommand(profileAddArgs(configPath, running), {env: {SCHEMA_TEST_TOKEN: 'x'}})
    expect(result.exitCode, result.stderr).toBe(0)
    expectConforms('profile-add.schema.json', parseJson(result))
    const files = await openConfigFiles(running.configPath, false)
    for (const [name, raw] of Object.entries(files.config.profiles)) {
      const shown = {
        default: files.config.defaultProfile === name,
        name,
        profile: maskProfile(raw, process.env, files.secrets),
      }
      expectConforms('profile-show.schema.json', shown)
    }
  })

  it('sync customer --yes, the job it started (status) and the audit log it wrote', async () => {
    const synced = await cli(['sync', 'customer', '10050', '--yes', '--json'])
    const output = parseJson(synced)
    expectConforms('action-result.schema.json', output)
    expect(output.results[0].outcome).toBe('succeeded')
    const status = await cli(['status', output.results[0].job.id, '--json'])
    expect(status.exitCode).toBe(0)
    expectConforms('status.schema.json', parseJson(status))
    const path = env.SYNCTRACE_AUDIT_LOG as string
    const entries = readAudit({path})
    expect(entries.length).toBeGreaterThan(0)
    expectConforms('audit.schema.json', {entries, path})
    // Every line of the log itself, the write-ahead `started` entry included.
    for (const line of (await readFile(path, 'utf8')).trim().split('\n'))
      expectConforms('audit.schema.json#/$defs/entry', JSON.parse(line))
  })

  it('trace --fix --yes: the report with every step of the fix loop', async () => {
    const fixed = parseJson(await cli(['trace', 'customer', '10042', '--fix', '--yes', '--json']))
    expect(fixed.fix.steps.length).toBeGreaterThan(0)
    expectConforms('trace-report.schema.json', fixed)
  })

  it('reconcile --fix --yes --json, and reconcile --format jsonl line by line', async () => {
    const between = ['reconcile', 'customers', '--between', 'cms,webshop', '--fix', '--yes', '--json']
    const reconciled = parseJson(await cli(between))
    expect(reconciled.fix).not.toBeNull()
    expectConforms('reconcile.schema.json', reconciled)
    const lines = await cli(['reconcile', 'items', '--format', 'jsonl'])
    expect(lines.exitCode).toBe(3)
    const records = lines.stdout.trim().split('\n')
    expect(records.length).toBeGreaterThan(0)
    for (const line of records) expectConforms('reconcile-record.schema.json', JSON.parse(line))
  })

  it('profile list, and the error object of a usage error and of a user error', async () => {
    const list = await runCli(['profile', 'list', '--json', '--config', running.configPath], {env})
    expectConforms('profile-list.schema.json', parseJson(list))
    const usage = await runCli(['trace', 'customer', '--json', '--sandbox'], {env})
    expect(usage.exitCode).toBe(2)
    expectConforms('error.schema.json', parseJson(usage))
    const user = await runCli(['profile', 'show', 'no-such-profile', '--json', '--config', running.configPath], {env})
    expect(user.exitCode).toBe(2)
    expectConforms('error.schema.json', parseJson(user))
  })

  it('an undocumented change fails: a field added, a cause renamed, a field dropped', async () => {
    const report = await trace('acme', 'customer', '10090')
    expectConforms('trace-report.schema.json', report)
    const changed = (change: (copy: typeof report) => void) => {
      const copy = structuredClone(report)
      change(copy)
      return violations(ajv, 'trace-report.schema.json', copy)
    }
    expect(changed((copy) => Object.assign(copy.hops[0] as object, {latencyMs: 3}))).not.toEqual([])
    expect(changed((copy) => Object.assign(copy.verdict, {cause: 'not-pushed-to-webshop'}))).not.toEqual([])
    expect(changed((copy) => Reflect.deleteProperty(copy.action, 'owner'))).not.toEqual([])
    expect(changed((copy) => Object.assign(copy, {exitCode: 1}))).not.toEqual([])
  })
})
