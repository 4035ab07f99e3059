import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {resolvePrice} from '../../dist/model/price.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'
import {testTimeScale} from '../helpers/sandbox.js'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
type Json = Record<string, unknown>

/**
 * The sandbox platform's customer prices over loopback (platform contract, "Prices: customer-specific pricing"):
 * the CMS's lists, rows, pricing profiles, discount groups and resolve; the app's published prices; the webshop's.
 */
describe("the sandbox platform's price endpoints", () => {
  let sandbox: Sandbox
  let get: (hop: 'cms' | 'app' | 'webshop', path: string) => Promise<{status: number; body: Json}>
  beforeAll(async () => {
    sandbox = await startSandbox({installations: ['nordic'], timeScale: testTimeScale})
    const nordic = sandbox.installation('nordic')
    // Three more items on STD, so a list pages by item: several rows each, one dated.
    const rows = nordic.state.prices?.cms.rows as Map<string, Json[]>
    const row = (itemCode: string, fromQuantity: number, price: number, validFrom: string | null = null): Json => ({
      currency: 'SEK',
      erpModifiedAt: null,
      fromQuantity,
      itemCode,
      price,
      priceListCode: 'STD',
      syncedAt: '2026-11-20T01:07:00.000Z',
      unit: 'st',
      validFrom,
      validTo: null,
    })
    rows.set('STD\u0000Å-1', [row('Å-1', 0, 10), row('Å-1', 0, 9, '2026-01-01'), row('Å-1', 5, 8)])
    rows.set('STD\u0000B-1', [row('B-1', 0, 20)])
    rows.set('STD\u0000Z-1', [row('Z-1', 0, 30), row('Z-1', 12, 28)])
    get = async (hop, path) => {
      const base = nordic.services[hop]?.url as string
      const answer = await fetch(`${base}${path}`, {headers: {authorization: `Bearer ${nordic.tokens.support}`}})
      return {body: (await answer.json()) as Json, status: answer.status}
    }
  }, 60_000)
  afterAll(async () => {
    await sandbox?.stop()
  })

  it('lists price lists by code in UTF-8 byte order, a page at a time, with their integer ids', async () => {
    const codes: string[] = []
    let after: string | null = null
    do {
      const page = await get(
        'cms',
        `/api/v1/pricelists?limit=3${after === null ? '' : `&after=${encodeURIComponent(after)}`}`,
      )
      expect(page.status).toBe(200)
      const lists = page.body.priceLists as Json[]
      expect(lists.length).toBeLessThanOrEqual(3)
      codes.push(...lists.map((list) => list.priceListCode as string))
      for (const list of lists) expect(list.priceListId).toBeGreaterThan(1)
      after = page.body.next as string | null
    } while (after !== null)
    const byBytes = [...codes].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    expect(codes).toEqual(byBytes)
    expect(codes).toContain('UTGÅTT')
    expect(codes.indexOf('UTGÅTT')).toBeGreaterThan(codes.indexOf('STD'))
    const gone = await get('cms', `/api/v1/pricelists/${encodeURIComponent('UTGÅTT')}`)
    expect(gone.body).toMatchObject({active: false, priceListCode: 'UTGÅTT'})
  })

  it("pages a list's rows by item: limit counts items, an item's rows stay on one page, ordered by fromQuantity then validFrom (null first)", async () => {
    const first = await get('cms', '/api/v1/pricelists/STD/prices?limit=2')
    expect((first.body.prices as Json[]).map((row) => `${row.itemCode}:${row.fromQuantity}`)).toEqual([
      'B-1:0',
      'N-100:0',
      'N-100:10',
    ])
    expect(first.body.next).toBe('N-100')
    const second = await get('cms', '/api/v1/pricelists/STD/prices?limit=2&after=N-100')
    expect((second.body.prices as Json[]).map((row) => `${row.itemCode}:${row.fromQuantity}:${row.validFrom}`)).toEqual(
      ['Z-1:0:null', 'Z-1:12:null', 'Å-1:0:null', 'Å-1:0:2026-01-01', 'Å-1:5:null'],
    )
    expect(second.body.next).toBeNull()
    const one = await get('cms', '/api/v1/pricelists/STD/prices?itemCode=N-100')
    expect((one.body.prices as Json[]).map((row) => row.price)).toEqual([1285.7, 1196])
  })

  it('answers 200 with no rows for a known list without the item, 404 for an unknown list, customer or group', async () => {
    expect((await get('cms', '/api/v1/pricelists/STD/prices?itemCode=N-999')).body).toEqual({next: null, prices: []})
    for (const path of [
      '/api/v1/pricelists/NOPE',
      '/api/v1/pricelists/NOPE/prices?itemCode=N-100',
      '/api/v1/customers/NOPE/pricing',
      '/api/v1/discountgroups/NOPE',
      '/api/v1/prices/resolve?customerCode=NOPE&itemCode=N-100',
      '/api/v1/prices/resolve?customerCode=20101&itemCode=N-999',
      '/app/v1/customers/NOPE/pricing',
      '/app/v1/pricelists/STD/prices?itemCode=N-999',
      '/webshop/v1/customers/20101/prices/N-999',
    ]) {
      const hop = path.startsWith('/app') ? 'app' : path.startsWith('/webshop') ? 'webshop' : 'cms'
      const answer = await get(hop, path)
      expect([path, answer.status, (answer.body.error as Json)?.code]).toEqual([path, 404, 'not_found'])
    }
    expect((await get('cms', '/api/v1/prices/resolve?customerCode=20101&itemCode=N-100&quantity=0')).status).toBe(400)
  })

  it("serves the customer's pricing profile and the discount groups as the customers and prices runs wrote them", async () => {
    const pricing = await get('cms', '/api/v1/customers/20105/pricing')
    expect(pricing.body).toMatchObject({
      customerCode: '20105',
      discountGroupCode: 'DG1',
      discountPercent: 2,
      effectivePriceListCode: 'STD',
      priceListCode: 'STD',
    })
    const groups = await get('cms', '/api/v1/discountgroups?limit=1')
    expect(groups.body).toMatchObject({discountGroups: [{discountGroupCode: 'DG1'}], next: null})
    expect((await get('cms', '/api/v1/discountgroups/DG1')).body.rules).toHaveLength(2)
  })

  it("resolves with the contract's rule over the CMS's inputs, for a tier, a discount group and an action price", async () => {
    const nordic = sandbox.installation('nordic')
    const cms = nordic.state.prices?.cms as {rows: Map<string, Json[]>; discountGroups: Map<string, Json>}
    const item = nordic.state.cms.items.get('N-100') as Json
    const cases = [
      ['20101', 10, null, null, 1196],
      ['20105', 1, null, 'DG1', 1124.99],
      ['20104', 1, 'KAMPANJ', null, 1255.8],
    ] as const
    for (const [customer, quantity, action, group, net] of cases) {
      const answer = await get(
        'cms',
        `/api/v1/prices/resolve?customerCode=${customer}&itemCode=N-100&quantity=${quantity}&date=2026-11-20`,
      )
      const pricing = (await get('cms', `/api/v1/customers/${customer}/pricing`)).body
      const expected = resolvePrice(
        {
          discountGroup: group ? (cms.discountGroups.get(group) as never) : null,
          item: {
            currency: item.currency as string,
            itemCode: 'N-100',
            price: item.price as number,
            unit: item.unit as string,
          },
          lists: {},
          pricing: pricing as never,
          rows: [
            ...(cms.rows.get('STD\u0000N-100') ?? []),
            ...(action ? (cms.rows.get(`${action}\u0000N-100`) ?? []) : []),
          ] as never,
        },
        quantity,
        '2026-11-20',
      )
      expect(answer.body).toMatchObject({...expected, customerCode: customer, date: '2026-11-20', quantity})
      expect(answer.body.netPrice).toBe(net)
    }
  })

  it("gives the app's published inputs with when each was published, and the device that refreshed before the rows", async () => {
    const resolved = await get('app', '/app/v1/prices/resolve?customerCode=20109&itemCode=N-100')
    const publishedAt = resolved.body.publishedAt as Record<string, string | null>
    expect(Object.keys(publishedAt).sort()).toEqual([
      'actionPriceListRows',
      'customer',
      'discountGroup',
      'item',
      'priceListRows',
    ])
    expect(resolved.body.netPrice).toBe(1225.9)
    const device = ((await get('app', '/app/v1/users/u-31/devices')).body.devices as Json[])[0] as Json
    expect(Date.parse(publishedAt.priceListRows as string)).toBeGreaterThan(Date.parse(device.lastRefreshAt as string))
    const rows = await get('app', '/app/v1/pricelists/PROJEKT/prices?itemCode=N-100')
    expect(rows.body).toMatchObject({itemCode: 'N-100', priceListCode: 'PROJEKT', record: {prices: [{price: 1225.9}]}})
    const paged = await get('app', '/app/v1/pricelists/STD/prices?limit=1')
    expect(paged.body).toMatchObject({next: null, prices: [{itemCode: 'N-100'}]})
    expect((await get('app', '/app/v1/customers/20101/pricing')).body).toMatchObject({visibleToUserIds: ['u-31']})
    expect((await get('app', '/app/v1/discountgroups/DG1')).body).toMatchObject({discountGroupCode: 'DG1'})
  })

  it("shows a logged-in buyer the webshop's own (older) price, no price when hidden, and every item's price by page", async () => {
    const behind = await get('webshop', '/webshop/v1/customers/20110/prices/N-100?quantity=1')
    expect(behind.body).toMatchObject({
      listPrice: 1270.75,
      listSource: 'priceList',
      priceListCode: 'KEDJA',
      visible: true,
    })
    const hidden = await get('webshop', '/webshop/v1/customers/20111/prices/N-100')
    expect(hidden.body).toMatchObject({hidePrices: true, listPrice: null, netPrice: null})
    const all = await get('webshop', '/webshop/v1/customers/20101/prices?limit=1')
    expect(all.body).toMatchObject({next: null, prices: [{itemCode: 'N-100', netPrice: 1285.7, quantity: 1}]})
  })
})

