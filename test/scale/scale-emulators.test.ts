import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startScaleInstallation} from '../../dist/sandbox/scale/installation.js'

type Installation = Awaited<ReturnType<typeof startScaleInstallation>>
type Json = Record<string, unknown>

// The scale sandbox serves its generated records through the seeded sandbox's emulators (the platform's
// services, Business Central's): what they answer for the seeded one, they answer for it.
describe('the scale sandbox through the seeded emulators', () => {
  let scale: Installation
  beforeAll(async () => {
    // Indices 0–24: the CMS has 20 customers (1, 3, 6, 15 and 24 plant records it lacks), the last index among them.
    scale = await startScaleInstallation({id: 'scale', records: 25})
  })
  afterAll(async () => scale?.stop())

  const erpOf = () => (scale.profile() as Json).erp as Json

  const platform = async (service: string, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${(scale.services as Record<string, {url: string}>)[service]?.url}${path}`, {
      ...init,
      headers: {authorization: `Bearer ${scale.tokens.admin}`, ...init.headers},
    })
    return {body: (await response.json()) as Json, status: response.status}
  }

  const businessCentral = async (path: string) => {
    const erp = erpOf()
    const form = new URLSearchParams({
      client_id: String(erp.clientId),
      client_secret: String(erp.clientSecret),
      grant_type: 'client_credentials',
      scope: 'https://api.businesscentral.dynamics.com/.default',
    })
    const token = (await (await fetch(String(erp.tokenUrl), {body: form, method: 'POST'})).json()) as Json
    const response = await fetch(`${erp.url}/v2.0/${erp.tenant}/${erp.environment}/api/v2.0/${path}`, {
      headers: {authorization: `Bearer ${token.access_token}`},
    })
    return {body: (await response.json()) as Json, status: response.status}
  }

  it('a full last page of the CMS carries no next cursor', async () => {
    const all = await platform('cms', '/api/v1/customers?limit=1000')
    const count = (all.body.customers as Json[]).length
    expect(count).toBe(20)
    const page = await platform('cms', `/api/v1/customers?limit=${count}`)
    expect(page.body.next).toBeNull()
    expect((page.body.customers as Json[]).map((customer) => customer.customerCode)).toEqual(
      (all.body.customers as Json[]).map((customer) => customer.customerCode),
    )
  })

  it('the app backend takes a full-refresh request for a user and answers it by id', async () => {
    const requested = await platform('app', '/app/v1/users/u-1/full-refresh', {
      headers: {'idempotency-key': 'refresh-u-1'},
      method: 'POST',
    })
    expect(requested.status).toBe(202)
    expect(requested.body).toMatchObject({status: 'pending', userId: 'u-1'})
    const asked = await platform('app', `/app/v1/refresh-requests/${requested.body.requestId}`)
    expect(asked.status).toBe(200)
  })

  it('Business Central lists its company', async () => {
    const companies = await businessCentral('companies')
    expect(companies.status).toBe(200)
    expect((companies.body.value as Json[]).map((company) => company.id)).toEqual([erpOf().companyId])
  })

  it('Business Central answers a $filter it cannot parse with 400 BadRequest, as the real one does', async () => {
    const erp = erpOf()
    const answer = await businessCentral(
      `companies(${erp.companyId})/customers?$filter=${encodeURIComponent("number eq 'C0")}`,
    )
    expect(answer.status).toBe(400)
    expect((answer.body.error as Json).code).toBe('BadRequest')
  })

  it('Business Central finds customers by number and pages the rest in key order', async () => {
    const erp = erpOf()
    const found = await businessCentral(
      `companies(${erp.companyId})/customers?$filter=${encodeURIComponent("number eq 'C00000002' or number eq 'C00000000'")}`,
    )
    expect((found.body.value as Json[]).map((customer) => customer.number)).toEqual(['C00000000', 'C00000002'])
    const listed = await businessCentral(`companies(${erp.companyId})/customers?$orderby=number`)
    const numbers = (listed.body.value as Json[]).map((customer) => customer.number as string)
    expect(numbers).toEqual([...numbers].sort())
    expect(numbers).not.toContain('C00000005')
  })
})
