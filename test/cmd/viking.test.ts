import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {VismaEAccountingConnector} from '../../dist/connectors/visma-eaccounting/connector.js'
import {HttpClient} from '../../dist/http/client.js'
import {describeSandbox} from '../../dist/sandbox/describe.js'
import {vismaEAccountingEmulator} from '../../dist/sandbox/erp/visma-eaccounting/emulator.js'
import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** The emulator's state of the running viking installation. */
function vismaState(running: RunningSandbox): any {
  return (running.sandbox.installation('viking').state.erp as {state: unknown}).state
}

/** A config whose viking profile keeps its ERP secrets in secrets.json beside it, as `profile add --store-secrets` does. */
async function writeStoredConfig(
  dir: string,
  running: RunningSandbox,
): Promise<{configPath: string; secretsPath: string}> {
  const profile = structuredClone(describeSandbox(running.sandbox).config.profiles['sandbox-viking']) as any
  const secrets = {
    'viking.clientSecret': profile.erp.clientSecret,
    'viking.refreshToken': vismaState(running).refreshToken,
  }
  profile.erp.clientSecret = 'secret:viking.clientSecret'
  profile.erp.refreshToken = 'secret:viking.refreshToken'
  const configPath = join(dir, 'config.json')
  const secretsPath = join(dir, 'secrets.json')
  await writeFile(
    configPath,
    JSON.stringify({defaultProfile: 'sandbox-viking', profiles: {'sandbox-viking': profile}}),
    {mode: 0o600},
  )
  await writeFile(secretsPath, JSON.stringify(secrets), {mode: 0o600})
  await chmod(secretsPath, 0o600)
  return {configPath, secretsPath}
}

