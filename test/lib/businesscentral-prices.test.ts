import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {BusinessCentralConnector} from '../../dist/connectors/businesscentral/connector.js'
import {HttpClient} from '../../dist/http/client.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

type Json = Record<string, unknown>

/** The price resource as the library declares it (the built JavaScript's inferred type is narrower). */
interface Prices {
  // biome-ignore lint/suspicious/noExplicitAny: the record is checked field by field
  find(customerCode: string, itemCode: string, at: {quantity: number; date: string}): Promise<any>
  listRows?(): {records: AsyncIterable<Json>}
}

const at = '2026-11-02T08:00:00Z'
const row = (list: string, fromQuantity: number, price: number, dates: Json = {}) => ({
  currency: 'SEK',
  fromQuantity,
  itemCode: 'P-100',
  modifiedAt: at,
  price,
  priceListCode: list,
  unit: 'st',
  validFrom: null,
  validTo: null,
  ...dates,
})

/** Prices in the platform's terms: a list with tiers and dates, a campaign, a discount group, a customer discount. */
const prices = {
  discountGroups: [
    {
      description: 'Verktyg',
      discountGroupCode: 'DG1',
      modifiedAt: at,
      rules: [{fromQuantity: 0, itemCode: 'P-100', percent: 12.5, validFrom: null, validTo: null}],
    },
  ],
  lists: [
    {
      active: true,
      currency: 'SEK',
      description: 'Wholesale A',
      kind: 'standard',
      priceListCode: 'B2B-A',
      pricesIncludeVat: false,
    },
    {
      active: true,
      currency: 'SEK',
      description: 'Vinterkampanj',
      kind: 'action',
      priceListCode: 'KAMP-V',
      pricesIncludeVat: false,
    },
  ],
  pricing: [
    {
      actionPriceListCode: 'KAMP-V',
      currency: 'SEK',
      customerCode: '10001',
      discountGroupCode: 'DG1',
      discountPercent: 5,
      effectivePriceListCode: 'B2B-A',
      hidePrices: false,
      modifiedAt: at,
      priceListCode: 'B2B-A',
    },
  ],
  rows: [
    row('B2B-A', 0, 129),
    row('B2B-A', 10, 119, {validFrom: '2026-11-01', validTo: '2026-12-31'}),
    row('KAMP-V', 0, 115, {validFrom: '2026-11-15', validTo: '2026-11-30'}),
  ],
}

