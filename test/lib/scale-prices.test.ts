import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {FtpSettings} from '../../src/connectors/ftp/connector.js'
import {exportPrices as builtExportPrices} from '../../dist/connectors/ftp/price.js'
import {erpSystems} from '../../dist/connectors/registry.js'
import {HttpClient} from '../../dist/http/client.js'
import {describeScale} from '../../dist/sandbox/scale/describe.js'
import {startScaleInstallation} from '../../dist/sandbox/scale/installation.js'
import {scalePriceStores} from '../../dist/sandbox/scale/price-stores.js'

// The scale sandbox's customer prices (issue 21): every planted price class is on the wire, counted as
// `plantedPrices` says, read page by page from the CMS, the app backend, the webshop, Business Central's
// extension pages and the export file as `reconcile prices` reads them.

const exportPrices = builtExportPrices as typeof import('../../src/connectors/ftp/price.js').exportPrices

type Json = Record<string, unknown>
type Installation = Awaited<ReturnType<typeof startScaleInstallation>>
type Profile = ReturnType<Installation['profile']> & {erp?: unknown; ftp?: unknown}

const records = 2000
const rowKey = (row: Json) =>
  [row.priceListCode, row.itemCode, row.unit, row.currency, row.fromQuantity, row.validFrom ?? ''].join('|')
const pairKey = (row: Json) => `${row.priceListCode}|${row.itemCode}`

async function platformGet(profile: Profile, hop: 'cms' | 'app' | 'webshop', path: string): Promise<Json> {
  const section = profile[hop] as {url: string; token: string}
  const response = await fetch(`${section.url}${path}`, {headers: {authorization: `Bearer ${section.token}`}})
  expect(response.status).toBe(200)
  return (await response.json()) as Json
}

/** Every page of a platform listing (`limit`, `after` → `next`), its entries under `envelope`. */
async function allPages(profile: Profile, hop: 'cms' | 'app' | 'webshop', path: string, envelope: string) {
  const entries: Json[] = []
  let after: string | null = null
  let pages = 0
  do {
    const separator = path.includes('?') ? '&' : '?'
    const query = `${separator}limit=97${after === null ? '' : `&after=${encodeURIComponent(after)}`}`
    const page = await platformGet(profile, hop, `${path}${query}`)
    entries.push(...(page[envelope] as Json[]))
    after = page.next as string | null
    pages++
  } while (after !== null)
  return {entries, pages}
}

/** Every row of every list of the CMS, and what the app holds published of each list's items. */
async function platformRows(profile: Profile) {
  const lists = (await allPages(profile, 'cms', '/api/v1/pricelists', 'priceLists')).entries
  const cms: Json[] = []
  const app: Json[] = []
  for (const list of lists) {
    const code = encodeURIComponent(String(list.priceListCode))
    cms.push(...(await allPages(profile, 'cms', `/api/v1/pricelists/${code}/prices`, 'prices')).entries)
    app.push(...(await allPages(profile, 'app', `/app/v1/pricelists/${code}/prices`, 'prices')).entries)
  }
  return {app, cms, lists}
}

/** The source's rows against the CMS's, classed as `reconcile prices` must (skips by `/sync/records`). */
async function sourceAgainstCms(profile: Profile, source: Json[], cms: Json[], missing: string) {
  const counts: Record<string, number> = {}
  const count = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1
  }
  const cmsByKey = new Map(cms.map((row) => [rowKey(row), row]))
  const sourceKeys = new Set(source.map(rowKey))
  // The sandbox's source rows that differ all changed after the last run started: the CMS holds older rows.
  for (const row of source) {
    const held = cmsByKey.get(rowKey(row))
    if (held) {
      if (held.price !== row.price || (held.validTo ?? null) !== (row.validTo ?? null))
        count('price-changed-after-sync')
      continue
    }
    const list = encodeURIComponent(String(row.priceListCode))
    const noted = await platformGet(
      profile,
      'cms',
      `/api/v1/sync/records?entity=prices&key=${list}&itemCode=${encodeURIComponent(String(row.itemCode))}`,
    )
    count((noted.records as Json[])[0]?.reason ? 'price-row-skipped' : 'created-after-sync')
  }
  for (const row of cms) if (!sourceKeys.has(rowKey(row))) count(missing)
  return counts
}

