import {describe, expect, it} from 'vitest'

import type {ErpPriceRecord} from '../../src/connectors/erp.js'
import type {CmsPriceInputs, PriceObservations} from '../../src/entities/price/observe.js'
import {diagnosePrice} from '../../src/entities/price/diagnose.js'
import {targetFromTrace} from '../../src/actions/from-trace.js'
import {splitKey} from '../../src/entities/descriptor.js'
import {entities} from '../../src/entities/index.js'
import type {PriceRow, PricingProfile} from '../../src/model/price.js'
import {checkReportInvariants} from '../../src/report/invariants.js'
import type {PriceRecord, TraceReport} from '../../src/report/types.js'
import {schemaValidator, violations} from '../helpers/json-schemas.js'

const ajv = schemaValidator()

// Synthetic observations of customer 10042's price of P-100 (list B2B-A: 129, 5 % customer discount → 122.55).

const now = new Date('2026-11-22T09:30:00Z')
const ok = <T>(value: T) => ({durationMs: 5, ok: true as const, value})
const at = (iso: string) => new Date(iso)
const pricesRun = at('2026-11-22T01:00:00Z')
const customersRun = at('2026-11-22T01:10:00Z')
const written = at('2026-11-22T01:02:00Z')
const published = at('2026-11-22T01:05:00Z')

const pricing: PricingProfile = {
  actionPriceListCode: null,
  currency: 'SEK',
  customerCode: '10042',
  discountGroupCode: null,
  discountPercent: 5,
  effectivePriceListCode: 'B2B-A',
  hidePrices: false,
  priceListCode: 'B2B-A',
}
const row: PriceRow = {
  currency: 'SEK',
  fromQuantity: 0,
  itemCode: 'P-100',
  price: 129,
  priceListCode: 'B2B-A',
  unit: 'st',
  validFrom: null,
  validTo: null,
}
const list = {
  active: true,
  currency: 'SEK',
  description: 'Wholesale A',
  kind: 'standard' as const,
  priceListCode: 'B2B-A',
  pricesIncludeVat: false,
}
const item = {
  active: true,
  code: 'P-100',
  currency: 'SEK',
  description: 'Hammer',
  price: 149.5,
  stock: 3,
  unit: 'st',
  webshop: true,
}
const times = {erpModifiedAt: null, syncedAt: written}

function erpRecord(overrides: Partial<ErpPriceRecord> = {}): ErpPriceRecord {
  return {
    discountGroup: null,
    lists: {'B2B-A': list},
    notSupplied: [],
    pricing,
    pricingModifiedAt: at('2026-11-20T00:00:00Z'),
    resolved: null,
    rows: [{...row, modifiedAt: at('2026-11-20T00:00:00Z')}],
    ...overrides,
  }
}

function cmsInputs(overrides: Partial<CmsPriceInputs> = {}): CmsPriceInputs {
  return {
    discountGroup: null,
    item: {erpModifiedAt: null, item, syncedAt: written},
    lists: {'B2B-A': {...list, ...times, priceListId: 482193}},
    pricing: {...pricing, ...times, priceListId: 482193},
    rows: {'B2B-A': [{...row, ...times}]},
    ...overrides,
  }
}

const run = (entity: string, startedAt: Date, keys: string[] | null = null) => ({
  entity,
  error: null,
  finishedAt: startedAt,
  keys,
  mode: keys ? 'targeted' : 'auto',
  requestedBy: 'auto',
  runId: `r-${entity}`,
  source: 'erp-api',
  sourceFile: null,
  sourceFileModifiedAt: null,
  startedAt,
  status: 'succeeded',
})

const device = (lastRefreshAt: Date) => ({
  appVersion: null,
  deviceId: 'd-1',
  lastFullRefreshAt: null,
  lastRefreshAt,
  lastSeenAt: lastRefreshAt,
  model: 'iPad',
  pendingUploads: [],
})

const resolved = {
  basePrice: 149.5,
  currency: 'SEK',
  discountPercent: 5,
  discountSource: 'customer' as const,
  hidePrices: false,
  listPrice: 129,
  listSource: 'priceList' as const,
  netPrice: 122.55,
  priceListCode: 'B2B-A',
  pricesIncludeVat: false,
  row: {fromQuantity: 0, validFrom: null, validTo: null},
  unit: 'st',
}
const publishTimes = {
  actionPriceListRows: null,
  customer: published,
  discountGroup: null,
  item: published,
  priceListRows: published,
}

