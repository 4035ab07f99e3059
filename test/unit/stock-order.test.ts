import {describe, expect, it} from 'vitest'

import type {SyncRecordOutcome, SyncRun} from '../../src/connectors/platform/types.js'
import {diagnoseItem} from '../../src/entities/item/diagnose.js'
import {stockOrder} from '../../src/diagnose/stock-order.js'
import type {CanonicalItem} from '../../src/model/item.js'
import type {ItemObservations} from '../../src/entities/item/observe.js'
import {type ClassifyContext, classify} from '../../src/reconcile/classify.js'
import type {SideEntry} from '../../src/reconcile/types.js'

/** Stock: lag or fault, decided by the last stock run's record of the item (docs/diagnosis.md). */

const now = new Date('2026-11-22T09:30:00Z')
const stockRunStart = new Date('2026-11-22T01:10:00Z')
const stockRunEnd = new Date('2026-11-22T01:12:00Z')
const item: CanonicalItem = {
  active: true,
  code: 'P-1',
  currency: 'SEK',
  description: 'Bolt',
  price: 10,
  stock: 5,
  unit: 'pcs',
  webshop: true,
}
const ok = <T>(value: T) => ({durationMs: 5, ok: true as const, value})

function run(entity: string, startedAt: Date, finishedAt: Date, extra: Partial<SyncRun> = {}): SyncRun {
  const base = {
    entity,
    error: null,
    finishedAt,
    keys: null,
    mode: 'auto',
    requestedBy: 'auto',
    runId: `r-${entity}`,
    source: 'erp-api',
    sourceFile: null,
    sourceFileModifiedAt: null,
  }
  return {...base, startedAt, status: 'succeeded', ...extra}
}

const stockRun = run('stock', stockRunStart, stockRunEnd)
const outcome = (value: string, reason: string | null = null): SyncRecordOutcome => ({
  at: stockRunEnd,
  outcome: value,
  reason,
  runId: 'r-stock',
})

