import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

const scenarios = [
  {
    installation: 'acme',
    orderNr: 'A-2001',
    exitCode: 0,
    cause: 'consistent',
    brokenLink: null,
    action: 'none',
    chain: ['app', 'cms', 'erp'],
  },
  {
    installation: 'acme',
    orderNr: 'A-2002',
    exitCode: 3,
    cause: 'order-not-uploaded',
    brokenLink: {from: 'app', to: 'cms'},
    action: 'rep-opens-app-online',
    chain: ['app', 'cms', 'erp'],
  },
  {
    installation: 'acme',
    orderNr: 'A-2003',
    exitCode: 3,
    cause: 'order-prerequisite-missing',
    brokenLink: {from: 'cms', to: 'erp'},
    action: 'fix-in-erp-then-retransfer',
    chain: ['app', 'cms', 'erp'],
  },
  {
    installation: 'acme',
    orderNr: 'A-2004',
    exitCode: 3,
    cause: 'order-transfer-stuck',
    brokenLink: {from: 'cms', to: 'erp'},
    action: 'order-retransfer',
    chain: ['webshop', 'cms', 'erp'],
  },
  {
    installation: 'nordic',
    orderNr: 'B-3001',
    exitCode: 3,
    cause: 'order-file-waiting',
    brokenLink: {from: 'ftp', to: 'erp'},
    action: 'contact-it-partner',
    chain: ['app', 'cms', 'ftp', 'erp'],
  },
  {
    installation: 'nordic',
    orderNr: 'B-3002',
    exitCode: 3,
    cause: 'order-rejected-by-erp',
    brokenLink: {from: 'ftp', to: 'erp'},
    action: 'fix-in-erp-then-retransfer',
    chain: ['app', 'cms', 'ftp', 'erp'],
  },
  {
    installation: 'nordic',
    orderNr: 'B-3003',
    exitCode: 0,
    cause: 'consistent',
    brokenLink: null,
    action: 'none',
    chain: ['app', 'cms', 'ftp', 'erp'],
  },
] as const

describe('trace order (outbound)', () => {
  let running: RunningSandbox
  const env = () => ({SYNCTRACE_AUDIT_LOG: join(tmpdir(), `audit-order-${Date.now()}-${Math.random()}.jsonl`)})
  beforeAll(async () => {
    running = await startTestSandbox(['acme', 'nordic'])
  })
  afterAll(async () => {
    await running.stop()
  })

  for (const scenario of scenarios)
    it(`${scenario.installation} ${scenario.orderNr}: ${scenario.cause}, action ${scenario.action}, exit ${scenario.exitCode}, in JSON, Markdown and the terminal`, async () => {
      const json = await runCommand([
        'trace',
        'order',
        scenario.orderNr,
        ...running.flags(scenario.installation),
        '--json',
      ])
      const report = parseJson(json)
      expect(json.exitCode).toBe(scenario.exitCode)
      expect(report).toMatchObject({chain: scenario.chain, direction: 'outbound', entity: 'order'})
      expect(report.verdict).toMatchObject({brokenLink: scenario.brokenLink, cause: scenario.cause})
      expect(report.action.kind).toBe(scenario.action)
      const markdown = await runCommand([
        'trace',
        'order',
        scenario.orderNr,
        ...running.flags(scenario.installation),
        '--format',
        'markdown',
      ])
      expect(markdown.stdout).toContain(`### synctrace: order \`${scenario.orderNr}\``)
      expect(markdown.stdout).toContain(`cause \`${scenario.cause}\``)
      const terminal = await runCommand(['trace', 'order', scenario.orderNr, ...running.flags(scenario.installation)])
      expect(terminal.stdout).toContain(`Order ${scenario.orderNr}`)
      expect(terminal.stdout).toContain(`kind ${scenario.action}`)
    })

  it('A-2002: names the device, its user and when it was last seen; nothing to sync', async () => {
    const report = parseJson(await runCommand(['trace', 'order', 'A-2002', ...running.flags(), '--json']))
    expect(report.verdict.summary).toContain("Erik Lund (u-17)'s iPad (d-3)")
    expect(report.verdict.evidence.map((entry: {name: string}) => entry.name)).toEqual([
      'createdAt',
      'deviceLastSeenAt',
    ])
    expect(report.action).toMatchObject({automatable: false, command: null, owner: 'sales-rep'})
  })

  it('A-2003: names the missing item by code and gives the retransfer for after the fix', async () => {
    const report = parseJson(await runCommand(['trace', 'order', 'A-2003', ...running.flags(), '--json']))
    expect(report.verdict.evidence).toContainEqual(
      expect.objectContaining({name: 'missingPrerequisites', text: 'item P-999'}),
    )
    expect(report.action.command).toBe(
      `synctrace retransfer order A-2003 --config ${running.configPath} --profile sandbox-acme`,
    )
    const erpQueries = running.sandbox
      .requests('acme', 'erp')
      .map((request: {query: Record<string, string>}) => request.query.$filter)
      .filter(Boolean)
    expect(erpQueries).toEqual(
      expect.arrayContaining(["externalDocumentNumber eq 'A-2003'", "number eq 'P-999'", "number eq '10042'"]),
    )
  })

  it('B-3001 and B-3002: the file, its age, and the ERP import reason from .err.txt', async () => {
    const waiting = parseJson(await runCommand(['trace', 'order', 'B-3001', ...running.flags('nordic'), '--json']))
    expect(waiting.verdict.summary).toMatch(/Orders\/B-3001\.csv has waited in the FTP folder for 3 h/)
    const rejected = parseJson(await runCommand(['trace', 'order', 'B-3002', ...running.flags('nordic'), '--json']))
    expect(rejected.verdict.evidence).toContainEqual(
      expect.objectContaining({name: 'orderErrorReason', text: 'Unknown customer 20077'}),
    )
  })

  it('A-2004: retransfer books it in the ERP, and the re-trace is consistent', async () => {
    const result = await runCommand(['trace', 'order', 'A-2004', ...running.flags(), '--fix', '--yes', '--json'], {
      env: env(),
    })
    const report = parseJson(result)
    expect(report.fix.steps).toHaveLength(1)
    expect(report.fix.steps[0]).toMatchObject({action: 'order-retransfer', outcome: 'succeeded'})
    expect(report.fix.steps[0].verification[0]).toMatchObject({
      after: {cause: 'consistent'},
      breakGone: true,
      consistent: true,
      entity: 'order',
      key: 'A-2004',
    })
    // Readers of schema version 1 find the (first) action's result where it always was.
    expect(report.fix).toMatchObject({action: 'order-retransfer', consistent: true, exitCode: 0, outcome: 'succeeded'})
    expect(report.fix.trace).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(
      running.sandbox
        .installation('acme')
        .state.erp.state.salesOrders.some(
          (order: {externalDocumentNumber: string}) => order.externalDocumentNumber === 'A-2004',
        ),
    ).toBe(true)
  })

  it('A-2003: a retransfer before the item exists fails again, says so, and exits 6', async () => {
    const result = await runCommand(['retransfer', 'order', 'A-2003', ...running.flags(), '--yes', '--json'], {
      env: env(),
    })
    expect(result.exitCode).toBe(6)
    expect(parseJson(result).results[0]).toMatchObject({outcome: 'failed', reason: 'Item P-999 does not exist'})
  })
})
