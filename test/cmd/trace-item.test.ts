import {join} from 'node:path'
import {tmpdir} from 'node:os'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

const scenarios = [
  {
    installation: 'acme',
    code: 'P-100',
    exitCode: 0,
    cause: 'consistent',
    brokenLink: null,
    action: 'none',
    statuses: {erp: 'present', cms: 'present', app: 'present', webshop: 'present'},
  },
  {
    installation: 'acme',
    code: 'P-200',
    exitCode: 3,
    cause: 'erp-changed-after-sync',
    brokenLink: {from: 'erp', to: 'cms'},
    action: 'targeted-sync',
    statuses: {cms: 'stale'},
  },
  {
    installation: 'acme',
    code: 'P-300',
    exitCode: 3,
    cause: 'not-a-webshop-item',
    brokenLink: {from: 'cms', to: 'webshop'},
    action: 'flag-webshop-in-erp',
    statuses: {webshop: 'excluded'},
  },
  {
    installation: 'acme',
    code: 'P-400',
    exitCode: 0,
    cause: 'expected-stock-lag',
    brokenLink: null,
    action: 'none',
    statuses: {cms: 'present'},
  },
  {
    installation: 'acme',
    code: 'P-410',
    exitCode: 3,
    cause: 'change-order-unknown',
    brokenLink: {from: 'erp', to: 'cms'},
    action: 'targeted-sync',
    statuses: {cms: 'differs'},
  },
  {
    installation: 'acme',
    code: 'P-420',
    exitCode: 3,
    cause: 'sync-failed-for-record',
    brokenLink: {from: 'erp', to: 'cms'},
    action: 'contact-platform-support',
    statuses: {cms: 'stale'},
  },
  {
    installation: 'nordic',
    code: 'N-100',
    exitCode: 0,
    cause: 'consistent',
    brokenLink: null,
    action: 'none',
    statuses: {ftp: 'present', cms: 'present'},
  },
  {
    installation: 'nordic',
    code: 'N-200',
    exitCode: 3,
    cause: 'not-a-webshop-item',
    brokenLink: {from: 'cms', to: 'webshop'},
    action: 'flag-webshop-in-erp',
    statuses: {ftp: 'present', webshop: 'excluded'},
  },
] as const

describe('trace item', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['acme', 'nordic'])
  })
  afterAll(async () => {
    await running.stop()
  })

  for (const scenario of scenarios)
    it(`${scenario.installation} ${scenario.code}: ${scenario.cause}, action ${scenario.action}, exit ${scenario.exitCode}, in JSON, Markdown and the terminal`, async () => {
      const json = await runCommand(['trace', 'item', scenario.code, ...running.flags(scenario.installation), '--json'])
      const report = parseJson(json)
      expect(json.exitCode).toBe(scenario.exitCode)
      expect(report.entity).toBe('item')
      expect(report.verdict).toMatchObject({
        brokenLink: scenario.brokenLink,
        cause: scenario.cause,
        ok: scenario.exitCode === 0,
      })
      expect(report.action.kind).toBe(scenario.action)
      expect(
        Object.fromEntries(report.hops.map((hop: {hop: string; status: string}) => [hop.hop, hop.status])),
      ).toMatchObject(scenario.statuses)
      const markdown = await runCommand([
        'trace',
        'item',
        scenario.code,
        ...running.flags(scenario.installation),
        '--format',
        'markdown',
      ])
      expect(markdown.exitCode).toBe(scenario.exitCode)
      expect(markdown.stdout).toContain(`### synctrace: item \`${scenario.code}\``)
      expect(markdown.stdout).toContain(`cause \`${scenario.cause}\``)
      const terminal = await runCommand(['trace', 'item', scenario.code, ...running.flags(scenario.installation)])
      expect(terminal.stdout).toContain(`Item ${scenario.code}`)
      expect(terminal.stdout).toContain(`kind ${scenario.action}`)
    })

  it('names both prices of P-200 and suggests the targeted item sync', async () => {
    const report = parseJson(await runCommand(['trace', 'item', 'P-200', ...running.flags(), '--json']))
    expect(report.hops[1].diff).toContainEqual({downstream: '229', field: 'price', upstream: '249'})
    expect(report.verdict.summary).toContain('the price (249 in Business Central, 229 in the CMS)')
    expect(report.action.command).toBe(
      `synctrace sync item P-200 --config ${running.configPath} --profile sandbox-acme`,
    )
  })

  it('reports the stock lag of P-400 from the last stock sync that wrote it, not from the item record Business Central keeps unchanged', async () => {
    const report = parseJson(await runCommand(['trace', 'item', 'P-400', ...running.flags(), '--json']))
    expect(report.verdict.summary).toMatch(
      /differs \(35 in Business Central, 40 in the CMS\) by a movement after the last stock sync \(run r-8814/,
    )
    expect(report.verdict.summary).toMatch(/that run read the item \(updated\).*expected lag until the next sync/)
    expect(report.verdict.evidence.map((entry: {name: string}) => entry.name)).toEqual(
      expect.arrayContaining(['lastStockSync', 'lastStockSyncFinished', 'stockRecordOutcome', 'nextAutoSync']),
    )
  })

  it('fixes P-200 with a targeted item sync: the CMS gets the new price, and the re-trace is consistent', async () => {
    const result = await runCommand(['trace', 'item', 'P-200', ...running.flags(), '--fix', '--yes', '--json'], {
      env: {SYNCTRACE_AUDIT_LOG: join(tmpdir(), `audit-item-${Date.now()}.jsonl`)},
    })
    const report = parseJson(result)
    expect(report.fix.steps).toHaveLength(1)
    expect(report.fix.steps[0]).toMatchObject({
      action: 'sync-targeted',
      outcome: 'succeeded',
      scope: {entity: 'items', keys: ['P-200']},
    })
    expect(report.fix.steps[0].verification[0]).toMatchObject({
      after: {cause: 'consistent'},
      breakGone: true,
      consistent: true,
      entity: 'item',
      key: 'P-200',
    })
    expect(running.sandbox.installation('acme').state.cms.items.get('P-200').price).toBe(249)
    expect(result.exitCode).toBe(0)
  })
})
