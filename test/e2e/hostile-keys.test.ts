import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {clientsForProfile} from '../../dist/config/clients.js'
import {diagnoseCustomer} from '../../dist/diagnose/customer.js'
import {HttpClient} from '../../dist/http/client.js'
import {observeCustomer} from '../../dist/observe/customer.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('hostile keys', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterAll(async () => {
    await running.stop()
  })

  it('sends the keys . and .. as encoded segments that no hop resolves, in traces and fix routes', async () => {
    const before = running.sandbox.requests('acme').length
    const trace = await runCli(['trace', 'customer', '..', ...running.flags(), '--json'])
    expect(parseJson(trace).verdict.cause).toBe('not-in-erp')
    const refresh = await runCli(['refresh', 'app', '--user', '..', '--yes', ...running.flags(), '--json'], {env: {SYNCTRACE_AUDIT_LOG: `${running.configPath}.audit.jsonl`}})
    expect(refresh.exitCode).toBe(2)
    expect(parseJson(refresh).results[0].reason).toMatch(/^there is no app user \.\.: the app answered 404/)
    expect(parseJson(refresh).results[0].reason).not.toContain('--idempotency-key')
    const retransfer = await runCli(['retransfer', 'order', 'X-1', '--yes', ...running.flags(), '--json'], {env: {SYNCTRACE_AUDIT_LOG: `${running.configPath}.audit.jsonl`}})
    expect(retransfer.exitCode).toBe(2)
    expect(parseJson(retransfer).results[0].reason).toContain('there is no order X-1')
    const paths = running.sandbox.requests('acme').slice(before).map((request: {path: string}) => request.path)
    expect(paths).toContain('/api/v1/customers/%2E%2E')
    expect(paths).toContain('/app/v1/users/%2E%2E/full-refresh')
    expect(paths).not.toContain('/app/v1/full-refresh')
    expect(paths.filter((path: string) => /\/\.\.?(\/|$)/.test(path))).toEqual([])
  })

  it('any unicode key reaches every hop intact as one path segment and one OData literal, and gets a verdict', async () => {
    const acme = running.sandbox.installation('acme')
    const http = new HttpClient({maxRetries: 0})
    const clients = clientsForProfile(acme.profile('admin'), http)
    const seeded = new Set(acme.state.scenarios.map((scenario: {code: string}) => scenario.code))
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({maxLength: 60, minLength: 1, unit: 'binary'}), async (key) => {
          fc.pre(!seeded.has(key))
          const before = running.sandbox.requests('acme').length
          const observations = await observeCustomer(clients, key)
          const diagnosis = diagnoseCustomer(observations, {commandSuffix: '', traceCommand: 'x'})
          expect(diagnosis.verdict.cause).toBe('not-in-erp')
          const requests = running.sandbox.requests('acme').slice(before)
          const cmsLookup = requests.find((request: {path: string}) => request.path.startsWith('/api/v1/customers/'))
          expect(decodeURIComponent(cmsLookup.path.slice('/api/v1/customers/'.length))).toBe(key)
          const erpLookup = requests.find((request: {path: string; query: Record<string, string>}) => request.path.endsWith('/customers') && request.query.$filter)
          expect(erpLookup.query.$filter).toBe(`number eq '${key.replace(/'/g, "''")}'`)
        }),
        {numRuns: 60},
      )
    } finally {
      await http.close()
    }
  })

  const table: Array<[string, string, number]> = [
    ['a quote', `O'Neil & "Sons"`, 3],
    ['slashes and dots', '../../etc/passwd', 3],
    ['percent signs', '100%25', 3],
    ['unicode and right-to-left override', 'Å‮Ö漢字🙂', 3],
    ['surrounding spaces around a real code', '  10001  ', 0],
    ['200 characters', 'k'.repeat(200), 3],
    ['a backtick and pipes', '`a|b`', 3],
  ]
  for (const [what, key, exitCode] of table)
    it(`traces a key with ${what} without a crash (exit ${exitCode})`, async () => {
      const result = await runCli(['trace', 'customer', key, ...running.flags(), '--format', 'markdown'])
      expect(result.exitCode).toBe(exitCode)
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expect(result.stdout).toContain('### synctrace: customer ')
      if (key.includes('|')) expect(result.stdout).not.toMatch(/customer `[^`]*\|/)
      if (key.startsWith(' ')) expect(result.stderr).toContain('spaces in the customer code were ignored')
    })

  it('shows a JSON report with the key exactly as given (no escaping in JSON)', async () => {
    const key = `x"y\\z'`
    const report = parseJson(await runCli(['trace', 'customer', key, ...running.flags(), '--json']))
    expect(report.key).toBe(key)
  })
})
