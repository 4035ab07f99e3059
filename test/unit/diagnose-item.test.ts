import {describe, expect, it} from 'vitest'

import {diagnoseItem} from '../../src/entities/item/diagnose.js'
import type {CanonicalItem} from '../../src/model/item.js'
import type {ItemObservations} from '../../src/entities/item/observe.js'

const now = new Date('2026-11-22T09:30:00Z')
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
const down = {
  durationMs: 5,
  ok: false as const,
  problem: {kind: 'unreachable' as const, message: 'host: connection refused'},
}
const run = (entity: string, startedAt: string) => ({
  entity,
  error: null,
  finishedAt: new Date(startedAt),
  keys: null,
  mode: 'auto',
  requestedBy: 'auto',
  runId: `r-${entity}`,
  source: 'erp-api',
  sourceFile: null,
  sourceFileModifiedAt: null,
  startedAt: new Date(startedAt),
  status: 'succeeded',
})
const cmsWrittenAt = new Date('2026-11-22T01:02:00Z')

function observations(overrides: Partial<ItemObservations> = {}): ItemObservations {
  return {
    app: ok({item, publishedAt: new Date('2026-11-22T01:05:00Z'), visible: null}),
    cms: ok({erpModifiedAt: null, item, syncedAt: cmsWrittenAt}),
    code: 'P-1',
    erp: ok({erpId: null, item, modifiedAt: new Date('2026-11-20T00:00:00Z'), notSupplied: []}),
    erpSystem: 'businesscentral',
    ftp: null,
    installation: ok({
      autoSync: {at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'},
      connection: 'direct' as const,
      erpSystem: 'businesscentral',
      filters: {onlyWebshopItems: true},
      ftpUrl: null,
      id: 'acme',
      name: 'Acme',
    }),
    now,
    stockRecords: ok([]),
    syncRuns: ok([run('items', '2026-11-22T01:00:00Z'), run('stock', '2026-11-22T01:00:00Z')]),
    webshop: ok({item, publishedAt: new Date('2026-11-22T01:06:00Z'), visible: true}),
    ...overrides,
  }
}
const context = {commandSuffix: '', traceCommand: 'synctrace trace item P-1'}

describe('item diagnosis', () => {
  it('is consistent with exit 0 when every hop has the item as the ERP has it', () => {
    const diagnosis = diagnoseItem(observations(), context)
    expect(diagnosis.verdict).toMatchObject({cause: 'consistent', ok: true})
    expect(diagnosis.chain).toEqual(['erp', 'cms', 'app', 'webshop'])
    expect(diagnosis.exitCode).toBe(0)
  })

  it('calls the CMS stale when the ERP changed the price after the last item sync, for a targeted sync', () => {
    const erp = ok({
      erpId: null,
      item: {...item, price: 12},
      modifiedAt: new Date('2026-11-22T08:00:00Z'),
      notSupplied: [],
    })
    const diagnosis = diagnoseItem(observations({erp}), context)
    expect(diagnosis.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'erp-changed-after-sync'})
    expect(diagnosis.verdict.summary).toContain('the price (12 in Business Central, 10 in the CMS)')
    expect(diagnosis.action.kind).toBe('targeted-sync')
  })

  it('reports stock as expected lag when the last stock sync read the item, although the item record is older than that sync', () => {
    const erp = ok({
      erpId: null,
      item: {...item, stock: 3},
      modifiedAt: new Date('2026-11-20T00:00:00Z'),
      notSupplied: [],
    })
    const stockRecords = ok([
      {at: new Date('2026-11-22T01:00:30Z'), outcome: 'unchanged', reason: null, runId: 'r-stock'},
    ])
    const diagnosis = diagnoseItem(observations({erp, stockRecords}), context)
    expect(diagnosis.verdict).toMatchObject({cause: 'expected-stock-lag', ok: true})
    expect(diagnosis.exitCode).toBe(0)
  })

  it('cannot tell the order of a stock difference the last stock sync did not touch, when the ERP keeps no stock time', () => {
    const erp = ok({
      erpId: null,
      item: {...item, stock: 3},
      modifiedAt: new Date('2026-11-20T00:00:00Z'),
      notSupplied: [],
    })
    expect(diagnoseItem(observations({erp}), context).verdict.cause).toBe('change-order-unknown')
  })

  it('excludes an item that is not a webshop item while onlyWebshopItems is on, naming the setting', () => {
    const erp = ok({
      erpId: null,
      item: {...item, webshop: false},
      modifiedAt: new Date('2026-11-20T00:00:00Z'),
      notSupplied: [],
    })
    const diagnosis = diagnoseItem(observations({cms: ok(null), erp}), context)
    expect(diagnosis.verdict.cause).toBe('item-excluded')
    expect(diagnosis.hops[1]?.status).toBe('excluded')
    expect(diagnosis.verdict.summary).toContain('onlyWebshopItems')
  })

  it('keeps a CMS item flagged off the webshop out of it (not-a-webshop-item, link CMS → webshop)', () => {
    const cmsItem = {...item, webshop: false}
    const app = ok({item: cmsItem, publishedAt: new Date('2026-11-22T01:05:00Z'), visible: null})
    const diagnosis = diagnoseItem(
      observations({
        app,
        cms: ok({erpModifiedAt: null, item: cmsItem, syncedAt: cmsWrittenAt}),
        erp: ok({erpId: null, item: cmsItem, modifiedAt: null, notSupplied: []}),
        webshop: ok(null),
      }),
      context,
    )
    expect(diagnosis.verdict).toMatchObject({brokenLink: {from: 'cms', to: 'webshop'}, cause: 'not-a-webshop-item'})
  })

  it('waits for the webshop push within 15 minutes of the CMS write, and blames the webshop after', () => {
    const recent = observations({
      cms: ok({erpModifiedAt: null, item, syncedAt: new Date(now.getTime() - 5 * 60_000)}),
      webshop: ok(null),
    })
    expect(diagnoseItem(recent, context).verdict.cause).toBe('webshop-push-pending')
    expect(diagnoseItem(observations({webshop: ok(null)}), context).verdict).toMatchObject({
      brokenLink: {from: 'cms', to: 'webshop'},
      cause: 'not-published-to-webshop',
    })
  })

  it('calls any webshop difference an older version (webshop-behind), and an older app copy app-publish-behind', () => {
    expect(
      diagnoseItem(
        observations({
          webshop: ok({item: {...item, price: 9}, publishedAt: new Date('2026-11-22T01:06:00Z'), visible: true}),
        }),
        context,
      ).verdict.cause,
    ).toBe('webshop-behind')
    const app = ok({item: {...item, price: 9}, publishedAt: new Date('2026-11-21T00:00:00Z'), visible: null})
    expect(diagnoseItem(observations({app}), context).verdict).toMatchObject({
      brokenLink: {from: 'cms', to: 'app'},
      cause: 'app-publish-behind',
    })
  })

  it('never calls the CMS missing when it could not be asked: incomplete, exit 4', () => {
    const diagnosis = diagnoseItem(observations({cms: down, syncRuns: down}), context)
    expect(diagnosis.hops[1]?.status).toBe('unreachable')
    expect(diagnosis.verdict.cause).toBe('hop-unreachable')
    expect(diagnosis.exitCode).toBe(4)
  })

  it('asks a timeless ERP (changedSince) and calls an item it lists as changed stale', () => {
    const erp = ok({
      changedSince: {changed: true, since: cmsWrittenAt},
      erpId: null,
      item: {...item, price: 12},
      modifiedAt: null,
      notSupplied: [],
    })
    const diagnosis = diagnoseItem(observations({erp, erpSystem: 'fortnox'}), context)
    expect(diagnosis.verdict.cause).toBe('erp-changed-after-sync')
    expect(diagnosis.verdict.evidence.map((entry) => entry.name)).toContain('erpChangedSince')
  })
})
