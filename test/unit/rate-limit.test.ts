import {describe, expect, it} from 'vitest'

import {SlidingWindowLimiter} from '../../src/connectors/rate-limit.js'

describe('the client-side sliding window for Fortnox', () => {
  it('lets 25 requests through at once and holds the 26th until the first leaves the window', async () => {
    const limiter = new SlidingWindowLimiter(25, 300)
    const started = Date.now()
    const times: number[] = []
    await Promise.all(
      Array.from({length: 30}, () =>
        limiter
          .acquire({deadlineAt: Date.now() + 10_000, timeoutMs: 10_000}, 'Fortnox')
          .then(() => times.push(Date.now() - started)),
      ),
    )
    times.sort((a, b) => a - b)
    expect(times.slice(0, 25).every((time) => time < 100)).toBe(true)
    expect(times.slice(25).every((time) => time >= 300)).toBe(true)
    for (let index = 25; index < times.length; index++)
      expect(times[index]! - times[index - 25]!).toBeGreaterThanOrEqual(295)
  })
})
