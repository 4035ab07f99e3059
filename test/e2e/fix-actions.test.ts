import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
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
  const jobPosts = () => running.sandbox.requests('acme', 'cms').filter((request: {method: string; path: string}) => request.method === 'POST')

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

  it('10042: trace → targeted sync → re-trace: the ERP → CMS break is gone, one job, logged', async () => {
    const result = await runCli(['trace', 'customer', '10042', ...running.flags(), '--fix', '--yes', '--json'], {env: env()})
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(report.verdict.cause).toBe('erp-changed-after-sync')
    expect(report.fix).toMatchObject({action: 'sync-targeted', outcome: 'succeeded', role: 'admin'})
    expect(report.fix.verification).toEqual([expect.objectContaining({breakGone: true, key: '10042'})])
    expect(report.fix.verification[0].after.brokenLink).not.toEqual({from: 'erp', to: 'cms'})
    expect(running.sandbox.installation('acme').jobs.cmsJobs.size).toBe(1)
    expect(jobPosts()).toHaveLength(1)
    expect(jobPosts()[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    // The CMS really has the new delivery address now.
    const cms = running.sandbox.installation('acme').state.cms.customers.get('10042')
    expect(cms.addresses.find((address: {addressType: string}) => address.addressType === 'Delivery').addressLine1).toBe('Industrivägen 12')
    const [line] = await auditLines()
    expect(line).toMatchObject({action: 'sync-targeted', cmsUser: 'admin@platform.example', outcome: 'succeeded', role: 'admin', verification: {breakGone: true}})
    expect(line!.jobId).toBe(report.fix.job.id)
    expect(line!.idempotencyKey).toBe(jobPosts()[0].idempotencyKey)
  })

  it('10070: trace → full app refresh for u-17 → re-trace is consistent', async () => {
    const result = await runCli(['trace', 'customer', '10070', ...running.flags(), '--fix', '--yes', '--json'], {env: env()})
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(report.fix).toMatchObject({action: 'app-refresh', outcome: 'succeeded', scope: {kind: 'app-refresh', userId: 'u-17'}})
    expect(report.fix.devices).toEqual([expect.objectContaining({deviceId: 'd-3', refreshed: true})])
    expect(report.fix.verification[0]).toMatchObject({after: {cause: 'consistent'}, breakGone: true})
    expect(running.sandbox.requests('acme', 'app').filter((request: {method: string}) => request.method === 'POST').map((request: {path: string}) => request.path)).toEqual(['/app/v1/users/u-17/full-refresh'])
  })

  it('10090: trace → webshop republish → re-trace is consistent', async () => {
    const result = await runCli(['trace', 'customer', '10090', ...running.flags(), '--fix', '--yes'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Done: republish customer 10090 to the webshop')
    expect(result.stdout).toContain('10090: CMS → Webshop: missing → consistent everywhere  ✔ fixed')
    expect((await auditLines()).map((line) => line.action)).toEqual(['webshop-republish'])
  })

  it('refuses a support user before sending anything, and prints the command for an admin', async () => {
    const result = await runCli(['sync', 'customer', '10042', '--config', running.configPath, '--profile', 'sandbox-acme-support', '--yes'], {env: env()})
    expect(result.exitCode).toBe(5)
    expect(result.stdout).toContain('your CMS role is support')
    expect(result.stdout).toMatch(/Hand this command to an admin.*\n {2}synctrace sync customer 10042 --config \S+ --profile sandbox-acme-support/)
    expect(jobPosts()).toHaveLength(0)
    expect(await auditLines()).toEqual([expect.objectContaining({outcome: 'refused', role: 'support'})])
  })

  it('treats the server as the authority: a 403 on the job is a refusal, not a failure', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'status', path: '/api/v1/sync/jobs', status: 403})
    const result = await runCli(['sync', 'customer', '10042', ...running.flags(), '--yes', '--json'], {env: env()})
    expect(result.exitCode).toBe(5)
    expect(parseJson(result).results[0]).toMatchObject({outcome: 'refused'})
    expect(parseJson(result).results[0].reason).toContain('HTTP 403')
  })

  it('without a TTY and without --yes, refuses with a message naming --yes, and sends nothing', async () => {
    const result = await runCli(['sync', 'customer', '10042', ...running.flags()], {env: env()})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--yes is required')
    expect(jobPosts()).toHaveLength(0)
    expect((await auditLines())[0]).toMatchObject({outcome: 'refused'})
  })

  it('--fix without --yes and without a TTY refuses too, after printing the trace', async () => {
    const result = await runCli(['trace', 'customer', '10042', ...running.flags(), '--fix'], {env: env()})
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toContain('Verdict')
    expect(result.stderr).toContain('--yes is required')
    expect(jobPosts()).toHaveLength(0)
  })

  it('--dry-run prints the request, changes nothing and exits 0', async () => {
    const result = await runCli(['sync', 'customer', '10042', ...running.flags(), '--dry-run'], {env: env()})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Dry run: would start a targeted CMS sync of customer 10042')
    expect(result.stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/sync\/jobs/)
    expect(result.stdout).toContain('{"entity":"customers","keys":["10042"],"mode":"targeted"}')
    expect(jobPosts()).toHaveLength(0)
    const stillStale = parseJson(await runCli(['trace', 'customer', '10042', ...running.flags(), '--json']))
    expect(stillStale.verdict.cause).toBe('erp-changed-after-sync')
    expect((await auditLines())[0]).toMatchObject({idempotencyKey: null, outcome: 'dry-run'})
  })

  it('a POST whose answer is lost is retried with the same Idempotency-Key and starts exactly one job', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'drop-response', path: '/api/v1/sync/jobs', times: 1})
    const result = await runCli(['sync', 'customer', '10042', ...running.flags(), '--yes', '--json'], {env: env()})
    expect(result.exitCode).toBe(0)
    const posts = jobPosts()
    expect(posts).toHaveLength(2)
    expect(posts[0].idempotencyKey).toBe(posts[1].idempotencyKey)
    expect(running.sandbox.installation('acme').jobs.cmsJobs.size).toBe(1)
  })

  it('attaches to a job already running for the entity (409 job_running) instead of failing', async () => {
    const acme = running.sandbox.installation('acme')
    const started = await fetch(`${acme.services.cms.url}/api/v1/sync/jobs`, {
      body: JSON.stringify({entity: 'customers', keys: null, mode: 'full'}),
      headers: {authorization: `Bearer ${acme.tokens.admin}`, 'content-type': 'application/json', 'idempotency-key': 'test-running-job'},
      method: 'POST',
    })
    const runningJob = (await started.json()) as {jobId: string}
    const result = await runCli(['sync', 'customer', '10042', ...running.flags(), '--yes', '--json'], {env: env()})
    const fix = parseJson(result).results[0]
    expect(fix.job).toMatchObject({attached: true, id: runningJob.jobId, status: 'succeeded'})
    expect(acme.jobs.cmsJobs.size).toBe(1)
    expect(result.exitCode).toBe(0)
  })

  it('stops waiting at --timeout with exit 6 and says how to check the job later', async () => {
    const result = await runCli(['sync', 'customers', '--full', ...running.flags(), '--yes', '--timeout', '1'], {env: env()})
    expect(result.exitCode).toBe(6)
    expect(result.stdout).toMatch(/Still not finished: start a full CMS sync of customers \(j-\d+\)/)
    expect(result.stdout).toMatch(/synctrace sync status j-\d+/)
    expect((await auditLines())[0]).toMatchObject({outcome: 'timed-out'})
  })

  it('refuses a full sync without --full', async () => {
    const result = await runCli(['sync', 'customers', ...running.flags(), '--yes'], {env: env()})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('needs --full')
    expect(jobPosts()).toHaveLength(0)
  })

  it('lists every attempt with synctrace audit, as JSON and filtered by --since', async () => {
    await runCli(['sync', 'customer', '10042', ...running.flags(), '--dry-run'], {env: env()})
    await runCli(['sync', 'customer', '10050', ...running.flags(), '--yes'], {env: env()})
    const listed = parseJson(await runCli(['audit', '--json'], {env: env()}))
    expect(listed.entries.map((entry: AuditLine) => `${entry.outcome} ${JSON.stringify(entry.scope.keys)}`)).toEqual(['dry-run ["10042"]', 'succeeded ["10050"]'])
    const future = parseJson(await runCli(['audit', '--json', '--since', '2999-01-01'], {env: env()}))
    expect(future.entries).toEqual([])
    const text = await runCli(['audit'], {env: env()})
    expect(text.stdout).toMatch(/succeeded +sync-targeted .*10050.*verified fixed/)
  })
})
