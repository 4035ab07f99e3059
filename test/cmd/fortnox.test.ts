import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {FortnoxConnector} from '../../dist/connectors/fortnox/connector.js'
import {HttpClient} from '../../dist/http/client.js'
import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('Fortnox installation (fjord)', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['fjord'])
  })
  afterAll(async () => {
    await running.stop()
  })

  const cases = [
    {args: ['trace', 'customer', '30001'], cause: 'consistent', exitCode: 0},
    {
      args: ['trace', 'customer', '30042'],
      cause: 'erp-changed-after-sync',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'targeted-sync',
    },
    {args: ['trace', 'item', 'F-100'], cause: 'consistent', exitCode: 0},
    {args: ['trace', 'item', 'F-400'], cause: 'expected-stock-lag', exitCode: 0},
    {
      args: ['trace', 'item', 'F-410'],
      cause: 'stock-not-synced',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'targeted-sync',
    },
    {args: ['trace', 'order', 'F-7001'], cause: 'consistent', exitCode: 0},
  ]
  for (const testCase of cases)
    it(`${testCase.args.slice(1).join(' ')}: ${testCase.cause} in JSON, Markdown and the terminal`, async () => {
      const json = await runCommand([...testCase.args, ...running.flags(), '--json'])
      const report = parseJson(json)
      expect(json.exitCode).toBe(testCase.exitCode)
      expect(report.verdict.cause).toBe(testCase.cause)
      expect(report.installation.erp).toBe('fortnox')
      if (testCase.brokenLink) expect(report.verdict.brokenLink).toEqual(testCase.brokenLink)
      if (testCase.action) expect(report.action.kind).toBe(testCase.action)
      const markdown = await runCommand([...testCase.args, ...running.flags(), '--format', 'markdown'])
      expect(markdown.stdout).toContain(`cause \`${testCase.cause}\``)
      const terminal = await runCommand([...testCase.args, ...running.flags()])
      expect(terminal.stdout).toContain('Fortnox')
    })

  it('30042: the delivery address diff, and the lastmodified query that proves the change came after the sync', async () => {
    const before = running.sandbox.requests('fjord', 'erp').length
    const report = parseJson(await runCommand(['trace', 'customer', '30042', ...running.flags(), '--json']))
    expect(report.hops[1].diff).toEqual([
      {downstream: 'Sågverksvägen 2', field: 'addresses.Delivery.addressLine1', upstream: 'Hamnvägen 17'},
      {downstream: '852 38', field: 'addresses.Delivery.postCode', upstream: '852 29'},
    ])
    const requests = running.sandbox.requests('fjord', 'erp').slice(before)
    expect(requests.map((request: {path: string}) => request.path)).toEqual(
      expect.arrayContaining(['/3/customers/30042', '/3/customers']),
    )
    const listing = requests.find((request: {path: string}) => request.path === '/3/customers')
    expect(listing.query.customernumber).toBe('30042')
    expect(listing.query.lastmodified).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
  })

  it('F-410: asks the lastmodified filter since the last stock sync started, not since the CMS wrote the article', async () => {
    const before = running.sandbox.requests('fjord', 'erp').length
    const report = parseJson(await runCommand(['trace', 'item', 'F-410', ...running.flags(), '--json']))
    const stockRun = report.verdict.evidence.find((entry: {name: string}) => entry.name === 'lastStockSync')
    const asked = report.verdict.evidence.find((entry: {name: string}) => entry.name === 'erpStockChangedSince')
    expect(asked).toMatchObject({at: stockRun.at, text: 'does not list the item: unchanged since then'})
    const listings = running.sandbox
      .requests('fjord', 'erp')
      .slice(before)
      .filter(
        (request: {path: string; query: Record<string, string>}) =>
          request.path === '/3/articles' && request.query.articlenumber === 'F-410',
      )
    expect(listings.length).toBeGreaterThanOrEqual(1)
    expect(report.verdict.summary).toMatch(/older than the last stock sync \(run r-7104/)
  })

  it('30001: "Sverige" and a local phone number in Fortnox equal the CMS\'s SE and +46 form', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '30001', ...running.flags(), '--json']))
    expect(report.hops[0].record.phone).toBe('0435-9249236')
    expect(report.hops[1].diff).toEqual([])
  })

  it('fixes 30042 with a targeted sync read from Fortnox', async () => {
    const result = await runCommand(['trace', 'customer', '30042', ...running.flags(), '--fix', '--yes', '--json'], {
      env: {SYNCTRACE_AUDIT_LOG: join(tmpdir(), `audit-fjord-${Date.now()}.jsonl`)},
    })
    const report = parseJson(result)
    expect(report.fix.steps[0].verification[0]).toMatchObject({
      before: {cause: 'erp-changed-after-sync'},
      breakGone: true,
    })
    expect(report.fix.consistent).toBe(result.exitCode === 0)
    expect(result.exitCode).toBe(0)
  })
})

// A fresh installation per test: a burst fills the token's window, which the next burst must find empty (the
// traces above fill it too), instead of waiting 5 s for it to empty.
describe('the Fortnox rate limit of 25 requests per 5 s per token', () => {
  let ownSandbox: RunningSandbox
  beforeEach(async () => {
    ownSandbox = await startTestSandbox(['fjord'])
  })
  afterEach(async () => {
    await ownSandbox.stop()
  })

  it('the sandbox enforces 25 requests per 5 s per token, answering 429 with Retry-After beyond', async () => {
    const fjord = ownSandbox.sandbox.installation('fjord')
    const url = `${fjord.services.erp.url}/3/customers/30001`
    const answers = await Promise.all(
      Array.from({length: 30}, () => fetch(url, {headers: {authorization: `Bearer ${fjord.state.erp.state.token}`}})),
    )
    const limited = answers.filter((answer) => answer.status === 429)
    expect(limited.length).toBeGreaterThanOrEqual(5)
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(((await limited[0]!.json()) as {ErrorInformation: {code: number}}).ErrorInformation.code).toBe(2000429)
  })

  it('the connector never sends more than 25 requests in any 5 s, even for a burst of 40 lookups', async () => {
    const fjord = ownSandbox.sandbox.installation('fjord')
    const http = new HttpClient({maxRetries: 0, timeouts: {totalMs: 30_000}})
    const connector = new FortnoxConnector(http, {token: fjord.state.erp.state.token, url: fjord.services.erp.url})
    const before = ownSandbox.sandbox.requests('fjord', 'erp').length
    try {
      const results = await Promise.all(
        Array.from({length: 40}, (_unused, index) =>
          connector.entities.customer.find(index % 2 === 0 ? '30001' : '30042'),
        ),
      )
      expect(results.every((result: unknown) => result !== null)).toBe(true)
    } finally {
      await http.close()
    }
    const times = ownSandbox.sandbox
      .requests('fjord', 'erp')
      .slice(before)
      .map((request: {at: string}) => Date.parse(request.at))
      .sort((a: number, b: number) => a - b)
    expect(times).toHaveLength(40)
    // No retries were allowed, so every lookup succeeding means the enforcing sandbox never answered 429;
    // the receipt times show the spacing (the client keeps a quarter second of margin for jitter).
    for (let index = 25; index < times.length; index++)
      expect(times[index]! - times[index - 25]!).toBeGreaterThanOrEqual(5000)
  }, 30_000)
})
