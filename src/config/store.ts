import {randomBytes} from 'node:crypto'
import {secretFieldNames} from '../connectors/registry.js'
import {constants} from 'node:fs'
import {mkdir, open, readdir, rename, rm, stat} from 'node:fs/promises'
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
    const handle = await open(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    )
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

const secretFields = new Set([...secretFieldNames(), 'caCert'])

/** How a secret is kept, for `profile show`: never its value. */
export function describeSecret(value: string, env: NodeJS.ProcessEnv, stored: Record<string, string>): string {
  const envMatch = /^env:(.+)$/.exec(value)
  if (envMatch) return `env:${envMatch[1]} (${env[envMatch[1] as string] ? 'set' : 'NOT SET'})`
  const storedMatch = /^secret:(.+)$/.exec(value)
  if (storedMatch)
    return `secret:${storedMatch[1]} (${stored[storedMatch[1] as string] === undefined ? 'MISSING from the secrets file' : 'stored in the secrets file'})`
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

function sandboxStateFolder(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return join(base, 'synctrace', 'sandboxes')
}

/**
 * Where a running `synctrace sandbox` leaves its description, for `profile add --from-sandbox`: one file
 * per process (named by its pid), so two sandboxes never share one and stopping either removes only its own.
 */
export function sandboxStatePath(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): string {
  return join(sandboxStateFolder(env), `${pid}.json`)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The state files of the sandboxes that are running now, the most recently started first; files left by a process that is gone are skipped. */
export async function runningSandboxStatePaths(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const folder = sandboxStateFolder(env)
  const names = await readdir(folder).catch(() => [] as string[])
  const running: Array<{path: string; mtimeMs: number}> = []
  for (const name of names) {
    const match = /^(\d+)\.json$/.exec(name)
    if (!match || !isRunning(Number(match[1]))) continue
    const info = await stat(join(folder, name)).catch(() => null)
    if (info?.isFile()) running.push({mtimeMs: info.mtimeMs, path: join(folder, name)})
  }
  return running.sort((a, b) => b.mtimeMs - a.mtimeMs).map((entry) => entry.path)
}
