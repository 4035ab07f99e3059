import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {VismaNetConnector} from '../../dist/connectors/visma-net/connector.js'
import {HttpClient} from '../../dist/http/client.js'
import {describeSandbox} from '../../dist/sandbox/describe.js'
import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

describe('Visma.net installation (vnet)', () => {
  let running: RunningSandbox
  let home: string
  let env: Record<string, string>
  beforeAll(async () => {
    running = await startTestSandbox(['vnet'])
    // The seed's window is Visma.net's (120 requests per 10 s); a shorter one here, so the tests that use it
    // up wait about 2 s for its reset instead of 10 (X-RateLimit-Reset counts whole seconds).
    erp().rateLimit = {limit: 40, windowMs: 2000}
    home = await mkdtemp(join(tmpdir(), 'synctrace-vnet-'))
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

  const erp = () => running.sandbox.installation('vnet').state.erp.state
  const erpUrl = () => running.sandbox.installation('vnet').services.erp.url as string

  const cases = [
    {args: ['trace', 'customer', '50001'], cause: 'consistent', exitCode: 0, brokenLink: null, action: 'none'},
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
    {args: ['trace', 'item', 'V-100'], cause: 'consistent', exitCode: 0, brokenLink: null, action: 'none'},
    {
      args: ['trace', 'item', 'V-200'],
      cause: 'erp-changed-after-sync',
      exitCode: 3,
      brokenLink: {from: 'erp', to: 'cms'},
      action: 'targeted-sync',
    },
    {args: ['trace', 'item', 'V-300'], cause: 'expected-stock-lag', exitCode: 0, brokenLink: null, action: 'none'},
    {args: ['trace', 'order', 'V-9001'], cause: 'consistent', exitCode: 0, brokenLink: null, action: 'none'},
    {
      args: ['trace', 'order', 'V-9002'],
      cause: 'order-prerequisite-missing',
      exitCode: 3,
      brokenLink: {from: 'cms', to: 'erp'},
      action: 'fix-in-erp-then-retransfer',
    },
    {args: ['trace', 'order', 'V-9003'], cause: 'consistent', exitCode: 0, brokenLink: null, action: 'none'},
  ]
  for (const testCase of cases)
    it(`${testCase.args.slice(1).join(' ')}: ${testCase.cause} in JSON, Markdown and the terminal`, async () => {
      // The three formats at once: the sandbox answers them side by side, as it would three agents.
      const [json, markdown, terminal] = await Promise.all([
        runCommand([...testCase.args, ...running.flags(), '--json'], {env}),
        runCommand([...testCase.args, ...running.flags(), '--format', 'markdown'], {env}),
        runCommand([...testCase.args, ...running.flags()], {env}),
      ])
      const report = parseJson(json)
      expect(json.exitCode).toBe(testCase.exitCode)
      expect(report.verdict.cause).toBe(testCase.cause)
      expect(report.verdict.brokenLink).toEqual(testCase.brokenLink)
      expect(report.action.kind).toBe(testCase.action)
      expect(report.installation.erp).toBe('visma')
      expect(markdown.exitCode).toBe(testCase.exitCode)
      expect(markdown.stdout).toContain(`cause \`${testCase.cause}\``)
      expect(terminal.exitCode).toBe(testCase.exitCode)
      // Every entity's ERP hop names the profile's connector (Visma.net), not the CMS's erp.system (visma).
      expect(terminal.stdout).toContain('(Visma.net)')
      expect(report.hops.find((hop: {hop: string}) => hop.hop === 'erp').system).toBe('visma-net')
    })

  it('50042: the delivery address diff, with the Visma.net change time after the last sync as evidence', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '50042', ...running.flags(), '--json'], {env}))
    expect(report.hops[1].diff).toEqual([
      {downstream: 'Heiane 21', field: 'addresses.Delivery.addressLine1', upstream: 'Leirvik Kai 2'},
      {downstream: '5413', field: 'addresses.Delivery.postCode', upstream: '5411'},
    ])
    const evidence = report.hops[0].evidence.find((entry: {name: string}) => entry.name === 'erpModifiedAt')
    const customer = erp().customers.find((entry: {number: string}) => entry.number === '50042')
    expect(Date.parse(evidence.at)).toBe(Date.parse(customer.lastModifiedDateTime))
    const lastSync = Date.parse(
      running.sandbox.installation('vnet').state.cms.runs.find((run: {entity: string}) => run.entity === 'customers')
        .startedAt,
    )
    expect(Date.parse(evidence.at)).toBeGreaterThan(lastSync)
  })

  it('50001: fields Visma.net cannot supply are declared, never compared; an e-mail differing only in case is no difference', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '50001', ...running.flags(), '--json'], {env}))
    expect(report.hops[1].diff).toEqual([])
    const text = JSON.stringify(report)
    for (const field of ['isPrivate', 'blocked', 'salesRepCodes']) expect(text).toContain(`"field":"${field}"`)
  })

  it('the requests follow the wire format: a token from /connect/token with tenant_id, bearer and ipp-company-id on the API, paged lists', async () => {
    const before = running.sandbox.requests('vnet', 'erp').length
    await runCommand(['trace', 'order', 'V-9003', ...running.flags(), '--json', '--no-cache'], {env})
    const requests = running.sandbox.requests('vnet', 'erp').slice(before)
    expect(requests[0]).toMatchObject({method: 'POST', path: '/connect/token'})
    const listing = requests.find((request: {path: string}) => request.path === '/v1/salesorder')
    expect(listing.query).toMatchObject({lastModifiedDateTimeCondition: '>=', pageNumber: '1', pageSize: '1000'})
    expect(listing.query.lastModifiedDateTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
  })

  it('doctor reaches Visma.net, authenticates through Visma Connect and names the company', async () => {
    const doctor = await runCommand(['doctor', ...running.flags(), '--json'], {env})
    expect(doctor.exitCode).toBe(0)
    const text = doctor.stdout
    expect(text).toContain('Vestland Verktøy AS')
    expect(text).toContain('4-fixed-window')
    expect(text).not.toContain(erp().clientSecret)
  })

  it("a wrong client secret is the ERP hop's auth problem, and the secret is never printed", async () => {
    const config = JSON.parse(await readFile(running.configPath, 'utf8'))
    const profile = config.profiles['sandbox-vnet']
    const broken = {
      ...config,
      profiles: {bad: {...profile, erp: {...profile.erp, clientSecret: 'sbx-wrong-secret-value'}}},
    }
    const path = join(home, 'bad-config.json')
    await writeFile(path, JSON.stringify(broken), {mode: 0o600})
    const trace = await runCommand(['trace', 'customer', '50001', '--config', path, '--profile', 'bad', '--json'], {
      env,
    })
    const report = parseJson(trace)
    expect(report.hops[0].status).toBe('error')
    expect(JSON.stringify(report)).toContain('invalid_client')
    expect(trace.stdout + trace.stderr).not.toContain('sbx-wrong-secret-value')
  })

  it('profile add --erp visma-net from flags (no TTY) writes a profile that then works', async () => {
    const description = describeSandbox(running.sandbox)
    const sandboxProfile = description.config.profiles['sandbox-vnet'] as unknown as Record<
      'app' | 'cms' | 'webshop',
      {url: string; token: string}
    > & {erp: Record<string, string>}
    const section = sandboxProfile.erp
    const configPath = join(home, 'added', 'config.json')
    const added = await runCommand(
      [
        'profile',
        'add',
        'vnet-flags',
        '--config',
        configPath,
        '--cms-url',
        sandboxProfile.cms.url,
        '--cms-token',
        'env:VNET_CMS',
        '--app-url',
        sandboxProfile.app.url,
        '--app-token',
        'env:VNET_CMS',
        '--webshop-url',
        sandboxProfile.webshop.url,
        '--webshop-token',
        'env:VNET_CMS',
        '--erp',
        'visma-net',
        '--erp-url',
        section.url,
        '--token-url',
        section.tokenUrl,
        '--tenant',
        section.tenantId,
        '--client-id',
        section.clientId,
        '--client-secret',
        'env:VNET_SECRET',
        '--company-id',
        section.companyId,
        '--warehouses',
        'HUVUDLAGER',
      ],
      {env},
    )
    expect(added.exitCode).toBe(0)
    const written = JSON.parse(await readFile(configPath, 'utf8'))
    expect(written.profiles['vnet-flags'].erp).toEqual({
      clientId: section.clientId,
      clientSecret: 'env:VNET_SECRET',
      companyId: section.companyId,
      scope: 'vismanet_erp_service_api:read',
      system: 'visma-net',
      tenantId: section.tenantId,
      tokenUrl: section.tokenUrl,
      url: section.url,
      warehouses: 'HUVUDLAGER',
    })
    const useEnv = {...env, VNET_CMS: sandboxProfile.cms.token, VNET_SECRET: section.clientSecret}
    const trace = await runCommand(
      ['trace', 'customer', '50042', '--config', configPath, '--profile', 'vnet-flags', '--json'],
      {env: useEnv},
    )
    expect(parseJson(trace).verdict.cause).toBe('erp-changed-after-sync')
    const item = await runCommand(
      ['trace', 'item', 'V-100', '--config', configPath, '--profile', 'vnet-flags', '--json'],
      {
        env: useEnv,
      },
    )
    expect(parseJson(item).verdict.cause).toBe('consistent')
    const missing = await runCommand(
      [
        'profile',
        'add',
        'vnet-missing',
        '--config',
        configPath,
        '--cms-url',
        'https://cms.example',
        '--cms-token',
        'env:A',
        '--app-url',
        'https://a.example',
        '--app-token',
        'env:A',
        '--webshop-url',
        'https://w.example',
        '--webshop-token',
        'env:A',
        '--erp',
        'visma-net',
      ],
      {env},
    )
    expect(missing.exitCode).not.toBe(0)
    expect(missing.stderr).toContain('--tenant')
  })

  it("a field of the wrong kind is the ERP hop's bad-response error naming the field, never a crash", async () => {
    erp().customers.push({
      internalId: 99,
      lastModifiedDateTime: 'yesterday at noon',
      mainContact: {email: 'x@y.example'},
      name: 'Trasig AS',
      number: '50099',
      status: 'Active',
    })
    erp().inventory.push({
      defaultPrice: {amount: 12},
      description: 'Trasig',
      inventoryNumber: 'V-999X',
      status: 'Active',
    })
    try {
      const customer = parseJson(await runCommand(['trace', 'customer', '50099', ...running.flags(), '--json'], {env}))
      expect(customer.hops[0].status).toBe('error')
      expect(JSON.stringify(customer.hops[0])).toContain('lastModifiedDateTime')
      const item = parseJson(await runCommand(['trace', 'item', 'V-999X', ...running.flags(), '--json'], {env}))
      expect(item.hops[0].status).toBe('error')
      expect(JSON.stringify(item.hops[0])).toContain('defaultPrice')
    } finally {
      erp().customers = erp().customers.filter((entry: {number: string}) => entry.number !== '50099')
      erp().inventory = erp().inventory.filter((entry: {inventoryNumber: string}) => entry.inventoryNumber !== 'V-999X')
    }
  })

  it('the sandbox answers 429 with X-RateLimit-* beyond the fixed window; a trace started with the window used up still succeeds', async () => {
    const state = erp()
    const token = (await (
      await fetch(`${erpUrl()}/connect/token`, {
        body: new URLSearchParams({
          client_id: state.clientId,
          client_secret: state.clientSecret,
          grant_type: 'client_credentials',
          scope: 'vismanet_erp_service_api:read',
          tenant_id: state.tenantId,
        }),
        method: 'POST',
      })
    ).json()) as {access_token: string}
    // A fresh window, so the burst cannot straddle a reset.
    state.window = {count: 0, startedAt: Date.now()}
    const answers = await Promise.all(
      Array.from({length: state.rateLimit.limit + 5}, () =>
        fetch(`${erpUrl()}/v1/customer/50001`, {headers: {authorization: `Bearer ${token.access_token}`}}),
      ),
    )
    const limited = answers.filter((answer) => answer.status === 429)
    expect(limited.length).toBeGreaterThanOrEqual(5)
    expect(limited[0]?.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(Number(limited[0]?.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1)
    expect(limited[0]?.headers.get('x-ratelimit-policy')).toBe('4-fixed-window')
    const rejectedBefore = state.rejected
    const trace = await runCommand(['trace', 'customer', '50001', ...running.flags(), '--json'], {env})
    expect(trace.exitCode).toBe(0)
    expect(parseJson(trace).verdict.cause).toBe('consistent')
    // At most the one request that found the window used up was turned away; the trace waited for the reset.
    expect(state.rejected - rejectedBefore).toBeLessThanOrEqual(1)
  }, 30_000)

  it('listCustomers and listItems read every record page by page (pageNumber from 1, pageSize 1000) until a short page', async () => {
    const state = erp()
    const template = state.customers.find((entry: {number: string}) => entry.number === '50001')
    const seeded = state.customers
    state.customers = [
      ...seeded,
      ...Array.from({length: 2003}, (_unused, index) => ({
        ...template,
        internalId: 700_000 + index,
        number: `L-${String(index).padStart(5, '0')}`,
      })),
    ]
    const http = new HttpClient({timeouts: {totalMs: 30_000}})
    const connector = new VismaNetConnector(http, {
      auth: {
        clientId: state.clientId,
        clientSecret: state.clientSecret,
        scope: 'vismanet_erp_service_api:read',
        tenantId: state.tenantId,
        tokenUrl: `${erpUrl()}/connect/token`,
      },
      url: erpUrl(),
      warehouses: [],
    })
    const before = running.sandbox.requests('vnet', 'erp').length
    try {
      const codes: string[] = []
      for await (const record of connector.entities.customer.list().records) codes.push(record.customer.code)
      expect(codes).toHaveLength(seeded.length + 2003)
      expect(new Set(codes).size).toBe(codes.length)
      const items: string[] = []
      for await (const record of connector.entities.item.list().records) items.push(record.item.code)
      expect(items.sort()).toEqual(['V-100', 'V-200', 'V-300'])
    } finally {
      state.customers = seeded
      await http.close()
    }
    const pages = running.sandbox
      .requests('vnet', 'erp')
      .slice(before)
      .filter((request: {path: string}) => request.path === '/v1/customer')
      .map((request: {query: Record<string, string>}) => [request.query.pageNumber, request.query.pageSize])
    expect(pages).toEqual([
      ['1', '1000'],
      ['2', '1000'],
      ['3', '1000'],
    ])
  })

  it('the connector keeps a burst of lookups within the window: no request is turned away, even with no retries allowed', async () => {
    const state = erp()
    // A fresh window instead of waiting out the one the test above used up.
    state.window = {count: 0, startedAt: Date.now()}
    const http = new HttpClient({maxRetries: 0, timeouts: {totalMs: 30_000}})
    const connector = new VismaNetConnector(http, {
      auth: {
        clientId: state.clientId,
        clientSecret: state.clientSecret,
        scope: 'vismanet_erp_service_api:read',
        tenantId: state.tenantId,
        tokenUrl: `${erpUrl()}/connect/token`,
      },
      url: erpUrl(),
      warehouses: [],
    })
    const rejectedBefore = state.rejected
    try {
      const results = await Promise.all(
        Array.from({length: state.rateLimit.limit + 20}, (_unused, index) =>
          connector.entities.customer.find(index % 2 === 0 ? '50001' : '50042'),
        ),
      )
      expect(results.every((result: unknown) => result !== null)).toBe(true)
    } finally {
      await http.close()
    }
    expect(state.rejected).toBe(rejectedBefore)
  }, 40_000)
})
