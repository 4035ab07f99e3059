import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {erpSystems} from '../../dist/connectors/registry.js'
import {PlatformLister} from '../../dist/connectors/platform/listing.js'
import {SandboxService} from '../../dist/emulation/service.js'
import {HttpClient} from '../../dist/http/client.js'
import {emulatorFor, loadEmulators} from '../../dist/sandbox/erp/registry.js'
import {runReconcile} from '../../dist/reconcile/session.js'
import {startTestSandbox, testHttp} from '../helpers/sandbox.js'

// Every paged listing stops only on its API's own end signal (issue 24, class 3): a tenant whose maximum
// page size is below what the connector asks for is still read in full, and so is a list whose API
// answers a short (even empty) page while its paging metadata says more follow.

type Json = Record<string, unknown>
type Response = {status: number; body?: unknown; headers?: Record<string, string>}
type Request = {
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, unknown>
  body: string
  bearer: string | null
}

const records = 23
const customerCodes = Array.from({length: records}, (_unused, index) => String(60_001 + index))
const itemCodes = Array.from({length: records}, (_unused, index) => `P-${String(index + 1).padStart(3, '0')}`)

function customer(code: string): Json {
  const own = {addressLine1: `Gatan ${code}`, addressLine2: '', city: 'Uppsala', countryCode: 'SE', postCode: '753 20'}
  return {
    addresses: [
      {...own, addressType: 'Invoice', isMain: true},
      {...own, addressType: 'Delivery', isMain: true},
    ],
    blocked: false,
    customerCode: code,
    email: `k${code}@example.se`,
    isPrivate: false,
    name: `Kund ${code}`,
    phone: '018-100 00',
    priceListCode: 'STD',
    salesRepCodes: ['SR1'],
  }
}

function item(code: string): Json {
  return {
    active: true,
    currency: 'SEK',
    description: `Artikel ${code}`,
    itemCode: code,
    price: 100,
    stock: 5,
    unit: 'st',
    webshop: true,
  }
}

const running: Array<{stop(): Promise<void>}> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((entry) => entry.stop()))
})

/**
 * An ERP emulator on loopback whose company gives at most `maxPageSize` rows a page, holding 23 customers
 * and 23 items changed a day ago; `wrap` may change its answers. The connector is built from the profile
 * section the emulator hands out, as the sandbox's profile would be.
 */
async function cappedErp(
  systemId: string,
  maxPageSize: number,
  wrap?: (request: Request, response: Response) => Response,
) {
  const system = erpSystems.find((entry: {id: string}) => entry.id === systemId)
  await loadEmulators()
  const emulator = emulatorFor(systemId)
  const state = emulator.create({maxPageSize})
  const changed = new Date(Date.now() - 86_400_000).toISOString()
  for (const code of customerCodes) emulator.putCustomer(state, customer(code), changed)
  for (const code of itemCodes) emulator.putItem(state, item(code), changed)
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
  return {connector, service, state}
}

async function codesOf(listing: {
  records: AsyncIterable<{customer?: {code: string}; item?: {code: string}}>
}): Promise<string[]> {
  const codes: string[] = []
  for await (const record of listing.records) codes.push((record.customer ?? record.item)?.code as string)
  return codes.sort()
}

const erpIds = ['businesscentral', 'fortnox', 'netsuite', 'visma-eaccounting', 'visma-net']

