import {getEventListeners} from 'node:events'
import {describe, expect, it} from 'vitest'

import {SessionDeadline} from '../../src/connectors/ftp/file-server/deadline.js'

const location = {basePath: '/a4s', host: '127.0.0.1', port: 21, protocol: 'ftp' as const}

describe('the deadline of one file-server session', () => {
  it("lets go of the run's signal when the session ends: a fix loop's many sessions leave no listener behind", () => {
    const run = new AbortController()
    for (let session = 0; session < 12; session++) new SessionDeadline(location, 20_000, run.signal).end()
    // Node warns (MaxListenersExceededWarning) on the user's terminal from the 11th listener on.
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
  })

  it('still ends an open session when the run is interrupted (Ctrl-C)', () => {
    const run = new AbortController()
    const deadline = new SessionDeadline(location, 20_000, run.signal)
    let closed = false
    deadline.whenExpired(() => {
      closed = true
    })
    run.abort(new Error('interrupted'))
    expect(closed).toBe(true)
    expect(deadline.expired).toBe(true)
    deadline.end()
  })
})
