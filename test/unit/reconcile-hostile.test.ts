import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {BusinessCentralConnector} from '../../src/connectors/businesscentral/connector.js'
import {PlatformLister} from '../../src/connectors/platform/listing.js'
import {HttpClient} from '../../src/http/client.js'

/** A server answering each path with what the test put there, recording what it was asked (and with which token). */
function hostileServer(pages: Record<string, unknown>) {
  const asked: Array<{url: string; authorization: string | undefined}> = []
  const server: Server = createServer((request, response) => {
    asked.push({authorization: request.headers.authorization, url: request.url ?? ''})
    const body = pages[request.url ?? ''] ?? pages[(request.url ?? '').split('?')[0] as string]
    if (body === undefined) {
      response.writeHead(404, {'content-type': 'application/json'}).end('{"error":{"code":"not_found","message":"no"}}')
      return
    }
    response
      .writeHead(200, {'content-type': 'application/json'})
      .end(typeof body === 'string' ? body : JSON.stringify(body))
  })
  return {
    asked,
    server,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
  }
}

const good = (code: string) => ({
  addresses: [],
  blocked: false,
  customerCode: code,
  email: 'a@b',
  erpModifiedAt: null,
  isPrivate: false,
  name: 'N',
  origin: 'erp',
  phone: '1',
  priceListCode: null,
  salesRepCodes: [],
  syncedAt: '2026-11-20T09:15:00Z',
})

describe('hostile list answers', () => {
  const cms = hostileServer({
    '/api/v1/customers?limit=1000': {
      customers: [good('A'), {customerCode: 'B', name: {'<script>': 1}}, {name: 'no key'}, good('C')],
      next: 'C',
    },
    '/api/v1/customers?limit=1000&after=C': {customers: [good('D')], next: 'B'},
  })
  const other = hostileServer({})
  let cmsUrl = ''
  let otherUrl = ''
  beforeAll(async () => {
    ;[cmsUrl, otherUrl] = await Promise.all([cms.start(), other.start()])
  })
  afterAll(() => {
    cms.server.close()
    other.server.close()
  })

  it("makes a bad record that record's error and refuses a `next` that does not move forward", async () => {
    const http = new HttpClient({timeouts: {totalMs: 5000}})
    const lister = new PlatformLister(http, {token: 'tok', url: cmsUrl}, 'cms')
    const seen: Array<{key: string | null; error: boolean}> = []
    await expect(
      (async () => {
        for await (const page of lister.customerPages())
          for (const entry of page) seen.push({error: entry.error !== null, key: entry.key})
      })(),
    ).rejects.toThrow(/next "B" does not move past "C"/)
    expect(seen).toEqual([
      {error: false, key: 'A'},
      {error: true, key: 'B'},
      {error: true, key: null},
      {error: false, key: 'C'},
      {error: false, key: 'D'},
    ])
    await http.close()
  })

  it('never follows a Business Central nextLink to another origin, so the token stays home', async () => {
    const base = '/v2.0/t/production/api/v2.0/companies(c1)'
    const bc = hostileServer({
      [`${base}/customers`]: {
        value: [{displayName: 'One', number: '1'}],
        '@odata.nextLink': `${otherUrl}${base}/customers?$skiptoken=1`,
      },
      [`/v2.0/t/production/api/OptimizersBV/App4Sales/v1.0/companies(c1)/shipToAddresses`]: {value: []},
    })
    const bcUrl = await bc.start()
    const http = new HttpClient({timeouts: {totalMs: 5000}})
    const connector = new BusinessCentralConnector(http, {
      auth: {token: 'secret-token'},
      companyId: 'c1',
      environment: 'production',
      tenant: 't',
      url: bcUrl,
    })
    const listing = connector.entities.customer.list()
    await expect(
      (async () => {
        for await (const _page of listing.batches ?? []) void _page
      })(),
    ).rejects.toThrow(/points at another origin/)
    expect(other.asked).toEqual([])
    expect(bc.asked.every((request) => request.authorization === 'Bearer secret-token')).toBe(true)
    await http.close()
    bc.server.close()
  })
})