describe('an ERP whose maximum page size is below what synctrace asks for', () => {
  it.each(erpIds)(
    '%s: reconcile reads every customer and item of a company capped at 7 rows a page',
    async (systemId) => {
      const {connector, service} = await cappedErp(systemId, 7)
      expect(await codesOf(connector.entities.customer.list())).toEqual(customerCodes)
      expect(await codesOf(connector.entities.item.list())).toEqual(itemCodes)
      // The cap was at work: more than one page was read.
      expect(service.requests.length).toBeGreaterThan(4)
    },
  )

  it('Visma.net: reads a list capped at 7 in four pages, ending on the metadata.totalCount it reports, without an extra empty page', async () => {
    const {connector, service} = await cappedErp('visma-net', 7)
    expect(await codesOf(connector.entities.customer.list())).toEqual(customerCodes)
    const pages = service.requests.filter((request: {path: string}) => request.path === '/v1/customer')
    expect(pages.map((request: {query: Json}) => request.query.pageNumber)).toEqual(['1', '2', '3', '4'])
    expect(pages.every((request: {query: Json}) => request.query.pageSize === '1000')).toBe(true)
  })

  it('Visma.net: a record changed since a time is found on the third page of the filtered list', async () => {
    const {connector} = await cappedErp('visma-net', 7)
    const since = new Date(Date.now() - 2 * 86_400_000)
    expect(await connector.entities.customer.changedSince(customerCodes[records - 1], since)).toBe(true)
    expect(await connector.entities.item.changedSince(itemCodes[records - 1], since)).toBe(true)
    expect(await connector.entities.customer.changedSince(customerCodes[records - 1], new Date())).toBe(false)
  })

  it('Visma.net: a list whose entries carry no metadata ends only on an empty page', async () => {
    const {connector, service} = await cappedErp('visma-net', 7, (_request, response) =>
      Array.isArray(response.body)
        ? {...response, body: response.body.map(({metadata: _dropped, ...entry}: Json) => entry)}
        : response,
    )
    expect(await codesOf(connector.entities.customer.list())).toEqual(customerCodes)
    expect(service.requests.filter((request: {path: string}) => request.path === '/v1/customer')).toHaveLength(4)
  })
})

/**
 * The second page of the customer list answered empty, its paging metadata untouched: the API still says
 * more follow, so the listing goes on and the later pages' customers are read.
 */
const emptySecondPage: Record<string, {isSecondPage: (request: Request) => boolean; empty: (body: Json) => Json}> = {
  businesscentral: {
    empty: (body) => ({...body, value: []}),
    isSecondPage: (request) => request.path.endsWith('/customers') && request.query.get('$skiptoken') === '7',
  },
  fortnox: {
    empty: (body) => ({...body, Customers: []}),
    isSecondPage: (request) => request.path === '/3/customers' && request.query.get('page') === '2',
  },
  netsuite: {
    empty: (body) => ({...body, count: 0, items: []}),
    isSecondPage: (request) => request.path.endsWith('/record/v1/customer') && request.query.get('offset') === '7',
  },
  'visma-eaccounting': {
    empty: (body) => ({...body, Data: []}),
    isSecondPage: (request) => request.path === '/v2/customers' && request.query.get('$page') === '2',
  },
}

describe('a page shorter than asked, even empty, is no end while the API says more follow', () => {
  it.each(Object.keys(emptySecondPage))(
    '%s: the customers after an empty second page are still read',
    async (systemId) => {
      const {empty, isSecondPage} = emptySecondPage[systemId]
      const {connector} = await cappedErp(systemId, 7, (request, response) =>
        isSecondPage(request) && response.status === 200 ? {...response, body: empty(response.body as Json)} : response,
      )
      // The second page's seven customers were never given; every other one is read.
      expect(await codesOf(connector.entities.customer.list())).toEqual([
        ...customerCodes.slice(0, 7),
        ...customerCodes.slice(14),
      ])
    },
  )
})

describe("an API's own end signal, when it contradicts itself", () => {
  it('NetSuite: a page that says hasMore without a next link is an error, never a quiet end of the list', async () => {
    const {connector} = await cappedErp('netsuite', 7, (request, response) =>
      request.path.endsWith('/record/v1/customer') && response.status === 200
        ? {
            ...response,
            body: {
              ...(response.body as Json),
              links: ((response.body as Json).links as Json[]).filter((link) => link.rel !== 'next'),
            },
          }
        : response,
    )
    await expect(codesOf(connector.entities.customer.list())).rejects.toMatchObject({
      problem: {kind: 'bad-response', message: expect.stringContaining('hasMore')},
    })
  })

  it('Business Central: a next link to another host is refused, not followed', async () => {
    const {connector} = await cappedErp('businesscentral', 7, (request, response) => {
      const body = response.body as Json
      return request.path.endsWith('/customers') && typeof body?.['@odata.nextLink'] === 'string'
        ? {
            ...response,
            body: {...body, '@odata.nextLink': String(body['@odata.nextLink']).replace('127.0.0.1', 'evil.example')},
          }
        : response
    })
    await expect(codesOf(connector.entities.customer.list())).rejects.toMatchObject({
      problem: {kind: 'bad-response', message: expect.stringContaining('another origin')},
    })
  })
})

