import {afterEach, describe, expect, it} from 'vitest'

import {NetSuiteConnector} from '../../src/connectors/netsuite/connector.js'
import {SlidingWindowLimiter} from '../../src/connectors/rate-limit.js'
import {VismaEAccountingConnector} from '../../src/connectors/visma-eaccounting/connector.js'
import {HttpClient} from '../../src/http/client.js'
import {RequestProblem} from '../../src/http/problem.js'
import {type ScriptedAnswer, startScriptedServer} from '../helpers/hostile-http.js'

/**
 * ERP servers on loopback that ask synctrace to wait, claim endless pages or hand out hostile refresh
 * tokens: every wait ends within --timeout or at Ctrl-C, and a token is checked before it is kept.
 */
const servers: Array<{close(): Promise<void>}> = []
const clients: HttpClient[] = []
afterEach(async () => {
  await Promise.all([
    ...servers.splice(0).map((server) => server.close()),
    ...clients.splice(0).map((client) => client.close()),
  ])
})

async function server(answer: (request: {method: string; url: string; body: string}) => ScriptedAnswer) {
  const started = await startScriptedServer(answer)
  servers.push(started)
  return started
}

function client(timeoutMs: number, signal?: AbortSignal, debug?: (line: string) => void): HttpClient {
  const http = new HttpClient({
    deadlineAt: Date.now() + timeoutMs,
    debug,
    maxRetries: 3,
    signal,
    timeouts: {totalMs: timeoutMs},
  })
  clients.push(http)
  return http
}

function netsuite(http: HttpClient, url: string): NetSuiteConnector {
  const auth = {
    consumerKey: 'consumer-key-1',
    consumerSecret: 'consumer-secret-1',
    kind: 'tba' as const,
    tokenId: 'token-id-1',
    tokenSecret: 'token-secret-1',
  }
  return new NetSuiteConnector(http, {
    accountId: '1234567',
    auth: {...auth, accountId: '1234567'},
    basePriceLevel: 'Base Price',
    concurrency: 2,
    url,
  })
}

async function failure(promise: Promise<unknown>): Promise<RequestProblem> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(RequestProblem)
  return error as RequestProblem
}

describe('every wait obeys the deadline', () => {
  it.each([
    ['429 with Retry-After: 999999', 429, () => '999999', /asks to wait 999999 s, beyond the timeout \(8 s\)/],
    [
      '503 with an HTTP-date four weeks ahead (past what a Node timer holds)',
      503,
      () => new Date(Date.now() + 28 * 86_400_000).toUTCString(),
      /asks to wait \d{7} s, beyond the timeout/,
    ],
    [
      '429 with a Retry-After of 400 digits',
      429,
      () => '9'.repeat(400),
      /asks to wait more than a year, beyond the timeout/,
    ],
  ])('NetSuite gives up at once, after one request, on a %s', async (_label, status, retryAfter, message) => {
    const erp = await server(() => ({body: {title: 'busy'}, headers: {'retry-after': retryAfter()}, status}))
    const problem = await failure(netsuite(client(8000), erp.origin).entities.customer.find('10042'))
    expect(problem.problem.message).toMatch(message)
    expect(problem.problem.httpStatus).toBe(status)
    expect(erp.requests).toHaveLength(1)
  })

  it("Ctrl-C ends NetSuite's wait for a Retry-After within the timeout", async () => {
    const controller = new AbortController()
    const erp = await server(() => ({body: {}, headers: {'retry-after': '15'}, status: 429}))
    // Ctrl-C once the 429 is read, while the connector waits.
    const interruptAfter429 = (line: string) =>
      line.includes('→ 429') && setImmediate(() => controller.abort(new Error('interrupted')))
    await expect(
      netsuite(client(20_000, controller.signal, interruptAfter429), erp.origin).entities.customer.find('10042'),
    ).rejects.toThrow('interrupted')
    expect(erp.requests).toHaveLength(1)
  }, 5000)

  it('the sliding-window limiter refuses at once a turn that would come after the deadline, and Ctrl-C ends its wait', async () => {
    const limiter = new SlidingWindowLimiter(1, 60_000)
    await limiter.acquire({deadlineAt: Date.now() + 1000, timeoutMs: 1000}, 'Visma eAccounting')
    const refused = await failure(
      limiter.acquire({deadlineAt: Date.now() + 1000, timeoutMs: 1000}, 'Visma eAccounting'),
    )
    expect(refused.problem).toMatchObject({
      kind: 'rate-limited',
      message: expect.stringMatching(
        /^Visma eAccounting's rate limit \(1 requests per 60 s\) asks to wait 6[01] s, beyond the timeout \(1 s\)$/,
      ),
    })
    const controller = new AbortController()
    const waiting = limiter.acquire(
      {deadlineAt: Date.now() + 120_000, signal: controller.signal, timeoutMs: 120_000},
      'Visma eAccounting',
    )
    controller.abort(new Error('interrupted'))
    await expect(waiting).rejects.toThrow('interrupted')
  }, 5000)
})

