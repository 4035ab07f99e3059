import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {
  sourceCustomer,
  toBusinessCentral,
  toBusinessCentralItem,
} from '../../dist/sandbox/erp/businesscentral/emulator-records.js'
import {startScaleInstallation} from '../../dist/sandbox/scale/installation.js'

type Installation = Awaited<ReturnType<typeof startScaleInstallation>>
type Json = Record<string, unknown>

// One emulation of Business Central: the scale sandbox's company is written by the seeded emulator's own
// mapping, and its CMS's sync reads it through the emulator's view of what the platform's connector reads.
describe("the scale sandbox's Business Central, as the seeded emulator writes and the CMS reads it", () => {
  let scale: Installation
  beforeAll(async () => {
    scale = await startScaleInstallation({id: 'scale', records: 25, timeScale: 0.01})
  })
  afterAll(async () => scale?.stop())

  const erpOf = () => (scale.profile() as Json).erp as Json
  const url = (service: string) => (scale.services as Record<string, {url: string}>)[service]?.url

  const businessCentral = async (collection: string, filter: string): Promise<Json[]> => {
    const erp = erpOf()
    const form = new URLSearchParams({
      client_id: String(erp.clientId),
      client_secret: String(erp.clientSecret),
      grant_type: 'client_credentials',
      scope: 'https://api.businesscentral.dynamics.com/.default',
    })
    const token = (await (await fetch(String(erp.tokenUrl), {body: form, method: 'POST'})).json()) as Json
    // The ship-tos are the platform's AL extension's page, on its own API route.
    const api = collection === 'shipToAddresses' ? 'api/OptimizersBV/App4Sales/v1.0' : 'api/v2.0'
    const path = `companies(${erp.companyId})/${collection}?$filter=${encodeURIComponent(filter)}`
    const response = await fetch(`${erp.url}/v2.0/${erp.tenant}/${erp.environment}/${api}/${path}`, {
      headers: {authorization: `Bearer ${token.access_token}`},
    })
    return ((await response.json()) as {value: Json[]}).value
  }

  const cms = async (method: string, path: string, body?: Json): Promise<Json> => {
    const response = await fetch(`${url('cms')}/api/v1${path}`, {
      body: body ? JSON.stringify(body) : undefined,
      headers: {
        authorization: `Bearer ${scale.tokens.admin}`,
        'content-type': 'application/json',
        'idempotency-key': `${method} ${path} ${JSON.stringify(body)}`,
      },
      method,
    })
    return (await response.json()) as Json
  }

  /** Customer `index` as the seeded emulator's `putCustomer` writes it, from the generated source record. */
  const seededEntities = (index: number) => {
    const source = scale.model.source('customers', index) as {record: Json; modified: number}
    const companyId = String(erpOf().companyId)
    return toBusinessCentral(source.record as never, new Date(source.modified).toISOString(), companyId)
  }

  it('serves a generated customer, its ship-to and an item with the fields the seeded Business Central gives them', async () => {
    const {customer, shipTos} = seededEntities(0)
    expect(await businessCentral('customers', "number eq 'C00000000'")).toEqual([expect.objectContaining(customer)])
    expect(await businessCentral('shipToAddresses', "customerNumber eq 'C00000000'")).toEqual([
      expect.objectContaining(shipTos[0]),
    ])
    const item = scale.model.source('items', 0) as {record: Json; modified: number}
    const itemEntity = toBusinessCentralItem(
      item.record as never,
      new Date(item.modified).toISOString(),
      String(erpOf().companyId),
    )
    expect(await businessCentral('items', "number eq 'P00000000'")).toEqual([expect.objectContaining(itemEntity)])
  })

  it("a targeted sync writes the CMS the customer as the platform's connector reads Business Central's entities", async () => {
    // Index 1: created in Business Central after the last sync, so the CMS has no record of it yet.
    const job = await cms('POST', '/sync/jobs', {entity: 'customers', keys: ['C00000001'], mode: 'targeted'})
    let status = job.status
    for (let polls = 0; status !== 'succeeded' && polls < 5000; polls++)
      status = (await cms('GET', `/sync/jobs/${job.jobId}`)).status
    expect(status).toBe('succeeded')
    const {customer, shipTos} = seededEntities(1)
    const read = sourceCustomer(customer, shipTos, undefined)
    expect(await cms('GET', '/customers/C00000001')).toEqual(
      expect.objectContaining({...read.record, erpModifiedAt: read.modifiedAt, origin: 'erp'}),
    )
  })
})
