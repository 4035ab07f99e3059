import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {traceCustomer} from '../../dist/trace/run.js'
import {type RunningSandbox, startTestSandbox, testHttp} from '../helpers/sandbox.js'

// The contract: fields the ERP does not have are left as the CMS's own setting. A NetSuite customer without
// a sales rep, whose CMS record has the rep the CMS assigned, is no difference (through the library,
// against the sandbox's NetSuite emulator in this process).
describe('an empty ERP field in a trace', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['nimbus'])
  }, 60_000)
  afterAll(async () => {
    await running?.stop()
  })

  it('a NetSuite customer without a sales rep matches a CMS record with rep codes, the rep "not compared" with the reason', async () => {
    const {state} = running.sandbox.installation('nimbus')
    const cmsRecord = state.cms.customers.get('50001') as {salesRepCodes: string[]; erpModifiedAt: string}
    expect(cmsRecord.salesRepCodes).toEqual(['LM'])
    const {emulator, state: erp} = state.erp
    emulator.putCustomer(erp, {...cmsRecord, salesRepCodes: []}, cmsRecord.erpModifiedAt)
    const report = await traceCustomer(running.sandbox.installation('nimbus').profile('admin'), '50001', {
      http: testHttp,
      commandSuffix: '',
      version: 'test',
    })
    expect(report.verdict.cause).toBe('consistent')
    const cmsHop = report.hops.find((hop: {hop: string}) => hop.hop === 'cms')
    expect(cmsHop.diff).toEqual([])
    const note = cmsHop.notCompared.find((entry: {field: string}) => entry.field === 'salesRepCodes')
    expect(note.reason).toMatch(/NetSuite has no sales rep for this customer: the CMS keeps its own setting/)
  }, 60_000)
})
