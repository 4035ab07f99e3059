import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterEach, describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'

import {erpSystems} from '../../dist/connectors/registry.js'
import {SandboxService} from '../../dist/emulation/service.js'
import {HttpClient} from '../../dist/http/client.js'
import {resolvePrice} from '../../dist/model/price.js'
import {emulatorFor, loadEmulators} from '../../dist/sandbox/erp/registry.js'
import {type Answer, specValidator} from '../helpers/spec-validator.js'

// Customer prices read from each ERP's own price API (issue 21): the emulator holds the prices put through
// `putPrices` in the vendor's wire form, and the connector's `price` resource reads them back.

type Json = Record<string, unknown>
type Response = {status: number; body?: unknown; headers?: Record<string, string>}
type Request = {
  method: string
  path: string
  query: URLSearchParams
  headers: Json
  body: string
  bearer: string | null
}

const changed = '2026-11-02T08:00:00.000Z'

function customer(code: string, priceListCode: string | null): Json {
  const own = {addressLine1: 'Storgatan 1', addressLine2: '', city: 'Uppsala', countryCode: 'SE', postCode: '753 20'}
  return {
    addresses: [{...own, addressType: 'Invoice', isMain: true}],
    blocked: false,
    customerCode: code,
    email: `k${code}@example.se`,
    isPrivate: false,
    name: `Kund ${code}`,
    phone: '018-100 00',
    priceListCode,
    salesRepCodes: [],
  }
}

function item(code: string, price: number): Json {
  const base = {active: true, currency: 'SEK', description: `Artikel ${code}`, itemCode: code, price}
  return {...base, stock: 5, unit: 'st', webshop: true}
}

const row = (list: string, itemCode: string, fromQuantity: number, price: number, dates: Json = {}) => ({
  currency: 'SEK',
  fromQuantity,
  itemCode,
  modifiedAt: changed,
  price,
  priceListCode: list,
  unit: 'st',
  validFrom: null,
  validTo: null,
  ...dates,
})

const pricing = (code: string, list: string | null, extra: Json = {}) => ({
  actionPriceListCode: null,
  currency: null,
  customerCode: code,
  discountGroupCode: null,
  discountPercent: 0,
  effectivePriceListCode: list,
  hidePrices: false,
  modifiedAt: changed,
  priceListCode: list,
  ...extra,
})

const list = (code: string, kind = 'standard', currency: string | null = 'SEK') => ({
  active: true,
  currency,
  description: `List ${code}`,
  kind,
  priceListCode: code,
  pricesIncludeVat: false,
})

const running: Array<{stop(): Promise<void>}> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((entry) => entry.stop()))
})

/** An ERP emulator on loopback holding customers, items and `prices`; `wrap` may change its answers. */
async function erpWithPrices(
  systemId: string,
  prices: Json,
  customers: Array<[string, string | null]>,
  wrap?: (request: Request, response: Response) => Response,
  seed: Json = {},
) {
  const system = erpSystems.find((entry: {id: string}) => entry.id === systemId)
  await loadEmulators()
  const emulator = emulatorFor(systemId)
  const state = emulator.create(seed)
  for (const [code, listCode] of customers) emulator.putCustomer(state, customer(code, listCode), changed)
  for (const code of ['P-100', 'P-200']) emulator.putItem(state, item(code, 149.5), changed)
  emulator.putPrices(state, prices)
  const inner = emulator.handler(state, () => service.url)
  const service = new SandboxService(systemId, async (request: Request) => {
    const response = await inner(request)
    return wrap ? wrap(request, response) : response
  })
  await service.start()
  const http = new HttpClient()
  running.push({stop: async () => void (await Promise.all([http.close(), service.stop()]))})
  const section = system.schema.parse(emulator.profile(state, service.url))
  const connector = await system.connect(section, http, {saveSecret: async () => false, warn: () => undefined})
  return {connector, emulator, service, state}
}

async function all<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const record of records) out.push(record)
  return out
}

const reference = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/reference')

/** Every answer the emulator gives, kept for a check against the vendor's specification. */
function recording(answers: Answer[]) {
  return (request: Request, response: Response): Response => {
    answers.push({body: response.body, method: request.method, path: request.path, status: response.status})
    return response
  }
}

const fields = (notSupplied: Array<{field: string}>) => notSupplied.map((entry) => entry.field)

