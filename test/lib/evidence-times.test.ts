import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {checkReportInvariants} from '../../dist/report/invariants.js'
import {noteClockDisagreements} from '../../dist/report/time-order.js'
import {readSeed, seededInstallations} from '../../dist/sandbox/seed.js'
import {traceRecord} from '../../dist/trace/run.js'
type Evidence = {name: string; label: string; at?: string; text?: string; runId?: string}

import {type RunningSandbox, startTestSandbox, testHttp} from '../helpers/sandbox.js'

const installations = seededInstallations()

describe('evidence times that must be ordered', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(installations)
  }, 60_000)
  afterAll(async () => {
    await running?.stop()
  })

  it('every seeded customer and item of every installation has evidence whose times never contradict each other', async () => {
    const contradictions: string[] = []
    for (const id of installations) {
      const seed = readSeed(id)
      const profile = running.sandbox.installation(id).profile('admin')
      const records = [
        ...seed.customers.map((entry: {code: string}) => ['customer', entry.code] as const),
        ...(seed.items ?? []).map((entry: {code: string}) => ['item', entry.code] as const),
      ]
      const reports = await Promise.all(
        records.map(([entity, key]) =>
          traceRecord(entity, profile, key, {http: testHttp, commandSuffix: '', timeoutMs: 20_000, version: 'test'}),
        ),
      )
      for (const report of reports) {
        const lists: Evidence[][] = [
          report.verdict.evidence,
          ...report.hops.map((hop: {evidence: Evidence[]}) => hop.evidence),
        ]
        const clocks = lists.flat().filter((entry) => entry.name === 'clockDisagreement')
        if (clocks.length > 0)
          contradictions.push(`${id} ${report.entity} ${report.key}: ${clocks.map((entry) => entry.text).join(' | ')}`)
        const violations = checkReportInvariants(report)
        if (violations.length > 0) contradictions.push(`${id} ${report.entity} ${report.key}: ${violations.join('; ')}`)
      }
    }
    expect(contradictions).toEqual([])
  }, 180_000)

  it('a CMS write before the ERP change time it stored is reported as clocks that disagree, and the invariant holds only with that note', () => {
    const evidence: Evidence[] = [
      {at: '2026-12-03T01:02:00.000Z', label: 'CMS record written', name: 'cmsSyncedAt'},
      {at: '2026-12-06T07:15:00.000Z', label: 'ERP modified, as the CMS got it', name: 'cmsErpModifiedAt'},
    ]
    const report = {
      action: {kind: 'none'},
      chain: ['cms'],
      direction: 'inbound',
      exitCode: 0,
      hops: [{evidence, hop: 'cms', problem: null, status: 'present'}],
      verdict: {brokenLink: null, cause: 'consistent', complete: true, evidence: [], ok: true},
    } as unknown as Parameters<typeof checkReportInvariants>[0]
    expect(checkReportInvariants(report).join('\n')).toMatch(
      /cmsErpModifiedAt .* is after cmsSyncedAt .* no evidence says which clock is off/,
    )
    expect(noteClockDisagreements(evidence)).toBe(true)
    expect(evidence.at(-1)?.text).toMatch(
      /"ERP modified, as the CMS got it" is 3 days 6 h after "CMS record written".*the ERP's clock and the CMS's disagree/,
    )
    expect(checkReportInvariants(report)).toEqual([])
  })

  it('a run outcome before its own run started is the CMS contradicting itself; outcomes of other runs are not compared', () => {
    const evidence = [
      {
        at: '2026-12-06T01:00:00.000Z',
        label: 'Last item sync',
        name: 'lastItemSync',
        runId: 'r-2',
        text: 'r-2, auto, succeeded',
      },
      {
        at: '2026-12-06T00:30:00.000Z',
        label: 'Sync outcome for this record',
        name: 'syncRecordOutcome',
        runId: 'r-1',
        text: 'unchanged (r-1)',
      },
    ]
    expect(noteClockDisagreements(evidence)).toBe(false)
    evidence[1].runId = 'r-2'
    expect(noteClockDisagreements(evidence)).toBe(true)
    expect(evidence.at(-1)?.text).toMatch(/the CMS's own records contradict each other/)
  })
})
