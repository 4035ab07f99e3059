import {afterAll, describe, expect, it} from 'vitest'

import {VismaEAccountingConnector} from '../../src/connectors/visma-eaccounting/connector.js'
import {HttpClient} from '../../src/http/client.js'
import {cleanOutput} from '../../src/util/output.js'
import {startScriptedServer} from '../helpers/hostile-http.js'

/**
 * A token endpoint on loopback that hands out tokens made to corrupt output once they are redacted: the
 * secrets registry is per process, so this file has it to itself.
 */
describe('redaction never corrupts output', () => {
  const closing: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const close of closing) await close()
  })

  async function logInWith(accessToken: string, refreshToken: string): Promise<void> {
    const erp = await startScriptedServer((request) =>
      request.url.startsWith('/connect/token')
        ? {body: {access_token: accessToken, expires_in: 3600, refresh_token: refreshToken}}
        : {body: {Data: [], Meta: {CurrentPage: 1, TotalNumberOfPages: 1}}},
    )
    const http = new HttpClient({timeouts: {totalMs: 5000}})
    closing.push(
      () => http.close(),
      () => erp.close(),
    )
    const settings = {
      clientId: 'client-1',
      clientSecret: 'client-secret-Qv7',
      refreshToken: 'old-refresh-token-Z3',
      tokenUrl: `${erp.origin}/connect/token`,
      url: erp.origin,
    }
    await new VismaEAccountingConnector(http, settings, {
      saveSecret: async () => true,
      warn: () => undefined,
    }).entities.customer.find('10042')
  }

  const report = {
    command: 'synctrace trace customer 10042',
    note: 'seen: ","note":" here',
    customer: {name: 'Nordic Tools AB'},
  }

  it('does not take an access token `": "` or a refresh token `Nord` for secrets: JSON stays JSON, names stay whole', async () => {
    await logInWith('": "', 'Nord')
    const json = cleanOutput(JSON.stringify(report, null, 2), {format: 'json'})
    expect(JSON.parse(json)).toEqual(report)
    expect(cleanOutput('Customer: Nordic Tools AB\n', {format: 'terminal'})).toBe('Customer: Nordic Tools AB\n')
    expect(cleanOutput('| name | Nordic Tools AB |\n', {format: 'markdown'})).toBe('| name | Nordic Tools AB |\n')
  })

  it('redacts a token that spans JSON punctuation inside string values only: the output is still the same JSON but the secret', async () => {
    await logInWith('","note":"', 'new-refresh-token-8Kq')
    // The note right after a string value: the token's text then also spans the serialized punctuation.
    const json = cleanOutput(JSON.stringify(report, ['command', 'note', 'customer', 'name']), {format: 'json'})
    expect(json).toContain('"synctrace trace customer 10042","note":"')
    expect(JSON.parse(json)).toEqual({...report, note: 'seen: *** here'})
    expect(cleanOutput(JSON.stringify({token: 'new-refresh-token-8Kq'}), {format: 'json'})).toBe('{"token":"***"}')
  })
})
