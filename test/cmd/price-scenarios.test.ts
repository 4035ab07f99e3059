import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {checkReportInvariants} from '../../dist/report/invariants.js'
import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// Every seeded price scenario (README, "Prices (`trace price <customer> <item>`)"), traced in process: the exit
// code, the broken link and the cause as the README's tables give them (not as the output says).

type Link = 'erp>cms' | 'erp>ftp' | 'ftp>cms' | 'cms>app' | 'cms>webshop' | null
/** installation, customer, item, exit code, broken link (from>to), cause, action kind. */
type Row = [string, string, string, number, Link, string, string]

const consistent = (installation: string, customer: string, item: string): Row => [
  installation,
  customer,
  item,
  0,
  null,
  'consistent',
  'none',
]
const stale = (installation: string, customer: string, item: string, link: Link, cause: string): Row => [
  installation,
  customer,
  item,
  3,
  link,
  cause,
  'targeted-sync',
]
const skipped = (installation: string, customer: string, item: string, link: Link): Row => [
  installation,
  customer,
  item,
  3,
  link,
  'price-row-skipped',
  'confirm-with-erp-consultant',
]
const device = (installation: string, customer: string, item: string): Row => [
  installation,
  customer,
  item,
  3,
  'cms>app',
  'device-not-refreshed',
  'app-full-refresh',
]
const webshop = (installation: string, customer: string, item: string): Row => [
  installation,
  customer,
  item,
  3,
  'cms>webshop',
  'webshop-behind',
  'webshop-republish',
]
const notInExport = (installation: string, customer: string, item: string): Row => [
  installation,
  customer,
  item,
  3,
  'erp>ftp',
  'price-list-not-in-export',
  'contact-it-partner',
]

/** The README's table of an export installation (nordic, winbas, monitor: the same twelve situations). */
function exportScenarios(installation: string, codes: string[], item: string): Row[] {
  const [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12] = codes as [string, ...string[]]
  return [
    consistent(installation, c1, item),
    stale(installation, c2 as string, item, 'ftp>cms', 'price-changed-after-sync'),
    stale(installation, c3 as string, item, 'ftp>cms', 'pricing-changed-after-sync'),
    consistent(installation, c4 as string, item),
    consistent(installation, c5 as string, item),
    consistent(installation, c6 as string, item),
    consistent(installation, c7 as string, item),
    skipped(installation, c8 as string, item, 'ftp>cms'),
    device(installation, c9 as string, item),
    webshop(installation, c10 as string, item),
    consistent(installation, c11 as string, item),
    notInExport(installation, c12 as string, item),
  ]
}

const numbered = (prefix: string, from: number, count: number) =>
  Array.from({length: count}, (_, index) => `${prefix}${from + index}`)

const scenarios: Row[] = [
  consistent('acme', '10001', 'P-100'),
  ['acme', '10042', 'P-200', 3, 'erp>cms', 'erp-changed-after-sync', 'targeted-sync'],
  consistent('acme-plain', '11001', 'P-100'),
  ...exportScenarios('nordic', numbered('', 20101, 12), 'N-100'),
  consistent('fjord', '30101', 'F-100'),
  stale('fjord', '30102', 'F-100', 'erp>cms', 'change-order-unknown'),
  stale('fjord', '30103', 'F-100', 'erp>cms', 'pricing-changed-after-sync'),
  consistent('fjord', '30104', 'F-100'),
  skipped('fjord', '30105', 'F-100', 'erp>cms'),
  device('fjord', '30106', 'F-100'),
  webshop('fjord', '30107', 'F-100'),
  consistent('fjord', '30108', 'F-100'),
  consistent('viking', '40101', 'V-100'),
  stale('viking', '40102', 'V-100', 'erp>cms', 'price-changed-after-sync'),
  stale('viking', '40103', 'V-100', 'erp>cms', 'pricing-changed-after-sync'),
  consistent('viking', '40104', 'V-100'),
  skipped('viking', '40105', 'V-100', 'erp>cms'),
  device('viking', '40106', 'V-100'),
  webshop('viking', '40107', 'V-100'),
  consistent('viking', '40108', 'V-100'),
  consistent('vnet', '50201', 'V-100'),
  stale('vnet', '50202', 'V-100', 'erp>cms', 'price-changed-after-sync'),
  stale('vnet', '50203', 'V-100', 'erp>cms', 'pricing-changed-after-sync'),
  consistent('vnet', '50204', 'V-100'),
  consistent('vnet', '50205', 'V-100'),
  consistent('vnet', '50206', 'V-100'),
  skipped('vnet', '50207', 'V-100', 'erp>cms'),
  device('vnet', '50208', 'V-100'),
  webshop('vnet', '50209', 'V-100'),
  consistent('vnet', '50210', 'V-100'),
  consistent('nimbus', '50201', 'NS-100'),
  stale('nimbus', '50202', 'NS-100', 'erp>cms', 'change-order-unknown'),
  stale('nimbus', '50203', 'NS-100', 'erp>cms', 'pricing-changed-after-sync'),
  consistent('nimbus', '50204', 'NS-100'),
  skipped('nimbus', '50205', 'NS-100', 'erp>cms'),
  device('nimbus', '50206', 'NS-100'),
  webshop('nimbus', '50207', 'NS-100'),
  consistent('nimbus', '50208', 'NS-100'),
  ...exportScenarios('winbas', numbered('', 10101, 12), 'WB-100'),
  ...exportScenarios('monitor', numbered('C00', 201, 12), 'MN-100'),
]