describe('Fortnox prices', () => {
  const prices = {
    discountGroups: [
      {
        description: null,
        discountGroupCode: 'DG1',
        modifiedAt: changed,
        rules: [{fromQuantity: 0, itemCode: null, percent: 10, validFrom: null, validTo: null}],
      },
    ],
    lists: [list('B2B-A', 'standard', null), list('KAMP', 'action', null)],
    pricing: [pricing('10042', 'B2B-A', {actionPriceListCode: 'KAMP', discountGroupCode: 'DG1', discountPercent: 5})],
    rows: [
      row('B2B-A', 'P-100', 0, 129),
      row('B2B-A', 'P-100', 10, 119, {validFrom: '2026-11-01', validTo: '2026-12-31'}),
      row('B2B-A', 'P-100', 0, 12.5, {currency: 'EUR'}),
      row('B2B-A', 'P-200', 0, 99),
      row('B2B-A', 'P-300', 0, 50),
      row('KAMP', 'P-100', 0, 100),
    ],
  }
  const customers: Array<[string, string | null]> = [
    ['10042', 'B2B-A'],
    ['10043', null],
  ]

  it("reads the customer's list and InvoiceDiscount and every FromQuantity tier, with what Fortnox cannot hold declared", async () => {
    const {connector, service} = await erpWithPrices('fortnox', prices, customers)
    const record = await connector.entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 10})
    expect(record.pricing).toMatchObject({
      actionPriceListCode: null,
      currency: 'SEK',
      discountGroupCode: null,
      discountPercent: 5,
      effectivePriceListCode: 'B2B-A',
      priceListCode: 'B2B-A',
    })
    expect(Object.keys(record.lists)).toEqual(['B2B-A'])
    expect(record.lists['B2B-A']).toMatchObject({currency: null, kind: 'standard'})
    expect(record.rows).toEqual([
      {
        currency: 'SEK',
        fromQuantity: 0,
        itemCode: 'P-100',
        modifiedAt: null,
        price: 129,
        priceListCode: 'B2B-A',
        unit: 'st',
        validFrom: null,
        validTo: null,
      },
      {
        currency: 'SEK',
        fromQuantity: 10,
        itemCode: 'P-100',
        modifiedAt: null,
        price: 119,
        priceListCode: 'B2B-A',
        unit: 'st',
        validFrom: null,
        validTo: null,
      },
    ])
    expect(record.discountGroup).toBeNull()
    expect(record.resolved).toBeNull()
    expect(fields(record.notSupplied)).toEqual(
      expect.arrayContaining([
        'rows.validFrom',
        'lists.currency',
        'pricing.discountGroupCode',
        'pricing.actionPriceListCode',
      ]),
    )
    expect(service.requests.map((request: {path: string}) => request.path)).toEqual(
      expect.arrayContaining(['/3/customers/10042', '/3/pricelists/B2B-A', '/3/prices/sublist/B2B-A/P-100']),
    )
  })

  it('reads every FromQuantity tier of the article from a company that gives 1 entry a page', async () => {
    const {connector} = await erpWithPrices('fortnox', prices, customers, undefined, {maxPageSize: 1})
    const record = await connector.entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 10})
    expect(record.rows.map((entry: Json) => `${entry.fromQuantity} ${entry.price}`)).toEqual(['0 129', '10 119'])
  })

  it('answers null for a customer Fortnox does not have, and no list for a customer without one', async () => {
    const {connector} = await erpWithPrices('fortnox', prices, customers)
    expect(await connector.entities.price.find('99999', 'P-100', {date: '2026-11-20', quantity: 1})).toBeNull()
    const none = await connector.entities.price.find('10043', 'P-100', {date: '2026-11-20', quantity: 1})
    expect(none).toMatchObject({lists: {}, pricing: {discountPercent: 0, priceListCode: null}, rows: []})
  })

  it('lists every tier of every list for reconcile, and the platform skips the tier of an unknown article', async () => {
    const {connector, emulator, state} = await erpWithPrices('fortnox', prices, customers)
    const rows = (await all(connector.entities.price.listRows().records)) as Json[]
    expect(
      rows
        .map(
          (entry: Json) =>
            `${entry.priceListCode} ${entry.itemCode} ${entry.fromQuantity} ${entry.price} ${entry.unit}`,
        )
        .sort(),
    ).toEqual(['B2B-A P-100 0 129 st', 'B2B-A P-100 10 119 st', 'B2B-A P-200 0 99 st', 'B2B-A P-300 0 50 '])
    const source = emulator.sourcePrices(state)
    expect(source.skipped).toEqual([{itemCode: 'P-300', priceListCode: 'B2B-A', reason: 'unknown item P-300'}])
    expect(source.lists.map((entry: Json) => entry.priceListCode)).toEqual(['B2B-A'])
    expect(source.discountGroups).toEqual([])
    expect(emulator.sourcePricing(state).find((entry: Json) => entry.customerCode === '10042')).toMatchObject({
      actionPriceListCode: null,
      discountGroupCode: null,
      discountPercent: 5,
      priceListCode: 'B2B-A',
    })
  })

  it('answers every price route as fortnox-openapi.json says (the whole-list sublist, not in the spec, apart)', async () => {
    const answers: Answer[] = []
    const {connector} = await erpWithPrices('fortnox', prices, customers, recording(answers))
    for (const code of ['10042', '10043', '99999'])
      await connector.entities.price.find(code, 'P-100', {date: '2026-11-20', quantity: 1})
    await all(connector.entities.price.listRows().records)
    const spec = JSON.parse(readFileSync(join(reference, 'fortnox-openapi.json'), 'utf8')) as Json
    const inSpec = answers.filter((answer) => !/^\/3\/prices\/sublist\/[^/]+$/.test(answer.path))
    expect(inSpec.map((answer) => answer.path)).toEqual(
      expect.arrayContaining(['/3/pricelists', '/3/pricelists/B2B-A', '/3/prices/sublist/B2B-A/P-100']),
    )
    expect(inSpec.flatMap(specValidator(spec, '3.0'))).toEqual([])
  })

  it('a price of the wrong kind is a bad-response naming the field, not a crash', async () => {
    const {connector} = await erpWithPrices('fortnox', prices, customers, (request, response) =>
      request.path.startsWith('/3/prices/sublist/')
        ? {
            ...response,
            body: {Prices: [{ArticleNumber: 'P-100', FromQuantity: 0, Price: 'gratis', PriceList: 'B2B-A'}]},
          }
        : response,
    )
    await expect(
      connector.entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 1}),
    ).rejects.toMatchObject({
      problem: {kind: 'bad-response', message: expect.stringContaining('Price')},
    })
  })
})

