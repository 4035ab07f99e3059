import {afterEach, describe, expect, it, vi} from 'vitest'

import {cmsHandler} from '../../dist/sandbox/platform/cms.js'
import {webshopHandler} from '../../dist/sandbox/platform/webshop.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
type Json = Record<string, unknown>

/**
 * The CMS's `prices` runs, the `customers` run's pricing profiles and the webshop's republish of prices, on the
 * sandbox's jobs: its handlers called in this process with Node's timers faked, at the test time scale (a job
 * is done after 18 ms of sandbox time), so nothing is waited for.
 */
function platformOf(sandbox: Sandbox, id: string) {
  const {jobs, state, tokens} = sandbox.installation(id)
  const handlers = {cms: cmsHandler(state, tokens, jobs), webshop: webshopHandler(state, tokens, jobs)}
  let counter = 0
  const send = async (hop: keyof typeof handlers, method: string, path: string, body?: Json) => {
    const [pathname, query = ''] = path.split('?')
    const answer = await handlers[hop]({
      bearer: tokens.admin,
      body: body ? JSON.stringify(body) : '',
      headers: {'idempotency-key': `key-${++counter}`},
      method,
      path: pathname as string,
      query: new URLSearchParams(query),
    })
    return answer.body as Json
  }
  /** Starts a job (or a republish) and lets the sandbox's time pass until it is done. */
  const run = async (hop: keyof typeof handlers, path: string, body: Json) => {
    const started = await send(hop, 'POST', path, body)
    await vi.advanceTimersByTimeAsync(20)
    return started
  }
  return {run, send, state}
}

const priceRun = (body: Json) => ({entity: 'prices', ...body})

