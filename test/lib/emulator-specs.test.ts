import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {request} from 'undici'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'

import {clientsForProfile} from '../../dist/config/clients.js'
import {HttpClient} from '../../dist/http/client.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'
import {type Answer, specValidator} from '../helpers/spec-validator.js'

/**
 * The sandbox's ERP emulators answer as their vendors' published specifications say: every answer the
 * connectors read is checked against the response schema of its operation in the official OpenAPI document
 * (Visma eAccounting 2026, Fortnox), as the conformance tool's Prism proxy does.
 */
const reference = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/reference')

type Json = Record<string, unknown>

/** A loopback proxy in front of an emulator that keeps every answer it passes on. */
async function recordingProxy(upstream: string): Promise<{url: string; answers: Answer[]; close(): Promise<void>}> {
  const answers: Answer[] = []
  const server: Server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = []
    for await (const chunk of incoming) chunks.push(chunk as Buffer)
    const headers = {...incoming.headers, host: new URL(upstream).host}
    const answer = await request(new URL(incoming.url ?? '/', upstream), {
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      headers,
      method: incoming.method as 'GET',
    })
    const text = await answer.body.text()
    answers.push({
      body: text ? JSON.parse(text) : null,
      method: incoming.method ?? 'GET',
      path: (incoming.url ?? '/').split('?')[0] as string,
      status: answer.statusCode,
    })
    outgoing.writeHead(answer.statusCode, {'content-type': 'application/json'}).end(text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}

async function drain(listing: {records: AsyncIterable<unknown>} | undefined): Promise<void> {
  if (listing) for await (const _record of listing.records);
}

describe('ERP emulators against their official specifications', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['viking', 'fjord'])
  }, 60_000)
  afterAll(async () => {
    await running?.stop()
  })

  /** Every answer the connector reads for the installation's scenarios, doctor and both listings. */
  async function answersOf(
    installation: string,
    work: {customers: string[]; items: string[]; orders: Array<[string, string | null]>},
  ): Promise<Answer[]> {
    const profile = running.sandbox.installation(installation).profile('admin')
    const proxy = await recordingProxy(profile.erp.url)
    const http = new HttpClient()
    try {
      const upstream = new URL(profile.erp.url)
      const {erp} = await clientsForProfile(
        {...profile, erp: {...profile.erp, url: `${proxy.url}${upstream.pathname.replace(/\/$/, '')}`}},
        http,
      )
      await erp.probe()
      const {customer, item, order} = erp.entities
      for (const code of work.customers) await customer.find(code)
      for (const code of work.items) await item.find(code)
      for (const [orderNr, documentNumber] of work.orders) await order.find(orderNr, documentNumber)
      await drain(customer.list?.())
      await drain(item.list?.())
      return proxy.answers
    } finally {
      await http.close()
      await proxy.close()
    }
  }

  it('Visma eAccounting (viking) answers as the 2026 OpenAPI document says: orders, company settings, customers, articles', async () => {
    const spec = parseYaml(
      readFileSync(join(reference, 'specs/visma-eaccounting-2026-openapi-3.1.yaml'), 'utf8'),
    ) as Json
    const answers = await answersOf('viking', {
      customers: ['40001', '40042'],
      items: ['V-100', 'V-200'],
      orders: [['V-5001', null]],
    })
    expect(answers.map((answer) => answer.path)).toEqual(
      expect.arrayContaining(['/v2/companysettings', '/v2/orders', '/v2/customers', '/v2/articles']),
    )
    expect(answers.flatMap(specValidator(spec, '3.1'))).toEqual([])
  }, 60_000)

  it('Fortnox (fjord) answers as its OpenAPI document says: customers with and without a delivery address, articles in lists and alone', async () => {
    const spec = JSON.parse(readFileSync(join(reference, 'fortnox-openapi.json'), 'utf8')) as Json
    const answers = await answersOf('fjord', {
      customers: ['30001', '30042', '30060'],
      items: ['F-100', 'F-200'],
      orders: [['F-7001', null]],
    })
    expect(answers.map((answer) => answer.path)).toEqual(
      expect.arrayContaining(['/3/customers/30060', '/3/articles', '/3/customers']),
    )
    expect(answers.flatMap(specValidator(spec, '3.0'))).toEqual([])
  }, 60_000)
})
