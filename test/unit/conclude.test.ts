import {describe, expect, it} from 'vitest'

import {type Assessment, conclude} from '../../src/diagnose/conclude.js'
import {baseReport} from '../../src/diagnose/report-helpers.js'
import type {HopName, HopStatus} from '../../src/report/types.js'

const hop = (
  name: HopName,
  status: HopStatus = 'present',
  cause: Assessment['cause'] = null,
  extra: Partial<Assessment> = {},
): Assessment => ({
  cause,
  report: {
    ...baseReport(name, name, 1, null),
    status,
    summary: `${name} is ${status}`,
    ...(status === 'unreachable'
      ? {problem: {kind: 'unreachable' as const, message: `${name}: connection refused`}}
      : {}),
  },
  ...extra,
})
const options = (assessments: Assessment[]) => ({
  assessments,
  chain: ['erp', 'cms', 'app', 'webshop'] as HopName[],
  clock: {now: new Date('2026-11-22T09:30:00Z'), timeZone: 'UTC'},
  context: {commandSuffix: '', entity: 'customer' as const, key: '1', traceCommand: 'synctrace trace customer 1'},
  installation: undefined,
  subject: 'Customer 1',
  upstreamOf: {app: 'cms', cms: 'erp', erp: null, webshop: 'cms'} as const,
})

describe('conclude: the verdict from the hops', () => {
  it('names the first broken link in chain order, and the others as further findings (exit 3)', () => {
    const diagnosis = conclude(
      options([
        hop('erp'),
        hop('cms', 'stale', 'erp-changed-after-sync', {causeSummary: 'the CMS is older'}),
        hop('app'),
        hop('webshop', 'missing', 'not-published-to-webshop', {causeSummary: 'no webshop copy'}),
      ]),
    )
    expect(diagnosis.verdict).toMatchObject({
      brokenLink: {from: 'erp', to: 'cms'},
      cause: 'erp-changed-after-sync',
      complete: true,
      ok: false,
      summary: 'the CMS is older',
    })
    expect(diagnosis.verdict.otherFindings).toEqual(['no webshop copy'])
    expect(diagnosis.exitCode).toBe(3)
    expect(diagnosis.action.kind).toBe('targeted-sync')
  })

  it("takes an assessment's own broken link over the link into its hop", () => {
    const diagnosis = conclude(
      options([
        hop('erp'),
        hop('cms', 'present', 'removed-from-erp', {brokenLink: {from: null, to: 'erp'}}),
        hop('app'),
        hop('webshop'),
      ]),
    )
    expect(diagnosis.verdict.brokenLink).toEqual({from: null, to: 'erp'})
  })

  it('is incomplete (exit 4, retry) when nothing is broken but a hop on the path was unreachable', () => {
    const diagnosis = conclude(options([hop('erp'), hop('cms'), hop('app', 'unreachable'), hop('webshop')]))
    expect(diagnosis.verdict).toMatchObject({brokenLink: null, cause: 'hop-unreachable', complete: false, ok: false})
    expect(diagnosis.verdict.summary).toContain('the app was unreachable (app: connection refused)')
    expect(diagnosis.exitCode).toBe(4)
    expect(diagnosis.action.kind).toBe('retry-trace')
  })

  it('still names a break when another hop could not be checked, marked incomplete', () => {
    const diagnosis = conclude(
      options([
        hop('erp', 'unreachable'),
        hop('cms'),
        hop('app'),
        hop('webshop', 'missing', 'not-published-to-webshop'),
      ]),
    )
    expect(diagnosis.verdict).toMatchObject({cause: 'not-published-to-webshop', complete: false})
    expect(diagnosis.verdict.otherFindings.join(' ')).toContain('the ERP could not be checked')
    expect(diagnosis.exitCode).toBe(3)
  })

  it('is ok with exit 0 when every hop is present, and says a note (expected stock lag) in the summary', () => {
    expect(conclude(options([hop('erp'), hop('cms'), hop('app'), hop('webshop')])).verdict).toMatchObject({
      cause: 'consistent',
      ok: true,
      summary: 'Customer 1 is consistent at every hop checked.',
    })
    const note = {cause: 'expected-stock-lag' as const, evidence: [], summary: 'Stock moved after the last sync.'}
    const diagnosis = conclude(options([hop('erp'), hop('cms', 'present', null, {note}), hop('app'), hop('webshop')]))
    expect(diagnosis.verdict).toMatchObject({cause: 'expected-stock-lag', ok: true})
    expect(diagnosis.verdict.summary).toContain('Stock moved after the last sync.')
    expect(diagnosis.exitCode).toBe(0)
  })
})