describe("the platform's list endpoints", () => {
  /** A CMS whose `/customers` gives `pages` in turn, each with its `next`, whatever `limit` asked for. */
  async function cmsGiving(pages: Array<{codes: string[]; next: string | null}>) {
    const asked: Array<string | null> = []
    const service = new SandboxService('cms', (request: Request) => {
      asked.push(request.query.get('after'))
      const page = pages[asked.length - 1] ?? {codes: [], next: null}
      return {
        body: {
          customers: page.codes.map((code) => ({
            ...customer(code),
            erpModifiedAt: null,
            origin: 'erp',
            syncedAt: null,
          })),
          next: page.next,
        },
        headers: {},
        status: 200,
      }
    })
    await service.start()
    const http = new HttpClient()
    running.push({stop: async () => void (await Promise.all([http.close(), service.stop()]))})
    return {asked, lister: new PlatformLister(http, {token: 'cms-token', url: service.url}, 'cms')}
  }

  async function listed(lister: {customerPages(): AsyncIterable<Array<{key: string | null}>>}): Promise<string[]> {
    const keys: string[] = []
    for await (const page of lister.customerPages()) keys.push(...page.map((entry) => entry.key as string))
    return keys
  }

  it('follows next through short and empty pages, and stops only on next: null', async () => {
    const {asked, lister} = await cmsGiving([
      {codes: ['60001', '60002'], next: '60002'},
      {codes: [], next: '60005'},
      {codes: ['60006'], next: '60006'},
      {codes: ['60007'], next: null},
    ])
    expect(await listed(lister)).toEqual(['60001', '60002', '60006', '60007'])
    expect(asked).toEqual([null, '60002', '60005', '60006'])
  })

  it("gives up on a list that answers empty pages without end, each saying more follow: the hop's bad answer, never a listing that runs forever", async () => {
    const endless = Array.from({length: 500}, (_unused, index) => ({
      codes: [],
      next: `7${String(index).padStart(5, '0')}`,
    }))
    const {asked, lister} = await cmsGiving(endless)
    await expect(listed(lister)).rejects.toMatchObject({
      problem: {kind: 'bad-response', message: expect.stringMatching(/100 empty pages in a row/)},
    })
    expect(asked.length).toBeLessThanOrEqual(103)
  })
})

describe('reconcile on a tenant with small maximum page sizes', () => {
  it('Visma.net customers against the CMS: every customer of the ERP is read, none called removed-from-erp', async () => {
    const sandbox = await startTestSandbox(['vnet'])
    const cache = await mkdtemp(join(tmpdir(), 'synctrace-caps-'))
    running.push({
      stop: async () => void (await Promise.all([sandbox.stop(), rm(cache, {force: true, recursive: true})])),
    })
    const installation = sandbox.sandbox.installation('vnet')
    // Visma.net gives one customer a page, the CMS two.
    installation.state.erp.state.maxPageSize = 1
    installation.state.platformMaxPageSize = 2
    const result = await runReconcile({
      http: testHttp,
      between: null,
      commandSuffix: '',
      entity: 'customers',
      env: {...process.env, XDG_CACHE_HOME: cache},
      profile: installation.profile('admin'),
      resume: false,
      version: '0.0.0-test',
    })
    result.finish()
    expect(result.summary.read).toEqual({
      downstream: installation.state.cms.customers.size,
      upstream: installation.state.erp.state.customers.length,
    })
    expect(result.summary.read.upstream).toBeGreaterThan(2)
    expect(result.summary.classes.map((entry: {class: string}) => entry.class)).not.toContain('removed-from-erp')
  })
})
