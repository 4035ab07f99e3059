import {beforeAll, describe, expect, it} from 'vitest'

import {generateHistory} from '../history/generate.js'
import {emulatedSystems, loadEmulators} from '../history/library.js'
import {expectedVerdict} from '../history/oracle.js'
import {contractVerdict} from '../history/oracle-price.js'
import {knownPriceDisagreements} from '../history/generate-price.js'
import {type BatchResult, describeOutcome, runHistories} from '../history/runner.js'

// Generated histories with their own ground truth (issue 9, part D). Each history is played through the
// sandbox's platform processes into an installation, synctrace traces its record in this process over
// loopback, and its verdict (brokenLink, cause, action.kind, exitCode) is compared with the oracle's.
// SYNCTRACE_SCENARIO_SEED picks another base seed; a disagreement prints the seed that replays it.
const baseSeed = Number(process.env.SYNCTRACE_SCENARIO_SEED ?? 20_261_201)
// A few hundred in `npm test`; `npm run test:scale` plays a long batch (npm run scenarios -- --count 2000).
const count = 300

describe('generated histories', () => {
  let result: BatchResult
  // The oracle reads what an emulated ERP cannot supply from its emulator (each test may run alone).
  beforeAll(() => loadEmulators())

  it(`synctrace agrees with the oracle on ${count} histories (seeds from ${baseSeed})`, async () => {
    result = await runHistories({concurrency: 4, count, seed: baseSeed})
    expect(result.played).toBeGreaterThanOrEqual(count)
    const disagreements = result.disagreements.map((outcome) => describeOutcome(outcome))
    expect(disagreements.join('\n\n'), `${disagreements.length} of ${result.played} histories disagree`).toBe('')
  }, 240_000)

  it('every report passes the report invariants', () => {
    const failing = result.invariantFailures.map(
      (outcome) => `${describeOutcome(outcome)}\n  invariants: ${outcome.invariantProblems.join('; ')}`,
    )
    expect(failing.join('\n\n')).toBe('')
  })

  it('covers every knob, the three entities and most causes', () => {
    const traced = result.outcomes.filter((outcome) => outcome.expected !== null)
    const seen = (pick: (outcome: (typeof traced)[number]) => string) => new Set(traced.map(pick))
    expect(seen((outcome) => outcome.history.entity)).toEqual(new Set(['customer', 'item', 'order', 'price']))
    // Every ERP, the emulated ones (every ERP whose descriptor has an emulator) included.
    expect(seen((outcome) => outcome.history.knobs.erp)).toEqual(
      new Set(['businesscentral', 'fortnox', 'ftp', ...emulatedSystems()]),
    )
    expect(emulatedSystems()).toEqual(expect.arrayContaining(['netsuite', 'visma-eaccounting', 'visma-net']))
    expect(
      seen((outcome) =>
        outcome.history.knobs.erp === 'businesscentral' ? String(outcome.history.knobs.shipToExtension) : 'n/a',
      ),
    ).toEqual(new Set(['true', 'false', 'n/a']))
    expect(
      seen((outcome) =>
        outcome.history.knobs.erp === 'ftp'
          ? `${outcome.history.knobs.protocol} ${outcome.history.knobs.customerFile}`
          : 'n/a',
      ).size,
    ).toBe(7)
    expect(seen((outcome) => (outcome.history.knobs.erp === 'ftp' ? outcome.history.knobs.layout : 'n/a'))).toEqual(
      new Set(['generic', 'winbas', 'monitor', 'n/a']),
    )
    // Export files named by the connector's settings, in every layout: the trace reads what the CMS's runs name.
    expect(
      seen((outcome) =>
        outcome.history.knobs.erp === 'ftp'
          ? `${outcome.history.knobs.layout} ${outcome.history.knobs.filesFromSettings}`
          : 'n/a',
      ).size,
    ).toBe(7)
    expect(seen((outcome) => outcome.history.knobs.fault?.kind ?? 'none')).toEqual(new Set(['none', 'down', 'slow']))
    // Tenants whose APIs give pages of one to three rows, on every kind of installation.
    expect(seen((outcome) => String(outcome.history.knobs.maxPageSize))).toEqual(new Set(['null', '1', '2', '3']))
    expect(seen((outcome) => (outcome.history.knobs.maxPageSize ? outcome.history.knobs.erp : 'n/a'))).toEqual(
      new Set(['businesscentral', 'fortnox', 'ftp', 'n/a', ...emulatedSystems()]),
    )
    expect(seen((outcome) => String(outcome.expected?.exitCode))).toEqual(new Set(['0', '3', '4']))
    // 300 histories from the base seed reach 32 causes; the long batch (npm run test:scale) reaches the rest.
    expect(seen((outcome) => outcome.expected?.cause ?? '').size).toBeGreaterThanOrEqual(30)
  })

  it('item histories have stock runs (rewriting, reading unchanged, skipping, failing; a failed run) and every stock verdict', () => {
    const items = Array.from({length: 1500}, (_, index) => generateHistory(baseSeed + index, {entity: 'item'}))
    const stockRuns = items.flatMap((history) =>
      history.entity === 'item' ? history.events.filter((event) => event.kind === 'sync' && event.stock) : [],
    )
    expect(new Set(stockRuns.map((event) => (event.kind === 'sync' ? event.outcome : '')))).toEqual(
      new Set(['read', 'fail', 'miss']),
    )
    expect(stockRuns.some((event) => event.kind === 'sync' && event.runFails)).toBe(true)
    const causes = new Set(
      items
        .map((history) => expectedVerdict(history))
        .map((answer) => ('expected' in answer ? answer.expected.cause : 'ambiguous')),
    )
    expect([...causes]).toEqual(
      expect.arrayContaining([
        'expected-stock-lag',
        'stock-not-synced',
        'change-order-unknown',
        'sync-failed-for-record',
      ]),
    )
  })

  it('price histories reach every price cause on every ERP, and set aside only the known disagreements and the open cases', () => {
    const prices = Array.from({length: 1500}, (_, index) => generateHistory(baseSeed + index, {entity: 'price'}))
    const answers = prices.map((history) => ({answer: expectedVerdict(history), history}))
    // The causes the contract gives (oracle-price.ts), the known disagreements of generate-price.ts included.
    const causes = new Set(
      prices.map((history) => {
        const answer = history.entity === 'price' ? contractVerdict(history) : null
        return answer && 'expected' in answer ? answer.expected.cause : 'ambiguous'
      }),
    )
    expect([...causes]).toEqual(
      expect.arrayContaining([
        'consistent',
        'price-changed-after-sync',
        'pricing-changed-after-sync',
        'change-order-unknown',
        'price-list-not-in-export',
        'device-not-refreshed',
        'app-publish-behind',
        'webshop-behind',
        'hop-unreachable',
      ]),
    )
    const played = answers.filter(({answer}) => 'expected' in answer)
    expect(new Set(played.map(({history}) => history.knobs.erp))).toEqual(
      new Set(['businesscentral', 'fortnox', 'ftp', ...emulatedSystems()]),
    )
    expect(new Set(played.map(({history}) => history.knobs.layout))).toEqual(new Set(['generic', 'winbas', 'monitor']))
    const setAside = new Set(answers.flatMap(({answer}) => ('ambiguous' in answer ? [answer.ambiguous] : [])))
    const allowed = [
      'a list left out of an export, not yet (or no longer) carried through',
      'both the pricing and the rows differ',
      ...knownPriceDisagreements.map((entry) => `known disagreement ${entry.name} (generate-price.ts)`),
    ]
    expect([...setAside].filter((reason) => !allowed.includes(reason))).toEqual([])
  })

  it('replays: the same seed gives the same history and the same expected verdict', () => {
    const first = generateHistory(baseSeed + 7)
    const again = generateHistory(baseSeed + 7)
    expect(again).toEqual(first)
    expect(expectedVerdict(again)).toEqual(expectedVerdict(first))
  })
})