describe('Business Central customer prices over the wire (standard API v2.0, and the platform extension)', () => {
  let running: RunningSandbox
  const http = new HttpClient()
  beforeAll(async () => {
    running = await startTestSandbox()
    const {emulator, state} = running.sandbox.installation('acme').state.erp
    emulator.putPrices(state, prices)
  }, 60_000)
  afterAll(async () => {
    await http.close()
    await running?.stop()
  })

  const bc = () => running.sandbox.installation('acme').state.erp.state as Json & {priceListLines: Json[]}
  const connector = (priceExtension: boolean) => {
    const profile = running.sandbox.installation('acme').profile('admin').erp
    const built = new BusinessCentralConnector(http, {
      auth: {clientId: profile.clientId, clientSecret: profile.clientSecret, tokenUrl: profile.tokenUrl},
      companyId: profile.companyId,
      environment: profile.environment,
      priceExtension,
      tenant: profile.tenant,
      url: profile.url,
    })
    return {entities: {price: built.entities.price as Prices}}
  }

  it("gives only the item's unitPrice through the standard API v2.0, everything else not supplied", async () => {
    const record = await connector(false).entities.price.find('10001', 'P-100', {date: '2026-11-20', quantity: 10})
    expect(record?.resolved).toEqual({currency: 'SEK', listPrice: 149.5, netPrice: 149.5})
    expect(record?.pricing).toMatchObject({actionPriceListCode: null, discountPercent: 0, priceListCode: null})
    expect(record?.rows).toEqual([])
    expect(record?.lists).toEqual({})
    const rows = record?.notSupplied.find((entry: {field: string}) => entry.field === 'rows')
    expect(rows?.reason).toBe("Business Central's standard API v2.0 has no price lists")
  })

  it("reads the extension's price list lines: the customer's list with tiers and dates, its campaign, discount group and discount", async () => {
    const record = await connector(true).entities.price.find('10001', 'P-100', {date: '2026-11-20', quantity: 10})
    expect(record?.pricing).toEqual({
      actionPriceListCode: 'KAMP-V',
      currency: 'SEK',
      customerCode: '10001',
      discountGroupCode: 'DG1',
      discountPercent: 5,
      effectivePriceListCode: 'B2B-A',
      hidePrices: false,
      priceListCode: 'B2B-A',
    })
    expect(record?.lists['KAMP-V']).toMatchObject({active: true, kind: 'action', description: 'Vinterkampanj'})
    expect(
      record?.rows.map((entry: Json) => [
        entry.priceListCode,
        entry.fromQuantity,
        entry.price,
        entry.validFrom,
        entry.validTo,
      ]),
    ).toEqual([
      ['B2B-A', 0, 129, null, null],
      ['B2B-A', 10, 119, '2026-11-01', '2026-12-31'],
      ['KAMP-V', 0, 115, '2026-11-15', '2026-11-30'],
    ])
    expect(record?.rows[0].modifiedAt).toEqual(new Date(at))
    expect(record?.discountGroup).toMatchObject({
      discountGroupCode: 'DG1',
      rules: [{fromQuantity: 0, itemCode: 'P-100', percent: 12.5, validFrom: null, validTo: null}],
    })
    expect(record?.notSupplied.map((entry: {field: string}) => entry.field)).toEqual(['pricing.hidePrices'])
  })

  it('gives a customer without price settings no list through the extension, as the platform reads it', async () => {
    const record = await connector(true).entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 1})
    expect(record?.pricing).toMatchObject({
      actionPriceListCode: null,
      currency: 'SEK',
      customerCode: '10042',
      discountGroupCode: null,
      priceListCode: null,
    })
    expect(record?.rows).toEqual([])
    const {emulator} = running.sandbox.installation('acme').state.erp
    const profile = emulator.sourcePricing(bc()).find((entry: Json) => entry.customerCode === '10042')
    expect(profile).toMatchObject({currency: 'SEK', discountPercent: 0, priceListCode: null})
  })

  it('lists every price list line with $select of the compared fields for reconcile', async () => {
    const before = running.sandbox.requests('acme', 'erp').length
    const rows = []
    for await (const entry of connector(true).entities.price.listRows?.().records ?? []) rows.push(entry)
    expect(rows).toHaveLength(3)
    const listing = running.sandbox
      .requests('acme', 'erp')
      .slice(before)
      .find((request: {path: string}) => request.path.endsWith('/priceListLines'))
    expect(listing?.query.$select).toContain('unitPrice')
    const source = running.sandbox.installation('acme').state.erp.emulator.sourcePrices(bc())
    expect(source.rows).toHaveLength(3)
    expect(source.discountGroups.map((group: Json) => group.discountGroupCode)).toEqual(['DG1'])
  })

  it('follows @odata.nextLink through every page of price list lines', async () => {
    const state = bc() as unknown as {maxPageSize: number}
    const largest = state.maxPageSize
    state.maxPageSize = 1
    const before = running.sandbox.requests('acme', 'erp').length
    try {
      const rows = []
      for await (const entry of connector(true).entities.price.listRows?.().records ?? []) rows.push(entry)
      expect(rows.map((entry: Json) => entry.price)).toEqual([129, 119, 115])
      const pages = running.sandbox
        .requests('acme', 'erp')
        .slice(before)
        .filter((request: {path: string}) => request.path.endsWith('/priceListLines'))
      expect(pages).toHaveLength(3)
    } finally {
      state.maxPageSize = largest
    }
  })

  it('reports a price list line of the wrong kind as a bad response naming the field', async () => {
    const line = bc().priceListLines[0] as Json
    line.unitPrice = 'cheap'
    try {
      const problem = await connector(true)
        .entities.price.find('10001', 'P-100', {date: '2026-11-20', quantity: 1})
        .catch((error: {problem: {kind: string; message: string}}) => error.problem)
      expect(problem).toMatchObject({kind: 'bad-response'})
      expect((problem as {message: string}).message).toContain('unitPrice')
    } finally {
      line.unitPrice = 129
    }
  })

  it('holds no price lists where the extension has no price pages: the route answers 404 and the platform reads none', async () => {
    const state = bc()
    state.priceExtension = false
    try {
      const {emulator} = running.sandbox.installation('acme').state.erp
      emulator.putPrices(state, prices)
      expect(state.priceListLines).toEqual([])
      expect(emulator.sourcePrices(state).rows).toEqual([])
      const problem = await connector(true)
        .entities.price.find('10001', 'P-100', {date: '2026-11-20', quantity: 1})
        .catch((error: {problem: {httpStatus: number}}) => error.problem)
      expect(problem).toMatchObject({httpStatus: 404})
    } finally {
      state.priceExtension = true
      running.sandbox.installation('acme').state.erp.emulator.putPrices(state, prices)
    }
  })
})
