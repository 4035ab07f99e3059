import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// The sandbox's acme installation keeps Europe/Stockholm (its CMS's autoSync.timezone); this machine is put in
// New York for the file, so a time shown in the machine's zone (-05:00/-04:00) cannot pass for the installation's.
// Seconds appear where two times shown together share a minute (a sandbox job starts and ends within one).
const stockholmTime = /\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? \(\+0[12]:00\)/
const isoUtc = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/

describe("every view a person reads shows the installation's time zone with its offset; JSON stays ISO UTC", () => {
  let running: RunningSandbox
  let dir: string
  let machineZone: string | undefined
  const env = () => ({SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'), XDG_CACHE_HOME: join(dir, 'cache')})
  beforeAll(async () => {
    machineZone = process.env.TZ
    process.env.TZ = 'America/New_York'
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-times-'))
  })
  afterAll(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
    if (machineZone === undefined) delete process.env.TZ
    else process.env.TZ = machineZone
  })

  it('status shows the job started by a sync in Europe/Stockholm and says so; its JSON keeps ISO UTC', async () => {
    await runCommand(['sync', 'customer', '10050', ...running.flags(), '--yes'], {env: env()})
    const entries = parseJson(await runCommand(['audit', '--json'], {env: env()})).entries
    const jobId = entries.find((entry: {jobId: string | null}) => entry.jobId?.startsWith('j-')).jobId
    const text = await runCommand(['status', jobId, ...running.flags()])
    expect(text.exitCode).toBe(0)
    expect(text.stdout).toMatch(new RegExp(`· started ${stockholmTime.source} · finished ${stockholmTime.source}`))
    expect(text.stdout).toContain("Times in Europe/Stockholm, the installation's time zone.")
    expect(text.stdout).not.toMatch(/\(-0[45]:00\)/)
    const json = parseJson(await runCommand(['status', jobId, ...running.flags(), '--json']))
    expect(json.startedAt).toMatch(isoUtc)
    expect(json.finishedAt).toMatch(isoUtc)
  })

  it("audit logs the installation's zone with each entry and shows the entry's time in it, named", async () => {
    await runCommand(['refresh', 'app', '--user', 'u-17', ...running.flags(), '--yes'], {env: env()})
    const json = parseJson(await runCommand(['audit', '--json'], {env: env()}))
    for (const entry of json.entries) {
      expect(entry.time).toMatch(isoUtc)
      expect(entry.timeZone).toBe('Europe/Stockholm')
    }
    const text = await runCommand(['audit'], {env: env()})
    expect(text.stdout).toMatch(new RegExp(`^${stockholmTime.source} Europe/Stockholm  succeeded`, 'm'))
    expect(text.stdout).toContain("without one, this machine's: America/New_York")
    expect(text.stdout).not.toMatch(/\(-0[45]:00\)/)
  })

  it("audit shows each entry in the zone logged with it; one that is not a time zone in this machine's, unnamed", async () => {
    const log = join(dir, 'two-installations.jsonl')
    const entry = (time: string, timeZone: string) => ({
      action: 'sync-targeted',
      cmsUser: 'a',
      command: 'synctrace sync customer 1',
      idempotencyKey: null,
      installation: 'acme',
      jobId: null,
      outcome: 'declined',
      profile: 'p',
      reason: null,
      role: 'admin',
      scope: {entity: 'customers', keys: ['1'], kind: 'cms-sync', mode: 'targeted'},
      time,
      timeZone,
      verification: null,
    })
    const lines = [
      entry('2026-12-06T01:00:00.000Z', 'Asia/Tokyo'),
      entry('2026-12-06T02:00:00.000Z', 'Mars/Olympus_Mons'),
    ]
    await writeFile(log, lines.map((line) => `${JSON.stringify(line)}\n`).join(''), {mode: 0o600})
    const text = await runCommand(['audit'], {env: {SYNCTRACE_AUDIT_LOG: log}})
    expect(text.stdout).toMatch(/^2026-12-06 10:00 \(\+09:00\) Asia\/Tokyo {2}declined/m)
    expect(text.stdout).toMatch(/^2026-12-05 21:00 \(-05:00\) {2}declined/m)
    expect(text.stdout).not.toContain('Mars')
  })

  it('doctor --format markdown names the installation zone in its footer', async () => {
    const markdown = await runCommand(['doctor', ...running.flags(), '--format', 'markdown'], {env: env()})
    expect(markdown.stdout).toMatch(new RegExp(`_Checked ${stockholmTime.source} Europe/Stockholm`))
  })

  it('reconcile shows the last sync in Europe/Stockholm on the terminal and in Markdown, and CSV times with +01:00', async () => {
    const base = ['reconcile', 'customers', '--between', 'erp,cms', ...running.flags()]
    const terminal = await runCommand(base, {env: env()})
    expect(terminal.stdout).toMatch(new RegExp(`last sync r-\\d+ started ${stockholmTime.source}\\.`))
    expect(terminal.stdout).toMatch(new RegExp(`Checked ${stockholmTime.source} Europe/Stockholm\\.`))
    expect(terminal.stdout).not.toMatch(isoUtc)
    const markdown = await runCommand([...base, '--format', 'markdown'], {env: env()})
    expect(markdown.stdout).toMatch(new RegExp(`_Checked ${stockholmTime.source} Europe/Stockholm with synctrace`))
    expect(markdown.stdout).not.toMatch(isoUtc)
    const csv = await runCommand([...base, '--format', 'csv'], {env: env()})
    // CSV is for people (docs/reconcile.md): times as every view shows them, in the installation's zone.
    expect(csv.stdout).not.toMatch(isoUtc)
    const times = csv.stdout.match(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? \([+-]\d\d:\d\d\)/g) ?? []
    expect(times.length).toBeGreaterThan(0)
    for (const time of times) expect(time).toMatch(/\(\+0[12]:00\)$/)
    const json = parseJson(await runCommand([...base, '--json'], {env: env()}))
    expect(json.lastSync.startedAt).toMatch(isoUtc)
  })

  it("the fix loop shows the app's full refresh in Europe/Stockholm, as the trace above it", async () => {
    const result = await runCommand(['trace', 'customer', '10042', ...running.flags(), '--fix', '--yes'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`device d-\\d+: full refresh done ${stockholmTime.source}`))
    expect(result.stdout).not.toMatch(isoUtc)
  })
})
