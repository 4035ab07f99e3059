import {readFileSync} from 'node:fs'

import {secretFieldNames} from '../connectors/registry.js'
import {UserError} from '../util/errors.js'
import {hasOwnProfile, isReservedName, readOwnFile} from './files.js'
import type {ConfigFile} from './profile.js'
import {readConfigFile} from './config-file.js'
import {resolveProfile} from './profile.js'
import {readSecretsFile, secretsPathFor} from './secrets.js'
import {runningSandboxStatePaths, writeConfigFile, writeSecretsFile} from './store.js'
import {suggestName} from '../util/closest.js'

/** The config and secrets files as one editable unit. */
export interface ConfigFiles {
  configPath: string
  secretsPath: string
  config: ConfigFile
  secrets: Record<string, string>
}

export async function openConfigFiles(configPath: string, createIfMissing: boolean): Promise<ConfigFiles> {
  const secretsPath = secretsPathFor(configPath)
  let config: ConfigFile
  try {
    config = await readConfigFile(configPath)
  } catch (error) {
    if (!createIfMissing || !(error instanceof UserError) || !error.message.startsWith('No config file')) throw error
    config = {profiles: {}}
  }
  return {config, configPath, secrets: await readSecretsFile(secretsPath), secretsPath}
}

export async function saveConfigFiles(files: ConfigFiles): Promise<void> {
  await writeSecretsFile(files.secretsPath, files.secrets)
  await writeConfigFile(files.configPath, files.config)
}

export function checkProfileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name) || isReservedName(name))
    throw new UserError(
      `"${name.slice(0, 80)}" is not a usable profile name.`,
      'Use letters, digits, ".", "_" and "-" (at most 64), e.g. acme or acme-prod.',
    )
  return name
}

/**
 * Keeps one secret as the user chose: an `env:NAME` reference as it is; a value either in the secrets
 * file (with --store-secrets) under `<profile>.<field>`, or refused, so no secret lands in the config by accident.
 */
