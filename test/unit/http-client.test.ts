import {MockAgent} from 'undici'
import {describe, expect, it} from 'vitest'

import {HttpClient, parseRetryAfter} from '../../src/http/client.js'
import {RequestProblem} from '../../src/http/problem.js'
import {redactSecrets, redactUrl, registerSecret} from '../../src/http/redact.js'

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    const now = Date.parse('2026-11-22T10:00:00Z')
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})

describe('what a hop answered instead of JSON', () => {
  it('calls an HTML error page a bad response, with the status, never a missing record', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent
      .get('http://cms.test')
      .intercept({method: 'GET', path: '/api/v1/customers/1'})
      .reply(200, '<html><body>Login</body></html>', {headers: {'content-type': 'text/html'}})
    const client = new HttpClient({dispatcher: agent, maxRetries: 0})
    const failure = await client
      .requestJson({url: 'http://cms.test/api/v1/customers/1'})
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(RequestProblem)
    expect((failure as RequestProblem).problem).toEqual({
      httpStatus: 200,
      kind: 'bad-response',
      message: 'cms.test: answered HTTP 200 with an HTML page instead of JSON',
    })
    await agent.close()
  })

  it('refuses a body larger than the cap instead of exhausting memory', async () => {
    const agent = new MockAgent()
    agent.disableNetConnect()
    agent
      .get('http://big.test')
      .intercept({method: 'GET', path: '/'})
      .reply(200, 'x'.repeat(2 * 1024 * 1024))
    const client = new HttpClient({dispatcher: agent, maxBodyBytes: 1024 * 1024, maxRetries: 0})
    const failure = (await client
      .requestJson({url: 'http://big.test/'})
      .catch((error: unknown) => error)) as RequestProblem
    expect(failure.problem.kind).toBe('bad-response')
    expect(failure.problem.message).toContain('exceeded 1 MiB')
    await agent.close()
  })
})

describe('secrets in log lines', () => {
  it('removes registered secrets and secret-looking URL parts', () => {
    registerSecret('canary-secret-123')
    expect(redactSecrets('token canary-secret-123 leaked')).toBe('token *** leaked')
    expect(redactUrl('https://user:pw@host.test/x?access_token=abc&q=1')).toBe(
      'https://***@host.test/x?access_token=***&q=1',
    )
  })
})
