import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

interface AuditLine {
  outcome: string
  action: string
  role: string
  cmsUser: string
  jobId: string | null
  idempotencyKey: string | null
  verification: {breakGone: boolean} | null
  scope: Record<string, unknown>
}

describe('fixing what a trace found, safely', () => {
  let running: RunningSandbox
  let dir: string
  let auditLog: string
  const env = () => ({SYNCTRACE_AUDIT_LOG: auditLog})
  const auditLines = async (): Promise<AuditLine[]> =>
    (await readFile(auditLog, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditLine)
  const jobPolls = () =>
    running.sandbox
      .requests('acme', 'cms')
      .filter((request: {method: string; path: string}) => request.method === 'GET')
  const jobPosts = () =>
    running.sandbox
      .requests('acme', 'cms')
      .filter((request: {method: string; path: string}) => request.method === 'POST')

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synctrace-fix-'))
  })
  beforeEach(async () => {
    running = await startTestSandbox()
    auditLog = join(dir, `audit-${Math.random().toString(36).slice(2)}.jsonl`)
  })
  afterEach(async () => {
    await running.stop()
  })
  afterAll(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('10042 --fix --yes: sync, then the app full refresh of u-17, until consistent at every hop; one job each, logged', async () => {
    const result = await runCommand(['trace', 'customer', '10042', ...running.flags(), '--fix', '--yes', '--json'], {
      env: env(),
    })
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(report.verdict.cause).toBe('erp-changed-after-sync')
    expect(report.fix).toMatchObject({consistent: true, exitCode: 0, remaining: null})
    expect(report.fix.steps.map((step: {action: string}) => step.action)).toEqual(['sync-targeted', 'app-refresh'])
    const [sync, refresh] = report.fix.steps
    expect(sync).toMatchObject({outcome: 'succeeded', role: 'admin', scope: {keys: ['10042'], kind: 'sync'}})
    // After the sync the break moved downstream: not "fixed", and the next step is named.
    expect(sync.verification).toEqual([expect.objectContaining({breakGone: true, consistent: false, key: '10042'})])
    expect(sync.verification[0].remaining.action.kind).toBe('app-full-refresh')
    expect(sync.trace.verdict).toMatchObject({brokenLink: {from: 'cms', to: 'app'}, cause: 'device-not-refreshed'})
    expect(refresh).toMatchObject({outcome: 'succeeded', scope: {kind: 'app-refresh', userId: 'u-17'}})
    expect(refresh.job.id).toMatch(/^rr-/)
    expect(refresh.trace.verdict).toMatchObject({cause: 'consistent', ok: true})
    expect(refresh.verification[0]).toMatchObject({consistent: true})
    expect(running.sandbox.installation('acme').jobs.cmsJobs.size).toBe(1)
    expect(jobPosts()).toHaveLength(1)
    expect(jobPosts()[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    // The CMS really has the new delivery address now.
    const cms = running.sandbox.installation('acme').state.cms.customers.get('10042')
    expect(
      cms.addresses.find((address: {addressType: string}) => address.addressType === 'Delivery').addressLine1,
    ).toBe('Industrivägen 12')
    const lines = await auditLines()
    expect(lines.map((line) => line.action)).toEqual(['sync-targeted', 'app-refresh'])
    expect(lines[0]).toMatchObject({
      action: 'sync-targeted',
      cmsUser: 'admin@platform.example',
      outcome: 'succeeded',
      role: 'admin',
      verification: {breakGone: true, consistent: false},
    })
    expect(lines[0]!.jobId).toBe(sync.job.id)
    expect(lines[0]!.idempotencyKey).toBe(jobPosts()[0].idempotencyKey)
    // A fresh trace agrees.
    expect((await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json'])).exitCode).toBe(0)
  })

  it('10042 --fix on the terminal view: says "fixed" only at the end, once consistent everywhere', async () => {
    const result = await runCommand(['trace', 'customer', '10042', ...running.flags(), '--fix', '--yes'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('10042: ERP → CMS: stale → CMS → App: stale  ✘ not consistent yet')
    expect(result.stdout).toMatch(/next: Request a full refresh of the app for u-17/)
    expect(result.stdout).toContain('10042: CMS → App: stale → consistent at every hop ✔ fixed')
    expect(result.stdout).toContain('customer 10042 is consistent at every hop after 2 steps.')
    expect(result.stdout.match(/✔ fixed/g)).toHaveLength(1)
  })

  it('sync customer 10042 alone: not "fixed" while the app is behind; names the break that remains and exits 3', async () => {
    const result = await runCommand(['sync', 'customer', '10042', ...running.flags(), '--yes'], {env: env()})
    expect(result.exitCode).toBe(3)
    expect(result.stdout).not.toContain('✔ fixed')
    expect(result.stdout).toContain('✘ not consistent yet')
    expect(result.stdout).toContain('$ synctrace refresh app --user u-17')
  })

  it('refresh webshop item P-100 on a consistent item says it was already consistent, not "fixed"', async () => {
    const result = await runCommand(['refresh', 'webshop', 'item', 'P-100', ...running.flags(), '--yes'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('P-100: already consistent at every hop before the action, and still is')
    expect(result.stdout).not.toContain('fixed')
  })

  it('retransfer of an order the ERP already booked is refused with its document number (exit 3), sends nothing', async () => {
    const result = await runCommand(['retransfer', 'order', 'A-2001', ...running.flags(), '--yes', '--json'], {
      env: env(),
    })
    expect(result.exitCode).toBe(3)
    const [refused] = parseJson(result).results
    expect(refused).toMatchObject({outcome: 'refused'})
    expect(refused.reason).toContain('the ERP already has it as document 101043')
    expect(jobPosts()).toHaveLength(0)
    expect((await auditLines())[0]).toMatchObject({action: 'order-retransfer', outcome: 'refused'})
    const text = await runCommand(['retransfer', 'order', 'A-2001', ...running.flags(), '--yes'], {env: env()})
    expect(text.stdout).toContain('--force')
    expect(text.stdout).not.toContain('Hand-off')
  })

  it('retransfer --force sends an order the ERP already has', async () => {
    const result = await runCommand(
      ['retransfer', 'order', 'A-2001', ...running.flags(), '--yes', '--force', '--json'],
      {
        env: env(),
      },
    )
    expect(parseJson(result).results[0]).toMatchObject({outcome: 'succeeded'})
    expect(jobPosts().map((request: {path: string}) => request.path)).toEqual(['/api/v1/orders/A-2001/retransfer'])
  })

  it('10070: trace → full app refresh for u-17 → re-trace is consistent', async () => {
    const result = await runCommand(['trace', 'customer', '10070', ...running.flags(), '--fix', '--yes', '--json'], {
      env: env(),
    })
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(report.fix.steps).toHaveLength(1)
    expect(report.fix.steps[0]).toMatchObject({
      action: 'app-refresh',
      outcome: 'succeeded',
      scope: {kind: 'app-refresh', userId: 'u-17'},
    })
    expect(report.fix.steps[0].devices).toEqual([expect.objectContaining({deviceId: 'd-3', refreshed: true})])
    expect(report.fix.steps[0].verification[0]).toMatchObject({
      after: {cause: 'consistent'},
      breakGone: true,
      consistent: true,
    })
    expect(
      running.sandbox
        .requests('acme', 'app')
        .filter((request: {method: string}) => request.method === 'POST')
        .map((request: {path: string}) => request.path),
    ).toEqual(['/app/v1/users/u-17/full-refresh'])
  })

  it('10090: trace → webshop republish → re-trace is consistent', async () => {
    const result = await runCommand(['trace', 'customer', '10090', ...running.flags(), '--fix', '--yes'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Done: republish customer 10090 to the webshop')
    expect(result.stdout).toContain('10090: CMS → Webshop: missing → consistent at every hop ✔ fixed')
    expect((await auditLines()).map((line) => line.action)).toEqual(['webshop-republish'])
  })

  it('refuses a support user before sending anything, and prints the command for an admin', async () => {
    const result = await runCommand(
      ['sync', 'customer', '10042', '--config', running.configPath, '--profile', 'sandbox-acme-support', '--yes'],
      {env: env()},
    )
    expect(result.exitCode).toBe(5)
    expect(result.stdout).toContain('your CMS role is support')
    // The command an admin would run: the sandbox's admin profile (--sandbox would start a fresh sandbox),
    // no local config path, no support profile.
    expect(result.stdout).toMatch(
      /Hand-off to an admin.*\nPaste this into the ticket:\n {2}synctrace sync customer 10042 --profile sandbox-acme\n/,
    )
    expect(result.stdout).not.toContain('--config')
    expect(result.stdout).not.toContain('support --')
    expect(jobPosts()).toHaveLength(0)
    expect(await auditLines()).toEqual([expect.objectContaining({outcome: 'refused', role: 'support'})])
  })

  it('Markdown for the ticket: no local path, and for a support profile a hand-off block with the admin command', async () => {
    const admin = await runCommand(['trace', 'customer', '10042', ...running.flags(), '--format', 'markdown'])
    expect(admin.stdout).not.toContain(running.configPath)
    expect(admin.stdout).not.toContain('--config')
    expect(admin.stdout).toContain('synctrace sync customer 10042 --profile sandbox-acme')
    const support = await runCommand([
      'trace',
      'customer',
      '10042',
      '--config',
      running.configPath,
      '--profile',
      'sandbox-acme-support',
      '--format',
      'markdown',
    ])
    expect(support.exitCode).toBe(3)
    expect(support.stdout).not.toContain(running.configPath)
    expect(support.stdout).not.toMatch(/--profile sandbox-acme-support/)
    expect(support.stdout).toMatch(
      /\*\*Hand-off to an admin:\*\* start a targeted CMS sync of customer 10042[^\n]*\n\n```sh\nsynctrace sync customer 10042 --profile sandbox-acme\n```/,
    )
  })

  it('B-3002 retransfer is not called fixed while the ERP still lacks customer 20077', async () => {
    const nordic = await startTestSandbox(['nordic'])
    try {
      const result = await runCommand(['retransfer', 'order', 'B-3002', ...nordic.flags(), '--yes'], {env: env()})
      expect(result.stdout).not.toContain('fixed')
      expect(result.stdout).toContain('✘ not consistent yet')
      expect(result.exitCode).toBe(3)
    } finally {
      await nordic.stop()
    }
  })

  it('treats the server as the authority: a 403 on the job is a refusal, not a failure', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'status', path: '/api/v1/sync/jobs', status: 403})
    const result = await runCommand(['sync', 'customer', '10042', ...running.flags(), '--yes', '--json'], {env: env()})
    expect(result.exitCode).toBe(5)
    expect(parseJson(result).results[0]).toMatchObject({outcome: 'refused'})
    expect(parseJson(result).results[0].reason).toContain('HTTP 403')
  })

  it('without a TTY and without --yes, refuses with a message naming --yes, and sends nothing', async () => {
    const result = await runCommand(['sync', 'customer', '10042', ...running.flags()], {env: env()})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--yes is required')
    expect(jobPosts()).toHaveLength(0)
    expect((await auditLines())[0]).toMatchObject({outcome: 'refused'})
  })

  it('--fix without --yes and without a TTY refuses too, after printing the trace', async () => {
    const result = await runCommand(['trace', 'customer', '10042', ...running.flags(), '--fix'], {env: env()})
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toContain('Verdict')
    expect(result.stderr).toContain('--yes is required')
    expect(jobPosts()).toHaveLength(0)
  })

  it('--dry-run prints the request, changes nothing and exits 0', async () => {
    const result = await runCommand(['sync', 'customer', '10042', ...running.flags(), '--dry-run'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Dry run: would start a targeted CMS sync of customer 10042')
    expect(result.stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/sync\/jobs/)
    expect(result.stdout).toContain('{"entity":"customers","keys":["10042"],"mode":"targeted"}')
    expect(jobPosts()).toHaveLength(0)
    const stillStale = parseJson(await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json']))
    expect(stillStale.verdict.cause).toBe('erp-changed-after-sync')
    expect((await auditLines())[0]).toMatchObject({idempotencyKey: null, outcome: 'dry-run'})
  })

  it('a POST whose answer is lost is retried with the same Idempotency-Key and starts exactly one job', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'drop-response', path: '/api/v1/sync/jobs', times: 1})
    const result = await runCommand(['sync', 'customer', '10042', ...running.flags(), '--yes', '--json'], {env: env()})
    // The sync worked (one job); 10042 then still waits for the app refresh, so a break remains: exit 3.
    expect(parseJson(result).results[0]).toMatchObject({outcome: 'succeeded'})
    expect(result.exitCode).toBe(3)
    const posts = jobPosts()
    expect(posts).toHaveLength(2)
    expect(posts[0].idempotencyKey).toBe(posts[1].idempotencyKey)
    expect(running.sandbox.installation('acme').jobs.cmsJobs.size).toBe(1)
  })

  it('attaches to a job already running for the entity (409 job_running) instead of failing', async () => {
    const acme = running.sandbox.installation('acme')
    // The full job is held queued until the command has attached to it and asks how it goes, then runs
    // as usual: however slow the machine, the command finds it running.
    const held: Array<() => void> = []
    const release = () => {
      acme.jobs.timers.after = after
      for (const work of held.splice(0)) work()
    }
    const after = acme.jobs.timers.after
    acme.jobs.timers.after = (_ms: number, work: () => void) => held.push(work)
    onTestFinished(release)
    const started = await fetch(`${acme.services.cms.url}/api/v1/sync/jobs`, {
      body: JSON.stringify({entity: 'customers', keys: null, mode: 'full'}),
      headers: {
        authorization: `Bearer ${acme.tokens.admin}`,
        'content-type': 'application/json',
        'idempotency-key': 'test-running-job',
      },
      method: 'POST',
    })
    const runningJob = (await started.json()) as {jobId: string}
    acme.jobs.timers.after = after
    const command = runCommand(['sync', 'customer', '10042', ...running.flags(), '--yes', '--json'], {env: env()})
    const polled = () =>
      jobPolls().some((request: {path: string}) => request.path === `/api/v1/sync/jobs/${runningJob.jobId}`)
    let settled = false
    void command.finally(() => (settled = true)).catch(() => undefined)
    while (!polled() && !settled) await new Promise((resolve) => setTimeout(resolve, 10))
    release()
    const result = await command
    const fix = parseJson(result).results[0]
    expect(fix.job).toMatchObject({attached: true, id: runningJob.jobId, status: 'succeeded'})
    expect(acme.jobs.cmsJobs.size).toBe(1)
    // Synced; the app refresh of u-17 remains (exit 3, "done but a break remains").
    expect(result.exitCode).toBe(3)
  })

  it('stops waiting at --wait with exit 6 and says how to check the job later', async () => {
    // The job outlasts --wait 1 by far: it runs at ten times a user's pace (about 17 s; the sandbox stops it).
    running.sandbox.installation('acme').jobs.timers.timeScale = 10
    const result = await runCommand(['sync', 'customers', '--full', ...running.flags(), '--yes', '--wait', '1'], {
      env: env(),
    })
    expect(result.exitCode).toBe(6)
    expect(result.stdout).toMatch(/Still not finished: start a full CMS sync of customers \(j-\d+\)/)
    expect(result.stdout).toMatch(/synctrace status j-\d+/)
    expect((await auditLines())[0]).toMatchObject({outcome: 'timed-out'})
  })

  it('refuses a full sync without --full', async () => {
    const result = await runCommand(['sync', 'customers', ...running.flags(), '--yes'], {env: env()})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('needs --full')
    expect(jobPosts()).toHaveLength(0)
  })

  it('lists every attempt with synctrace audit, as JSON and filtered by --since', async () => {
    await runCommand(['sync', 'customer', '10042', ...running.flags(), '--dry-run'], {env: env()})
    await runCommand(['sync', 'customer', '10050', ...running.flags(), '--yes'], {env: env()})
    const listed = parseJson(await runCommand(['audit', '--json'], {env: env()}))
    expect(listed.entries.map((entry: AuditLine) => `${entry.outcome} ${JSON.stringify(entry.scope.keys)}`)).toEqual([
      'dry-run ["10042"]',
      'succeeded ["10050"]',
    ])
    const future = parseJson(await runCommand(['audit', '--json', '--since', '2999-01-01'], {env: env()}))
    expect(future.entries).toEqual([])
    const text = await runCommand(['audit'], {env: env()})
    // On screen: readable scope, profile, command, Idempotency-Key, times in the installation's zone with their
    // offset and the zone's name (not UTC).
    expect(text.stdout).toMatch(
      /\d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\) Europe\/Stockholm +succeeded +sync-targeted: start a targeted CMS sync of customer 10050\n +profile sandbox-acme · installation acme · admin@platform\.example \(admin\) · job j-\d+\n +command: synctrace sync customer 10050 .*\n {2,}Idempotency-Key: [0-9a-f-]{36}\n +verified: a break remains/,
    )
    // No UTC times (the log's path may hold any letters: only an ISO time counts).
    expect(text.stdout).not.toMatch(/T\d\d:\d\d(:\d\d(\.\d+)?)?Z/)
    expect(text.stdout).not.toContain('{"entity"')
  })
})
