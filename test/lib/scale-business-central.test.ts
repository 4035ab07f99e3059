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

  /** Starts a targeted customer sync of the keys and polls its job (the sandbox's time at 0.01) until it is done. */
  const syncCustomers = async (keys: string[]): Promise<Json> => {
    const job = await cms('POST', '/sync/jobs', {entity: 'customers', keys, mode: 'targeted'})
    let polled = job
    for (let polls = 0; polled.status !== 'succeeded' && polls < 5000; polls++)
      polled = await cms('GET', `/sync/jobs/${job.jobId}`)
    expect(polled.status).toBe('succeeded')
    return polled
  }

  it('a targeted sync counts and notes each record as the seeded CMS does: created, updated, skipped by the filter, never read', async () => {
    // Index 2 changed in Business Central after the last sync, 3 is private, 5 was removed from it, 6 the CMS never read.
    const job = await syncCustomers(['C00000002', 'C00000003', 'C00000005', 'C00000006'])
    const {runs} = (await cms('GET', '/sync/runs?entity=customers')) as {runs: Json[]}
    expect(runs.find((run) => run.runId === job.runId)?.counts).toEqual({
      created: 1,
      failed: 0,
      read: 3,
      skipped: 1,
      unchanged: 0,
      updated: 1,
    })
    const outcomes = async (key: string) =>
      ((await cms('GET', `/sync/records?entity=customers&key=${key}`)) as {records: Json[]}).records.map(
        ({outcome, reason, runId}) => ({outcome, reason, runId}),
      )
    expect(await outcomes('C00000003')).toEqual([
      {outcome: 'skipped', reason: 'private customer excluded by filter skipPrivateCustomers', runId: job.runId},
    ])
    expect(await outcomes('C00000006')).toEqual([{outcome: 'created', reason: null, runId: job.runId}])
    expect(await outcomes('C00000005')).toEqual([])
  })

  it("a targeted sync writes the CMS the customer as the platform's connector reads Business Central's entities", async () => {
    // Index 1: created in Business Central after the last sync, so the CMS has no record of it yet.
    await syncCustomers(['C00000001'])
    const {customer, shipTos} = seededEntities(1)
    const read = sourceCustomer(customer, shipTos, undefined)
    expect(await cms('GET', '/customers/C00000001')).toEqual(
      expect.objectContaining({...read.record, erpModifiedAt: read.modifiedAt, origin: 'erp'}),
    )
  })
})