/** A Business Central item (its lastModifiedDateTime long before every run) whose inventory is 3 while the CMS holds 5. */
function observations(
  overrides: Partial<ItemObservations> = {},
  erpItem: Record<string, unknown> = {},
): ItemObservations {
  return {
    app: ok({item, publishedAt: new Date('2026-11-20T01:05:00Z'), visible: null}),
    cms: ok({erpModifiedAt: null, item, syncedAt: new Date('2026-11-20T01:02:00Z')}),
    code: 'P-1',
    erp: ok({
      erpId: null,
      item: {...item, stock: 3},
      modifiedAt: new Date('2026-11-01T00:00:00Z'),
      notSupplied: [],
      ...erpItem,
    }),
    erpSystem: 'businesscentral',
    ftp: null,
    installation: ok({
      autoSync: {at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'},
      connection: 'direct' as const,
      erpSystem: 'businesscentral',
      filters: {},
      ftpUrl: null,
      id: 'acme',
      name: 'Acme',
    }),
    now,
    stockRecords: ok([]),
    syncRuns: ok([run('items', new Date('2026-11-22T01:00:00Z'), new Date('2026-11-22T01:05:00Z')), stockRun]),
    webshop: ok({item, publishedAt: new Date('2026-11-20T01:06:00Z'), visible: true}),
    ...overrides,
  }
}
const context = {commandSuffix: '', traceCommand: 'synctrace trace item P-1'}
const verdictOf = (obs: ItemObservations) => diagnoseItem(obs, context).verdict

describe('stock differences decided by the last stock run', () => {
  it('calls a difference expected lag when the last stock run wrote the item, naming the run times and the next run', () => {
    const verdict = verdictOf(observations({stockRecords: ok([outcome('updated')])}))
    expect(verdict).toMatchObject({cause: 'expected-stock-lag', ok: true})
    expect(verdict.summary).toMatch(/started 2026-11-22 02:10.*finished 2026-11-22 02:12/)
    expect(verdict.summary).toMatch(/until the next sync \(2026-11-23 02:00/)
    expect(verdict.summary).not.toMatch(/older than/)
  })

  it('calls a difference expected lag when the last stock run read the item as unchanged', () => {
    expect(verdictOf(observations({stockRecords: ok([outcome('unchanged')])})).cause).toBe('expected-stock-lag')
  })

  it('says change-order-unknown when the last stock run did not touch the item and no time shows the order', () => {
    const verdict = verdictOf(observations())
    expect(verdict.cause).toBe('change-order-unknown')
    expect(verdict.summary).toMatch(/did not read it \(not touched by the last stock sync\)/)
  })

  it('calls a skip by the last stock run, with its reason, the item excluded: a sync would skip it again', () => {
    const verdict = verdictOf(observations({stockRecords: ok([outcome('skipped', 'not a stock item')])}))
    expect(verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'item-excluded'})
    expect(verdict.summary).toContain('not a stock item')
  })

  it('says change-order-unknown, never lag, when no stock run covered the item or the runs could not be read', () => {
    const none = verdictOf(observations({syncRuns: ok([])}))
    expect(none.cause).toBe('change-order-unknown')
    expect(none.summary).toMatch(/no stock sync that covered it was found \(none among the recent runs\)/)
    const unreadable = verdictOf(
      observations({
        syncRuns: {durationMs: 5, ok: false as const, problem: {kind: 'unreachable' as const, message: 'cms: refused'}},
      }),
    )
    expect(unreadable.cause).not.toBe('expected-stock-lag')
  })

  it('calls it lag when the run did not touch the item and Fortnox lists it as changed since the run started', () => {
    const erp = {modifiedAt: null, stockChangedSince: {changed: true, since: stockRunStart}}
    expect(verdictOf(observations({erpSystem: 'fortnox'}, erp)).cause).toBe('expected-stock-lag')
  })

  it('calls it a fault older than the run when the run did not touch the item and Fortnox does not list it since the run started', () => {
    const erp = {
      changedSince: {changed: true, since: new Date('2026-11-20T01:02:00Z')},
      modifiedAt: null,
      stockChangedSince: {changed: false, since: stockRunStart},
    }
    const verdict = verdictOf(observations({erpSystem: 'fortnox'}, erp))
    expect(verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'stock-not-synced'})
    expect(verdict.evidence).toContainEqual(
      expect.objectContaining({at: stockRunStart.toISOString(), name: 'erpStockChangedSince'}),
    )
  })

  it('names the failed outcome and the run error when the last stock run failed on the item', () => {
    const failedRun = run('stock', stockRunStart, stockRunEnd, {
      error: 'ERP timed out after 400 items',
      status: 'failed',
    })
    const verdict = verdictOf(
      observations({stockRecords: ok([outcome('failed', 'inventory could not be read')]), syncRuns: ok([failedRun])}),
    )
    expect(verdict.cause).toBe('sync-failed-for-record')
    expect(verdict.summary).toContain('inventory could not be read')
    expect(verdict.summary).toContain('ERP timed out after 400 items')
  })

  it('judges a difference against the newest stock run, a failed one included, not an older one that read the item', () => {
    const older = run('stock', new Date('2026-11-21T01:10:00Z'), new Date('2026-11-21T01:12:00Z'), {runId: 'r-old'})
    const failedRun = run('stock', stockRunStart, stockRunEnd, {error: 'lost connection', status: 'failed'})
    const records = ok([{at: older.finishedAt, outcome: 'updated', reason: null, runId: 'r-old'}])
    expect(verdictOf(observations({stockRecords: records, syncRuns: ok([failedRun, older])})).cause).toBe(
      'change-order-unknown',
    )
  })
})