const installations = [...new Set(scenarios.map(([installation]) => installation))]

describe('trace price gives the README’s verdict for every seeded price scenario', () => {
  const running = new Map<string, RunningSandbox>()
  beforeAll(async () => {
    for (const [index, sandbox] of (await Promise.all(installations.map((name) => startTestSandbox([name])))).entries())
      running.set(installations[index] as string, sandbox)
  })
  afterAll(async () => {
    await Promise.all([...running.values()].map((sandbox) => sandbox.stop()))
  })

  it('covers every scenario the README lists (73)', () => {
    expect(scenarios).toHaveLength(73)
  })

  it.each(scenarios)(
    '%s %s/%s: exit %i, broken link %s, cause %s, action %s',
    async (installation, customer, item, exitCode, link, cause, action) => {
      const sandbox = running.get(installation) as RunningSandbox
      const result = await runCommand(['trace', 'price', customer, item, ...sandbox.flags(installation), '--json'])
      const report = parseJson(result)
      const [from, to] = link ? link.split('>') : []
      expect({
        action: report.action.kind,
        brokenLink: report.verdict.brokenLink,
        cause: report.verdict.cause,
        exitCode: result.exitCode,
      }).toEqual({action, brokenLink: link ? {from, to} : null, cause, exitCode})
      expect(checkReportInvariants(report)).toEqual([])
    },
  )

  it.each([
    ['acme', '10001', 'P-100'],
    ['acme-plain', '11001', 'P-100'],
  ])(
    '%s %s/%s: the app hop reads the pricing published with the customer (contract: never a 404 for a published customer)',
    async (installation, customer, item) => {
      const sandbox = running.get(installation) as RunningSandbox
      const report = parseJson(
        await runCommand(['trace', 'price', customer, item, ...sandbox.flags(installation), '--json']),
      )
      const app = report.hops.find((hop: {hop: string}) => hop.hop === 'app')
      expect(app).toMatchObject({record: {inputs: {pricing: {customerCode: customer}}}, status: 'present'})
    },
  )

  const formats: Row[] = scenarios.filter(([installation, customer]) =>
    ['nordic 20101', 'nordic 20102', 'fjord 30102', 'viking 40103', 'monitor C00212', 'acme 10001'].includes(
      `${installation} ${customer}`,
    ),
  )

  it.each(formats)(
    '%s %s/%s in Markdown and the terminal: exit %i, the same cause',
    async (installation, customer, item, exitCode, link, cause) => {
      const argv = [
        'trace',
        'price',
        customer,
        item,
        ...(running.get(installation) as RunningSandbox).flags(installation),
      ]
      const markdown = await runCommand([...argv, '--format', 'markdown'])
      expect(markdown.exitCode).toBe(exitCode)
      expect(markdown.stdout).toContain(`cause \`${cause}\``)
      if (link) {
        const [from, to] = link.split('>')
        expect(markdown.stdout).toMatch(new RegExp(`${from}.*→.*${to}`, 'i'))
      }
      const terminal = await runCommand(argv)
      expect(terminal.exitCode).toBe(exitCode)
      expect(terminal.stdout).toContain(`Price ${customer}/${item}`)
    },
  )
})
