import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** The seeded customers of the sandbox installation acme and the verdict a senior agent would give. */
const scenarios = [
  {
    code: '10001',
    exitCode: 0,
    cause: 'consistent',
    brokenLink: null,
    action: 'none',
    command: null,
    statuses: {erp: 'present', cms: 'present', app: 'present', webshop: 'present'},
  },
  {
    code: '10042',
    exitCode: 3,
    cause: 'erp-changed-after-sync',
    brokenLink: {from: 'erp', to: 'cms'},
    action: 'targeted-sync',
    command: 'synctrace sync customer 10042',
    statuses: {cms: 'stale'},
  },
  {
    code: '10050',
    exitCode: 3,
    cause: 'created-after-sync',
    brokenLink: {from: 'erp', to: 'cms'},
    action: 'targeted-sync',
    command: 'synctrace sync customer 10050',
    statuses: {erp: 'present', cms: 'missing'},
  },
  {
    code: '10060',
    exitCode: 3,
    cause: 'excluded-by-filter',
    brokenLink: {from: 'erp', to: 'cms'},
    action: 'change-filter-or-erp-flag',
    command: null,
    statuses: {cms: 'excluded'},
  },
  {
    code: '10070',
    exitCode: 3,
    cause: 'device-not-refreshed',
    brokenLink: {from: 'cms', to: 'app'},
    action: 'app-full-refresh',
    command: 'synctrace refresh app --user u-17',
    statuses: {cms: 'present', app: 'stale'},
  },
  {
    code: '10080',
    user: 'u-17',
    exitCode: 3,
    cause: 'not-assigned-to-user',
    brokenLink: {from: 'cms', to: 'app'},
    action: 'change-assignment-in-erp',
    command: null,
    statuses: {app: 'not-visible'},
  },
  {
    code: '10090',
    exitCode: 3,
    cause: 'not-published-to-webshop',
    brokenLink: {from: 'cms', to: 'webshop'},
    action: 'webshop-republish',
    command: 'synctrace refresh webshop customer 10090',
    statuses: {app: 'present', webshop: 'missing'},
  },
  {
    code: '10099',
    exitCode: 3,
    cause: 'not-in-erp',
    brokenLink: {from: null, to: 'erp'},
    action: 'check-key',
    command: null,
    statuses: {erp: 'missing', cms: 'missing'},
  },
] as const

