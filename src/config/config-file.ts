import {homedir} from 'node:os'
import {join} from 'node:path'

import {secretFieldNames} from '../connectors/registry.js'
import {registerSecret, registerUrlSecrets} from '../http/redact.js'
import {UserError} from '../util/errors.js'
import {hasOwnProfile, jsonErrorPosition, readOwnFile} from './files.js'
import {type ConfigFile, type Profile, resolveProfile} from './profile.js'
import {readSecretsFile, secretsPathFor} from './secrets.js'
import {suggestName} from '../util/closest.js'

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config')
  return join(base, 'synctrace', 'config.json')
}

export async function readConfigFile(path: string): Promise<ConfigFile> {
  const text = await readOwnFile(path, 'config', 'config file')
  if (text === null)
    throw new UserError(
      `No config file at ${path}.`,
      'Pass --config <path>, set SYNCTRACE_CONFIG, or try the sandbox with --sandbox.',
    )
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UserError(
      `The config file ${path} cannot be read: ${jsonErrorPosition(error, text)}.`,
      'Fix the JSON syntax in the file.',
    )
  }
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !(parsed as ConfigFile).profiles ||
    typeof (parsed as ConfigFile).profiles !== 'object' ||
    Array.isArray((parsed as ConfigFile).profiles)
  )
    throw new UserError(
      `The config file ${path} has no "profiles" object.`,
      'See the README section "Config file" for the format.',
    )
  return parsed as ConfigFile
}

/**
 * Every secret the config file and its secrets file hold, not only the chosen profile's: a hostile hop of
 * one installation that echoes another's token (or an FTP password) must not get it printed either.
 */
export function registerConfigSecrets(
  config: ConfigFile,
  stored: Record<string, string>,
  env: NodeJS.ProcessEnv,
): void {
  for (const value of Object.values(stored)) registerSecret(value)
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (/url$/i.test(key)) registerUrlSecrets(value)
      if (!secretFieldNames().has(key)) return
      if (value.startsWith('env:')) registerSecret(env[value.slice(4)])
      else if (!value.startsWith('secret:')) registerSecret(value)
      return
    }
    if (value && typeof value === 'object') for (const [name, entry] of Object.entries(value)) walk(entry, name)
  }
  walk(config.profiles, '')
}

export interface ProfileChoice {
  configPath?: string
  profileName?: string
}

/** The profile to use: --profile, else SYNCTRACE_PROFILE, else the file's defaultProfile, else the only one. */
export function configPathFor(choice: ProfileChoice, env: NodeJS.ProcessEnv = process.env): string {
  return choice.configPath ?? (env.SYNCTRACE_CONFIG || defaultConfigPath(env))
}

export async function loadProfile(choice: ProfileChoice, env: NodeJS.ProcessEnv = process.env): Promise<Profile> {
  const path = configPathFor(choice, env)
  const config = await readConfigFile(path)
  const names = Object.keys(config.profiles)
  const name =
    choice.profileName ??
    (env.SYNCTRACE_PROFILE || config.defaultProfile || (names.length === 1 ? names[0] : undefined))
  if (!name)
    throw new UserError(
      `The config file ${path} has ${names.length} profiles and none is chosen.`,
      `Pass --profile <name> (${names.length > 6 ? 'synctrace profile list lists them' : `one of: ${names.join(', ') || 'none'}`}).`,
    )
  const raw = hasOwnProfile(config.profiles, name) ? config.profiles[name] : undefined
  if (!raw)
    throw new UserError(
      `No profile named "${name}" in ${path}.`,
      names.length === 0
        ? 'Add one with synctrace profile add <name>.'
        : suggestName(name, names, {listCommand: 'synctrace profile list', what: 'profile'}),
    )
  return (await configProfiles(path, config, env)).resolve(name, raw)
}

/**
 * The profiles of a config file read once, with its secrets file (every secret registered for redaction):
 * `doctor --all` resolves hundreds of profiles from one reading.
 */
export async function configProfiles(
  path: string,
  config: ConfigFile,
  env: NodeJS.ProcessEnv,
): Promise<{resolve(name: string, raw: unknown): Profile}> {
  const storedPath = secretsPathFor(path)
  const stored = await readSecretsFile(storedPath)
  registerConfigSecrets(config, stored, env)
  return {resolve: (name, raw) => resolveProfile(name, raw, {env, stored, storedPath})}
}
