import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Ajv} from 'ajv'
import {Ajv2020} from 'ajv/dist/2020.js'
import formats from 'ajv-formats'
import {request} from 'undici'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'

import {clientsForProfile} from '../../dist/config/clients.js'
import {HttpClient} from '../../dist/http/client.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/**
 * The sandbox's ERP emulators answer as their vendors' published specifications say: every answer the
 * connectors read is checked against the response schema of its operation in the official OpenAPI document
 * (Visma eAccounting 2026, Fortnox), as the conformance tool's Prism proxy does.
 */
const reference = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/reference')

type Json = Record<string, unknown>
interface Answer {
  method: string
  path: string
  status: number
  body: unknown
}

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

/** The response schema of the operation a path matches, validated with the spec's own components. */
function specValidator(spec: Json, version: '3.0' | '3.1') {
  const ajv =
    version === '3.1' ? new Ajv2020({allErrors: true, strict: false}) : new Ajv({allErrors: true, strict: false})
  // ajv-formats is CommonJS: its plugin is the module itself, or its default under ESM interop.
  const addFormats = ((formats as unknown as {default?: unknown}).default ?? formats) as unknown as (
    instance: typeof ajv,
  ) => void
  addFormats(ajv)
  for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'binary', 'decimal']) ajv.addFormat(format, true)
  ajv.addSchema({...spec, $id: 'spec'})
  const paths = Object.keys(spec.paths as Json)
  // The paths are relative to the server's base path (eAccounting's `/v2`).
  const basePath = new URL(
    (spec.servers as Array<{url: string}> | undefined)?.[0]?.url ?? 'http://x/',
  ).pathname.replace(/\/$/, '')
  return (answer: Answer): string[] => {
    const path = basePath && answer.path.startsWith(basePath) ? answer.path.slice(basePath.length) : answer.path
    const template = paths.find((candidate) =>
      new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i').test(path),
    )
    if (!template) return [`${answer.path}: no operation in the specification`]
    const operation = ((spec.paths as Json)[template] as Json)[answer.method.toLowerCase()] as Json
    const content = ((operation.responses as Json)[String(answer.status)] as Json | undefined)?.content as
      | Json
      | undefined
    if (!content) return []
    const pointer = `spec#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${answer.method.toLowerCase()}/responses/${answer.status}/content/${Object.keys(content)[0]?.replace(/\//g, '~1')}/schema`
    const validate = ajv.getSchema(pointer) ?? ajv.compile({$ref: pointer})
    return validate(answer.body)
      ? []
      : (validate.errors ?? []).map(
          (error: {instancePath: string; message?: string}) =>
            `${answer.method} ${answer.path}: ${error.instancePath || '(body)'} ${error.message}`,
        )
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
      const erp = clientsForProfile(
        {...profile, erp: {...profile.erp, url: `${proxy.url}${upstream.pathname.replace(/\/$/, '')}`}},
        http,
      ).erp
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