describe('trace customer against the sandbox installation acme', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox()
  })
  afterAll(async () => {
    await running.stop()
  })

  for (const scenario of scenarios) {
    const userArgs = 'user' in scenario ? ['--user', scenario.user] : []
    describe(`customer ${scenario.code}${'user' in scenario ? ` for ${scenario.user}` : ''}`, () => {
      it(`gives the verdict ${scenario.cause} and the action ${scenario.action} in JSON, with exit code ${scenario.exitCode}`, async () => {
        const result = await runCommand(['trace', 'customer', scenario.code, ...userArgs, ...running.flags(), '--json'])
        const report = parseJson(result)
        expect(result.exitCode).toBe(scenario.exitCode)
        expect(report.entity).toBe('customer')
        expect(report.key).toBe(scenario.code)
        expect(report.installation.id).toBe('acme')
        expect(report.verdict.cause).toBe(scenario.cause)
        expect(report.verdict.ok).toBe(scenario.exitCode === 0)
        expect(report.verdict.brokenLink).toEqual(scenario.brokenLink)
        expect(report.verdict.complete).toBe(true)
        expect(report.action.kind).toBe(scenario.action)
        if (scenario.command) expect(report.action.command).toContain(scenario.command)
        else expect(report.action.command).toBeNull()
        const statusOf = Object.fromEntries(
          report.hops.map((hop: {hop: string; status: string}) => [hop.hop, hop.status]),
        )
        expect(statusOf).toMatchObject(scenario.statuses)
        expect(report.hops.map((hop: {hop: string}) => hop.hop)).toEqual(['erp', 'cms', 'app', 'webshop'])
      })

      it('gives the same verdict in the Markdown for a ticket', async () => {
        const result = await runCommand([
          'trace',
          'customer',
          scenario.code,
          ...userArgs,
          ...running.flags(),
          '--format',
          'markdown',
        ])
        expect(result.exitCode).toBe(scenario.exitCode)
        expect(result.stdout).toMatch(/^### synctrace: customer `/)
        expect(result.stdout).toContain('| Hop | Status | Details |')
        expect(result.stdout).toContain(`cause \`${scenario.cause}\``)
        expect(result.stdout).toContain(`(\`${scenario.action}\``)
        if (scenario.command) expect(result.stdout).toContain(`\`\`\`sh\n${scenario.command}`)
        expect(result.stdout).toMatch(
          /_Checked \d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\) Europe\/Stockholm with synctrace \d+\.\d+\.\d+/,
        )
      })

      it('gives the same verdict in the terminal view', async () => {
        const result = await runCommand(['trace', 'customer', scenario.code, ...userArgs, ...running.flags()])
        expect(result.exitCode).toBe(scenario.exitCode)
        expect(result.stdout).toContain(`Customer ${scenario.code}`)
        expect(result.stdout).toMatch(scenario.exitCode === 0 ? /Verdict {2}✔ consistent everywhere/ : /Verdict {2}✘ /)
        expect(result.stdout).toContain(`kind ${scenario.action}`)
        if (scenario.command) expect(result.stdout).toContain(`$ ${scenario.command}`)
        // No colour without a TTY: no escape sequences at all.
        expect(result.stdout).not.toContain('\u001B[')
      })
    })
  }

  it('shows the changed delivery address of 10042 field by field, ERP value against CMS value', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json']))
    const cms = report.hops.find((hop: {hop: string}) => hop.hop === 'cms')
    expect(cms.comparedWith).toBe('erp')
    expect(cms.diff).toEqual([
      {downstream: 'Lagervägen 4', field: 'addresses.Delivery.addressLine1', upstream: 'Industrivägen 12'},
      {downstream: '123 45', field: 'addresses.Delivery.postCode', upstream: '123 47'},
    ])
    const evidenceNames = report.verdict.evidence.map((entry: {name: string}) => entry.name)
    expect(evidenceNames).toEqual(expect.arrayContaining(['erpModifiedAt', 'lastCustomerSync', 'cmsSyncedAt']))
    const erpModified = Date.parse(
      report.verdict.evidence.find((entry: {name: string}) => entry.name === 'erpModifiedAt').at,
    )
    const lastSync = Date.parse(
      report.verdict.evidence.find((entry: {name: string}) => entry.name === 'lastCustomerSync').at,
    )
    expect(erpModified).toBeGreaterThan(lastSync)
  })

  it('treats a phone, e-mail and post code that differ only in form as equal (10001)', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '10001', ...running.flags(), '--json']))
    const erp = report.hops.find((hop: {hop: string}) => hop.hop === 'erp')
    expect(erp.record.phone).toBe('08-555 010 20')
    expect(erp.record.email).toBe('Info@SthlmHardware.example')
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'cms').diff).toEqual([])
  })

  it("checks the users of the customer's sales reps when no --user is given (10080: SR9 → u-21)", async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '10080', ...running.flags(), '--json']))
    const app = report.hops.find((hop: {hop: string}) => hop.hop === 'app')
    expect(app.users.map((user: {userId: string}) => user.userId)).toEqual(['u-21'])
    expect(app.status).toBe('present')
  })

  it('asks every hop what the contract says, and the ERP with a proper OData filter', async () => {
    const before = running.sandbox.requests('acme').length
    await runCommand(['trace', 'customer', '10042', ...running.flags(), '--json', '--no-cache'])
    const requests = running.sandbox.requests('acme').slice(before)
    const asked = requests.map(
      (request: {service: string; method: string; path: string}) =>
        `${request.service} ${request.method} ${request.path}`,
    )
    expect(asked).toEqual(
      expect.arrayContaining([
        'erp POST /acme-tenant/oauth2/v2.0/token',
        'erp GET /v2.0/acme-tenant/Production/api/v2.0/companies(6f0a1c3e-5d2b-4e8a-9c71-2b8f4d6a1e90)/customers',
        'erp GET /v2.0/acme-tenant/Production/api/OptimizersBV/App4Sales/v1.0/companies(6f0a1c3e-5d2b-4e8a-9c71-2b8f4d6a1e90)/shipToAddresses',
        'cms GET /api/v1/installation',
        'cms GET /api/v1/customers/10042',
        'cms GET /api/v1/sync/runs',
        'cms GET /api/v1/sync/records',
        'app GET /app/v1/customers/10042',
        'app GET /app/v1/users',
        'app GET /app/v1/users/u-17/devices',
        'webshop GET /webshop/v1/customers/10042',
      ]),
    )
    const customerLookup = requests.find(
      (request: {path: string}) => request.path.endsWith('/customers') && request.path.includes('/v2.0/'),
    )
    expect(customerLookup.query.$filter).toBe("number eq '10042'")
    expect(requests.find((request: {path: string}) => request.path === '/app/v1/users').query).toEqual({
      salesRepCode: 'SR7',
    })
  })

  it("finds O'Brien in Business Central through an escaped OData literal, not the decoy customer O", async () => {
    const before = running.sandbox.requests('acme', 'erp').length
    const result = await runCommand(['trace', 'customer', "O'Brien", ...running.flags(), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(0)
    expect(report.hops[0].record.name).toBe("O'Brien Trading Ltd")
    const filters = running.sandbox
      .requests('acme', 'erp')
      .slice(before)
      .map((request: {query: Record<string, string>}) => request.query.$filter)
      .filter(Boolean)
    expect(filters).toContain("number eq 'O''Brien'")
    // The CMS, app and webshop get the key as one percent-encoded path segment.
    expect(running.sandbox.requests('acme', 'cms').map((request: {path: string}) => request.path)).toContain(
      '/api/v1/customers/O%27Brien',
    )
  })

  it('cannot be tricked by a key that looks like an OData expression', async () => {
    const result = await runCommand(['trace', 'customer', "x' or number eq '10001", ...running.flags(), '--json'])
    const report = parseJson(result)
    expect(report.verdict.cause).toBe('not-in-erp')
    expect(report.hops[0].status).toBe('missing')
  })

  it('takes keys with slashes, percent signs and unicode as one path segment', async () => {
    const before = running.sandbox.requests('acme', 'webshop').length
    const result = await runCommand(['trace', 'customer', 'A/B%20Ö', ...running.flags(), '--json'])
    expect(result.exitCode).toBe(3)
    expect(parseJson(result).verdict.cause).toBe('not-in-erp')
    const paths = running.sandbox
      .requests('acme', 'webshop')
      .slice(before)
      .map((request: {path: string}) => request.path)
    expect(paths).toEqual(['/webshop/v1/customers/A%2FB%2520%C3%96'])
  })

  it('traces N-5001, created in the app, outbound: app → CMS → ERP, not yet in the ERP', async () => {
    const result = await runCommand(['trace', 'customer', 'N-5001', ...running.flags(), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report).toMatchObject({chain: ['app', 'cms', 'erp'], direction: 'outbound'})
    expect(report.verdict).toMatchObject({brokenLink: {from: 'cms', to: 'erp'}, cause: 'new-customer-not-in-erp'})
    expect(report.hops.map((hop: {hop: string; status: string}) => `${hop.hop}:${hop.status}`)).toEqual([
      'app:present',
      'cms:present',
      'erp:missing',
    ])
    const markdown = await runCommand(['trace', 'customer', 'N-5001', ...running.flags(), '--format', 'markdown'])
    expect(markdown.stdout).toContain('**Chain:** App ✔ present → CMS ✔ present → ERP ✘ missing')
  })

  it('traces N-5002, created on a device and never uploaded: the break is at the device, nothing to sync', async () => {
    const result = await runCommand(['trace', 'customer', 'N-5002', ...running.flags(), '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report).toMatchObject({chain: ['app', 'cms', 'erp'], direction: 'outbound'})
    expect(report.verdict).toMatchObject({brokenLink: {from: 'app', to: 'cms'}, cause: 'customer-not-uploaded'})
    expect(report.verdict.summary).toContain("Erik Lund (u-17)'s iPad (d-3)")
    expect(report.action).toMatchObject({automatable: false, kind: 'rep-opens-app-online', owner: 'sales-rep'})
  })

  it('runs the sandbox itself with --sandbox, and the suggested command points at it', async () => {
    const result = await runCommand(['trace', 'customer', '10042', '--sandbox', '--json'])
    const report = parseJson(result)
    expect(result.exitCode).toBe(3)
    expect(report.profile).toBe('sandbox-acme')
    expect(report.action.command).toBe('synctrace sync customer 10042 --sandbox')
  })
})