export function keepSecret(
  files: ConfigFiles,
  profile: string,
  field: string,
  value: string,
  storeSecrets: boolean,
  flag: string,
): string {
  if (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return value
  if (/^(env|secret):/.test(value))
    throw new UserError(
      `${flag} "${value.slice(0, 40)}" is a malformed reference.`,
      `Write env:NAME (a variable name of letters, digits and "_", not starting with a digit).`,
    )
  if (!storeSecrets)
    throw new UserError(
      `${flag} was given a value; synctrace stores secret values only when asked.`,
      `Pass ${flag} env:NAME to read it from the environment, or add --store-secrets to keep it in ${files.secretsPath} (mode 0600).`,
    )
  const name = `${profile}.${field}`
  files.secrets[name] = value
  return `secret:${name}`
}

/** One answer of `profile add`, checked as it is given: true, or what is wrong with it. */
export function checkAnswer(
  kind: 'text' | 'url' | 'ftp-url' | 'secret' | 'host-key' | 'pem-file',
  value: string,
): true | string {
  const answer = value.trim()
  if (answer === '') return 'an answer is needed'
  switch (kind) {
    case 'url':
      try {
        const url = new URL(answer)
        return url.protocol === 'http:' || url.protocol === 'https:' ? true : 'use an absolute http:// or https:// URL'
      } catch {
        return 'not a URL: use an absolute http:// or https:// URL'
      }
    case 'ftp-url':
      return /^(ftp|ftps|sftp):\/\/[^/\s]+/.test(answer)
        ? true
        : 'use an ftp://, ftps:// or sftp:// URL, e.g. sftp://files.acme.example:22/a4s'
    case 'secret':
      if (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(answer)) return true
      return /^(env|secret):/.test(answer)
        ? 'a malformed reference: write env:NAME (letters, digits and "_", not starting with a digit)'
        : true
    case 'host-key':
      return /^(SHA256:)?[A-Za-z0-9+/]{43}=?$/.test(answer)
        ? true
        : 'a SHA-256 fingerprint is 43 base64 characters (as ssh-keygen -l -E sha256 shows it)'
    case 'pem-file':
      try {
        return readFileSync(answer, 'utf8').includes('-----BEGIN CERTIFICATE-----')
          ? true
          : `${answer} holds no PEM certificate`
      } catch {
        return `cannot read ${answer}`
      }
    default:
      return true
  }
}

/** The `env:NAME` references of a raw profile whose variable is not set now. */
export function unsetEnvReferences(raw: unknown, env: NodeJS.ProcessEnv): string[] {
  if (typeof raw === 'string')
    return /^env:[A-Za-z_][A-Za-z0-9_]*$/.test(raw) && !env[raw.slice(4)] ? [raw.slice(4)] : []
  if (!raw || typeof raw !== 'object') return []
  return [...new Set(Object.values(raw as Record<string, unknown>).flatMap((value) => unsetEnvReferences(value, env)))]
}

/** Replaces every secret value of a raw profile (tokens, client secret, passwords) by what `keep` returns for it. */
export function keepSecretsOf(
  raw: Record<string, unknown>,
  keep: (path: string, value: string) => string,
  prefix = '',
): void {
  for (const [key, value] of Object.entries(raw)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string' && secretFieldNames().has(key)) raw[key] = keep(path, value)
    else if (value && typeof value === 'object' && !Array.isArray(value))
      keepSecretsOf(value as Record<string, unknown>, keep, path)
  }
}

/**
 * Adds or replaces a profile after checking that it resolves (every URL valid, every reference well
 * formed). An `env:NAME` not set yet is accepted (the caller warns): it is read when the profile is used.
 */
export function putProfile(
  files: ConfigFiles,
  name: string,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  makeDefault: boolean,
): void {
  checkProfileName(name)
  const placeholders = Object.fromEntries(unsetEnvReferences(raw, env).map((variable) => [variable, 'not-set-yet']))
  resolveProfile(name, raw, {env: {...env, ...placeholders}, stored: files.secrets, storedPath: files.secretsPath})
  files.config.profiles[name] = raw as never
  if (makeDefault || !files.config.defaultProfile) files.config.defaultProfile = name
}

/** The `secret:NAME` references in a raw profile. */
function storedSecretNames(raw: unknown): string[] {
  if (typeof raw === 'string') return raw.startsWith('secret:') ? [raw.slice('secret:'.length)] : []
  if (!raw || typeof raw !== 'object') return []
  return Object.values(raw as Record<string, unknown>).flatMap(storedSecretNames)
}

/** Removes a profile and exactly the stored secrets it refers to (never another profile's, e.g. acme.prod's for acme). */
export function removeProfile(files: ConfigFiles, name: string): void {
  if (!hasOwnProfile(files.config.profiles, name))
    throw new UserError(
      `No profile named "${name}" in ${files.configPath}.`,
      suggestName(name, Object.keys(files.config.profiles), {listCommand: 'synctrace profile list', what: 'profile'}),
    )
  const removed = files.config.profiles[name]
  delete files.config.profiles[name]
  const stillUsed = new Set(Object.values(files.config.profiles).flatMap(storedSecretNames))
  for (const secret of storedSecretNames(removed))
    if (!stillUsed.has(secret) && Object.hasOwn(files.secrets, secret)) delete files.secrets[secret]
  if (files.config.defaultProfile === name) {
    const remaining = Object.keys(files.config.profiles)
    if (remaining.length > 0) files.config.defaultProfile = remaining[0]
    else delete files.config.defaultProfile
  }
}

/** The profile a running `synctrace sandbox` offers for one of its installations (the most recently started sandbox that has it). */
export async function sandboxProfile(
  installation: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, unknown>> {
  const offered: string[] = []
  let found = false
  for (const path of await runningSandboxStatePaths(env)) {
    let description: {config: ConfigFile}
    try {
      description = JSON.parse((await readOwnFile(path, 'config', 'sandbox state file')) ?? '') as {config: ConfigFile}
    } catch {
      continue
    }
    found = true
    const profile = hasOwnProfile(description.config.profiles, `sandbox-${installation}`)
      ? description.config.profiles[`sandbox-${installation}`]
      : undefined
    if (profile) return profile as unknown as Record<string, unknown>
    offered.push(
      ...Object.keys(description.config.profiles)
        .filter((name) => !name.endsWith('-support'))
        .map((name) => name.replace(/^sandbox-/, '')),
    )
  }
  if (!found)
    throw new UserError(
      'No running synctrace sandbox was found.',
      'Start one in another terminal with: synctrace sandbox',
    )
  throw new UserError(
    `No running sandbox has an installation "${installation}".`,
    `Use one of: ${[...new Set(offered)].join(', ')}.`,
  )
}
