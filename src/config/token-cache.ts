import {createHash} from 'node:crypto'
import {dirname, join} from 'node:path'

import type {KeptToken, TokenClient, TokenKeeper} from '../connectors/oauth2.js'
import {registerSecret} from '../http/redact.js'
import {hasOwnProfile, readOwnFile} from './files.js'
import {writePrivateFile} from './store.js'

/**
 * The access tokens kept between runs: `tokens.json` beside the secrets file, private like it (0600, refused
 * when others can read it), but a file of its own, so that writing a token can never race a rotated refresh
 * token written to the secrets file by another run at the same moment. Per profile, one entry per client:
 * `{"<profile>": {"<key>": {"tokenUrl", "clientId", "accessToken", "expiresAt"}}}`, the key a hash of the
 * token URL, the client id and the audience (tenant, scope). A cache: anything wrong with it means asking again.
 */
interface Entry {
  tokenUrl: string
  clientId: string
  accessToken: string
  expiresAt: string
}
type CacheFile = Record<string, Record<string, Entry>>

export function tokenCachePathFor(secretsPath: string): string {
  return join(dirname(secretsPath), 'tokens.json')
}

function isEntry(value: unknown): value is Entry {
  if (!value || typeof value !== 'object') return false
  const entry = value as Record<string, unknown>
  return ['tokenUrl', 'clientId', 'accessToken', 'expiresAt'].every((field) => typeof entry[field] === 'string')
}

/** The cache's entries that are well formed; every token in it is a secret of the run, whoever's it is. */
async function readCache(path: string): Promise<CacheFile> {
  const text = await readOwnFile(path, 'secrets', 'token cache')
  const cache: CacheFile = {}
  if (text === null) return cache
  const parsed = JSON.parse(text) as unknown
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return cache
  for (const [profile, entries] of Object.entries(parsed as Record<string, unknown>)) {
    if (!hasOwnProfile(parsed as Record<string, unknown>, profile) || !entries || typeof entries !== 'object') continue
    const kept: Record<string, Entry> = {}
    for (const [key, entry] of Object.entries(entries as Record<string, unknown>))
      if (isEntry(entry)) {
        registerSecret(entry.accessToken)
        kept[key] = entry
      }
    cache[profile] = kept
  }
  return cache
}

/**
 * Reads the cache afresh, changes it, and writes it whole (a temporary file renamed over it): two runs at
 * once each leave a whole file, and the one that loses the race costs one more token request later.
 * Entries past their expiry go on every write; a cache that cannot be used (readable by others, not JSON) is
 * replaced by a private one.
 */
async function updateCache(path: string, change: (cache: CacheFile) => boolean): Promise<void> {
  let unusable = false
  const cache = await readCache(path).catch((): CacheFile => {
    unusable = true
    return {}
  })
  if (!change(cache) && !unusable) return
  const now = Date.now()
  for (const [profile, entries] of Object.entries(cache)) {
    for (const [key, entry] of Object.entries(entries)) if (!(Date.parse(entry.expiresAt) > now)) delete entries[key]
    if (Object.keys(entries).length === 0) delete cache[profile]
  }
  await writePrivateFile(path, `${JSON.stringify(cache, null, 2)}\n`, 'token cache')
}

function keyOf(client: TokenClient): string {
  return createHash('sha256')
    .update(JSON.stringify([client.tokenUrl, client.clientId, client.audience]))
    .digest('hex')
    .slice(0, 32)
}

/** One profile's token cache: each client's entry, read, written and dropped in the file at `path`. */
export function tokenKeeper(path: string, profileName: string): TokenKeeper {
  return (client): KeptToken => {
    const key = keyOf(client)
    const entryIn = (cache: CacheFile): Entry | undefined => {
      const entry = Object.hasOwn(cache, profileName) ? cache[profileName]?.[key] : undefined
      return entry && entry.tokenUrl === client.tokenUrl && entry.clientId === client.clientId ? entry : undefined
    }
    return {
      drop: (accessToken) =>
        updateCache(path, (cache) => {
          if (entryIn(cache)?.accessToken !== accessToken) return false
          delete cache[profileName]?.[key]
          return true
        }),
      read: async () => {
        const entry = entryIn(await readCache(path))
        const expiresAt = entry ? Date.parse(entry.expiresAt) : Number.NaN
        return entry && Number.isFinite(expiresAt) ? {accessToken: entry.accessToken, expiresAt} : null
      },
      write: (token) =>
        updateCache(path, (cache) => {
          const entries = Object.hasOwn(cache, profileName) ? (cache[profileName] as Record<string, Entry>) : {}
          entries[key] = {
            accessToken: token.accessToken,
            clientId: client.clientId,
            expiresAt: new Date(token.expiresAt).toISOString(),
            tokenUrl: client.tokenUrl,
          }
          cache[profileName] = entries
          return true
        }),
    }
  }
}

/** `profile remove` (and a profile added again under its name): its kept tokens go with it. */
export async function dropProfileTokens(secretsPath: string, profileName: string): Promise<void> {
  await updateCache(tokenCachePathFor(secretsPath), (cache) => {
    if (!Object.hasOwn(cache, profileName)) return false
    delete cache[profileName]
    return true
  })
}
