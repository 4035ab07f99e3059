import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {RecordedRequest} from '../../src/emulation/service.js'
import {traceRecord} from '../../dist/trace/run.js'
import {type RunningSandbox, startTestSandbox, testHttp} from '../helpers/sandbox.js'

/**
 * The longest chain of requests each sent after the one before it was answered: the trace's dependent
 * round trips. Every hop answers 300 ms late, so requests sent together overlap whatever the machine's load.
 */
function waves(requests: RecordedRequest[]): {count: number; chain: string[]} {
  const sorted = [...requests].sort((a, b) => a.arrivedMs - b.arrivedMs)
  const best: Array<{count: number; chain: string[]}> = []
  for (const [index, request] of sorted.entries()) {
    let longest: {count: number; chain: string[]} = {chain: [], count: 0}
    for (const [before, earlier] of sorted.slice(0, index).entries())
      if (
        earlier.answeredMs !== null &&
        earlier.answeredMs <= request.arrivedMs &&
        (best[before]?.count ?? 0) > longest.count
      )
        longest = best[before] as {count: number; chain: string[]}
    best.push({
      chain: [...longest.chain, `${request.service} ${request.method} ${request.path}`],
      count: longest.count + 1,
    })
  }
  return best.reduce((a, b) => (b.count > a.count ? b : a), {chain: [], count: 0})
}

const cases = [
  ['acme', '10042', 2],
  ['fjord', '30042', 2],
  ['viking', '40042', 2],
  ['vnet', '50042', 2],
  ['nimbus', '50042', 2],
  ['nordic', '20001', 2],
] as const

describe('a trace sends together what does not depend on each other', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(cases.map(([installation]) => installation))
    for (const [installation] of cases)
      for (const hop of ['erp', 'cms', 'app', 'webshop'] as const)
        if (running.sandbox.installation(installation).services[hop])
          await running.sandbox.setFault(installation, hop, {delayMs: 300, kind: 'slow'})
  })
  afterAll(async () => {
    await running.stop()
  })

  it.each(cases)('%s: customer %s in at most %i dependent round trips', async (installation, key, most) => {
    const before = running.sandbox.requests(installation).length
    await traceRecord('customer', running.sandbox.installation(installation).profile(), key, {
      commandSuffix: '',
      http: testHttp,
      version: 'test',
    })
    const trip = waves(running.sandbox.requests(installation).slice(before))
    expect(trip.count, trip.chain.join('\n')).toBeLessThanOrEqual(most)
  })
})