const token = (refreshToken: string) => ({
  access_token: 'access-token-Hx81',
  expires_in: 3600,
  refresh_token: refreshToken,
  token_type: 'bearer',
})
const customerPage = (pages: number) => ({
  Data: [{CustomerNumber: 'other-1', IsActive: true, Name: 'Other AB'}],
  Meta: {CurrentPage: 1, TotalNumberOfPages: pages},
})

function eaccounting(
  origin: string,
  http: HttpClient,
  session: {saveSecret(field: string, value: string): Promise<boolean>; warn(message: string): void},
) {
  const settings = {
    clientId: 'client-1',
    clientSecret: 'client-secret-Qv7',
    refreshToken: 'old-refresh-token-Z3',
    tokenUrl: `${origin}/connect/token`,
    url: origin,
  }
  return new VismaEAccountingConnector(http, settings, session)
}

describe('a key lookup in Visma eAccounting reads a bounded number of pages', () => {
  it('stops with the hop error when the first page claims 10,000 pages, without reading on', async () => {
    const erp = await server((request) =>
      request.url.startsWith('/connect/token') ? {body: token('old-refresh-token-Z3')} : {body: customerPage(10_000)},
    )
    const session = {saveSecret: async () => true, warn: () => undefined}
    const problem = await failure(eaccounting(erp.origin, client(8000), session).entities.customer.find('10042'))
    expect(problem.problem).toMatchObject({
      kind: 'bad-response',
      message: 'Visma eAccounting: the customers lookup claims 10000 pages; a lookup by key reads at most 10',
    })
    expect(erp.requests.filter((request) => request.url.startsWith('/v2/'))).toHaveLength(1)
  }, 20_000)
})

describe('a rotated refresh token is checked before it replaces the old one', () => {
  it.each([
    ['15 MiB long', 'r'.repeat(15 * 1024 * 1024)],
    ['holding ESC and an OSC 52 clipboard write', 'rt-\u001B]52;c;ZXZpbA==\u0007'],
    ['holding NUL', 'rt-\u0000-1234567'],
    ['holding CR and LF', 'rt-1234\r\nX-Injected: 1'],
  ])(
    'refuses one %s: the old one is kept, one warning says so',
    async (_label, rotated) => {
      const erp = await server((request) =>
        request.url.startsWith('/connect/token') ? {body: token(rotated)} : {body: customerPage(1)},
      )
      const saved: string[] = []
      const warnings: string[] = []
      const session = {
        saveSecret: async (_field: string, value: string) => saved.push(value) > 0,
        warn: (message: string) => warnings.push(message),
      }
      expect(await eaccounting(erp.origin, client(8000), session).entities.customer.find('10042')).toBeNull()
      expect(saved).toEqual([])
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(
        /^Visma Connect answered a new eAccounting refresh token that was refused \(.+\); the stored one was kept/,
      )
      expect(warnings[0]).not.toContain(rotated.slice(0, 6))
    },
    20_000,
  )

  it('stores a well-formed one, and says truthfully when saving it failed', async () => {
    const erp = await server((request) =>
      request.url.startsWith('/connect/token') ? {body: token('new-refresh-token-8Kq')} : {body: customerPage(1)},
    )
    const warnings: string[] = []
    const failing = {
      saveSecret: () => Promise.reject(new Error('EACCES: permission denied')),
      warn: (message: string) => warnings.push(message),
    }
    await eaccounting(erp.origin, client(8000), failing).entities.customer.find('10042')
    expect(warnings).toEqual([
      expect.stringContaining('saving the new one to the secrets file failed (EACCES: permission denied)'),
    ])
    const saved: string[] = []
    await eaccounting(erp.origin, client(8000), {
      saveSecret: async (_field, value) => saved.push(value) > 0,
      warn: () => undefined,
    }).entities.customer.find('10042')
    expect(saved).toEqual(['new-refresh-token-8Kq'])
  })
})
