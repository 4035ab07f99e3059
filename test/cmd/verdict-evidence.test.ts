import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** Verdicts that hold on installations unlike the sandbox's main one: mapping, evidence, invariants. */
const plainScenarios = [
  {code: '11001', exitCode: 0, cause: 'consistent', brokenLink: null, action: 'none'},
  {
    code: '11042',
    exitCode: 3,
    cause: 'erp-changed-after-sync',
    brokenLink: {from: 'erp', to: 'cms'},
    action: 'targeted-sync',
  },
  {
    code: '11070',
    exitCode: 3,
    cause: 'device-not-refreshed',
    brokenLink: {from: 'cms', to: 'app'},
    action: 'app-full-refresh',
  },
  {
    code: '11090',
    exitCode: 3,
    cause: 'not-published-to-webshop',
    brokenLink: {from: 'cms', to: 'webshop'},
    action: 'webshop-republish',
  },
] as const

describe('verdicts on a Business Central without the ship-to extension (acme-plain)', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['acme-plain', 'fjord', 'acme'])
  })
  afterAll(async () => {
    await running.stop()
  })

  for (const scenario of plainScenarios)
    it(`${scenario.code}: ${scenario.cause}, action ${scenario.action}, exit ${scenario.exitCode}`, async () => {
      const result = await runCommand(['trace', 'customer', scenario.code, ...running.flags('acme-plain'), '--json'])
      const report = parseJson(result)
      expect(result.exitCode).toBe(scenario.exitCode)
      expect(report.verdict.brokenLink).toEqual(scenario.brokenLink)
      expect(report.verdict.cause).toBe(scenario.cause)
      expect(report.action.kind).toBe(scenario.action)
    })

  it('compares the CMS delivery address with the own address the CMS derives it from, and says so', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '11001', ...running.flags('acme-plain'), '--json']))
    const cms = report.hops.find((hop: {hop: string}) => hop.hop === 'cms')
    expect(cms.status).toBe('present')
    expect(cms.derived).toEqual([
      expect.objectContaining({
        field: 'addresses.Delivery',
        from: 'addresses.Invoice',
        reason: expect.stringContaining('404'),
      }),
    ])
    expect(cms.notCompared).toContainEqual(expect.objectContaining({field: 'priceListCode'}))
    for (const format of ['terminal', 'markdown']) {
      const view = await runCommand(['trace', 'customer', '11001', ...running.flags('acme-plain'), '--format', format])
      expect(view.stdout.replace(/\s+/g, ' ')).toContain(
        'Delivery address compared as the CMS derives it, from the Invoice address',
      )
      expect(view.stdout.replace(/\s+/g, ' ')).toContain('Not compared: price list')
    }
    const shipToRequests = running.sandbox
      .requests('acme-plain', 'erp')
      .filter((request: {path: string}) => request.path.endsWith('/shipToAddresses'))
    expect(shipToRequests.length).toBeGreaterThan(0)
  })

  it('shows a change of the own address on both the Invoice and the derived Delivery address (11042)', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '11042', ...running.flags('acme-plain'), '--json']))
    const fields = report.hops
      .find((hop: {hop: string}) => hop.hop === 'cms')
      .diff.map((entry: {field: string}) => entry.field)
    expect(fields).toEqual(
      expect.arrayContaining(['addresses.Invoice.addressLine1', 'addresses.Delivery.addressLine1']),
    )
    expect(report.verdict.evidence).toContainEqual(
      expect.objectContaining({at: expect.any(String), name: 'erpModifiedAt'}),
    )
  })

  it('says an item whose Fortnox price changed after the item sync is stale, from the lastmodified filter (F-200)', async () => {
    const result = await runCommand(['trace', 'item', 'F-200', ...running.flags('fjord'), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'erp-changed-after-sync'})
    expect(report.action.kind).toBe('targeted-sync')
    expect(report.verdict.evidence).toContainEqual(
      expect.objectContaining({
        at: expect.any(String),
        name: 'erpChangedSince',
        text: expect.stringContaining('changed since'),
      }),
    )
    expect(report.verdict.evidence).toContainEqual(
      expect.objectContaining({name: 'lastItemSync', runId: expect.stringMatching(/^r-/)}),
    )
    const asked = running.sandbox
      .requests('fjord', 'erp')
      .filter((request: {path: string}) => request.path === '/3/articles')
    expect(asked.map((request: {query: Record<string, string>}) => request.query)).toContainEqual(
      expect.objectContaining({
        articlenumber: 'F-200',
        lastmodified: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
      }),
    )
  })

  it('keeps a Fortnox item that did not change after the sync consistent, asking the same filter (F-100)', async () => {
    const result = await runCommand(['trace', 'item', 'F-100', ...running.flags('fjord'), '--json'])
    expect(result.exitCode).toBe(0)
    expect(parseJson(result).hops[0].evidence).toContainEqual(
      expect.objectContaining({name: 'erpChangedSince', text: expect.stringContaining('unchanged')}),
    )
  })

  it('calls a customer inactive in Fortnox excluded, not created after the sync: the platform reads only active ones (30060)', async () => {
    const result = await runCommand(['trace', 'customer', '30060', ...running.flags('fjord'), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'cms'}, cause: 'excluded-by-filter'})
    expect(report.verdict.summary).toContain('inactive in Fortnox')
    expect(report.action.kind).toBe('change-filter-or-erp-flag')
  })

  it('refuses --user naming a user the app backend does not know (exit 2), naming the users of the reps', async () => {
    const result = await runCommand(['trace', 'customer', '10001', ...running.flags('acme'), '--user', 'u-99'])
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('no user u-99')
    expect(result.stderr).toContain('u-17 (Erik Lund)')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    const json = await runCommand(['trace', 'customer', '10001', ...running.flags('acme'), '--user', 'u-99', '--json'])
    expect(json.exitCode).toBe(2)
  })

  it('gives an order still on a device the link app → CMS, with the app hop holding it and the CMS missing it (A-2002)', async () => {
    const report = parseJson(await runCommand(['trace', 'order', 'A-2002', ...running.flags('acme'), '--json']))
    expect(report.verdict.brokenLink).toEqual({from: 'app', to: 'cms'})
    expect(report.hops.map((hop: {hop: string; status: string}) => [hop.hop, hop.status])).toEqual([
      ['app', 'present'],
      ['cms', 'missing'],
      ['erp', 'missing'],
    ])
  })
})
