import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {netsuite} from '../../dist/connectors/netsuite/system.js'
import {HttpClient} from '../../dist/http/client.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

type Json = Record<string, unknown>

const level = 'Återförsäljare'
const at = '2026-11-02T08:00:00Z'

/** Prices in the platform's terms: a level with two quantity breaks, and what NetSuite cannot hold. */
const prices = {
  discountGroups: [
    {
      description: null,
      discountGroupCode: 'DG1',
      modifiedAt: at,
      rules: [{fromQuantity: 0, itemCode: null, percent: 5, validFrom: null, validTo: null}],
    },
  ],
  lists: [
    {active: true, currency: null, description: null, kind: 'standard', priceListCode: level, pricesIncludeVat: false},
    {
      active: true,
      currency: null,
      description: null,
      kind: 'action',
      priceListCode: 'KAMPANJ',
      pricesIncludeVat: false,
    },
  ],
  pricing: [
    {
      actionPriceListCode: 'KAMPANJ',
      currency: 'SEK',
      customerCode: '50001',
      discountGroupCode: 'DG1',
      discountPercent: 5,
      effectivePriceListCode: level,
      hidePrices: false,
      modifiedAt: at,
      priceListCode: level,
    },
  ],
  rows: [
    {
      currency: 'SEK',
      fromQuantity: 0,
      itemCode: 'NS-100',
      modifiedAt: at,
      price: 3000,
      priceListCode: level,
      unit: 'st',
      validFrom: null,
      validTo: null,
    },
    {
      currency: 'SEK',
      fromQuantity: 5,
      itemCode: 'NS-100',
      modifiedAt: at,
      price: 2800,
      priceListCode: level,
      unit: 'st',
      validFrom: null,
      validTo: null,
    },
    // Dated: NetSuite's prices have none, so it cannot hold this one.
    {
      currency: 'SEK',
      fromQuantity: 10,
      itemCode: 'NS-100',
      modifiedAt: at,
      price: 2500,
      priceListCode: level,
      unit: 'st',
      validFrom: '2026-12-01',
      validTo: null,
    },
    {
      currency: 'SEK',
      fromQuantity: 0,
      itemCode: 'NS-100',
      modifiedAt: at,
      price: 2900,
      priceListCode: 'KAMPANJ',
      unit: 'st',
      validFrom: null,
      validTo: null,
    },
  ],
}

