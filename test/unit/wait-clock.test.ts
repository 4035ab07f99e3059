import {describe, expect, it} from 'vitest'

import {waitFor} from '../../src/actions/wait.js'
import type {Clock} from '../../src/util/clock.js'

/** A clock that never waits: each sleep moves its time on at once and is noted. */
function steppingClock(): Clock & {slept: number[]} {
  let now = 1_000_000
  const slept: number[] = []
  return {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    },
    slept,
  }
}

const poll = (finishedAfter: number) => {
  let polls = 0
  return async () => {
    polls++
    const finished = polls >= finishedAfter
    return {
      doneAt: finished ? '2025-01-01T00:00:00.000Z' : null,
      error: null,
      failed: false,
      finished,
      progress: {text: `poll ${polls}`},
      status: finished ? 'succeeded' : 'running',
    }
  }
}

describe('waiting for a job on the clock it is given', () => {
  it('polls after 300 ms, then half as long again each time, sleeping on that clock', async () => {
    const clock = steppingClock()
    const waited = await waitFor(poll(4), {clock, progress: () => undefined, waitTimeoutMs: 60_000})
    expect(waited).toMatchObject({jobStatus: 'succeeded', status: 'done'})
    expect(clock.slept).toEqual([300, 450, 675])
  })

  it('gives up at --wait by that clock, not the wall clock', async () => {
    const clock = steppingClock()
    const waited = await waitFor(poll(Number.POSITIVE_INFINITY), {
      clock,
      progress: () => undefined,
      waitTimeoutMs: 5000,
    })
    expect(waited).toEqual({doneAt: null, jobStatus: 'running', reason: 'still running after 5 s', status: 'timed-out'})
    expect(clock.slept).toEqual([300, 450, 675, 1013, 1520])
  })
})
