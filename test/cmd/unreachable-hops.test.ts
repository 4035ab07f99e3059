import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

const statusOf = (report: {hops: Array<{hop: string; status: string}>}) =>
  Object.fromEntries(report.hops.map((hop) => [hop.hop, hop.status]))

describe('a hop that is down, hangs or answers garbage', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterEach(async () => {
    for (const hop of ['erp', 'cms', 'app', 'webshop'] as const) await running.sandbox.setFault('acme', hop, null)
  })
  afterAll(async () => {
    await running.stop()
  })

  it('reports a webshop stopped mid-test as unreachable, never missing, and exits 4', async () => {
    await running.sandbox.setFault('acme', 'webshop', {kind: 'down'})
    const result = await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(4)
    expect(statusOf(report)).toEqual({app: 'present', cms: 'present', erp: 'present', webshop: 'unreachable'})
    expect(report.hops[3].problem.kind).toBe('unreachable')
    expect(report.hops[3].problem.message).toContain('connection refused')
    expect(report.verdict).toMatchObject({brokenLink: null, cause: 'hop-unreachable', complete: false, ok: false})
    expect(report.verdict.summary).toContain('could not be fully checked')
    expect(report.action.kind).toBe('retry-trace')
  })

  it('with the ERP down, does not call the CMS stale or the customer missing', async () => {
    await running.sandbox.setFault('acme', 'erp', {kind: 'down'})
    const report = parseJson(await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json']))
    expect(statusOf(report)).toEqual({app: 'present', cms: 'present', erp: 'unreachable', webshop: 'present'})
    expect(report.verdict.cause).toBe('hop-unreachable')
    expect(report.exitCode).toBe(4)
  })

  it('with the ERP down and the CMS without the customer, says it cannot tell rather than blaming a hop', async () => {
    await running.sandbox.setFault('acme', 'erp', {kind: 'down'})
    const result = await runCommand(['trace', 'customer', '10050', ...running.flags(), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(4)
    expect(report.verdict.brokenLink).toBeNull()
    expect(report.hops[1].summary).toContain('could not be checked')
  })

  it('still names a break found downstream when another hop is unreachable (exit 3, incomplete)', async () => {
    await running.sandbox.setFault('acme', 'erp', {kind: 'down'})
    const report = parseJson(await runCommand(['trace', 'customer', '10090', ...running.flags(), '--json']))
    expect(report.exitCode).toBe(3)
    expect(report.verdict).toMatchObject({
      brokenLink: {from: 'cms', to: 'webshop'},
      cause: 'not-published-to-webshop',
      complete: false,
    })
    expect(report.verdict.otherFindings.join(' ')).toContain('the ERP could not be checked')
  })

  it('reports a CMS that answers HTTP 500 as an error of the CMS, not as a missing record', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'status', status: 500})
    const report = parseJson(
      await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json', '--timeout', '3']),
    )
    expect(report.hops[1].status).toBe('error')
    expect(report.hops[1].problem.httpStatus).toBe(500)
    expect(statusOf(report).webshop).not.toBe('missing')
    expect(report.exitCode).toBe(4)
  })

  it('reports an app backend sending malformed JSON as an error naming the bad answer', async () => {
    await running.sandbox.setFault('acme', 'app', {kind: 'malformed-json'})
    const report = parseJson(await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json']))
    expect(report.hops[2].status).toBe('error')
    expect(report.hops[2].problem.kind).toBe('bad-response')
    expect(report.hops[2].problem.message).toMatch(/instead of JSON/)
  })

  it('reports a hanging webshop as unreachable after the timeout, while the other hops report', async () => {
    await running.sandbox.setFault('acme', 'webshop', {kind: 'hang'})
    const started = Date.now()
    const report = parseJson(
      await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json', '--timeout', '2']),
    )
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(report.hops[3]).toMatchObject({problem: {kind: 'timeout'}, status: 'unreachable'})
    expect(statusOf(report)).toMatchObject({app: 'present', cms: 'present', erp: 'present'})
  })

  it('ends within its --timeout (one deadline for the whole observation) when the app hangs', async () => {
    await running.sandbox.setFault('acme', 'app', {kind: 'hang'})
    const started = Date.now()
    const report = parseJson(
      await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json', '--timeout', '3']),
    )
    // Sequential waits (the app's users, then their devices) used to add up to twice the timeout.
    expect(Date.now() - started).toBeLessThan(5_500)
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'app')).toMatchObject({status: 'unreachable'})
  })

  it('retries the ERP token request like every idempotent request (a 502, then the token)', async () => {
    const tenant = running.sandbox.installation('acme').state.erp.state.tenant
    await running.sandbox.setFault('acme', 'erp', {
      kind: 'status',
      path: `/${tenant}/oauth2/v2.0/token`,
      status: 502,
      times: 1,
    })
    const tokenRequests = () =>
      running.sandbox
        .requests('acme', 'erp')
        .filter((request: {path: string}) => request.path.endsWith('/oauth2/v2.0/token')).length
    const before = tokenRequests()
    const result = await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json', '--no-cache'])
    expect(result.exitCode).toBe(0)
    expect(tokenRequests() - before).toBe(2)
  })

  it('waits out a 429 with Retry-After and then reports the hop normally', async () => {
    await running.sandbox.setFault('acme', 'webshop', {kind: 'status', retryAfter: '1', status: 429, times: 1})
    const before = running.sandbox.requests('acme', 'webshop').length
    const result = await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json'])
    expect(result.exitCode).toBe(0)
    expect(running.sandbox.requests('acme', 'webshop').length - before).toBe(2)
  })

  it('reports a webshop that resets the connection mid-body as unreachable', async () => {
    await running.sandbox.setFault('acme', 'webshop', {kind: 'reset'})
    const report = parseJson(
      await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json', '--timeout', '5']),
    )
    expect(report.hops[3]).toMatchObject({problem: {kind: 'unreachable'}, status: 'unreachable'})
    expect(report.hops[3].problem.message).toContain('closed mid-response')
    expect(statusOf(report)).toMatchObject({app: 'present', cms: 'present', erp: 'present'})
  })

  it('gives up at once on a 429 whose Retry-After is beyond the time budget, and says so', async () => {
    await running.sandbox.setFault('acme', 'app', {kind: 'status', retryAfter: '120', status: 429})
    const started = Date.now()
    const report = parseJson(
      await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json', '--timeout', '5']),
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(report.hops[2]).toMatchObject({problem: {httpStatus: 429, kind: 'rate-limited'}, status: 'error'})
    expect(report.hops[2].problem.message).toContain(
      'HTTP 429 (rate limited) asks to wait 120 s, beyond the timeout (5 s)',
    )
  })

  it('retries a 503 and then reports the hop normally', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'status', path: '/api/v1/customers/', status: 503, times: 1})
    const result = await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json'])
    expect(result.exitCode).toBe(0)
    expect(parseJson(result).hops[1].status).toBe('present')
  })

  it('reports an HTML error page from a proxy as an error of that hop', async () => {
    await running.sandbox.setFault('acme', 'erp', {kind: 'html'})
    const report = parseJson(
      await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json', '--timeout', '3']),
    )
    expect(report.hops[0].status).toBe('error')
    expect(report.hops[0].problem.message).toContain('HTTP 502')
    expect(report.verdict.cause).toBe('hop-error')
  })

  it('refuses a huge body instead of exhausting memory', async () => {
    await running.sandbox.setFault('acme', 'webshop', {kind: 'huge', megabytes: 25})
    const report = parseJson(await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json']))
    expect(report.hops[3]).toMatchObject({problem: {kind: 'bad-response'}, status: 'error'})
    expect(report.hops[3].problem.message).toContain('exceeded 20 MiB')
  })

  it('reports refused credentials on the CMS as an error, not as a missing customer', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'status', status: 401})
    const report = parseJson(await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json']))
    expect(report.hops[1]).toMatchObject({problem: {httpStatus: 401, kind: 'auth'}, status: 'error'})
    expect(report.installation).toBeNull()
    expect(report.exitCode).toBe(4)
  })

  it('bounds each request of a fix command by --timeout, apart from how long --wait waits for the job', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'hang', path: '/api/v1/sync/jobs'})
    const started = Date.now()
    const auditLog = join(tmpdir(), `synctrace-timeout-${process.pid}-${Date.now()}.jsonl`)
    const result = await runCommand(
      ['sync', 'customer', '10042', ...running.flags(), '--yes', '--timeout', '2', '--wait', '600', '--json'],
      {env: {SYNCTRACE_AUDIT_LOG: auditLog}},
    )
    // The POST that starts the job hangs: given up after 2 s (not the 20 s default, nor the 600 s wait).
    expect(Date.now() - started).toBeLessThan(12_000)
    expect(result.exitCode).toBe(4)
    const [sync] = parseJson(result).results
    expect(sync).toMatchObject({outcome: 'failed'})
    expect(sync.reason).toContain('within 2000 ms')
  })
})
