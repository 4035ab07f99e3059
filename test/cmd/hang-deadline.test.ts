import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import type {Clock} from '../../src/util/clock.js'
import {parseJson} from '../helpers/cli.js'
import {fastPollClock, runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/**
 * A hop that never answers ends the trace at its deadline: the report names that hop's timeout and is written
 * after --timeout, not after a second timeout or a socket's close. Measured on the run's clock, from its first
 * reading (the trace's deadline counts from it) to the run's last output. The bound here is loose on purpose
 * (a test must not flake on a loaded machine): the 0.3 s figure is measured by `npm run bench:deadline`.
 */
function recordingClock(): Clock & {first: () => number} {
  let first: number | undefined
  return {
    first: () => first as number,
    now: () => {
      const now = fastPollClock.now()
      first ??= now
      return now
    },
    sleep: fastPollClock.sleep,
  }
}

const timeoutS = 1
const boundMs = timeoutS * 1000 + 3000

describe('a hanging hop ends the trace at its deadline', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['acme', 'nordic'])
    // The test process loads the commands' modules once, before anything is measured (a spawned run's own
    // start is bench:deadline's and the e2e tier's).
    await runCommand(['trace', 'customer', '10042', ...running.flags('acme'), '--json'])
  })
  afterEach(async () => {
    for (const hop of ['erp', 'cms', 'app'] as const) await running.sandbox.setFault('acme', hop, null)
    await running.sandbox.setFault('nordic', 'cms', null)
  })
  afterAll(async () => {
    await running.stop()
  })

  it.each([
    ['acme', 'erp'],
    ['acme', 'cms'],
    ['acme', 'app'],
  ] as const)(
    '%s with its %s hanging: the report names its timeout, written at the deadline',
    async (installation, hop) => {
      await running.sandbox.setFault(installation, hop, {kind: 'hang'})
      const clock = recordingClock()
      const result = await runCommand(
        ['trace', 'customer', '10042', ...running.flags(installation), '--timeout', String(timeoutS), '--json'],
        {clock},
      )
      const report = parseJson(result)
      const hung = report.hops.find((entry: {hop: string}) => entry.hop === hop)
      expect(hung.status).toBe('unreachable')
      expect(hung.problem.kind).toBe('timeout')
      expect(report.exitCode).toBeGreaterThanOrEqual(3)
      expect(result.lastOutputAt).not.toBeNull()
      expect((result.lastOutputAt as number) - clock.first()).toBeLessThanOrEqual(boundMs)
    },
  )

  it('sends no request once the deadline has passed (the app users of the sales rep the ERP names, the CMS hung)', async () => {
    await running.sandbox.setFault('acme', 'cms', {kind: 'hang'})
    const before = running.sandbox.requests('acme', 'app').length
    const result = await runCommand(
      ['trace', 'customer', '10042', ...running.flags('acme'), '--timeout', String(timeoutS), '--json', '--debug'],
      {clock: recordingClock()},
    )
    const appPaths = running.sandbox
      .requests('acme', 'app')
      .slice(before)
      .map((request) => request.path)
    expect(appPaths).not.toContain('/app/v1/users')
    expect(result.stderr).toMatch(/GET \S+\/app\/v1\/users\?salesRepCode=SR7 → not sent, the deadline has passed/)
    expect(parseJson(result).hops.find((entry: {hop: string}) => entry.hop === 'app').problem.kind).toBe('timeout')
  })

  it('opens no file-server session once the deadline has passed (the CMS, which names the server, hung)', async () => {
    await running.sandbox.setFault('nordic', 'cms', {kind: 'hang'})
    const clock = recordingClock()
    const result = await runCommand(
      ['trace', 'customer', '10042', ...running.flags('nordic'), '--timeout', String(timeoutS), '--json', '--debug'],
      {clock},
    )
    const report = parseJson(result)
    expect(report.hops.find((entry: {hop: string}) => entry.hop === 'cms').problem.kind).toBe('timeout')
    expect(result.stderr).not.toMatch(/connect and log in/)
    expect(result.stderr).toMatch(/not connecting, the deadline has passed/)
    expect((result.lastOutputAt as number) - clock.first()).toBeLessThanOrEqual(boundMs)
  })
})