describe("the CMS's prices runs", () => {
  let sandbox: Sandbox | undefined
  afterEach(async () => {
    vi.useRealTimers()
    await sandbox?.stop()
    sandbox = undefined
  })

  async function start(id: string) {
    sandbox = await startSandbox({installations: [id], timeScale: 0.01})
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    return platformOf(sandbox, id)
  }

  it('a targeted run re-reads only the named lists; the full run deactivates a list the export lost', async () => {
    const {run, send, state} = await start('nordic')
    const exported = state.exports?.prices as {lists: Json[]; rows: Json[]}
    // The ERP changed a row on BYGG and one on STD, and no longer exports KEDJA.
    for (const row of exported.rows) if (row.priceListCode === 'BYGG' || row.priceListCode === 'STD') row.price = 1000
    exported.lists = exported.lists.filter((list) => list.priceListCode !== 'KEDJA')
    exported.rows = exported.rows.filter((row) => row.priceListCode !== 'KEDJA')
    await run('cms', '/api/v1/sync/jobs', priceRun({keys: ['BYGG'], mode: 'targeted'}))
    const rowsOf = async (list: string) =>
      ((await send('cms', 'GET', `/api/v1/pricelists/${list}/prices?itemCode=N-100`)).prices as Json[]).map(
        (row) => row.price,
      )
    expect(await rowsOf('BYGG')).toEqual([1000])
    expect(await rowsOf('STD')).toEqual([1285.7, 1196])
    expect(await send('cms', 'GET', '/api/v1/pricelists/KEDJA')).toMatchObject({active: true})
    const [targeted] = (await send('cms', 'GET', '/api/v1/sync/runs?entity=prices&limit=1')).runs as Json[]
    expect(targeted).toMatchObject({
      counts: {read: 1, updated: 1},
      keys: ['BYGG'],
      mode: 'targeted',
      source: 'ftp-file',
      sourceFile: 'pricelists.csv',
      status: 'succeeded',
    })
    expect((targeted as Json).sourceFileModifiedAt).toBe(state.exports?.files['pricelists.csv']?.modified)
    await run('cms', '/api/v1/sync/jobs', priceRun({keys: null, mode: 'full'}))
    expect(await rowsOf('STD')).toEqual([1000, 1000])
    expect(await send('cms', 'GET', '/api/v1/pricelists/KEDJA')).toMatchObject({active: false})
    expect(await rowsOf('KEDJA')).toEqual([])
    const records = await send('cms', 'GET', '/api/v1/sync/records?entity=prices&key=KEDJA')
    expect((records.records as Json[])[0]).toMatchObject({
      outcome: 'updated',
      reason: 'price list KEDJA not in export: deactivated',
    })
  })

  it('a run without an export file fails and changes nothing', async () => {
    const {run, send, state} = await start('nordic')
    if (state.exports) state.exports.prices = undefined
    await run('cms', '/api/v1/sync/jobs', priceRun({keys: null, mode: 'full'}))
    const [failed] = (await send('cms', 'GET', '/api/v1/sync/runs?entity=prices&limit=1')).runs as Json[]
    expect(failed).toMatchObject({error: 'pricelists.csv not found', status: 'failed'})
    expect(await send('cms', 'GET', '/api/v1/pricelists/STD')).toMatchObject({active: true})
  })

  it("notes each skipped row under its list and item with the source's reason, and counts rows", async () => {
    const {run, send, state} = await start('vnet')
    const erp = state.erp as {emulator: Json; state: unknown}
    const row = (price: number, fromQuantity = 0): Json => ({
      currency: 'NOK',
      fromQuantity,
      itemCode: 'V-100',
      modifiedAt: '2026-11-19T10:00:00.123Z',
      price,
      priceListCode: 'GROSSIST',
      unit: 'stk',
      validFrom: null,
      validTo: null,
    })
    const list = {
      active: true,
      currency: 'NOK',
      description: 'Grossist',
      kind: 'standard',
      modifiedAt: null,
      priceListCode: 'GROSSIST',
      pricesIncludeVat: false,
    }
    // The ERP's connector as price-erp-1 gives it: GROSSIST with a new tier, a row for an unknown item skipped.
    erp.emulator = {
      ...erp.emulator,
      sourcePrices: () => ({
        discountGroups: [],
        lists: [list],
        rows: [row(1625.4), row(1500, 20)],
        skipped: [{itemCode: 'V-999', priceListCode: 'GROSSIST', reason: 'unknown item V-999'}],
      }),
    }
    await run('cms', '/api/v1/sync/jobs', priceRun({keys: ['GROSSIST', 'DETALJ'], mode: 'targeted'}))
    const [latest] = (await send('cms', 'GET', '/api/v1/sync/runs?entity=prices&limit=1')).runs as Json[]
    // Rows: the tier from 0 unchanged, from 20 created, from 10 gone (updated), the skipped one; DETALJ deactivated (updated).
    expect(latest).toMatchObject({
      counts: {created: 1, failed: 0, read: 3, skipped: 1, unchanged: 1, updated: 2},
      source: 'erp-api',
      sourceFile: null,
    })
    const skipped = await send('cms', 'GET', '/api/v1/sync/records?entity=prices&key=GROSSIST&itemCode=V-999')
    expect(skipped.records).toMatchObject([{outcome: 'skipped', reason: 'unknown item V-999'}])
    const written = await send('cms', 'GET', '/api/v1/sync/records?entity=prices&key=GROSSIST&itemCode=V-100')
    expect(written.records).toMatchObject([{outcome: 'updated', reason: null}])
    const rows = (await send('cms', 'GET', '/api/v1/pricelists/GROSSIST/prices?itemCode=V-100')).prices as Json[]
    expect(rows.map((entry) => [entry.fromQuantity, entry.price, entry.erpModifiedAt])).toEqual([
      [0, 1625.4, '2026-11-19T10:00:00.000Z'],
      [20, 1500, '2026-11-19T10:00:00.000Z'],
    ])
    const detalj = await send('cms', 'GET', '/api/v1/sync/records?entity=prices&key=DETALJ')
    expect((detalj.records as Json[])[0]).toMatchObject({reason: 'price list DETALJ not in ERP: deactivated'})
  })

  it("the customers run writes the customer's pricing profile as the export has it and publishes it", async () => {
    const {run, send, state} = await start('nordic')
    await run('cms', '/api/v1/sync/jobs', {entity: 'customers', keys: ['20103'], mode: 'targeted'})
    const pricing = await send('cms', 'GET', '/api/v1/customers/20103/pricing')
    expect(pricing).toMatchObject({effectivePriceListCode: 'B2B-B', priceListCode: 'B2B-B'})
    expect(state.prices?.webshop.pricing.get('20103')).toMatchObject({record: {priceListCode: 'B2B-B'}})
    const resolved = await send('cms', 'GET', '/api/v1/prices/resolve?customerCode=20103&itemCode=N-100')
    expect(resolved).toMatchObject({listPrice: 1121.25, priceListCode: 'B2B-B'})
  })

  it("a republish of prices brings the webshop's rows of the named lists to what the CMS holds", async () => {
    const {run, send} = await start('nordic')
    const price = async () => (await send('webshop', 'GET', '/webshop/v1/customers/20110/prices/N-100')).listPrice
    expect(await price()).toBe(1270.75)
    const asked = await run('webshop', '/webshop/v1/republish', {entity: 'prices', keys: ['KEDJA']})
    expect(asked).toMatchObject({entity: 'prices', keys: ['KEDJA'], status: 'pending'})
    expect(await send('webshop', 'GET', `/webshop/v1/republish/${asked.requestId}`)).toMatchObject({status: 'done'})
    expect(await price()).toBe(1240.85)
  })
})
