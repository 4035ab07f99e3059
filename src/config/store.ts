import {randomBytes} from 'node:crypto'
import {constants} from 'node:fs'
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

import {redactUrl} from '../http/redact.js'
import {refuseSymlink} from './files.js'
import type {ConfigFile} from './profile.js'

/**
 * Writes a file readable only by its owner, atomically: a crash leaves the old file or the new, never half.
 * Never through a symlink: a link at the path is refused, and the temporary file is created exclusively.
 */
export async function writePrivateFile(path: string, content: string, label = 'file'): Promise<void> {
  await mkdir(dirname(path), {mode: 0o700, recursive: true})
  await refuseSymlink(path, label)
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
    try {
      await handle.writeFile(content)
      await handle.chmod(0o600)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } finally {
    await rm(temporary, {force: true})
  }
}

export async function writeConfigFile(path: string, config: ConfigFile): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(config, null, 2)}\n`, 'config file')
}

export async function writeSecretsFile(path: string, secrets: Record<string, string>): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(secrets, null, 2)}\n`, 'secrets file')
}

const secretFields = new Set(['token', 'clientSecret', 'password', 'caCert'])

/** How a secret is kept, for `profile show`: never its value. */
export function describeSecret(value: string, env: NodeJS.ProcessEnv, stored: Record<string, string>): string {
  const envMatch = /^env:(.+)$/.exec(value)
  if (envMatch) return `env:${envMatch[1]} (${env[envMatch[1] as string] ? 'set' : 'NOT SET'})`
  const storedMatch = /^secret:(.+)$/.exec(value)
  if (storedMatch) return `secret:${storedMatch[1]} (${stored[storedMatch[1] as string] === undefined ? 'MISSING from the secrets file' : 'stored in the secrets file'})`
  return '*** (written in the config file)'
}

/** A copy of a raw profile with every secret replaced by how it is kept, and URLs without credentials. */
export function maskProfile(raw: unknown, env: NodeJS.ProcessEnv, stored: Record<string, string>): unknown {
  if (Array.isArray(raw)) return raw.map((entry) => maskProfile(entry, env, stored))
  if (!raw || typeof raw !== 'object') return raw
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([key, value]) => [
      key,
      secretFields.has(key) && typeof value === 'string'
        ? describeSecret(value, env, stored)
        : /url$/i.test(key) && typeof value === 'string'
          ? redactUrl(value)
          : maskProfile(value, env, stored),
    ]),
  )
}

/** Where a running `synctrace sandbox` leaves its description, for `profile add --from-sandbox`. */
export function sandboxStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return join(base, 'synctrace', 'sandbox.json')
}
