import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tbaHeader} from '../../dist/connectors/netsuite/auth.js'
import {NetSuiteConnector} from '../../dist/connectors/netsuite/connector.js'
import {HttpClient} from '../../dist/http/client.js'
import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('NetSuite installation (nimbus)', () => {
  let running: RunningSandbox
  let home: string
  let env: Record<string, string>
  const erpState = () => running.sandbox.installation('nimbus').state.erp.state
  const erpUrl = () => running.sandbox.installation('nimbus').services.erp.url as string
  const erpRequests = () =>
    running.sandbox.requests('nimbus', 'erp') as Array<{method: string; path: string; query: Record<string, string>}>
  const tba = () => {
    const state = erpState()
    return {
      accountId: state.accountId,
      consumerKey: state.consumerKey,
      consumerSecret: state.consumerSecret,
      kind: 'tba',
      tokenId: state.tokenId,
      tokenSecret: state.tokenSecret,
    }
  }

  beforeAll(async () => {
    running = await startTestSandbox(['nimbus'])
    home = await mkdtemp(join(tmpdir(), 'synctrace-nimbus-'))
    env = {
      SYNCTRACE_AUDIT_LOG: join(home, 'audit.jsonl'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_CONFIG_HOME: join(home, 'config'),
    }
  })
  afterAll(async () => {
    await running.stop()
    await rm(home, {force: true, recursive: true})
  })

  const cases = [
    {args: ['trace', 'customer', '50001'], cause: 'consistent', exitCode: 0, action: 'none'},
    {
      args: ['trace', 'customer', '50042'],
      cause: 'erp-changed-after-sync',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'targeted-sync',
    },
    {
      args: ['trace', 'customer', '50050'],
      cause: 'created-after-sync',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'targeted-sync',
    },
    {
      args: ['trace', 'customer', '50060'],
      cause: 'excluded-by-filter',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'change-filter-or-erp-flag',
    },
    {
      args: ['trace', 'customer', '50070'],
      cause: 'excluded-by-filter',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'change-filter-or-erp-flag',
    },
    {args: ['trace', 'item', 'NS-100'], cause: 'consistent', exitCode: 0, action: 'none'},
    {
      args: ['trace', 'item', 'NS-200'],
      cause: 'erp-changed-after-sync',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'targeted-sync',
    },
    {args: ['trace', 'order', 'NS-7001'], cause: 'consistent', exitCode: 0, action: 'none'},
    {
      args: ['trace', 'order', 'NS-7002'],
      cause: 'order-prerequisite-missing',
      exitCode: 3,
      brokenLink: {from: 'cms', to: 'erp'},
      action: 'fix-in-erp-then-retransfer',
    },
  ]
  for (const testCase of cases)
    it(`${testCase.args.slice(1).join(' ')}: ${testCase.cause} in JSON, Markdown and the terminal`, async () => {
      const json = await runCommand([...testCase.args, ...running.flags(), '--json'])
      const report = parseJson(json)
      expect(json.exitCode).toBe(testCase.exitCode)
      expect(report.verdict.cause).toBe(testCase.cause)
      expect(report.installation.erp).toBe('netsuite')
      expect(report.verdict.brokenLink).toEqual(testCase.brokenLink ?? null)
      expect(report.action.kind).toBe(testCase.action)
      const markdown = await runCommand([...testCase.args, ...running.flags(), '--format', 'markdown'])
      expect(markdown.exitCode).toBe(testCase.exitCode)
      expect(markdown.stdout).toContain(`cause \`${testCase.cause}\``)
      const terminal = await runCommand([...testCase.args, ...running.flags()])
      expect(terminal.exitCode).toBe(testCase.exitCode)
      expect(terminal.stdout).toContain('NetSuite')
    })

  it("50042: the shipping address diff, with NetSuite's lastModifiedDate after the sync as the evidence", async () => {
    const before = erpRequests().length
    const report = parseJson(await runCommand(['trace', 'customer', '50042', ...running.flags(), '--json']))
    expect(report.hops[1].diff).toEqual([
      {downstream: 'Industrivägen 4', field: 'addresses.Delivery.addressLine1', upstream: 'Malmvägen 11'},
      {downstream: '981 38', field: 'addresses.Delivery.postCode', upstream: '981 39'},
    ])
    const modified = report.verdict.evidence.find((entry: {name: string}) => entry.name === 'erpModifiedAt')
    const sync = report.verdict.evidence.find((entry: {name: string}) => entry.name === 'lastCustomerSync')
    expect(Date.parse(modified.at)).toBeGreaterThan(Date.parse(sync.at))
    const requests = erpRequests().slice(before)
    const lookup = requests.find((request) => request.path === '/services/rest/record/v1/customer')
    expect(lookup?.query.q).toBe('entityId IS "50042"')
    const record = requests.find((request) => /^\/services\/rest\/record\/v1\/customer\/\d+$/.test(request.path))
    expect(record?.query.expandSubResources).toBe('true')
  })

  it("50001: a local phone number and an upper-case e-mail in NetSuite equal the CMS's forms; blocked is not compared", async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '50001', ...running.flags(), '--json']))
    expect(report.hops[0].record.phone).toBe('063-12 34 56')
    expect(report.hops[1].diff).toEqual([])
    expect(report.hops[1].notCompared.map((entry: {field: string}) => entry.field)).toContain('blocked')
  })

  it("NS-7001 is found by its external id (eid:), the platform's order number", async () => {
    const before = erpRequests().length
    await runCommand(['trace', 'order', 'NS-7001', ...running.flags(), '--json'])
    expect(
      erpRequests()
        .slice(before)
        .map((request) => request.path),
    ).toContain('/services/rest/record/v1/salesOrder/eid:NS-7001')
  })

  it('doctor authenticates with TBA and reports the company from the top subsidiary', async () => {
    const result = await runCommand(['doctor', ...running.flags(), '--json'])
    expect(result.exitCode).toBe(0)
    const erp = parseJson(result).hops.find((hop: {hop: string}) => hop.hop === 'erp')
    expect(erp.status).toBe('ok')
    expect(erp.reports).toMatchObject({account: '7654321_SB1', company: 'Nimbus Friluft AB', system: 'NetSuite'})
  })

  it("another integration holding the account's concurrency pool: 429s are waited out and re-signed, the trace still succeeds", async () => {
    const state = erpState()
    const rejectedBefore = state.stats.rejectedForConcurrency
    const refusedBefore = state.stats.refusedLogins
    state.othersInFlight = state.concurrencyLimit
    // The pool stays full until the command has been turned away for 600 ms.
    let firstRejectionAt = 0
    const release = setInterval(() => {
      if (!firstRejectionAt && state.stats.rejectedForConcurrency > rejectedBefore) firstRejectionAt = Date.now()
      if (firstRejectionAt && Date.now() - firstRejectionAt > 600) state.othersInFlight = 0
    }, 20)
    try {
      const result = await runCommand(['trace', 'customer', '50001', ...running.flags(), '--json'])
      expect(result.exitCode).toBe(0)
      expect(parseJson(result).verdict.cause).toBe('consistent')
    } finally {
      clearInterval(release)
      state.othersInFlight = 0
    }
    expect(state.stats.rejectedForConcurrency).toBeGreaterThan(rejectedBefore)
    // Every retry carried a fresh nonce: the server, which refuses a nonce twice, refused no login.
    expect(state.stats.refusedLogins).toBe(refusedBefore)
  })

  it('the connector keeps to its concurrency setting, whatever the burst', async () => {
    const state = erpState()
    state.stats.maxInFlight = 0
    const http = new HttpClient({maxRetries: 0})
    const connector = new NetSuiteConnector(http, {
      accountId: state.accountId,
      auth: tba(),
      basePriceLevel: 'Base Price',
      concurrency: 2,
      url: erpUrl(),
    })
    try {
      const results = await Promise.all(
        Array.from({length: 12}, (_unused, index) =>
          connector.entities.customer.find(index % 2 === 0 ? '50001' : '50042'),
        ),
      )
      expect(results.every((result: unknown) => result !== null)).toBe(true)
    } finally {
      await http.close()
    }
    expect(state.stats.maxInFlight).toBe(2)
  })

  it('the emulator checks the TBA signature for real: a replayed nonce and a `+` for a space are refused', async () => {
    const url = `${erpUrl()}/services/rest/record/v1/customer?q=${encodeURIComponent('entityId IS "50001"')}`
    const header = await tbaHeader(tba(), 'GET', url)
    expect(header).toMatch(/^OAuth realm="7654321_SB1", oauth_consumer_key="/)
    expect(header).toContain('oauth_signature_method="HMAC-SHA256"')
    expect((await fetch(url, {headers: {authorization: header}})).status).toBe(200)
    const replay = await fetch(url, {headers: {authorization: header}})
    expect(replay.status).toBe(401)
    expect(
      ((await replay.json()) as {'o:errorDetails': Array<{'o:errorCode': string}>})['o:errorDetails'][0]?.[
        'o:errorCode'
      ],
    ).toBe('INVALID_LOGIN')
    const plusUrl = `${erpUrl()}/services/rest/record/v1/customer?q=entityId+IS+%2250001%22`
    expect((await fetch(plusUrl, {headers: {authorization: await tbaHeader(tba(), 'GET', plusUrl)}})).status).toBe(401)
    const wrongSecret = await tbaHeader({...tba(), tokenSecret: 'not-the-secret'}, 'GET', url)
    expect((await fetch(url, {headers: {authorization: wrongSecret}})).status).toBe(401)
  })

  it('OAuth 2.0 client credentials: a PS256 assertion from the certificate key gets a token; another key is refused', async () => {
    const state = erpState()
    const before = erpRequests().length
    const http = new HttpClient({maxRetries: 0})
    const oauth2 = (privateKey: string) =>
      new NetSuiteConnector(http, {
        accountId: state.accountId,
        auth: {
          certificateId: state.certificateId,
          clientId: state.clientId,
          kind: 'oauth2',
          privateKey,
          tokenUrl: `${erpUrl()}/services/rest/auth/oauth2/v1/token`,
        },
        basePriceLevel: 'Base Price',
        concurrency: 1,
        url: erpUrl(),
      })
    try {
      const found = await oauth2(state.privateKey).entities.item.find('NS-100')
      expect(found?.item).toMatchObject({code: 'NS-100', price: 3495, stock: 18, unit: 'st', webshop: true})
      const otherKey = generateKeyPairSync('rsa', {modulusLength: 2048})
        .privateKey.export({format: 'pem', type: 'pkcs8'})
        .toString()
      await expect(oauth2(otherKey).entities.item.find('NS-100')).rejects.toMatchObject({problem: {kind: 'auth'}})
    } finally {
      await http.close()
    }
    const requests = erpRequests().slice(before)
    expect(requests[0]).toMatchObject({method: 'POST', path: '/services/rest/auth/oauth2/v1/token'})
    expect(
      requests.some((request) => request.method === 'POST' && request.path === '/services/rest/query/v1/suiteql'),
    ).toBe(true)
  })

  it("a field of the wrong kind in NetSuite's answer is the ERP hop's error naming it, and the CMS and later hops still report", async () => {
    const state = erpState()
    const entry = state.customers.find((customer: {record: {entityId: string}}) => customer.record.entityId === '50042')
    const original = entry.record
    entry.record = {...original, isPerson: 'sometimes', lastModifiedDate: 'last Tuesday'}
    try {
      const result = await runCommand(['trace', 'customer', '50042', ...running.flags(), '--json'])
      const report = parseJson(result)
      expect(result.exitCode).toBe(4)
      expect(report.hops[0].status).toBe('error')
      expect(report.hops[0].problem.kind).toBe('bad-response')
      expect(report.hops[0].problem.message).toMatch(
        /NetSuite: malformed answer, the customer: "(isPerson|lastModifiedDate)"/,
      )
      expect(report.hops[1].status).not.toBe('error')
    } finally {
      entry.record = original
    }
  })

  it("a next link to another origin is refused: the credentials never leave the account's host", async () => {
    const other = createServer((_request, response) => response.end('{}'))
    let otherHits = 0
    other.on('request', () => otherHits++)
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const hostile = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json')
      response.end(
        JSON.stringify({
          count: 1,
          hasMore: true,
          items: [],
          links: [
            {
              href: `http://127.0.0.1:${(other.address() as AddressInfo).port}/services/rest/record/v1/customer?offset=1000`,
              rel: 'next',
            },
          ],
          offset: 0,
          totalResults: 2000,
        }),
      )
    })
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve))
    const http = new HttpClient({maxRetries: 0})
    try {
      const connector = new NetSuiteConnector(http, {
        accountId: '1',
        auth: tba(),
        basePriceLevel: 'Base Price',
        concurrency: 1,
        url: `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`,
      })
      await expect(connector.entities.customer.find('50001')).rejects.toMatchObject({
        problem: {kind: 'bad-response', message: expect.stringContaining('another origin')},
      })
      expect(otherHits).toBe(0)
    } finally {
      await http.close()
      await new Promise((resolve) => other.close(resolve))
      await new Promise((resolve) => hostile.close(resolve))
    }
  })

  it('profile add --erp netsuite from flags (no TTY) writes a TBA profile that then traces and passes doctor', async () => {
    const platform = running.sandbox.installation('nimbus').profile()
    const state = erpState()
    const secrets = {
      NS_CONSUMER_SECRET: state.consumerSecret,
      NS_TOKEN_SECRET: state.tokenSecret,
      PLATFORM_TOKEN: platform.cms.token,
    }
    const added = await runCommand(
      [
        'profile',
        'add',
        'nimbus-ns',
        '--cms-url',
        platform.cms.url,
        '--cms-token',
        'env:PLATFORM_TOKEN',
        '--app-url',
        platform.app.url,
        '--app-token',
        'env:PLATFORM_TOKEN',
        '--webshop-url',
        platform.webshop.url,
        '--webshop-token',
        'env:PLATFORM_TOKEN',
        '--erp',
        'netsuite',
        '--account-id',
        state.accountId,
        '--erp-url',
        erpUrl(),
        '--consumer-key',
        state.consumerKey,
        '--consumer-secret',
        'env:NS_CONSUMER_SECRET',
        '--token-id',
        state.tokenId,
        '--token-secret',
        'env:NS_TOKEN_SECRET',
        '--concurrency',
        '2',
      ],
      {env: {...env, ...secrets}},
    )
    expect(added.exitCode).toBe(0)
    const config = JSON.parse(await readFile(join(home, 'config', 'synctrace', 'config.json'), 'utf8'))
    expect(config.profiles['nimbus-ns'].erp).toMatchObject({
      accountId: '7654321_SB1',
      basePriceLevel: 'Base Price',
      concurrency: '2',
      consumerSecret: 'env:NS_CONSUMER_SECRET',
      system: 'netsuite',
      tokenSecret: 'env:NS_TOKEN_SECRET',
    })
    const trace = await runCommand(['trace', 'customer', '50042', '--profile', 'nimbus-ns', '--json'], {
      env: {...env, ...secrets},
    })
    expect(trace.exitCode).toBe(3)
    expect(parseJson(trace).verdict.cause).toBe('erp-changed-after-sync')
    expect(trace.stdout).not.toContain(state.tokenSecret)
    const doctor = await runCommand(['doctor', '--profile', 'nimbus-ns'], {env: {...env, ...secrets}})
    expect(doctor.exitCode).toBe(0)
    expect(doctor.stdout).toContain('Nimbus Friluft AB')
    const missing = await runCommand(
      [
        'profile',
        'add',
        'nimbus-half',
        '--cms-url',
        platform.cms.url,
        '--cms-token',
        'env:PLATFORM_TOKEN',
        '--app-url',
        platform.app.url,
        '--app-token',
        'env:PLATFORM_TOKEN',
        '--webshop-url',
        platform.webshop.url,
        '--webshop-token',
        'env:PLATFORM_TOKEN',
        '--erp',
        'netsuite',
        '--account-id',
        state.accountId,
      ],
      {env: {...env, ...secrets}},
    )
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('--consumer-key')
  })

  it("a role without the SuiteQL permission: items and an order's prerequisites are found through the record API instead", async () => {
    const state = erpState()
    state.suiteqlAllowed = false
    const before = erpRequests().length
    try {
      const item = await runCommand(['trace', 'item', 'NS-200', ...running.flags(), '--json'])
      expect(item.exitCode).toBe(3)
      expect(parseJson(item).verdict.cause).toBe('erp-changed-after-sync')
      const order = await runCommand(['trace', 'order', 'NS-7002', ...running.flags(), '--json'])
      expect(parseJson(order).verdict.cause).toBe('order-prerequisite-missing')
    } finally {
      state.suiteqlAllowed = true
    }
    const requests = erpRequests().slice(before)
    expect(
      requests.some(
        (request) =>
          request.path === '/services/rest/record/v1/inventoryItem' && request.query.q === 'itemId IS "NS-200"',
      ),
    ).toBe(true)
  })

  it('lists every customer page by page (limit 1000, offset from the next link) and every item, for reconcile', async () => {
    const installation = running.sandbox.installation('nimbus')
    const state = erpState()
    const {emulator} = installation.state.erp
    const extra = Array.from({length: 1001}, (_unused, index) => `L${String(index).padStart(4, '0')}`)
    const template = {
      addresses: [
        {
          addressLine1: 'Väg 1',
          addressLine2: '',
          addressType: 'Invoice',
          city: 'Luleå',
          countryCode: 'SE',
          isMain: true,
          postCode: '971 00',
        },
      ],
      blocked: false,
      email: '',
      isPrivate: false,
      phone: '',
      priceListCode: '',
      salesRepCodes: [],
    }
    for (const code of extra)
      emulator.putCustomer(state, {...template, customerCode: code, name: `Lista ${code} AB`}, new Date().toISOString())
    const workMs = state.workMs
    state.workMs = 0
    const before = erpRequests().length
    const http = new HttpClient({maxRetries: 0, timeouts: {totalMs: 60_000}})
    try {
      const connector = new NetSuiteConnector(http, {
        accountId: state.accountId,
        auth: tba(),
        basePriceLevel: 'Base Price',
        concurrency: 4,
        url: erpUrl(),
      })
      const customers: Array<{customer: {code: string}; skippedBecause: string | null}> = []
      for await (const record of connector.entities.customer.list().records) customers.push(record)
      // 1001 added, 5 seeded customers and the 8 of the seeded price scenarios.
      expect(customers).toHaveLength(1014)
      expect(new Set(customers.map((record) => record.customer.code)).size).toBe(1014)
      expect(customers.find((record) => record.customer.code === '50060')?.skippedBecause).toMatch(
        /inactive in NetSuite/,
      )
      const items: Array<{item: {code: string}}> = []
      for await (const record of connector.entities.item.list().records) items.push(record)
      expect(items.map((record) => record.item.code).sort()).toEqual(['NS-100', 'NS-200'])
    } finally {
      await http.close()
      state.workMs = workMs
      for (const code of extra) emulator.removeCustomer(state, code)
    }
    const pages = erpRequests()
      .slice(before)
      .filter((request) => request.path === '/services/rest/record/v1/customer')
    expect(pages.map((request) => [request.query.limit, request.query.offset])).toEqual([
      ['1000', '0'],
      ['1000', '1000'],
    ])
  }, 120_000)
})
