import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest'

import {resolveTimeScale} from '../../dist/sandbox/job-timers.js'
import {appHandler} from '../../dist/sandbox/platform/app.js'
import {cmsHandler} from '../../dist/sandbox/platform/cms.js'
import {webshopHandler} from '../../dist/sandbox/platform/webshop.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
type Json = Record<string, unknown>

/**
 * The sandbox's jobs on a clock the test moves: its platform handlers are called in this process with
 * Node's timers faked, so "done after 18 ms of sandbox time" is checked without waiting for anything.
 */
function platformOf(sandbox: Sandbox) {
  const {jobs, state, tokens} = sandbox.installation('acme')
  const handlers = {
    app: appHandler(state, tokens, jobs),
    cms: cmsHandler(state, tokens, jobs),
    webshop: webshopHandler(state, tokens, jobs),
  }
  const send = async (service: keyof typeof handlers, method: string, path: string, body?: Json): Promise<Json> => {
    const answer = await handlers[service]({
      bearer: tokens.admin,
      body: body ? JSON.stringify(body) : '',
      headers: {'idempotency-key': `${method} ${path}`},
      method,
      path,
      query: new URLSearchParams(),
    })
    return answer.body as Json
  }
  /** Starts a targeted sync of 10042, u-17's full refresh and a republish of 10090; their current states. */
  const start = async () => {
    const job = await send('cms', 'POST', '/api/v1/sync/jobs', {entity: 'customers', keys: ['10042'], mode: 'targeted'})
    const refresh = await send('app', 'POST', '/app/v1/users/u-17/full-refresh')
    const republish = await send('webshop', 'POST', '/webshop/v1/republish', {entity: 'customers', keys: ['10090']})
    return async () => [
      (await send('cms', 'GET', `/api/v1/sync/jobs/${job.jobId}`)).status,
      (await send('app', 'GET', `/app/v1/refresh-requests/${refresh.requestId}`)).status,
      (await send('webshop', 'GET', `/webshop/v1/republish/${republish.requestId}`)).status,
    ]
  }
  return {start}
}

describe("the sandbox's time scale", () => {
  let sandbox: Sandbox | undefined
  afterEach(async () => {
    vi.useRealTimers()
    await sandbox?.stop()
    sandbox = undefined
  })

  it('at 0.01 a sync job, an app full refresh and a webshop republish are done after a hundredth of their time', async () => {
    sandbox = await startSandbox({installations: ['acme'], timeScale: 0.01})
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const statuses = await platformOf(sandbox).start()
    expect(await statuses()).toEqual(['queued', 'pending', 'pending'])
    // The longest of them, the sync job, takes 1.75 s at a user's pace: 17.5 ms here.
    await vi.advanceTimersByTimeAsync(18)
    expect(await statuses()).toEqual(['succeeded', 'done', 'done'])
    const cms = sandbox.installation('acme').state.cms.customers.get('10042') as {addresses: Json[]}
    const addresses = cms.addresses
    expect(addresses.find((address) => address.addressType === 'Delivery')?.addressLine1).toBe('Industrivägen 12')
  })

  it('at the default scale the jobs keep the pace a user of --sandbox sees', async () => {
    sandbox = await startSandbox({installations: ['acme']})
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const statuses = await platformOf(sandbox).start()
    await vi.advanceTimersByTimeAsync(18)
    expect(await statuses()).toEqual(['queued', 'pending', 'pending'])
    await vi.advanceTimersByTimeAsync(800)
    expect(await statuses()).toEqual(['running', 'pending', 'done'])
    await vi.advanceTimersByTimeAsync(1750 - 818)
    expect(await statuses()).toEqual(['succeeded', 'done', 'done'])
  })
})

describe('SYNCTRACE_SANDBOX_TIME_SCALE, the time scale of a spawned --sandbox', () => {
  const usual = process.env.SYNCTRACE_SANDBOX_TIME_SCALE
  let sandbox: Sandbox | undefined
  beforeAll(() => {
    process.env.SYNCTRACE_SANDBOX_TIME_SCALE = '0.01'
  })
  afterAll(async () => {
    if (usual === undefined) delete process.env.SYNCTRACE_SANDBOX_TIME_SCALE
    else process.env.SYNCTRACE_SANDBOX_TIME_SCALE = usual
    await sandbox?.stop()
  })

  it('sets the scale of a sandbox started without one (as --sandbox starts it)', async () => {
    sandbox = await startSandbox({installations: ['acme']})
    expect(sandbox.installation('acme').jobs.timers.timeScale).toBe(0.01)
  })

  it('yields to a scale given in the options; absent or empty it is 1; anything but a number above 0 is refused', () => {
    expect(resolveTimeScale(0.5)).toBe(0.5)
    expect(resolveTimeScale(undefined, {})).toBe(1)
    expect(resolveTimeScale(undefined, {SYNCTRACE_SANDBOX_TIME_SCALE: ' '})).toBe(1)
    for (const bad of ['0', '-1', 'fast'])
      expect(() => resolveTimeScale(undefined, {SYNCTRACE_SANDBOX_TIME_SCALE: bad})).toThrow(
        `SYNCTRACE_SANDBOX_TIME_SCALE must be a number above 0 (1 is the usual pace, 0.01 a hundred times faster), not "${bad}"`,
      )
  })
})
