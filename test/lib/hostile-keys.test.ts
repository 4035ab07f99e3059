import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {clientsForProfile} from '../../dist/config/clients.js'
import {diagnoseCustomer} from '../../dist/entities/customer/diagnose.js'
import {HttpClient} from '../../dist/http/client.js'
import {observeCustomer} from '../../dist/entities/customer/observe.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// The library (observe → diagnose) against the sandbox servers in this process; the CLI's part of the
// hostile keys is in test/e2e/hostile-keys.test.ts.
describe('hostile keys, through the library', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterAll(async () => {
    await running.stop()
  })

  it('any unicode key reaches every hop intact as one path segment and one OData literal, and gets a verdict', async () => {
    const acme = running.sandbox.installation('acme')
    const http = new HttpClient({maxRetries: 0})
    const clients = await clientsForProfile(acme.profile('admin'), http)
    const seeded = new Set(acme.state.scenarios.map((scenario: {code: string}) => scenario.code))
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({maxLength: 60, minLength: 1, unit: 'binary'}), async (key) => {
          fc.pre(!seeded.has(key))
          const before = running.sandbox.requests('acme').length
          const observations = await observeCustomer(clients, key)
          const diagnosis = diagnoseCustomer(observations, {commandSuffix: '', traceCommand: 'x'})
          expect(diagnosis.verdict.cause).toBe('not-in-erp')
          const requests = running.sandbox.requests('acme').slice(before)
          const cmsLookup = requests.find((request: {path: string}) => request.path.startsWith('/api/v1/customers/'))
          expect(decodeURIComponent(cmsLookup.path.slice('/api/v1/customers/'.length))).toBe(key)
          const erpLookup = requests.find(
            (request: {path: string; query: Record<string, string>}) =>
              request.path.endsWith('/customers') && request.query.$filter,
          )
          expect(erpLookup.query.$filter).toBe(`number eq '${key.replace(/'/g, "''")}'`)
        }),
        {numRuns: 60},
      )
    } finally {
      await http.close()
    }
  })
})
