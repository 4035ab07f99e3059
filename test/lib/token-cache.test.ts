import {chmod, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {dropProfileTokens, tokenKeeper} from '../../dist/config/token-cache.js'

describe('the token cache file', () => {
  let dir: string
  let path: string
  const client = {audience: 'scope', clientId: 'client-a', tokenUrl: 'https://login.example/tenant/token'}
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synctrace-token-cache-'))
    path = join(dir, 'tokens.json')
  })
  afterEach(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('stays one whole private file when many runs write at once; a lost race only loses an entry', async () => {
    const expiresAt = Date.now() + 3600_000
    await Promise.all(
      Array.from({length: 12}, (_, index) =>
        tokenKeeper(path, `profile-${index}`)(client).write({accessToken: `token-${index}-abcdefgh`, expiresAt}),
      ),
    )
    const cache = JSON.parse(await readFile(path, 'utf8'))
    expect(Object.keys(cache).length).toBeGreaterThan(0)
    for (const [profile, entries] of Object.entries(cache))
      for (const entry of Object.values(entries as Record<string, {accessToken: string}>))
        expect(entry.accessToken).toBe(`token-${profile.slice('profile-'.length)}-abcdefgh`)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['tokens.json'])
  })

  it('reads a token back only for the same profile, token URL, client and audience, and drops only the refused one', async () => {
    const expiresAt = Date.now() + 3600_000
    await tokenKeeper(path, 'a')(client).write({accessToken: 'kept-token-one', expiresAt})
    expect(await tokenKeeper(path, 'a')(client).read()).toEqual({accessToken: 'kept-token-one', expiresAt})
    expect(await tokenKeeper(path, 'b')(client).read()).toBeNull()
    expect(await tokenKeeper(path, 'a')({...client, clientId: 'client-b'}).read()).toBeNull()
    expect(await tokenKeeper(path, 'a')({...client, audience: 'other-tenant'}).read()).toBeNull()
    expect(await tokenKeeper(path, 'a')({...client, tokenUrl: 'https://login.example/other/token'}).read()).toBeNull()
    await tokenKeeper(path, 'a')(client).drop('a-newer-token-kept-since')
    expect(await tokenKeeper(path, 'a')(client).read()).not.toBeNull()
    await tokenKeeper(path, 'a')(client).drop('kept-token-one')
    expect(await tokenKeeper(path, 'a')(client).read()).toBeNull()
  })

  it('does not use a cache others can read, and rewrites it private', async () => {
    const expiresAt = Date.now() + 3600_000
    await writeFile(path, JSON.stringify({a: {}}), {mode: 0o644})
    await tokenKeeper(path, 'a')(client).write({accessToken: 'kept-token-two', expiresAt})
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await chmod(path, 0o644)
    await expect(tokenKeeper(path, 'a')(client).read()).rejects.toThrow(/readable by other users/)
    await dropProfileTokens(join(dir, 'secrets.json'), 'a')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({})
  })
})