describe("every seed's price scenarios", () => {
  it('load into every hop: each scenario resolves at the CMS, the app and the webshop; FTP seeds export their prices and lose one list', async () => {
    const {loadEmulators} = await import('../../dist/sandbox/erp/registry.js')
    const {loadInstallationState, seededInstallations} = await import('../../dist/sandbox/load.js')
    const {cmsHandler} = await import('../../dist/sandbox/platform/cms.js')
    const {appHandler} = await import('../../dist/sandbox/platform/app.js')
    const {webshopHandler} = await import('../../dist/sandbox/platform/webshop.js')
    const {PlatformJobs} = await import('../../dist/sandbox/platform/service.js')
    await loadEmulators()
    const tokens = {admin: 'admin-token', support: 'support-token'}
    const problems: string[] = []
    for (const id of seededInstallations()) {
      const state = loadInstallationState(id) as unknown as Parameters<typeof cmsHandler>[0] & {
        scenarios: Array<{code: string}>
        prices?: {cms: {lists: Map<string, Json>}}
        exports: {prices?: {lists: Json[]}} | null
      }
      const jobs = new PlatformJobs()
      const handlers = {
        app: appHandler(state, tokens, jobs),
        cms: cmsHandler(state, tokens, jobs),
        webshop: webshopHandler(state, tokens, jobs),
      }
      const get = async (hop: keyof typeof handlers, path: string, query: Record<string, string> = {}) =>
        handlers[hop]({
          bearer: tokens.support,
          body: '',
          headers: {},
          method: 'GET',
          path,
          query: new URLSearchParams(query),
        })
      const scenarios = state.scenarios.filter((scenario: {code: string}) => scenario.code.includes('/'))
      if (scenarios.length === 0) problems.push(`${id}: no price scenario`)
      for (const {code} of scenarios) {
        const [customerCode, itemCode] = code.split('/') as [string, string]
        const query = {customerCode, itemCode}
        const answers = [
          await get('cms', '/api/v1/prices/resolve', query),
          await get('app', '/app/v1/prices/resolve', query),
          await get('webshop', `/webshop/v1/customers/${encodeURIComponent(customerCode)}/prices/${itemCode}`),
        ]
        if (answers.some((answer) => answer.status !== 200))
          problems.push(`${id} ${code}: ${answers.map((a) => a.status)}`)
      }
      if (state.exports) {
        const inactive = [...(state.prices?.cms.lists.values() ?? [])].filter((list) => list.active === false)
        if ((state.exports.prices?.lists.length ?? 0) === 0) problems.push(`${id}: no price export`)
        if (inactive.length !== 1) problems.push(`${id}: ${inactive.length} deactivated lists`)
      }
    }
    expect(problems).toEqual([])
  }, 60_000)
})
