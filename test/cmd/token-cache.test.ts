import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {describeSandbox} from '../../dist/sandbox/describe.js'
import {type CommandResult, runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** The Business Central emulator's token bookkeeping: the tokens it issued, the token requests it answered. */
function bcTokens(running: RunningSandbox): {issued: Set<string>; requests: number} {
  const state = (running.sandbox.installation('acme').state.erp as {state: any}).state
  state.tokens ??= {issued: new Set(), requests: 0}
  return state.tokens
}

/** Every access token the cache file holds, by profile. */
async function keptTokens(path: string): Promise<Record<string, string[]>> {
  const text = await readFile(path, 'utf8').catch(() => null)
  if (text === null) return {}
  const cache = JSON.parse(text) as Record<string, Record<string, {accessToken: string}>>
  return Object.fromEntries(
    Object.entries(cache).map(([profile, entries]) => [profile, Object.values(entries).map((e) => e.accessToken)]),
  )
}

describe('OAuth access tokens kept between runs (Business Central, acme)', () => {
  let running: RunningSandbox
  let home: string
  let configPath: string
  let tokensPath: string
  const outputs: CommandResult[] = []
  const trace = async (profile: string, ...extra: string[]): Promise<CommandResult> => {
    const result = await runCommand([
      'trace',
      'customer',
      '10001',
      '--config',
      configPath,
      '--profile',
      profile,
      ...extra,
    ])
    outputs.push(result)
    return result
  }

  beforeAll(async () => {
    running = await startTestSandbox(['acme'])
  })
  afterEach(async () => {
    await rm(home, {force: true, recursive: true})
  })
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'synctrace-tokens-'))
    configPath = join(home, 'config.json')
    tokensPath = join(home, 'tokens.json')
    const profile = structuredClone(describeSandbox(running.sandbox).config.profiles['sandbox-acme']) as any
    const other = structuredClone(profile)
    other.erp.clientId = 'b2d4f6a8-acme-other-client'
    await writeFile(
      configPath,
      JSON.stringify({profiles: {'acme-a': profile, 'acme-b': profile, 'acme-other': other}}),
      {mode: 0o600},
    )
  })
  afterAll(async () => {
    await running.stop()
  })

  it('asks the token endpoint once for two traces in a row, keeping the token in a 0600 file', async () => {
    const before = bcTokens(running).requests
    expect((await trace('acme-a')).exitCode).toBe(0)
    expect((await trace('acme-a', '--json')).exitCode).toBe(0)
    expect(bcTokens(running).requests - before).toBe(1)
    expect((await stat(tokensPath)).mode & 0o777).toBe(0o600)
    expect((await keptTokens(tokensPath))['acme-a']).toHaveLength(1)
  })

  it('does not use a kept token within five minutes of its expiry, and asks for a new one', async () => {
    await trace('acme-a')
    const setExpiry = async (msFromNow: number) => {
      const cache = JSON.parse(await readFile(tokensPath, 'utf8'))
      for (const entry of Object.values(cache['acme-a']) as Array<{expiresAt: string}>)
        entry.expiresAt = new Date(Date.now() + msFromNow).toISOString()
      await writeFile(tokensPath, JSON.stringify(cache), {mode: 0o600})
    }
    await setExpiry(20 * 60_000)
    const before = bcTokens(running).requests
    await trace('acme-a')
    expect(bcTokens(running).requests - before).toBe(0)
    await setExpiry(4 * 60_000)
    await trace('acme-a')
    expect(bcTokens(running).requests - before).toBe(1)
  })

  it('with --no-cache asks every time and writes nothing', async () => {
    const before = bcTokens(running).requests
    expect((await trace('acme-a', '--no-cache')).exitCode).toBe(0)
    expect((await trace('acme-a', '--no-cache')).exitCode).toBe(0)
    expect(bcTokens(running).requests - before).toBe(2)
    await expect(stat(tokensPath)).rejects.toThrow(/ENOENT/)
    // Neither read: a kept token is not used under --no-cache.
    await trace('acme-a')
    const kept = bcTokens(running).requests
    await trace('acme-a', '--no-cache')
    expect(bcTokens(running).requests - kept).toBe(1)
  })

  it('drops a revoked token on its 401, asks once for a new one, and the trace succeeds and keeps the new one', async () => {
    await trace('acme-a')
    const [revoked] = (await keptTokens(tokensPath))['acme-a'] ?? []
    bcTokens(running).issued.clear()
    const before = bcTokens(running).requests
    const result = await trace('acme-a', '--debug')
    expect(result.exitCode).toBe(0)
    // Each request in flight with the revoked token is refused once, then answered with the one new token.
    const refused = [...result.stderr.matchAll(/GET (\S+) → 401/g)].map((match) => match[1])
    expect(refused.length).toBeGreaterThanOrEqual(1)
    expect(new Set(refused).size).toBe(refused.length)
    for (const url of refused) expect(result.stderr).toContain(`GET ${url} → 200`)
    expect(result.stderr.match(/POST \S+\/oauth2\/v2\.0\/token → 200/g)).toHaveLength(1)
    expect(bcTokens(running).requests - before).toBe(1)
    const [renewed] = (await keptTokens(tokensPath))['acme-a'] ?? []
    expect(renewed).toBeDefined()
    expect(renewed).not.toBe(revoked)
    await trace('acme-a')
    expect(bcTokens(running).requests - before).toBe(1)
  })

  it("never hands one profile's token to another: another name, or another client id, asks for its own", async () => {
    const tokens = bcTokens(running)
    const before = tokens.requests
    await trace('acme-a')
    await trace('acme-b')
    expect(tokens.requests - before).toBe(2)
    await trace('acme-b')
    expect(tokens.requests - before).toBe(2)
    // The other client id is refused by this tenant: with acme-a's token it would have been read.
    const state = (running.sandbox.installation('acme').state.erp as {state: any}).state
    const other = await trace('acme-other', '--json')
    expect(tokens.requests - before).toBe(3)
    expect(JSON.parse(other.stdout).hops.find((hop: {hop: string}) => hop.hop === 'erp')).toMatchObject({
      status: 'error',
    })
    const clientId = state.clientId
    state.clientId = 'b2d4f6a8-acme-other-client'
    try {
      expect((await trace('acme-other')).exitCode).toBe(0)
      expect((await trace('acme-other')).exitCode).toBe(0)
    } finally {
      state.clientId = clientId
    }
    expect(tokens.requests - before).toBe(4)
    const kept = await keptTokens(tokensPath)
    expect(kept['acme-other']?.[0]).not.toBe(kept['acme-a']?.[0])
    expect(new Set([kept['acme-a']?.[0], kept['acme-b']?.[0], kept['acme-other']?.[0]]).size).toBe(3)
  })

  it('profile remove removes its tokens and leaves the other profiles’', async () => {
    await trace('acme-a')
    await trace('acme-b')
    expect(Object.keys(await keptTokens(tokensPath)).sort()).toEqual(['acme-a', 'acme-b'])
    const removed = await runCommand(['profile', 'remove', 'acme-a', '--config', configPath])
    expect(removed.exitCode).toBe(0)
    expect(Object.keys(await keptTokens(tokensPath))).toEqual(['acme-b'])
    expect((await stat(tokensPath)).mode & 0o777).toBe(0o600)
  })

  it('never prints a token, kept or issued, in any output (--debug, --json, Markdown included)', async () => {
    await trace('acme-a', '--debug')
    await trace('acme-a', '--debug', '--json')
    await trace('acme-a', '--format', 'markdown', '--debug')
    await runCommand(['profile', 'show', 'acme-a', '--config', configPath])
    const kept = Object.values(await keptTokens(tokensPath)).flat()
    expect(kept.length).toBeGreaterThan(0)
    const secrets = [...kept, ...bcTokens(running).issued]
    for (const result of outputs)
      for (const secret of secrets) {
        expect(result.stdout).not.toContain(secret)
        expect(result.stderr).not.toContain(secret)
      }
  })
})