/** The app's published rows against the CMS's, per list and item. */
function appAgainstCms(cms: Json[], app: Json[]) {
  const published = new Map(app.map((entry) => [pairKey(entry), entry]))
  const counts: Record<string, number> = {}
  for (const row of cms) {
    const entry = published.get(pairKey(row))
    const name = !entry
      ? 'not-published-to-app'
      : String(entry.publishedAt) < String(row.syncedAt)
        ? 'app-publish-behind'
        : null
    if (name) counts[name] = (counts[name] ?? 0) + 1
  }
  return counts
}

/** The price the CMS gives a customer without a discount: its action row if lower, its list's row, else the item's. */
async function webshopAgainstCms(profile: Profile, cms: Json[], customers: string[]) {
  const items = new Map(
    (await allPages(profile, 'cms', '/api/v1/items', 'items')).entries.map((item) => [item.itemCode, item]),
  )
  const rows = new Map(cms.map((row) => [pairKey(row), row]))
  const counts: Record<string, number> = {}
  const count = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1
  }
  for (const customer of customers) {
    const pricing = await platformGet(profile, 'cms', `/api/v1/customers/${customer}/pricing`)
    const seen = (await allPages(profile, 'webshop', `/webshop/v1/customers/${customer}/prices`, 'prices')).entries
    const shown = new Map(seen.map((price) => [price.itemCode, price]))
    for (const [code, item] of items) {
      const listRow = rows.get(`${pricing.effectivePriceListCode}|${code}`)
      const action = rows.get(`${pricing.actionPriceListCode}|${code}`)
      const expected = action && (!listRow || Number(action.price) < Number(listRow.price)) ? action : listRow
      const price = shown.get(code)
      if (!price) count('not-published-to-webshop')
      else if (price.netPrice !== (expected ? expected.price : item.price))
        count(action ? 'webshop-price-differs' : 'webshop-base-price-differs')
    }
    for (const code of shown.keys()) if (!items.has(code)) count('only-in-webshop')
  }
  return counts
}

const pricedCustomers = (installation: Installation) =>
  Array.from(
    {length: installation.plantedPrices['cms,webshop']?.['webshop-price-differs'] ?? 0},
    (_unused, n) => `C${String(500 + n * 10_000).padStart(8, '0')}`,
  )

describe('the scale sandbox with prices (Business Central, 2 000 rows)', () => {
  let installation: Installation
  let profile: Profile
  let platform: Awaited<ReturnType<typeof platformRows>>
  const http = new HttpClient()
  beforeAll(async () => {
    installation = await startScaleInstallation({id: 'scale', maxPageSize: 300, records})
    profile = installation.profile()
    platform = await platformRows(profile)
  })
  afterAll(async () => {
    await http.close()
    await installation?.stop()
  })

  it("serves every planted source class between Business Central's price list lines and the CMS's rows", async () => {
    const system = erpSystems.find((entry: {id: string}) => entry.id === 'businesscentral')
    const connector = await system.connect(system.schema.parse(profile.erp), http, {
      saveSecret: async () => false,
      warn: () => undefined,
    })
    const source: Json[] = []
    for await (const row of connector.entities.price.listRows().records) source.push(row as Json)
    expect(source.length).toBeGreaterThan(300)
    const found = await sourceAgainstCms(profile, source, platform.cms, 'removed-from-erp')
    expect(found).toEqual(installation.plantedPrices['erp,cms'])
    expect(Object.values(found).every((count) => count > 0)).toBe(true)
  })

  it("serves the app's planted classes: rows never published, rows published before the CMS's write", () => {
    expect(platform.lists.length).toBeGreaterThan(4)
    expect(appAgainstCms(platform.cms, platform.app)).toEqual(installation.plantedPrices['cms,app'])
  })

  it("serves the webshop's planted customer prices: the priced customers' action rows and items", async () => {
    const found = await webshopAgainstCms(profile, platform.cms, pricedCustomers(installation))
    expect(found).toEqual(installation.plantedPrices['cms,webshop'])
  })

  it('lists the planted price classes in the sandbox description', () => {
    const described = describeScale([installation], records).installations[0]
    expect(described?.plantedPrices).toEqual(installation.plantedPrices)
    expect(described?.plantedPrices['erp,cms']).toMatchObject({
      'created-after-sync': 40,
      'price-changed-after-sync': 40,
      'price-row-skipped': 60,
      'removed-from-erp': 40,
    })
  })
})

