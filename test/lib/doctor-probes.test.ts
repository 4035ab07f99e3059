import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {clientsForProfile} from '../../dist/config/clients.js'
import {HttpClient} from '../../dist/http/client.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** What doctor asks each ERP, in process against the sandbox's emulators over loopback. */
describe("doctor's ERP probes", () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['nimbus', 'vnet'])
  }, 60_000)
  afterAll(async () => {
    await running?.stop()
  })

  async function probe(installation: string) {
    const http = new HttpClient()
    try {
      return await (
        await clientsForProfile(running.sandbox.installation(installation).profile('admin'), http)
      ).erp.probe()
    } finally {
      await http.close()
    }
  }
  const pathsAsked = (installation: string) =>
    (running.sandbox.requests(installation, 'erp') as Array<{path: string}>).map((request) => request.path)

  it('NetSuite: an account without subsidiaries (not OneWorld) passes, its company "not read", and the login is checked on a customer page', async () => {
    const state = running.sandbox.installation('nimbus').state.erp.state
    state.oneWorld = false
    try {
      const result = await probe('nimbus')
      expect(result.details.company).toMatch(/^not read \(no subsidiary record: not a OneWorld account\)$/)
      expect(pathsAsked('nimbus')).toContain('/services/rest/record/v1/customer')
    } finally {
      state.oneWorld = true
    }
    expect((await probe('nimbus')).details.company).toBe(
      running.sandbox.installation('nimbus').state.erp.state.companyName,
    )
  })

  it("NetSuite: refused credentials on the probe are still the ERP hop's auth problem", async () => {
    const profile = running.sandbox.installation('nimbus').profile('admin')
    const http = new HttpClient()
    try {
      const {erp} = await clientsForProfile(
        {...profile, erp: {...profile.erp, tokenSecret: 'sbx-wrong-token-secret'}},
        http,
      )
      await expect(erp.probe()).rejects.toMatchObject({problem: {kind: 'auth'}})
    } finally {
      await http.close()
    }
  })

  it("Visma.net: asks the ERP service API for the branches (no /resources/v1/context) and names the main branch's company", async () => {
    const result = await probe('vnet')
    expect(result.details.company).toBe('Vestland Verktøy AS')
    expect(result.details.api).toBe('ERP service API v1')
    expect(pathsAsked('vnet')).toContain('/v1/branch')
    expect(pathsAsked('vnet')).not.toContain('/resources/v1/context')
  })
})
