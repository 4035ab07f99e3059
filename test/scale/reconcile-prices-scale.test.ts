import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {type ScaleSandbox, startScaleSandbox} from '../helpers/scale-sandbox.js'

// The scale tier (`npx vitest run --project scale`): 100 000 price rows per hop, minutes of work. The price
// cases of a few rows run in process in test/cmd/reconcile-prices.test.ts. `cms,webshop` is not run here: it
// resolves every customer's price of every item (100 000 × 100 000 at this size).
type Counts = Record<string, number>

const countsOf = (report: {classes: Array<{class: string; count: number}>}): Counts =>
  Object.fromEntries(report.classes.map((entry) => [entry.class, entry.count]))

describe('reconcile prices against the scale sandbox (100 000 rows per hop)', () => {
  let big: ScaleSandbox
  beforeAll(async () => {
    big = await startScaleSandbox(100_000, ['scale', 'scale-ftp'])
  }, 180_000)
  afterAll(async () => big?.stop())

  const runs = [
    {installation: 'scale', pair: 'erp,cms'},
    {installation: 'scale-ftp', pair: 'ftp,cms'},
    {installation: 'scale', pair: 'cms,app'},
  ]
  for (const {installation, pair} of runs)
    it(`finds exactly the planted price classes and counts between ${pair} (${installation})`, async () => {
      // Reading a whole export is one file-server session, bounded by --timeout (README).
      const timeout = pair === 'ftp,cms' ? ['--timeout', '300'] : []
      const result = await runCli(
        ['reconcile', 'prices', '--between', pair, ...big.flags(installation), ...timeout, '--json'],
        {env: big.env, timeoutMs: 330_000},
      )
      const report = parseJson(result)
      const planted = big.plantedPrices[installation]?.[pair]
      expect(
        report.classes,
        `${pair} on ${installation}: exit ${result.exitCode} ${result.stderr.slice(0, 400)} ${result.stdout.slice(0, 400)}`,
      ).toBeDefined()
      expect(Object.keys(planted ?? {}).length).toBeGreaterThan(1)
      expect({installation, pair, ...countsOf(report)}).toEqual({installation, pair, ...planted})
      expect(result.exitCode).toBe(3)
      expect(report.records).toHaveLength(Object.values(countsOf(report)).reduce((sum, count) => sum + count, 0))
    }, 360_000)
})
