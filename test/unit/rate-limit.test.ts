import {describe, expect, it, onTestFinished, vi} from 'vitest'

import {SlidingWindowLimiter} from '../../src/connectors/rate-limit.js'

describe('the client-side sliding window for Fortnox', () => {
  it('lets 25 requests through at once and holds the 26th until the first leaves the window', async () => {
    // Node's timers and Date on a clock the test moves: each turn's time is read off that clock.
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date']})
    onTestFinished(() => {
      vi.useRealTimers()
    })
    const limiter = new SlidingWindowLimiter(25, 300)
    const started = Date.now()
    const times: number[] = []
    const all = Promise.all(
      Array.from({length: 30}, () =>
        limiter
          .acquire({deadlineAt: Date.now() + 10_000, timeoutMs: 10_000}, 'Fortnox')
          .then(() => times.push(Date.now() - started)),
      ),
    )
    await vi.advanceTimersByTimeAsync(1000)
    await all
    times.sort((a, b) => a - b)
    expect(times.slice(0, 25).every((time) => time === 0)).toBe(true)
    expect(times.slice(25).every((time) => time >= 300)).toBe(true)
    for (let index = 25; index < times.length; index++)
      expect((times[index] as number) - (times[index - 25] as number)).toBeGreaterThanOrEqual(300)
  })
})