/** A config whose profile keeps its ERP secrets in secrets.json beside it, as `profile add --store-secrets` does. */
async function storedConfig(running: RunningSandbox, installation: string, dir: string): Promise<string> {
  const name = `sandbox-${installation}`
  const profile = structuredClone(describeSandbox(running.sandbox).config.profiles[name]) as any
  const erpState = (running.sandbox.installation(installation).state.erp as {state: any}).state
  const secrets: Record<string, string> = {[`${name}.clientSecret`]: profile.erp.clientSecret}
  profile.erp.clientSecret = `secret:${name}.clientSecret`
  if (profile.erp.refreshToken) {
    secrets[`${name}.refreshToken`] = erpState.refreshToken
    profile.erp.refreshToken = `secret:${name}.refreshToken`
  }
  const configPath = join(dir, 'config.json')
  await writeFile(configPath, JSON.stringify({profiles: {[name]: profile}}), {mode: 0o600})
  await writeFile(join(dir, 'secrets.json'), JSON.stringify(secrets), {mode: 0o600})
  return configPath
}

const visma = [
  {
    erp: 'Visma.net',
    installation: 'vnet',
    revoke: (state: any) => state.tokens.splice(0),
    tokens: (state: any): string[] => state.tokens,
  },
  {
    erp: 'Visma eAccounting',
    installation: 'viking',
    revoke: (state: any) => state.accessTokens.clear(),
    tokens: (state: any): string[] => [...state.accessTokens],
  },
]
for (const erp of visma)
  describe(`OAuth access tokens kept between runs (${erp.erp}, ${erp.installation})`, () => {
    let running: RunningSandbox
    let home: string
    let configPath: string
    /** Every access token the emulator issued, revoked ones included: one per token request. */
    const issued = new Set<string>()
    const state = () => (running.sandbox.installation(erp.installation).state.erp as {state: any}).state
    const count = () => {
      for (const token of erp.tokens(state())) issued.add(token)
      return issued.size
    }
    beforeAll(async () => {
      running = await startTestSandbox([erp.installation])
      home = await mkdtemp(join(tmpdir(), 'synctrace-tokens-'))
      configPath = await storedConfig(running, erp.installation, home)
    })
    afterAll(async () => {
      await running.stop()
      await rm(home, {force: true, recursive: true})
    })
    const code = erp.installation === 'vnet' ? '50001' : '40001'
    const trace = async (...extra: string[]) => {
      const result = await runCommand(['trace', 'customer', code, '--config', configPath, ...extra])
      expect(JSON.parse(result.stdout).hops.find((hop: {hop: string}) => hop.hop === 'erp').status).toBe('present')
      return result
    }

    it('asks for one token over two traces, and after a revocation one more, the trace succeeding', async () => {
      const before = count()
      await trace('--json')
      await trace('--json')
      expect(count() - before).toBe(1)
      count()
      erp.revoke(state())
      await trace('--json')
      expect(count() - before).toBe(2)
      await trace('--json')
      expect(count() - before).toBe(2)
      expect((await stat(join(home, 'tokens.json'))).mode & 0o777).toBe(0o600)
      expect((await stat(join(home, 'secrets.json'))).mode & 0o777).toBe(0o600)
      // eAccounting's rotating refresh token: the one the emulator takes now is the one stored.
      const secrets = JSON.parse(await readFile(join(home, 'secrets.json'), 'utf8'))
      if (state().refreshToken) expect(secrets[`sandbox-${erp.installation}.refreshToken`]).toBe(state().refreshToken)
    })
  })

