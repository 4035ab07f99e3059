import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {BusinessCentralConnector} from '../../dist/connectors/businesscentral/connector.js'
import {HttpClient} from '../../dist/http/client.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('Business Central paging and errors over the wire', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterAll(async () => {
    await running.stop()
  })

  const connectorFor = (http: HttpClient, overrides: Record<string, unknown> = {}) => {
    const profile = running.sandbox.installation('acme').profile('admin').erp
    return new BusinessCentralConnector(http, {
      auth: {clientId: profile.clientId, clientSecret: profile.clientSecret, tokenUrl: profile.tokenUrl},
      companyId: profile.companyId,
      environment: profile.environment,
      tenant: profile.tenant,
      url: profile.url,
      ...overrides,
    })
  }

  it('follows @odata.nextLink until every ship-to address of a customer is read', async () => {
    const bc = running.sandbox.installation('acme').state.erp.state
    const extra = Array.from({length: 230}, (_unused, index) => ({
      addressLine1: `Depå ${index}`,
      addressLine2: '',
      city: 'Farsta',
      code: `D${index}`,
      countryRegionCode: 'SE',
      customerNumber: '10001',
      id: `x-${index}`,
      isDefault: false,
      lastModifiedDateTime: '2026-01-01T00:00:00Z',
      name: 'x',
      postalCode: '123 45',
    }))
    bc.shipToAddresses.push(...extra)
    const http = new HttpClient()
    const before = running.sandbox.requests('acme', 'erp').length
    try {
      const record = await connectorFor(http).entities.customer.find('10001')
      expect(record?.customer.addresses?.filter((address: {type: string}) => address.type === 'Delivery')).toHaveLength(
        231,
      )
      const shipToPages = running.sandbox
        .requests('acme', 'erp')
        .slice(before)
        .filter((request: {path: string}) => request.path.endsWith('/shipToAddresses'))
      expect(shipToPages).toHaveLength(3)
      expect(shipToPages[1].query.$skiptoken).toBe('100')
    } finally {
      bc.shipToAddresses.splice(bc.shipToAddresses.length - extra.length, extra.length)
      await http.close()
    }
  })

  it('reports a wrong client secret with the Entra ID error, and an unknown company with the OData error', async () => {
    const http = new HttpClient()
    try {
      const badSecret = await connectorFor(http, {
        auth: {
          clientId: 'x',
          clientSecret: 'wrong',
          tokenUrl: running.sandbox.installation('acme').profile('admin').erp.tokenUrl,
        },
      })
        .entities.customer.find('10001')
        .catch((error: {problem: {message: string}}) => error.problem)
      expect(badSecret).toMatchObject({httpStatus: 401, kind: 'auth'})
      expect((badSecret as {message: string}).message).toContain('invalid_client: AADSTS7000215')
      const badCompany = await connectorFor(http, {companyId: '00000000-0000-0000-0000-000000000000'})
        .entities.customer.find('10001')
        .catch((error: {problem: {message: string}}) => error.problem)
      expect(badCompany).toMatchObject({httpStatus: 404, kind: 'http-error'})
      expect((badCompany as {message: string}).message).toContain('BadRequest_NotFound')
    } finally {
      await http.close()
    }
  })
})
