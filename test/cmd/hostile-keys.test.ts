import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
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
    const trace = await runCommand(['trace', 'customer', '..', ...running.flags(), '--json'])
    expect(parseJson(trace).verdict.cause).toBe('not-in-erp')
    const refresh = await runCommand(['refresh', 'app', '--user', '..', '--yes', ...running.flags(), '--json'], {
      env: {SYNCTRACE_AUDIT_LOG: `${running.configPath}.audit.jsonl`},
    })
    expect(refresh.exitCode).toBe(2)
    expect(parseJson(refresh).results[0].reason).toMatch(/^there is no app user \.\.: the app answered 404/)
    expect(parseJson(refresh).results[0].reason).not.toContain('--idempotency-key')
    const retransfer = await runCommand(['retransfer', 'order', 'X-1', '--yes', ...running.flags(), '--json'], {
      env: {SYNCTRACE_AUDIT_LOG: `${running.configPath}.audit.jsonl`},
    })
    expect(retransfer.exitCode).toBe(2)
    expect(parseJson(retransfer).results[0].reason).toContain('there is no order X-1')
    const paths = running.sandbox
      .requests('acme')
      .slice(before)
      .map((request: {path: string}) => request.path)
    expect(paths).toContain('/api/v1/customers/%2E%2E')
    expect(paths).toContain('/app/v1/users/%2E%2E/full-refresh')
    expect(paths).not.toContain('/app/v1/full-refresh')
    expect(paths.filter((path: string) => /\/\.\.?(\/|$)/.test(path))).toEqual([])
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
      const result = await runCommand(['trace', 'customer', key, ...running.flags(), '--format', 'markdown'])
      expect(result.exitCode).toBe(exitCode)
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expect(result.stdout).toContain('### synctrace: customer ')
      if (key.includes('|')) expect(result.stdout).not.toMatch(/customer `[^`]*\|/)
      if (key.startsWith(' ')) expect(result.stderr).toContain('spaces in the customer code were ignored')
    })

  it('shows a JSON report with the key exactly as given (no escaping in JSON)', async () => {
    const key = `x"y\\z'`
    const report = parseJson(await runCommand(['trace', 'customer', key, ...running.flags(), '--json']))
    expect(report.key).toBe(key)
  })
})