describe('OAuth access tokens kept between runs (NetSuite OAuth 2.0, nimbus)', () => {
  let running: RunningSandbox
  let home: string
  beforeAll(async () => {
    running = await startTestSandbox(['nimbus'])
    home = await mkdtemp(join(tmpdir(), 'synctrace-tokens-'))
  })
  afterAll(async () => {
    await running.stop()
    await rm(home, {force: true, recursive: true})
  })

  it('asks for one token over two traces with client credentials, and every time with --no-cache', async () => {
    const state = (running.sandbox.installation('nimbus').state.erp as {state: any}).state
    const profile = structuredClone(describeSandbox(running.sandbox).config.profiles['sandbox-nimbus']) as any
    const {url} = profile.erp
    profile.erp = {
      accountId: state.accountId,
      certificateId: state.certificateId,
      clientId: state.clientId,
      privateKey: 'secret:nimbus.privateKey',
      system: 'netsuite',
      url,
    }
    const configPath = join(home, 'config.json')
    await writeFile(configPath, JSON.stringify({profiles: {nimbus: profile}}), {mode: 0o600})
    await writeFile(join(home, 'secrets.json'), JSON.stringify({'nimbus.privateKey': state.privateKey}), {mode: 0o600})
    const tokenRequests = () =>
      running.sandbox
        .requests('nimbus', 'erp')
        .filter((request: {path: string}) => request.path === '/services/rest/auth/oauth2/v1/token').length
    const trace = async (...extra: string[]) => {
      const result = await runCommand(['trace', 'customer', '50001', '--config', configPath, '--json', ...extra])
      expect(JSON.parse(result.stdout).hops.find((hop: {hop: string}) => hop.hop === 'erp').status).toBe('present')
    }
    const before = tokenRequests()
    await trace()
    await trace()
    expect(tokenRequests() - before).toBe(1)
    await trace('--no-cache')
    expect(tokenRequests() - before).toBe(2)
    expect((await stat(join(home, 'tokens.json'))).mode & 0o777).toBe(0o600)
  })
})