describe('Visma eAccounting installation (viking)', () => {
  let running: RunningSandbox
  let home: string
  let env: Record<string, string>
  let flags: string[]
  let secretsPath: string
  beforeAll(async () => {
    running = await startTestSandbox(['viking'])
    home = await mkdtemp(join(tmpdir(), 'synctrace-viking-'))
    env = {
      SYNCTRACE_AUDIT_LOG: join(home, 'audit.jsonl'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_CONFIG_HOME: join(home, 'xdg'),
    }
    const written = await writeStoredConfig(home, running)
    secretsPath = written.secretsPath
    flags = ['--config', written.configPath, '--profile', 'sandbox-viking']
  })
  afterAll(async () => {
    await running.stop()
    await rm(home, {force: true, recursive: true})
  })

  const cases = [
    {args: ['customer', '40001'], cause: 'consistent', exitCode: 0},
    {args: ['customer', '40010'], cause: 'consistent', exitCode: 0},
    {
      action: 'targeted-sync',
      args: ['customer', '40042'],
      brokenLink: {from: 'erp', to: 'cms'},
      cause: 'erp-changed-after-sync',
      exitCode: 3,
    },
    {
      action: 'targeted-sync',
      args: ['customer', '40077'],
      brokenLink: {from: 'erp', to: 'cms'},
      cause: 'created-after-sync',
      exitCode: 3,
    },
    {
      action: 'change-filter-or-erp-flag',
      args: ['customer', '40060'],
      brokenLink: {from: 'erp', to: 'cms'},
      cause: 'excluded-by-filter',
      exitCode: 3,
    },
    {
      action: 'change-filter-or-erp-flag',
      args: ['customer', '40090'],
      brokenLink: {from: 'erp', to: 'cms'},
      cause: 'excluded-by-filter',
      exitCode: 3,
    },
    {args: ['item', 'V-100'], cause: 'consistent', exitCode: 0},
    {
      action: 'targeted-sync',
      args: ['item', 'V-200'],
      brokenLink: {from: 'erp', to: 'cms'},
      cause: 'erp-changed-after-sync',
      exitCode: 3,
    },
    {args: ['order', 'V-5001'], cause: 'consistent', exitCode: 0},
    {
      action: 'fix-in-erp-then-retransfer',
      args: ['order', 'V-5002'],
      brokenLink: {from: 'cms', to: 'erp'},
      cause: 'order-prerequisite-missing',
      exitCode: 3,
    },
  ]
  for (const testCase of cases)
    it(`${testCase.args.join(' ')}: ${testCase.cause} in JSON, Markdown and the terminal`, async () => {
      const args = ['trace', ...testCase.args, ...flags]
      const json = await runCommand([...args, '--json'], {env})
      const report = parseJson(json)
      expect(json.exitCode).toBe(testCase.exitCode)
      expect(report.verdict.cause).toBe(testCase.cause)
      expect(report.verdict.brokenLink).toEqual(testCase.brokenLink ?? null)
      expect(report.action.kind).toBe(testCase.action ?? 'none')
      expect(report.installation.erp).toBe('visma')
      const markdown = await runCommand([...args, '--format', 'markdown'], {env})
      expect(markdown.exitCode).toBe(testCase.exitCode)
      expect(markdown.stdout).toContain(`cause \`${testCase.cause}\``)
      const terminal = await runCommand(args, {env})
      expect(terminal.exitCode).toBe(testCase.exitCode)
      expect(terminal.stdout).toContain(testCase.args[0] === 'order' ? 'Visma' : 'Visma eAccounting')
      // Every run refreshed the access token with the stored refresh token and wrote the new one back.
      expect(vismaState(running).spentTokenReuses).toBe(0)
      for (const result of [json, markdown, terminal]) expect(result.stderr).not.toContain('Warning')
    })

  it('40042: the delivery address diff, the ChangedUtc time as evidence, and the lookups eAccounting was asked', async () => {
    const before = running.sandbox.requests('viking', 'erp').length
    const report = parseJson(await runCommand(['trace', 'customer', '40042', ...flags, '--json', '--no-cache'], {env}))
    expect(report.hops[1].diff).toEqual([
      {downstream: 'Hamngatan 3', field: 'addresses.Delivery.addressLine1', upstream: 'Lindholmsallén 10'},
      {downstream: '417 64', field: 'addresses.Delivery.postCode', upstream: '417 55'},
    ])
    const modified = report.verdict.evidence.find((entry: {name: string}) => entry.name === 'erpModifiedAt')
    expect(Date.parse(modified.at)).toBe(
      Date.parse(
        vismaState(running).customers.find((entry: {CustomerNumber: string}) => entry.CustomerNumber === '40042')
          .ChangedUtc,
      ),
    )
    expect(report.hops[1].notCompared.map((entry: {field: string}) => entry.field)).toEqual([
      'blocked',
      'salesRepCodes',
      'priceListCode',
    ])
    const requests = running.sandbox.requests('viking', 'erp').slice(before)
    expect(requests[0]).toMatchObject({method: 'POST', path: '/connect/token'})
    const lookup = requests.find((request: {path: string}) => request.path === '/v2/customers')
    expect(lookup.query.$filter).toBe("CustomerNumber eq '40042'")
  })

  it("40010: no delivery address in eAccounting, so the invoice address is compared with the CMS's main Delivery address", async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '40010', ...flags, '--json'], {env}))
    expect(report.hops[0].record.addresses.map((address: {type: string}) => address.type)).toEqual(['Invoice'])
    expect(report.hops[1].derived).toEqual([
      expect.objectContaining({field: 'addresses.Delivery', from: 'addresses.Invoice'}),
    ])
    expect(report.hops[1].diff).toEqual([])
  })

  it('a customer number with a quote is one OData literal (quotes doubled), not a broken filter', async () => {
    const before = running.sandbox.requests('viking', 'erp').length
    const result = await runCommand(['trace', 'customer', "O'Brien 1", ...flags, '--json'], {env})
    const report = parseJson(result)
    expect(report.hops[0].status).toBe('missing')
    const lookup = running.sandbox
      .requests('viking', 'erp')
      .slice(before)
      .find((request: {path: string}) => request.path === '/v2/customers')
    expect(lookup.query.$filter).toBe("CustomerNumber eq 'O''Brien 1'")
  })

  it('V-5001: found by the number eAccounting gave it, with its customer resolved from CustomerId', async () => {
    const before = running.sandbox.requests('viking', 'erp').length
    const report = parseJson(await runCommand(['trace', 'order', 'V-5001', ...flags, '--json'], {env}))
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'erp').status).toBe('present')
    const paths = running.sandbox.requests('viking', 'erp').slice(before)
    expect(paths.find((request: {path: string}) => request.path === '/v2/orders').query.$filter).toBe('Number eq 1207')
    expect(paths.some((request: {path: string}) => /^\/v2\/customers\/[0-9a-f-]{36}$/.test(request.path))).toBe(true)
  })

  it('doctor: Visma Connect and the API answer, with the company name from /v2/companysettings', async () => {
    const result = await runCommand(['doctor', ...flags, '--json'], {env})
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(report.hops[0]).toMatchObject({authenticated: true, hop: 'erp', status: 'ok'})
    expect(report.hops[0].reports).toMatchObject({
      api: 'v2',
      company: 'Viking Verktyg AB',
      organisationNumber: '559123-4567',
      system: 'Visma eAccounting',
    })
  })

  it('honours the rate limit: a 429 with ErrorCode 4010 and "Try again in N seconds" (no Retry-After) is waited out, and the trace still succeeds', async () => {
    const state = vismaState(running)
    const rejectedBefore = state.rejectedForRate
    // One request per endpoint per 1.5 s: the second article lookup of the order's prerequisites is refused.
    state.rateLimit = {limit: 1, windowMs: 1500}
    try {
      const before = running.sandbox.requests('viking', 'erp').length
      const result = await runCommand(['trace', 'order', 'V-5002', ...flags, '--json'], {env})
      const report = parseJson(result)
      expect(report.verdict.cause).toBe('order-prerequisite-missing')
      expect(
        report.verdict.evidence.find((entry: {name: string}) => entry.name === 'missingPrerequisites').text,
      ).toContain('V-999')
      expect(state.rejectedForRate).toBeGreaterThan(rejectedBefore)
      // The retried article lookups came after the wait the message named (at least a second).
      const articles = running.sandbox
        .requests('viking', 'erp')
        .slice(before)
        .filter((request: {path: string}) => request.path === '/v2/articles')
        .map((request: {at: string}) => Date.parse(request.at))
      expect(articles.length).toBeGreaterThanOrEqual(3)
      expect(Math.max(...articles) - Math.min(...articles)).toBeGreaterThanOrEqual(1000)
    } finally {
      state.rateLimit = {limit: 600, windowMs: 60_000}
    }
  }, 30_000)

  it('the emulator answers over-quota requests as eAccounting does: 429, ErrorCode 4010, the seconds in the message, no Retry-After', async () => {
    const state = vismaState(running)
    state.accessTokens.add('test-access-token')
    state.rateLimit = {limit: 600, windowMs: 60_000}
    const url = `${running.sandbox.installation('viking').services.erp?.url}/v2/companysettings`
    try {
      const answers = await Promise.all(
        Array.from({length: 605}, () => fetch(url, {headers: {authorization: 'Bearer test-access-token'}})),
      )
      const limited = answers.filter((answer) => answer.status === 429)
      expect(limited.length).toBeGreaterThanOrEqual(5)
      expect(limited[0]?.headers.get('retry-after')).toBeNull()
      const body = (await limited[0]?.json()) as {ErrorCode: number; DeveloperErrorMessage: string; ErrorId: string}
      expect(body.ErrorCode).toBe(4010)
      expect(body.DeveloperErrorMessage).toMatch(
        /^API calls quota exceeded! maximum admitted 600 per Minute\. Try again in \d+ seconds\.$/,
      )
      expect(body.ErrorId).toMatch(/^[0-9a-f-]{36}$/)
      // Counted per endpoint: another endpoint still answers.
      const other = await fetch(
        `${running.sandbox.installation('viking').services.erp?.url}/v2/customers?$filter=CustomerNumber%20eq%20'40001'`,
        {
          headers: {authorization: 'Bearer test-access-token'},
        },
      )
      expect(other.status).toBe(200)
    } finally {
      state.accessTokens.delete('test-access-token')
    }
  }, 30_000)

  it("a malformed field in eAccounting's answer is the ERP hop's bad-response, naming the field; the trace still reports", async () => {
    const state = vismaState(running)
    const article = state.articles.find((entry: {Number: string}) => entry.Number === 'V-100')
    const price = article.NetPrice
    article.NetPrice = 'lots'
    try {
      const result = await runCommand(['trace', 'item', 'V-100', ...flags, '--json'], {env})
      const report = parseJson(result)
      const erp = report.hops.find((hop: {hop: string}) => hop.hop === 'erp')
      expect(erp.status).toBe('error')
      expect(erp.problem.kind).toBe('bad-response')
      expect(erp.problem.message).toContain('NetPrice')
      expect(report.hops.find((hop: {hop: string}) => hop.hop === 'cms').status).toBe('present')
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/)
    } finally {
      article.NetPrice = price
    }
  })

  it('lists every customer and article page by page ($page, $pagesize) for reconcile, under the same auth', async () => {
    const state = vismaState(running)
    const extra = Array.from({length: 430}, (_unused, index) => String(50_000 + index))
    for (const code of extra)
      vismaEAccountingEmulator.putCustomer(
        state,
        {
          addresses: [],
          blocked: false,
          customerCode: code,
          email: '',
          isPrivate: false,
          name: `Kund ${code}`,
          phone: '',
          priceListCode: '',
          salesRepCodes: [],
        },
        new Date().toISOString(),
      )
    const secrets = JSON.parse(await readFile(secretsPath, 'utf8'))
    const http = new HttpClient({timeouts: {totalMs: 20_000}})
    const saved: string[] = []
    const connector = new VismaEAccountingConnector(
      http,
      {
        clientId: state.clientId,
        clientSecret: state.clientSecret,
        refreshToken: secrets['viking.refreshToken'],
        tokenUrl: `${running.sandbox.installation('viking').services.erp?.url}/connect/token`,
        url: running.sandbox.installation('viking').services.erp?.url as string,
      },
      {saveSecret: async (_field: string, value: string) => saved.push(value) > 0, warn: () => {}},
    )
    const before = running.sandbox.requests('viking', 'erp').length
    try {
      const listing = connector.entities.customer.list()
      const codes: string[] = []
      for await (const record of listing.records) codes.push(record.customer.code)
      // 430 added, 6 seeded customers and the 8 of the seeded price scenarios.
      expect(codes).toHaveLength(444)
      expect(codes).toEqual(expect.arrayContaining(['40001', '40060', '50429']))
      const items: string[] = []
      for await (const record of connector.entities.item.list().records) items.push(record.item.code)
      expect(items.sort()).toEqual(['V-100', 'V-200'])
    } finally {
      await http.close()
      for (const code of extra) vismaEAccountingEmulator.removeCustomer(state, code)
      // The listing spent the stored refresh token: keep the test's profile on the new one.
      await writeFile(secretsPath, JSON.stringify({...secrets, 'viking.refreshToken': saved[0]}), {mode: 0o600})
    }
    const pages = running.sandbox
      .requests('viking', 'erp')
      .slice(before)
      .filter((request: {path: string}) => request.path === '/v2/customers')
      .map((request: {query: Record<string, string>}) => `${request.query.$page}/${request.query.$pagesize}`)
    expect(pages).toEqual(['1/200', '2/200', '3/200'])
  })

  it('profile add from flags (no terminal) writes a Visma eAccounting profile that works, run after run, as the refresh token rotates', async () => {
    const dir = await mkdtemp(join(home, 'added-'))
    const configPath = join(dir, 'config.json')
    const installation = running.sandbox.installation('viking')
    const state = vismaState(running)
    const secrets = JSON.parse(await readFile(secretsPath, 'utf8'))
    const first = secrets['viking.refreshToken']
    const added = await runCommand(
      [
        'profile',
        'add',
        'viking-prod',
        '--config',
        configPath,
        '--no-input',
        '--store-secrets',
        '--cms-url',
        installation.services.cms?.url as string,
        '--cms-token',
        installation.tokens.admin,
        '--app-url',
        installation.services.app?.url as string,
        '--app-token',
        installation.tokens.admin,
        '--webshop-url',
        installation.services.webshop?.url as string,
        '--webshop-token',
        installation.tokens.admin,
        '--erp',
        'visma-eaccounting',
        '--erp-url',
        installation.services.erp?.url as string,
        '--token-url',
        `${installation.services.erp?.url}/connect/token`,
        '--client-id',
        state.clientId,
        '--client-secret',
        state.clientSecret,
        '--refresh-token',
        first,
      ],
      {env},
    )
    expect(added.exitCode).toBe(0)
    const config = await readFile(configPath, 'utf8')
    expect(config).not.toContain(first)
    expect(JSON.parse(config).profiles['viking-prod'].erp).toMatchObject({
      clientId: 'synctrace-sandbox',
      system: 'visma-eaccounting',
    })
    const storedPath = join(dir, 'secrets.json')
    for (const round of [1, 2]) {
      const result = await runCommand(
        ['trace', 'customer', '40042', '--config', configPath, '--profile', 'viking-prod', '--json'],
        {env},
      )
      expect(parseJson(result).verdict.cause).toBe('erp-changed-after-sync')
      expect(result.stderr).not.toContain('Warning')
      const stored = Object.values(JSON.parse(await readFile(storedPath, 'utf8')) as Record<string, string>)
      // The spent token was replaced by the one Visma Connect issued, which is never printed.
      expect(stored).not.toContain(first)
      expect(stored).toContain(state.refreshToken)
      expect(result.stdout + result.stderr).not.toContain(state.refreshToken)
      expect(round).toBeGreaterThan(0)
    }
    expect(state.spentTokenReuses).toBe(0)
    await writeFile(secretsPath, JSON.stringify({...secrets, 'viking.refreshToken': state.refreshToken}), {mode: 0o600})
  })

  it('every run that cannot keep the rotated refresh token says so once, the second run in the same process too', async () => {
    const state = vismaState(running)
    const profile = structuredClone(describeSandbox(running.sandbox).config.profiles['sandbox-viking']) as any
    profile.erp.refreshToken = 'env:VIKING_REFRESH_TOKEN'
    const configPath = join(home, 'env-config-twice.json')
    await writeFile(configPath, JSON.stringify({profiles: {viking: profile}}), {mode: 0o600})
    const secrets = JSON.parse(await readFile(secretsPath, 'utf8'))
    for (const round of [1, 2]) {
      const result = await runCommand(
        ['trace', 'customer', '40001', '--config', configPath, '--profile', 'viking', '--no-cache'],
        {
          env: {...env, VIKING_REFRESH_TOKEN: state.refreshToken},
        },
      )
      expect(
        result.stderr.match(/Warning: Visma Connect replaced the eAccounting refresh token/g),
        `run ${round}`,
      ).toHaveLength(1)
    }
    await writeFile(secretsPath, JSON.stringify({...secrets, 'viking.refreshToken': state.refreshToken}), {mode: 0o600})
  })

  it('with the refresh token from the environment, the new one cannot be saved: one warning, without the value, saying what to do', async () => {
    const state = vismaState(running)
    const profile = structuredClone(describeSandbox(running.sandbox).config.profiles['sandbox-viking']) as any
    profile.erp.refreshToken = 'env:VIKING_REFRESH_TOKEN'
    const configPath = join(home, 'env-config.json')
    await writeFile(configPath, JSON.stringify({profiles: {viking: profile}}), {mode: 0o600})
    const old = state.refreshToken
    const result = await runCommand(
      ['trace', 'order', 'V-5002', '--config', configPath, '--profile', 'viking', '--json', '--no-cache'],
      {
        env: {...env, VIKING_REFRESH_TOKEN: old},
      },
    )
    expect(parseJson(result).verdict.cause).toBe('order-prerequisite-missing')
    expect(state.refreshToken).not.toBe(old)
    expect(result.stderr.match(/Warning: Visma Connect replaced the eAccounting refresh token/g)).toHaveLength(1)
    expect(result.stderr).toContain('--store-secrets')
    expect(result.stdout + result.stderr).not.toContain(state.refreshToken)
    expect(result.stdout + result.stderr).not.toContain(old)
    // The spent token is refused next time, as Visma Connect refuses it: an auth problem that says what to do.
    const again = await runCommand(
      ['trace', 'customer', '40001', '--config', configPath, '--profile', 'viking', '--json', '--no-cache'],
      {env: {...env, VIKING_REFRESH_TOKEN: old}},
    )
    const erp = parseJson(again).hops.find((hop: {hop: string}) => hop.hop === 'erp')
    expect(erp.problem.kind).toBe('auth')
    expect(erp.problem.message).toContain('invalid_grant')
    expect(erp.problem.message).toContain('--refresh-token')
    expect(state.spentTokenReuses).toBe(1)
  })
})
