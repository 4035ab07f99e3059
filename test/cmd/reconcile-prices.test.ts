import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {reconcileFolder} from '../../dist/reconcile/checkpoint.js'

import {parseJson} from '../helpers/cli.js'
import {schemaValidator, violations} from '../helpers/json-schemas.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

type Counts = Record<string, number>
type Row = {key: string; class: string; diff: Array<{field: string}>; price?: {priceListCode: string}; error?: string}

const countsOf = (report: {classes: Array<{class: string; count: number}>}): Counts =>
  Object.fromEntries(report.classes.map((entry) => [entry.class, entry.count]))

const validator = schemaValidator()
function expectConforms(schema: string, value: unknown): void {
  expect(violations(validator, schema, value)).toEqual([])
}

// Every row of every price list of the seeded installations (src/sandbox/seed/fjord.json: Fortnox, direct;
// nordic.json: the FTP export), against the rows the CMS stored and published.
describe('reconcile prices against the seeded price scenarios', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['fjord', 'nordic', 'acme-plain'])
  })
  afterAll(async () => {
    await running.stop()
  })

  const reconcile = (installation: string, pair: string, ...more: string[]) =>
    runCommand(['reconcile', 'prices', '--between', pair, ...running.flags(installation), ...more])

  it('Fortnox → CMS: a changed row without a change time is change-order-unknown (price only: no dates compared), a unit mismatch is the CMS’s skip', async () => {
    const result = await reconcile('fjord', 'erp,cms', '--json')
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report).toMatchObject({between: 'erp,cms', compared: 7, consistent: 5, entity: 'prices'})
    expect(countsOf(report)).toEqual({'change-order-unknown': 1, 'price-row-skipped': 1})
    const rows = report.records as Row[]
    expect(rows.find((row) => row.class === 'change-order-unknown')).toMatchObject({
      diff: [{downstream: '260.1', field: 'price', upstream: '254.32'}],
      key: 'C|F-100|fp|SEK|0|',
      price: {fromQuantity: 0, itemCode: 'F-100', priceListCode: 'C', validFrom: null},
      times: {upstreamModifiedAt: null},
    })
    expect(rows.find((row) => row.class === 'price-row-skipped')).toMatchObject({
      error: 'unit kg differs from item unit fp',
      key: 'D|F-100|fp|SEK|0|',
    })
    expectConforms('reconcile.schema.json', report)
    for (const row of rows) expectConforms('reconcile-record.schema.json', row)
  })

  it('the export → CMS: a row changed after the prices run, and the rows the CMS skipped with its reasons', async () => {
    const result = await reconcile('nordic', 'ftp,cms', '--json')
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report).toMatchObject({compared: 10, consistent: 7, entity: 'prices', read: {downstream: 8, upstream: 10}})
    expect(countsOf(report)).toEqual({'price-changed-after-sync': 1, 'price-row-skipped': 2})
    const rows = report.records as Row[]
    expect(rows.find((row) => row.class === 'price-changed-after-sync')).toMatchObject({
      cause: 'price-changed-after-sync',
      diff: [{downstream: '1345.5', field: 'price', upstream: '1315.6'}],
      key: 'BYGG|N-100|st|SEK|0|',
    })
    expect(
      rows
        .filter((row) => row.class === 'price-row-skipped')
        .map((row) => [row.key, row.error])
        .sort(),
    ).toEqual([
      ['INDUSTRI|N-100|kg|SEK|0|', 'unit kg differs from item unit st'],
      ['SÄSONG|N-100|st|SEK|0|2025-09-01', 'row expired (validTo 2025-10-31)'],
    ])
    const action = report.classes.find((entry: {class: string}) => entry.class === 'price-changed-after-sync')
    expect(action).toMatchObject({action: {kind: 'targeted-sync'}, fix: 'targeted-sync'})
    expect(action.action.description).toContain('prices <list>')
  })

  it('CMS → app: every published row matches the CMS at both installations', async () => {
    for (const installation of ['fjord', 'nordic']) {
      const result = await reconcile(installation, 'cms,app', '--json')
      expect(result.exitCode).toBe(0)
      const report = parseJson(result)
      expect(report.classes).toEqual([])
      expect(report.compared).toBe(report.consistent)
      expect(report.compared).toBeGreaterThan(5)
    }
  })

  it('names each row by its key in the terminal, Markdown and CSV views', async () => {
    const terminal = await reconcile('nordic', 'ftp,cms')
    expect(terminal.exitCode).toBe(3)
    expect(terminal.stdout).toContain('10 prices compared, 7 consistent, 3 findings')
    expect(terminal.stdout).toContain('BYGG|N-100|st|SEK|0|: The CMS holds an older row (price 1315.6 vs 1345.5)')
    expect(terminal.stdout).toContain('Run a targeted CMS sync of prices <list>')
    const markdown = await reconcile('nordic', 'ftp,cms', '--format', 'markdown')
    expect(markdown.stdout).toContain('price-changed-after-sync')
    expect(markdown.stdout).toContain('SÄSONG|N-100|st|SEK|0|2025-09-01')
    const csv = await reconcile('nordic', 'ftp,cms', '--format', 'csv')
    const lines = csv.stdout.trim().split('\n')
    expect(lines[0]).toContain('Class,Price row (list|item|unit|currency|from quantity|valid from),Cause')
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(['price-changed-after-sync', 'price-row-skipped', 'price-row-skipped'])
  })

  it('--fix runs a targeted prices sync of the row’s list, then finds the row consistent', async () => {
    const result = await reconcile('nordic', 'ftp,cms', '--fix', '--yes', '--json')
    const report = parseJson(result)
    expect(report.fix).toMatchObject({
      exitCode: 0,
      fixed: 1,
      keys: 1,
      planned: [{class: 'price-changed-after-sync', count: 1}],
      remaining: [],
    })
    expect(report.fix.results[0].request.body).toEqual({entity: 'prices', keys: ['BYGG'], mode: 'targeted'})
    const again = parseJson(await reconcile('nordic', 'ftp,cms', '--json'))
    expect(countsOf(again)).toEqual({'price-row-skipped': 2})
  })

  it('CMS → webshop: each webshop customer’s price at quantity 1 against the CMS’s resolve; the one published before the CMS’s write is webshop-behind', async () => {
    const planted = {fjord: ['30107|F-100', 'F', 40], nordic: ['20110|N-100', 'KEDJA', 15]} as const
    for (const [installation, [key, list, compared]] of Object.entries(planted)) {
      const result = await reconcile(installation, 'cms,webshop', '--json')
      const report = parseJson(result)
      expect(result.exitCode).toBe(3)
      expect(report).toMatchObject({compared, consistent: compared - 1})
      expect(countsOf(report)).toEqual({'webshop-behind': 1})
      expect(report.records[0]).toMatchObject({
        cause: 'webshop-behind',
        customerPrice: {priceListCode: list},
        key,
      })
      expect(report.records[0].diff.map((entry: {field: string}) => entry.field)).toEqual(['netPrice', 'listPrice'])
      expectConforms('reconcile.schema.json', report)
    }
    const fixed = parseJson(await reconcile('fjord', 'cms,webshop', '--fix', '--yes', '--json'))
    expect(fixed.fix.results[0].request.body).toEqual({entity: 'prices', keys: ['F']})
    expect(fixed.fix).toMatchObject({fixed: 1, keys: 1, remaining: []})
  })

  it('--resume continues an interrupted prices run from its checkpoint, with the same findings', async () => {
    const env = {XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'synctrace-prices-resume-'))}
    const folder = reconcileFolder('fjord', 'prices', 'erp,cms', env)
    mkdirSync(folder, {recursive: true})
    const now = new Date().toISOString()
    const checkpoint = {
      ...{between: 'erp,cms', compared: 0, consistent: 0, counts: {}, entity: 'prices', installation: 'fjord'},
      ...{lastKey: null, publishedPerUser: {}, read: {downstream: 0, upstream: 0}, recordsBytes: 0},
      ...{savedAt: now, startedAt: now, version: 1},
    }
    writeFileSync(join(folder, 'checkpoint.json'), JSON.stringify(checkpoint))
    writeFileSync(join(folder, 'records.jsonl'), '')
    const result = await runCommand(
      ['reconcile', 'prices', '--between', 'erp,cms', ...running.flags('fjord'), '--resume', '--json'],
      {env},
    )
    expect(result.exitCode).toBe(3)
    const report = parseJson(result)
    expect(report).toMatchObject({compared: 7, resumed: true})
    expect(countsOf(report)).toEqual({'change-order-unknown': 1, 'price-row-skipped': 1})
  })

  it('an ERP whose API gives no price rows (Business Central without the extension) cannot list prices: a usage error', async () => {
    const result = await reconcile('acme-plain', 'erp,cms')
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Business Central cannot list prices')
  })
})