describe('Visma eAccounting prices (Pro variant)', () => {
  const prices = {
    discountGroups: [
      {
        description: 'Avtal',
        discountGroupCode: 'DG1',
        modifiedAt: changed,
        rules: [{fromQuantity: 0, itemCode: 'P-100', percent: 10, validFrom: null, validTo: null}],
      },
    ],
    lists: [list('3'), list('KAMP', 'action')],
    pricing: [
      pricing('10042', '3', {discountGroupCode: 'DG1', discountPercent: 5}),
      pricing('10043', '3', {discountPercent: 5}),
    ],
    rows: [
      row('3', 'P-100', 0, 129),
      row('3', 'P-100', 10, 119),
      row('3', 'P-100', 0, 12.5, {currency: 'EUR'}),
      row('3', 'P-200', 0, 99),
      row('3', 'P-300', 0, 50),
      row('KAMP', 'P-100', 0, 100),
    ],
  }
  const customers: Array<[string, string | null]> = [
    ['10042', '3'],
    ['10043', '3'],
  ]

  it("reads the customer's list by its Number, the article's one price, the agreement's header and eAccounting's own resolved price", async () => {
    const {connector, service} = await erpWithPrices('visma-eaccounting', prices, customers)
    const record = await connector.entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 10})
    expect(record.pricing).toMatchObject({
      actionPriceListCode: null,
      currency: 'SEK',
      discountGroupCode: '1',
      discountPercent: 5,
      priceListCode: '3',
    })
    expect(record.lists['3']).toMatchObject({currency: 'SEK', kind: 'standard', priceListCode: '3'})
    expect(record.rows).toEqual([
      {
        currency: 'SEK',
        fromQuantity: 0,
        itemCode: 'P-100',
        modifiedAt: new Date(changed),
        price: 129,
        priceListCode: '3',
        unit: 'st',
        validFrom: null,
        validTo: null,
      },
    ])
    expect(record.discountGroup).toMatchObject({discountGroupCode: '1', rules: []})
    expect(record.resolved).toEqual({currency: 'SEK', listPrice: 129, netPrice: 116.1})
    expect(fields(record.notSupplied)).toEqual(
      expect.arrayContaining([
        'rows.fromQuantity',
        'rows.validFrom',
        'discountGroup.rules',
        'pricing.actionPriceListCode',
      ]),
    )
    expect(fields(record.notSupplied)).not.toContain('resolved.netPrice')
    const priced = service.requests.find((request: {path: string}) => /^\/v2\/articles\/[0-9a-f-]+$/.test(request.path))
    expect(priced?.query.customerId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("does not compare eAccounting's net price where only the customer's own discount applies (eAccounting applies it on the invoice)", async () => {
    const {connector} = await erpWithPrices('visma-eaccounting', prices, customers)
    const record = await connector.entities.price.find('10043', 'P-100', {date: '2026-11-20', quantity: 1})
    expect(record.resolved).toEqual({currency: 'SEK', listPrice: 129, netPrice: null})
    expect(fields(record.notSupplied)).toContain('resolved.netPrice')
    expect(await connector.entities.price.find('99999', 'P-100', {date: '2026-11-20', quantity: 1})).toBeNull()
  })

  it('lists every sales price for reconcile; the platform reads the agreements without rules and skips an unknown article', async () => {
    const {connector, emulator, state} = await erpWithPrices('visma-eaccounting', prices, customers)
    const rows = (await all(connector.entities.price.listRows().records)) as Json[]
    expect(
      rows.map((entry) => `${entry.priceListCode} ${entry.itemCode} ${entry.fromQuantity} ${entry.price}`).sort(),
    ).toEqual(['3 P-100 0 129', '3 P-200 0 99'])
    const source = emulator.sourcePrices(state)
    expect(source.skipped).toEqual([{itemCode: 'P-300', priceListCode: '3', reason: 'unknown item P-300'}])
    expect(source.discountGroups).toEqual([
      {description: 'Avtal', discountGroupCode: '1', modifiedAt: changed, rules: []},
    ])
    expect(emulator.sourcePricing(state).find((entry: Json) => entry.customerCode === '10042')).toMatchObject({
      discountGroupCode: '1',
      discountPercent: 5,
      priceListCode: '3',
    })
  })

  it('answers every price route as the 2026 OpenAPI document says', async () => {
    const answers: Answer[] = []
    const {connector} = await erpWithPrices('visma-eaccounting', prices, customers, recording(answers))
    for (const code of ['10042', '10043'])
      await connector.entities.price.find(code, 'P-100', {date: '2026-11-20', quantity: 1})
    await all(connector.entities.price.listRows().records)
    // Visma Connect's token endpoint is not part of the API's document.
    answers.splice(0, answers.length, ...answers.filter((answer) => answer.path !== '/connect/token'))
    const spec = parseYaml(
      readFileSync(join(reference, 'specs/visma-eaccounting-2026-openapi-3.1.yaml'), 'utf8'),
    ) as Json
    expect(new Set(answers.map((answer) => answer.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')))).toEqual(
      new Set([
        '/v2/customers',
        '/v2/articles',
        '/v2/salespricelists',
        '/v2/salespricelists/{id}',
        '/v2/salespricelists/prices',
        '/v2/salespricelists/prices/{id}/{id}',
        '/v2/discountagreements/{id}',
        '/v2/articles/{id}',
      ]),
    )
    expect(answers.flatMap(specValidator(spec, '3.1'))).toEqual([])
  })

  it('a sales price of the wrong kind is a bad-response naming the field', async () => {
    const {connector} = await erpWithPrices('visma-eaccounting', prices, customers, (request, response) =>
      request.path.startsWith('/v2/salespricelists/prices/')
        ? {...response, body: {...(response.body as Json), NetPrice: 'gratis'}}
        : response,
    )
    await expect(
      connector.entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 1}),
    ).rejects.toMatchObject({
      problem: {kind: 'bad-response', message: expect.stringContaining('NetPrice')},
    })
  })
})

describe('Visma.net prices', () => {
  const prices = {
    discountGroups: [],
    lists: [list('B2B-A', 'standard', null), list('KAMP', 'action', null)],
    pricing: [pricing('10042', 'B2B-A', {actionPriceListCode: 'KAMP', discountPercent: 5})],
    rows: [
      row('B2B-A', 'P-100', 0, 129),
      row('B2B-A', 'P-100', 10, 119, {validFrom: '2026-11-01', validTo: '2026-12-31'}),
      row('B2B-A', 'P-100', 0, 139, {validFrom: '2020-01-01', validTo: '2020-03-31'}),
      row('KAMP', 'P-100', 0, 110, {validFrom: '2026-11-15', validTo: '2026-11-30'}),
      row('B2B-A', 'P-200', 0, 99, {unit: 'kg'}),
      row('B2B-A', 'P-300', 0, 50),
    ],
  }
  const customers: Array<[string, string | null]> = [['10042', 'B2B-A']]

  it("reads the customer's price class and the item's break quantities and dates, a promotion as the class's action list", async () => {
    const {connector, service} = await erpWithPrices('visma-net', prices, customers)
    const record = await connector.entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 10})
    expect(record.pricing).toMatchObject({
      actionPriceListCode: 'B2B-A:PROMO',
      discountPercent: 0,
      effectivePriceListCode: 'B2B-A',
      priceListCode: 'B2B-A',
    })
    expect(record.lists['B2B-A:PROMO']).toMatchObject({kind: 'action'})
    expect(record.lists['B2B-A']).toMatchObject({kind: 'standard'})
    expect(
      record.rows.map(
        (entry: Json) =>
          `${entry.priceListCode} ${entry.fromQuantity} ${entry.price} ${entry.validFrom} ${entry.validTo}`,
      ),
    ).toEqual([
      'B2B-A 0 129 null null',
      'B2B-A 10 119 2026-11-01 2026-12-31',
      'B2B-A 0 139 2020-01-01 2020-03-31',
      'B2B-A:PROMO 0 110 2026-11-15 2026-11-30',
    ])
    expect(record.rows.every((entry: Json) => entry.modifiedAt instanceof Date)).toBe(true)
    expect(record.resolved).toBeNull()
    expect(fields(record.notSupplied)).toEqual(expect.arrayContaining(['resolved', 'pricing.discountPercent']))
    const asked = service.requests.find((request: {path: string}) => request.path === '/v1/customerSalesPrice')
    expect(asked?.query).toMatchObject({inventoryId: 'P-100', priceType: 'CustomerPriceClass'})
    // The contract's rule over what Visma.net holds: the promotion (110) beats the tier (119), with no discount.
    const item = {currency: 'SEK', itemCode: 'P-100', price: 149.5, unit: 'st'}
    const resolved = resolvePrice({...record, item}, 10, '2026-11-20')
    expect(resolved).toMatchObject({listPrice: 110, listSource: 'actionPriceList', netPrice: 110})
  })

  it('lists every price for reconcile; the platform skips an unknown item, another unit and an expired price', async () => {
    const {connector, emulator, state} = await erpWithPrices('visma-net', prices, customers)
    expect((await all(connector.entities.price.listRows().records)) as Json[]).toHaveLength(6)
    const source = emulator.sourcePrices(state)
    expect(source.skipped).toEqual(
      expect.arrayContaining([
        {itemCode: 'P-200', priceListCode: 'B2B-A', reason: 'unit kg differs from item unit st'},
        {itemCode: 'P-300', priceListCode: 'B2B-A', reason: 'unknown item P-300'},
        {itemCode: 'P-100', priceListCode: 'B2B-A', reason: 'row expired (validTo 2020-03-31)'},
      ]),
    )
    expect(emulator.sourcePricing(state)).toEqual([
      expect.objectContaining({actionPriceListCode: 'B2B-A:PROMO', customerCode: '10042', priceListCode: 'B2B-A'}),
    ])
  })

  it('a customer sales price of the wrong kind is a bad-response naming the field', async () => {
    const {connector} = await erpWithPrices('visma-net', prices, customers, (request, response) =>
      request.path === '/v1/customerSalesPrice' && Array.isArray(response.body)
        ? {...response, body: response.body.map((entry: Json) => ({...entry, price: 'gratis'}))}
        : response,
    )
    await expect(
      connector.entities.price.find('10042', 'P-100', {date: '2026-11-20', quantity: 1}),
    ).rejects.toMatchObject({
      problem: {kind: 'bad-response', message: expect.stringContaining('price')},
    })
  })
})

describe('price listings for reconcile, paged', () => {
  const many = Array.from({length: 7}, (_unused, index) => row('5', 'P-100', 0, 100 + index))
  const prices = {
    discountGroups: [],
    lists: ['5', '6', '7', '8', '9', '10', '11'].map((code) => list(code)),
    pricing: [],
    rows: many.map((entry, index) => ({...entry, priceListCode: String(5 + index)})),
  }

  it.each(['fortnox', 'visma-eaccounting', 'visma-net'])(
    '%s: reads the rows of every list from a company that gives 2 entries a page',
    async (systemId) => {
      const {connector, service} = await erpWithPrices(systemId, prices, [], undefined, {maxPageSize: 2})
      const rows = (await all(connector.entities.price.listRows().records)) as Json[]
      expect(rows.map((entry) => `${entry.priceListCode} ${entry.price}`).sort()).toEqual([
        '10 105',
        '11 106',
        '5 100',
        '6 101',
        '7 102',
        '8 103',
        '9 104',
      ])
      expect(service.requests.length).toBeGreaterThan(4)
    },
  )
})