describe('the scale sandbox with prices (export files, 2 000 rows)', () => {
  let installation: Installation
  beforeAll(async () => {
    installation = await startScaleInstallation({id: 'scale-ftp', records})
  })
  afterAll(async () => {
    await installation?.stop()
  })

  it('writes pricelists.csv with every planted class against the CMS, read over SFTP', async () => {
    const profile: Profile = installation.profile()
    const listing = exportPrices(profile.ftp as FtpSettings, {timeZone: 'UTC'}).listRows?.()
    const source: Json[] = []
    for await (const entry of listing?.entries ?? []) if (entry.value) source.push(entry.value as unknown as Json)
    const {cms} = await platformRows(profile)
    const found = await sourceAgainstCms(profile, source, cms, 'not-in-export')
    expect(found).toEqual(installation.plantedPrices['ftp,cms'])
  })
})

/** One page of Business Central's price list lines that a filter selects, read with a fresh token. */
async function firstFilteredLines(profile: Profile, pageSize: number): Promise<Json> {
  const erp = profile.erp as {tokenUrl: string; clientId: string; clientSecret: string; url: string; tenant: string}
  const form = new URLSearchParams({
    client_id: erp.clientId,
    client_secret: erp.clientSecret,
    grant_type: 'client_credentials',
  })
  const token = (await (await fetch(erp.tokenUrl, {body: form, method: 'POST'})).json()) as {access_token: string}
  const companies = `${erp.url}/v2.0/${erp.tenant}/production/api`
  const company = (profile.erp as {companyId: string}).companyId
  const filter = encodeURIComponent("assetType eq 'Item' and amountType ne 'Discount' and status eq 'Active'")
  const url = `${companies}/OptimizersBV/App4Sales/v1.0/companies(${company})/priceListLines?$filter=${filter}`
  const response = await fetch(url, {
    headers: {authorization: `Bearer ${token.access_token}`, prefer: `odata.maxpagesize=${pageSize}`},
  })
  expect(response.status).toBe(200)
  return (await response.json()) as Json
}

describe('generated prices hold nothing per row', () => {
  it('starts with a million rows and reads its last ones without the heap growing with them', async () => {
    const before = process.memoryUsage().heapUsed
    const installation = await startScaleInstallation({id: 'scale', records: 1_000_000})
    try {
      const stores = scalePriceStores(installation.model)
      const last = stores.cms.rows.itemsOf('B2B-NO', 'P00290000', 1000)
      expect(last.items).toHaveLength(1000)
      const rows = last.items.map((item: string) => stores.cms.rows.get(`B2B-NO\u0000${item}`))
      expect(rows.filter((row: unknown) => row !== undefined)).toHaveLength(1000)
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024)
      // Business Central's filtered lines: a page read from the generated lines, not all of them selected first.
      const page = await firstFilteredLines(installation.profile() as Profile, 100)
      expect(page.value).toHaveLength(100)
      expect(page['@odata.nextLink']).toContain('skiptoken=')
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024)
    } finally {
      await installation.stop()
    }
  })
})