function observations(overrides: Partial<PriceObservations> = {}): PriceObservations {
  const cms = cmsInputs()
  return {
    app: ok({
      discountGroup: null,
      item: {item, publishedAt: published, visible: null},
      pricing: {
        pricing: cms.pricing as NonNullable<CmsPriceInputs['pricing']>,
        publishedAt: published,
        visibleToUserIds: ['u-1'],
      },
      rows: {'B2B-A': {publishedAt: published, rows: cms.rows['B2B-A'] ?? []}},
    }),
    appResolved: ok(null),
    cms: ok(cms),
    customerCode: '10042',
    date: '2026-11-22',
    devices: ok([{devices: [device(at('2026-11-22T08:00:00Z'))], userId: 'u-1'}]),
    erp: ok({item: null, price: erpRecord()}),
    erpItemOnly: null,
    erpSystem: 'visma',
    ftp: null,
    installation: ok({
      autoSync: {at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'},
      connection: 'direct' as const,
      erpSystem: 'visma',
      filters: {},
      ftpUrl: null,
      id: 'acme',
      name: 'Acme',
    }),
    itemCode: 'P-100',
    now,
    quantity: 1,
    resolved: ok(null),
    listRecords: ok({'B2B-A': []}),
    rowRecords: ok({'B2B-A': []}),
    syncRuns: ok([run('prices', pricesRun), run('customers', customersRun)]),
    userId: null,
    webshop: ok({
      currency: 'SEK',
      discountPercent: 5,
      hidePrices: false,
      listPrice: 129,
      listSource: 'priceList' as const,
      netPrice: 122.55,
      priceListCode: 'B2B-A',
      pricesIncludeVat: false,
      publishedAt: published,
      visible: true,
    }),
    ...overrides,
  }
}

const context = {commandSuffix: '', traceCommand: 'synctrace trace price 10042 P-100'}

/** The diagnosis as a report, checked against the invariants every report keeps. */
function trace(obs: PriceObservations): TraceReport {
  const diagnosis = diagnosePrice(obs, context)
  const report = {
    ...diagnosis,
    checkedAt: now.toISOString(),
    direction: 'inbound',
    entity: 'price',
    key: '10042/P-100',
    profile: 'test',
    schemaVersion: 1,
    tool: {name: 'synctrace', version: '0'},
    user: obs.userId,
  } as unknown as TraceReport
  expect(checkReportInvariants(report)).toEqual([])
  // As --json prints it: dates as text, no undefined.
  expect(violations(ajv, 'trace-report.schema.json', JSON.parse(JSON.stringify(report)))).toEqual([])
  return report
}

const hop = (report: TraceReport, name: string) => report.hops.find((entry) => entry.hop === name)
const priceAt = (report: TraceReport, name: string) => hop(report, name)?.record as PriceRecord | null

describe('price diagnosis', () => {
  it('is consistent when every hop computes 122.55 from the same inputs', () => {
    const report = trace(observations())
    expect(report.verdict).toMatchObject({cause: 'consistent', ok: true})
    expect(priceAt(report, 'cms')?.computed).toMatchObject({
      listPrice: 129,
      netPrice: 122.55,
      discountSource: 'customer',
    })
    expect(priceAt(report, 'webshop')?.answered).toMatchObject({netPrice: 122.55})
  })

  it('names a row changed in the ERP after the last prices run, with both computations and the times', () => {
    const erp = erpRecord({rows: [{...row, modifiedAt: at('2026-11-22T08:00:00Z'), price: 119}]})
    const report = trace(observations({erp: ok({item: null, price: erp})}))
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'price-changed-after-sync'})
    expect(hop(report, 'cms')?.status).toBe('stale')
    expect(hop(report, 'cms')?.diff.map((diff) => diff.field)).toContain('rows.B2B-A st SEK from 0 open')
    const names = report.verdict.evidence.map((entry) => entry.name)
    expect(names).toEqual(
      expect.arrayContaining(['upstreamComputation', 'downstreamComputation', 'erpModifiedAt', 'lastPricesSync']),
    )
    expect(report.verdict.evidence.find((entry) => entry.name === 'upstreamComputation')?.text).toMatch(
      /net 113\.05 SEK/,
    )
    expect(report.action).toMatchObject({command: 'synctrace sync prices B2B-A', kind: 'targeted-sync'})
    expect(targetFromTrace(report)).toEqual({entity: 'prices', keys: ['B2B-A'], kind: 'sync', mode: 'targeted'})
  })

  it('names a customer that switched list after the last customers run, and syncs the customer', () => {
    const erp = erpRecord({
      lists: {'B2B-B': {...list, priceListCode: 'B2B-B'}},
      pricing: {...pricing, effectivePriceListCode: 'B2B-B', priceListCode: 'B2B-B'},
      pricingModifiedAt: at('2026-11-22T08:00:00Z'),
      rows: [{...row, modifiedAt: null, price: 99, priceListCode: 'B2B-B'}],
    })
    const report = trace(observations({erp: ok({item: null, price: erp})}))
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'pricing-changed-after-sync'})
    expect(report.verdict.summary).toMatch(/the customer's price list \(B2B-B → B2B-A\)/)
    expect(targetFromTrace(report)).toEqual({entity: 'customers', keys: ['10042'], kind: 'sync', mode: 'targeted'})
  })

  it('says the change order is unknown when the ERP keeps no row times (Fortnox)', () => {
    const erp = erpRecord({rows: [{...row, modifiedAt: null, price: 119}]})
    const report = trace(observations({erp: ok({item: null, price: erp})}))
    expect(report.verdict.cause).toBe('change-order-unknown')
  })

  it('calls a CMS that read the change and still differs a platform matter', () => {
    const erp = erpRecord({rows: [{...row, modifiedAt: at('2026-11-21T00:00:00Z'), price: 119}]})
    const report = trace(observations({erp: ok({item: null, price: erp})}))
    expect(report.verdict.cause).toBe('cms-differs-from-erp')
  })

  it('names a row the prices run skipped, with its reason and run', () => {
    const erp = erpRecord({
      rows: [
        {...row, modifiedAt: at('2026-11-20T00:00:00Z')},
        {...row, fromQuantity: 1, modifiedAt: at('2026-11-20T00:00:00Z'), price: 119, unit: 'st'},
      ],
    })
    const skipped = {
      at: at('2026-11-22T01:01:00Z'),
      outcome: 'skipped',
      reason: 'unit kg differs from item unit st',
      runId: 'r-prices',
    }
    const report = trace(observations({erp: ok({item: null, price: erp}), rowRecords: ok({'B2B-A': [skipped]})}))
    expect(report.verdict.cause).toBe('price-row-skipped')
    expect(report.verdict.evidence.find((entry) => entry.name === 'syncRecordOutcome')).toMatchObject({
      runId: 'r-prices',
    })
    expect(report.action.owner).toBe('erp-consultant')
  })

  it('never calls an input the ERP cannot supply a break', () => {
    const erp = erpRecord({
      notSupplied: [{field: 'pricing.discountPercent', reason: 'Business Central standard API: no customer discount'}],
      pricing: {...pricing, discountPercent: 0},
    })
    const report = trace(observations({erp: ok({item: null, price: erp})}))
    expect(report.verdict.cause).toBe('consistent')
    expect(hop(report, 'cms')?.notCompared.map((entry) => entry.field)).toContain('pricing.discountPercent')
  })

  it('says an ERP without a price resource cannot supply prices, never a break', () => {
    const report = trace(observations({erp: null}))
    expect(report.verdict.cause).toBe('consistent')
    expect(hop(report, 'erp')?.notCompared).toEqual([{field: 'price', reason: 'the ERP cannot supply prices'}])
  })

  it('names a device that has not refreshed since the rows were published, for an app refresh', () => {
    const report = trace(
      observations({
        devices: ok([{devices: [device(at('2026-11-22T01:00:00Z'))], userId: 'u-1'}]),
        appResolved: ok({price: resolved, publishedAt: publishTimes}),
      }),
    )
    expect(report.verdict).toMatchObject({brokenLink: {from: 'cms', to: 'app'}, cause: 'device-not-refreshed'})
    expect(report.action.command).toBe('synctrace refresh app --user u-1')
  })

  it('names an app publish behind the CMS write of the rows', () => {
    const cms = cmsInputs({rows: {'B2B-A': [{...row, ...times, price: 119, syncedAt: at('2026-11-22T07:00:00Z')}]}})
    const report = trace(observations({cms: ok(cms)}))
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}})
    const appOnly = trace(observations({cms: ok(cms), erp: null}))
    expect(appOnly.verdict).toMatchObject({brokenLink: {from: 'cms', to: 'app'}, cause: 'app-publish-behind'})
    expect(appOnly.action.command).toBe('synctrace sync prices B2B-A')
  })

  it('names a webshop not republished since the CMS wrote the inputs', () => {
    const webshop = {
      ...(observations().webshop as {value: object}).value,
      netPrice: 130.1,
      listPrice: 137,
      publishedAt: at('2026-11-21T00:00:00Z'),
    }
    const report = trace(observations({webshop: ok(webshop as never)}))
    expect(report.verdict).toMatchObject({brokenLink: {from: 'cms', to: 'webshop'}, cause: 'webshop-behind'})
    expect(report.action.kind).toBe('webshop-republish')
  })

  it('names the VAT kind when one hop includes VAT and the other does not', () => {
    const erp = erpRecord({
      lists: {'B2B-A': {...list, pricesIncludeVat: true}},
      rows: [{...row, modifiedAt: at('2026-11-22T08:00:00Z')}],
    })
    const report = trace(observations({erp: ok({item: null, price: erp})}))
    expect(hop(report, 'cms')?.diff.map((diff) => diff.field)).toEqual(
      expect.arrayContaining(['price.pricesIncludeVat', 'lists.B2B-A.pricesIncludeVat']),
    )
  })

  it('blames the export for a list customers.csv names but pricelists.csv lacks, though the hops agree', () => {
    const cms = cmsInputs({lists: {'B2B-A': {...list, ...times, active: false, priceListId: 1}}, rows: {'B2B-A': []}})
    const ftpInstallation = ok({...(observations().installation as {value: object}).value, connection: 'ftp' as const})
    const notInExport = {
      at: at('2026-11-22T01:01:00Z'),
      outcome: 'skipped',
      reason: 'price list B2B-A not in export: deactivated',
      runId: 'r-prices',
    }
    const report = trace(
      observations({
        app: ok({
          discountGroup: null,
          item: {item, publishedAt: published, visible: null},
          pricing: {pricing: cms.pricing as never, publishedAt: published, visibleToUserIds: []},
          rows: {'B2B-A': {publishedAt: published, rows: []}},
        }),
        cms: ok(cms),
        erp: null,
        installation: ftpInstallation as never,
        listRecords: ok({'B2B-A': [notInExport]}),
        webshop: ok({
          ...(observations().webshop as {value: object}).value,
          discountPercent: 5,
          listPrice: 149.5,
          listSource: 'itemBasePrice',
          netPrice: 142.03,
          priceListCode: null,
        } as never),
      }),
    )
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'ftp'}, cause: 'price-list-not-in-export'})
    expect(report.action.owner).toBe('it-partner')
    expect(hop(report, 'cms')?.status).toBe('present')
  })

  it('traces a fixed price again for the same quantity and date, and splits its key at the first separator', () => {
    const report = trace(observations({date: '2026-11-20', quantity: 10}))
    expect(entities.price.actions.paramsOf?.(report)).toEqual({date: '2026-11-20', quantity: 10})
    expect(splitKey('10042/P-100/A', 2)).toEqual(['10042', 'P-100/A'])
  })

  it("names a row the CMS's records say it skipped, even where the source's inputs cannot be read", () => {
    const cms = cmsInputs({rows: {'B2B-A': []}})
    const skipped = {
      at: at('2026-11-22T01:01:00Z'),
      outcome: 'skipped',
      reason: 'unknown item P-100',
      runId: 'r-prices',
    }
    const report = trace(observations({cms: ok(cms), erp: null, rowRecords: ok({'B2B-A': [skipped]})}))
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'price-row-skipped'})
    const expired = {...skipped, reason: 'row expired (validTo 2026-10-31)'}
    expect(trace(observations({erp: null, rowRecords: ok({'B2B-A': [expired]})})).verdict.cause).toBe('consistent')
  })

  it("compares an ERP without price lists by its item's base price, for a targeted item sync", () => {
    const cms = cmsInputs({
      pricing: {...pricing, ...times, effectivePriceListCode: null, priceListCode: null, priceListId: 1},
      lists: {},
      rows: {},
    })
    const erpItem = {
      erpId: null,
      item: {...item, price: 159.5},
      modifiedAt: at('2026-11-22T08:00:00Z'),
      notSupplied: [],
    }
    const base = {erp: null, erpItemOnly: ok(erpItem), syncRuns: ok([run('items', pricesRun)])}
    const report = trace(observations({...base, cms: ok(cms)}))
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'erp-changed-after-sync'})
    expect(targetFromTrace(report)).toEqual({entity: 'items', keys: ['P-100'], kind: 'sync', mode: 'targeted'})
    // With a list row, the base price is not the customer's price: nothing to say.
    expect(trace(observations(base)).verdict.cause).toBe('consistent')
  })
})