describe('NetSuite customer prices over the wire (price levels, quantity pricing, customer item pricing through SuiteQL)', () => {
  let running: RunningSandbox
  const http = new HttpClient()
  beforeAll(async () => {
    running = await startTestSandbox(['nimbus'])
    const {emulator, state} = running.sandbox.installation('nimbus').state.erp
    emulator.putPrices(state, prices)
  }, 60_000)
  afterAll(async () => {
    await http.close()
    await running?.stop()
  })

  const erp = () =>
    running.sandbox.installation('nimbus').state.erp.state as Json & {customers: Array<{record: Json}>; pricing: Json[]}
  const connector = () =>
    netsuite.connect(running.sandbox.installation('nimbus').profile('admin').erp, http, {
      saveSecret: async () => false,
      warn: () => undefined,
    })

  it("gives the customer's price level as its list, with the level's quantity breaks and none of what NetSuite cannot hold", async () => {
    const record = await (await connector()).entities.price?.find('50001', 'NS-100', {date: '2026-11-20', quantity: 6})
    expect(record?.pricing).toMatchObject({
      actionPriceListCode: null,
      currency: 'SEK',
      discountGroupCode: null,
      discountPercent: 0,
      effectivePriceListCode: level,
      priceListCode: level,
    })
    expect(record?.lists[level]).toMatchObject({active: true, kind: 'standard', priceListCode: level})
    expect(record?.rows).toEqual([
      {
        currency: 'SEK',
        fromQuantity: 0,
        itemCode: 'NS-100',
        modifiedAt: null,
        price: 3000,
        priceListCode: level,
        unit: 'st',
        validFrom: null,
        validTo: null,
      },
      {
        currency: 'SEK',
        fromQuantity: 5,
        itemCode: 'NS-100',
        modifiedAt: null,
        price: 2800,
        priceListCode: level,
        unit: 'st',
        validFrom: null,
        validTo: null,
      },
    ])
    expect(record?.resolved).toBeNull()
    const fields = record?.notSupplied.map((entry: {field: string}) => entry.field)
    expect(fields).toEqual(
      expect.arrayContaining([
        'pricing.discountPercent',
        'pricing.actionPriceListCode',
        'rows.validFrom',
        'rows.modifiedAt',
      ]),
    )
    const suiteql = running.sandbox
      .requests('nimbus', 'erp')
      .filter((request: {path: string}) => request.path.endsWith('/query/v1/suiteql'))
    expect(suiteql.length).toBeGreaterThanOrEqual(3)
  })

  it("answers with NetSuite's customer item pricing, which wins over the level: a custom price, or another level's break", async () => {
    const customer = erp().customers.find((entry) => entry.record.entityId === '50001') as {record: Json}
    const before = customer.record
    try {
      customer.record = {
        ...before,
        itemPricing: {
          items: [
            {
              currency: {id: '1', refName: 'SEK'},
              item: {id: '1', refName: 'NS-100'},
              level: {id: '-1', refName: 'Custom'},
              price: 2222,
            },
          ],
        },
      }
      const custom = await (await connector()).entities.price?.find('50001', 'NS-100', {
        date: '2026-11-20',
        quantity: 1,
      })
      expect(custom?.resolved).toEqual({currency: 'SEK', listPrice: 2222, netPrice: 2222})
      customer.record = {
        ...before,
        itemPricing: {items: [{item: {id: '1', refName: 'NS-100'}, level: {id: '1', refName: 'Base Price'}}]},
      }
      const base = await (await connector()).entities.price?.find('50001', 'NS-100', {date: '2026-11-20', quantity: 1})
      expect(base?.resolved).toEqual({currency: 'SEK', listPrice: 3495, netPrice: 3495})
    } finally {
      customer.record = before
    }
  })

  it('lists every row of every level but the base price level for reconcile', async () => {
    const rows = []
    for await (const row of (await connector()).entities.price?.listRows?.().records ?? []) rows.push(row)
    expect(rows.map((row: Json) => [row.priceListCode, row.itemCode, row.fromQuantity, row.price])).toEqual([
      [level, 'NS-100', 0, 3000],
      [level, 'NS-100', 5, 2800],
    ])
    const source = running.sandbox.installation('nimbus').state.erp.emulator.sourcePrices(erp())
    expect(source.rows).toHaveLength(2)
    expect(source.lists.map((list: Json) => list.priceListCode)).toEqual([level])
  })

  it('pages the matrix by limit and offset until NetSuite says it has no more', async () => {
    const state = erp() as unknown as {maxPageSize: number}
    const largest = state.maxPageSize
    state.maxPageSize = 1
    const before = running.sandbox.requests('nimbus', 'erp').length
    try {
      const rows = []
      for await (const row of (await connector()).entities.price?.listRows?.().records ?? []) rows.push(row)
      expect(rows).toHaveLength(2)
      const offsets = running.sandbox
        .requests('nimbus', 'erp')
        .slice(before)
        .filter((request: {path: string}) => request.path.endsWith('/query/v1/suiteql'))
        .map((request: {query: Json}) => request.query.offset)
      // The base price level's rows come first in level order ("Base Price" < "Återförsäljare") and are read, then left out.
      expect(offsets.length).toBeGreaterThan(2)
      expect(offsets.slice(0, 3)).toEqual(['0', '1', '2'])
    } finally {
      state.maxPageSize = largest
    }
  })

  it('reports a matrix price of the wrong kind as a bad response naming the field', async () => {
    const line = erp().pricing[0] as Json
    const price = line.unitprice
    line.unitprice = 'lots'
    try {
      const problem = await (await connector()).entities.price
        ?.find('50001', 'NS-100', {date: '2026-11-20', quantity: 1})
        .catch((error: {problem: {kind: string; message: string}}) => error.problem)
      expect(problem).toMatchObject({kind: 'bad-response'})
      expect((problem as {message: string}).message).toContain('unitprice')
    } finally {
      line.unitprice = price
    }
  })
})
