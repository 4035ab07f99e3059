import {describe, expect, it} from 'vitest'

import {progressText} from '../../src/cli/reconcile-progress.js'

const state = {
  compared: 0,
  etaSeconds: null,
  expected: 2000,
  findings: 0,
  phase: 'reading' as const,
  recordsPerSecond: 0,
}

describe('the reconcile progress line', () => {
  it('draws a bar with the share done, the count of the estimate, the rate, the time left and the findings', () => {
    expect(
      progressText('customers', {...state, compared: 1000, etaSeconds: 2, findings: 3, recordsPerSecond: 500}),
    ).toBe('[##########..........] 50% · 1,000 of ~2,000 customers · 500/s · about 2 s left · 3 findings')
  })

  it('says it is estimating before the first rate, and finishing when more keys come than estimated', () => {
    expect(progressText('items', state)).toContain('0% · 0 of ~2,000 items · 0/s · estimating the time left')
    expect(progressText('items', {...state, compared: 2500, findings: 1, recordsPerSecond: 12_345.6})).toBe(
      '[###################.] 99% · 2,500 of ~2,000 items · 12,346/s · finishing · 1 finding',
    )
  })

  it('has no bar when no total can be estimated (no earlier run, no full sync)', () => {
    expect(progressText('customers', {...state, compared: 4096, expected: null, recordsPerSecond: 2048})).toBe(
      '4,096 customers compared · 2,048/s · 0 findings',
    )
  })
})