describe('stockOrder: the rule trace and reconcile share', () => {
  const base = {changedSince: null, fileModifiedAt: null, run: stockRun, stockModifiedAt: null}
  it('takes an export file written again after the version the run read as a movement after the run, and the same version as older', () => {
    const ftpRun = {...stockRun, sourceFileModifiedAt: new Date('2026-11-22T00:30:00Z')}
    expect(
      stockOrder({...base, fileModifiedAt: new Date('2026-11-22T06:00:00Z'), run: ftpRun, touch: 'not-touched'}),
    ).toEqual({by: 'file', order: 'after'})
    expect(stockOrder({...base, fileModifiedAt: new Date('2026-11-22T00:30:00Z'), run: ftpRun, touch: 'read'})).toEqual(
      {by: 'file', order: 'before'},
    )
  })

  it('weighs a stock change time against the run start only when the run did not read the item', () => {
    expect(stockOrder({...base, stockModifiedAt: new Date('2026-11-22T00:00:00Z'), touch: 'not-touched'})).toEqual({
      by: 'stock-time',
      order: 'before',
    })
    expect(stockOrder({...base, stockModifiedAt: new Date('2026-11-22T00:00:00Z'), touch: 'read'})).toEqual({
      by: 'run-read',
      order: 'after',
    })
  })

  it('ignores a Fortnox answer asked since another time than the run start', () => {
    expect(
      stockOrder({
        ...base,
        changedSince: {changed: false, since: new Date('2026-11-20T00:00:00Z')},
        touch: 'not-touched',
      }),
    ).toEqual({order: 'unknown'})
  })

  it('claims no order when no stock run covered the item (none ran, or none could be read): never lag', () => {
    expect(stockOrder({...base, run: undefined, touch: 'unknown'})).toEqual({order: 'unknown'})
  })

  it("weighs the export file's version only when the stock run read that same file", () => {
    const ftpRun = {...stockRun, sourceFile: 'export/stock.csv', sourceFileModifiedAt: new Date('2026-11-22T00:30:00Z')}
    const sameVersion = {...base, fileModifiedAt: new Date('2026-11-22T00:30:00Z'), run: ftpRun, touch: 'read' as const}
    expect(stockOrder({...sameVersion, file: 'items.csv'})).toEqual({by: 'run-read', order: 'after'})
    expect(stockOrder({...sameVersion, file: 'export/stock.csv'})).toEqual({by: 'file', order: 'before'})
    expect(stockOrder({...sameVersion, file: 'a4s/export/stock.csv'})).toEqual({by: 'file', order: 'before'})
  })
})

describe('reconcile items: stock differences by the same rule', () => {
  const bcItem = (stock: number, info: Record<string, unknown>): SideEntry => ({
    error: null,
    info,
    key: 'P-1',
    record: {...item, stock},
  })
  const classifyContext = (
    lastStockSync: SyncRun | undefined,
    between: ClassifyContext['between'] = 'erp,cms',
  ): ClassifyContext => ({
    between,
    downstreamName: 'the CMS',
    entity: 'items',
    filters: {},
    lastFullSync: run('items', new Date('2026-11-22T01:00:00Z'), new Date('2026-11-22T01:05:00Z')),
    lastStockSync,
    targetedStarts: new Map(),
    upstreamName: 'Business Central',
    usersByRep: new Map(),
  })
  const oldItemTime = Date.parse('2026-11-01T00:00:00Z')

  it('leaves a stock difference out when the last stock run wrote the item (lag), whatever the item record time', () => {
    const written = bcItem(5, {syncedAt: stockRunEnd.getTime() - 30_000})
    expect(classify(classifyContext(stockRun), 'P-1', bcItem(3, {modifiedAt: oldItemTime}), written)).toBeNull()
  })

  it('classes a stock difference the last stock run did not write as change-order-unknown, never as older than the sync', () => {
    const finding = classify(
      classifyContext(stockRun),
      'P-1',
      bcItem(3, {modifiedAt: oldItemTime}),
      bcItem(5, {syncedAt: Date.parse('2026-11-20T01:02:00Z')}),
    )
    expect(finding).toMatchObject({
      cause: 'change-order-unknown',
      class: 'change-order-unknown',
      diff: [{field: 'stock', upstream: '3', downstream: '5'}],
    })
  })

  it('classes a stock difference in the export version the last stock run read as stock-not-synced', () => {
    const ftpRun = {...stockRun, sourceFileModifiedAt: new Date('2026-11-22T00:30:00Z')}
    const row = bcItem(3, {
      file: 'items.csv',
      fileModifiedAt: Date.parse('2026-11-22T00:30:00Z'),
      modifiedAt: oldItemTime,
    })
    expect(
      classify(classifyContext(ftpRun, 'ftp,cms'), 'P-1', row, bcItem(5, {syncedAt: stockRunEnd.getTime()}))?.class,
    ).toBe('stock-not-synced')
  })
})
