import {describe, expect, it} from 'vitest'

import {resolveProfile as resolve} from '../../dist/config/profile.js'
import {storedSandboxConfig} from '../../dist/sandbox/describe.js'

/** The resolved profile, its `erp` section included (the built module's types leave it out). */
const resolveProfile = (name: string, raw: unknown, source: unknown) =>
  resolve(name, raw, source as never) as {erp?: Record<string, string>}

const services = {
  app: {token: 'env:APP_TOKEN', url: 'https://app.example'},
  cms: {token: 'env:CMS_TOKEN', url: 'https://cms.example'},
  webshop: {token: 'env:WEB_TOKEN', url: 'https://shop.example'},
}
const env = {
  APP_TOKEN: 'app-token-value-1',
  CMS_TOKEN: 'cms-token-value-1',
  REFRESH: 'refresh-token-from-env-1',
  WEB_TOKEN: 'web-token-value-1',
}
const eaccounting = (refreshToken: string) => ({
  ...services,
  erp: {clientId: 'client-1', clientSecret: 'env:APP_TOKEN', refreshToken, system: 'visma-eaccounting'},
})

describe('a rotating refresh token (Visma eAccounting) is never a literal in the config', () => {
  it('refuses a literal refresh token with one line of cause and the command that stores it properly', () => {
    let caught: {message: string; suggestion: string; exitCode: number} | undefined
    try {
      resolveProfile('shop', eaccounting('eyJhbGciOi.literal-refresh-token'), {
        env,
        stored: {},
        storedPath: '/home/a/.config/synctrace/secrets.json',
      })
    } catch (error) {
      caught = error as typeof caught
    }
    expect(caught?.message).toBe(
      'Profile "shop": erp.refreshToken holds the Visma eAccounting token itself, which the ERP replaces on its first use, so every later command would present a spent one.',
    )
    expect(`${caught?.message} ${caught?.suggestion}`).not.toContain('literal-refresh-token')
    expect(caught?.suggestion).toContain(
      'synctrace profile add shop --erp visma-eaccounting --refresh-token <token> --store-secrets',
    )
    expect(caught?.exitCode).toBe(2)
  })

  it('takes the token from the secrets file (secret:NAME) or the environment (env:NAME)', () => {
    const stored = resolveProfile('shop', eaccounting('secret:shop.refreshToken'), {
      env,
      stored: {'shop.refreshToken': 'stored-refresh-token-1'},
      storedPath: 'secrets.json',
    })
    expect(stored.erp?.refreshToken).toBe('stored-refresh-token-1')
    const fromEnv = resolveProfile('shop', eaccounting('env:REFRESH'), {env, stored: {}, storedPath: 'secrets.json'})
    expect(fromEnv.erp?.refreshToken).toBe('refresh-token-from-env-1')
  })

  it("the sandbox's written config keeps the refresh token in the secrets file, and leaves other ERPs' settings as they are", () => {
    const config = {
      defaultProfile: 'sandbox-viking',
      profiles: {
        'sandbox-acme': {...services, erp: {system: 'businesscentral', token: 'bc-token'}},
        'sandbox-viking': eaccounting('sbx-refresh-1'),
      },
    }
    const written = storedSandboxConfig(config)
    expect(written.secrets).toEqual({'sandbox-viking.refreshToken': 'sbx-refresh-1'})
    expect((written.config.profiles['sandbox-viking'] as {erp: {refreshToken: string}}).erp.refreshToken).toBe(
      'secret:sandbox-viking.refreshToken',
    )
    expect(written.config.profiles['sandbox-acme']).toEqual(config.profiles['sandbox-acme'])
  })
})

describe('ERP base URLs given with the path the API lives under', () => {
  const resolveErp = (erp: Record<string, unknown>) =>
    resolveProfile('p', {...services, erp}, {env, stored: {}, storedPath: 'secrets.json'}).erp as unknown as {
      url: string
    }
  it('NetSuite: …/services/rest is the same REST base as the host', () => {
    const erp = {
      accountId: '1234567_SB1',
      consumerKey: 'k',
      consumerSecret: 'env:APP_TOKEN',
      system: 'netsuite',
      tokenId: 't',
      tokenSecret: 'env:CMS_TOKEN',
    }
    expect(resolveErp({...erp, url: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/'}).url).toBe(
      'https://1234567-sb1.suitetalk.api.netsuite.com',
    )
  })
  it('Visma.net: …/v1 and Visma eAccounting: …/v2 are the same base as the host', () => {
    expect(resolveErp({system: 'visma-net', token: 'env:APP_TOKEN', url: 'https://api.finance.visma.net/v1'}).url).toBe(
      'https://api.finance.visma.net',
    )
    expect(
      resolveErp({
        clientId: 'c',
        clientSecret: 'env:APP_TOKEN',
        refreshToken: 'env:REFRESH',
        system: 'visma-eaccounting',
        url: 'https://eaccountingapi.vismaonline.com/v2/',
      }).url,
    ).toBe('https://eaccountingapi.vismaonline.com')
  })
})
