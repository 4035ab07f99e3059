import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

import {registerSecret, registerUrlSecrets} from '../http/redact.js'
import {UserError} from '../util/errors.js'
import {hasOwnProfile, jsonErrorPosition, readOwnFile} from './files.js'

/**
 * A profile: how to reach one installation's hops. A secret is an `env:NAME` reference (read from the
 * environment at run time), a `secret:NAME` reference into the secrets file beside the config (mode 0600),
 * or the value itself; whichever, it is registered for redaction the moment it is read.
 */
export interface ServiceSettings {
  url: string
  token: string
}

export interface BusinessCentralProfile {
  system: 'businesscentral'
  url: string
  tenant: string
  environment: string
  companyId: string
  token?: string
  tokenUrl?: string
  clientId?: string
  clientSecret?: string
  scope?: string
  shipToApiPath?: string
}

export interface FortnoxProfile {
  system: 'fortnox'
  /** `https://api.fortnox.se` */
  url: string
  token: string
}

export type ErpProfile = BusinessCentralProfile | FortnoxProfile

/** The file server of an ftp installation; `url` overrides the CMS's `ftp.url`. */
export interface FtpProfile {
  url?: string
  user: string
  password: string
  /** PEM of the certificate (or its CA) an FTPS server must present. */
  caCert?: string
  /** SHA-256 fingerprint of the SFTP host key (base64, as ssh-keygen -l shows it). */
  hostKeySha256?: string
  customerFiles?: string[]
  delimiter?: string
  csvEncoding?: string
  xmlEncoding?: string
}

export interface Profile {
  name: string
  /** The installation id the CMS is expected to report; used to label output when the CMS cannot be reached. */
  installation?: string
  cms: ServiceSettings
  app: ServiceSettings
  webshop: ServiceSettings
  erp?: ErpProfile
  ftp?: FtpProfile
  /** Per request, retries included. */
  timeoutMs?: number
}

export interface ConfigFile {
  defaultProfile?: string
  profiles: Record<string, Omit<Profile, 'name'>>
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config')
  return join(base, 'synctrace', 'config.json')
}

/** Where secret references are looked up. */
export interface SecretSource {
  env: NodeJS.ProcessEnv
  /** The secrets file's values by name, and its path for messages. */
  stored: Record<string, string>
  storedPath: string
}

export function secretsPathFor(configPath: string): string {
  return join(dirname(configPath), 'secrets.json')
}

/** `env:NAME` → the variable; `secret:NAME` → the secrets file; anything else is the secret itself. */
export function resolveSecret(value: string | undefined, where: string, source: SecretSource = {env: process.env, stored: {}, storedPath: 'secrets.json'}): string | undefined {
  if (value === undefined) return undefined
  if (value.startsWith('secret:')) {
    const name = value.slice('secret:'.length)
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name))
      throw new UserError(`${where} is a malformed secret: reference.`, 'Write it as secret:NAME (letters, digits, ".", "_", "-"), as synctrace profile add --store-secrets does.')
    const secret = Object.prototype.hasOwnProperty.call(source.stored, name) ? source.stored[name] : undefined
    if (secret === undefined)
      throw new UserError(`${where} refers to the stored secret "${name}", which ${source.storedPath} does not have.`, 'Store it again with synctrace profile add, or use an env:NAME reference.')
    registerSecret(secret)
    return secret
  }
  if (value.startsWith('env:')) {
    const name = value.slice('env:'.length)
    // `env:` and `env:1BAD` are mistakes, never literal tokens to send.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UserError(`${where} is a malformed env: reference.`, 'Write it as env:NAME, with a variable name of letters, digits and "_" that does not start with a digit.')
    const resolved = source.env[name]
    if (resolved === undefined || resolved === '')
      throw new UserError(`${where} refers to the environment variable ${name}, which is not set.`, `Set ${name} (export ${name}=...) and run the command again.`)
    registerSecret(resolved)
    return resolved
  }
  registerSecret(value)
  return value
}

function requireUrl(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UserError(`${where} has no URL.`, 'Add the URL to the profile.')
  // A password in the URL's user info is a secret from the moment the URL is read.
  registerUrlSecrets(value)
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme')
  } catch {
    throw new UserError(`${where} has an invalid URL: ${value.slice(0, 80)}`, 'Use an absolute http(s):// URL in the profile.')
  }
  return value
}

function service(raw: unknown, where: string, env: SecretSource): ServiceSettings {
  if (!raw || typeof raw !== 'object') throw new UserError(`The profile has no ${where} section.`, `Add "${where}": {"url": ..., "token": ...} to the profile.`)
  const section = raw as Record<string, unknown>
  const token = resolveSecret(typeof section.token === 'string' ? section.token : undefined, `${where}.token`, env)
  if (!token) throw new UserError(`The profile's ${where} section has no token.`, `Add "token": "env:NAME" to ${where}.`)
  return {token, url: requireUrl(section.url, where)}
}

/** Validates a profile's raw JSON and resolves its secrets. */
export function resolveProfile(name: string, raw: unknown, env: SecretSource = {env: process.env, stored: {}, storedPath: 'secrets.json'}): Profile {
  if (!raw || typeof raw !== 'object') throw new UserError(`Profile "${name}" is not an object.`, 'Fix the config file.')
  const section = raw as Record<string, unknown>
  const profile: Profile = {
    app: service(section.app, 'app', env),
    cms: service(section.cms, 'cms', env),
    name,
    webshop: service(section.webshop, 'webshop', env),
  }
  if (typeof section.installation === 'string') profile.installation = section.installation
  if (typeof section.timeoutMs === 'number' && section.timeoutMs > 0) profile.timeoutMs = section.timeoutMs
  if (section.ftp && typeof section.ftp === 'object') {
    const ftp = section.ftp as Record<string, unknown>
    const text = (field: string) => (typeof ftp[field] === 'string' ? (ftp[field] as string) : undefined)
    const user = text('user')
    const password = resolveSecret(text('password'), 'ftp.password', env)
    if (!user || !password) throw new UserError(`Profile "${name}": ftp needs user and password.`, 'Add ftp.user and ftp.password (env:NAME) to the profile.')
    const url = text('url')
    registerUrlSecrets(url)
    if (url && !/^(ftp|ftps|sftp):\/\/[^/]/.test(url)) throw new UserError(`Profile "${name}": ftp.url "${url.slice(0, 80)}" is not an ftp://, ftps:// or sftp:// URL.`, 'Use e.g. sftp://files.acme.example:22/a4s.')
    profile.ftp = {
      caCert: text('caCert'),
      csvEncoding: text('csvEncoding'),
      customerFiles: Array.isArray(ftp.customerFiles) ? (ftp.customerFiles as unknown[]).map(String) : undefined,
      delimiter: text('delimiter'),
      hostKeySha256: text('hostKeySha256'),
      password,
      url,
      user,
      xmlEncoding: text('xmlEncoding'),
    }
  }
  if (section.erp && typeof section.erp === 'object') {
    const erp = section.erp as Record<string, unknown>
    const text = (field: string) => (typeof erp[field] === 'string' ? (erp[field] as string) : undefined)
    if (erp.system === 'fortnox') {
      const token = resolveSecret(text('token'), 'erp.token', env)
      if (!token) throw new UserError(`Profile "${name}": the Fortnox ERP has no token.`, 'Add erp.token (env:NAME) to the profile.')
      profile.erp = {system: 'fortnox', token, url: requireUrl(erp.url ?? 'https://api.fortnox.se', 'erp')}
      return profile
    }
    if (erp.system !== 'businesscentral')
      throw new UserError(`Profile "${name}": ERP system "${String(erp.system)}" has no connector yet.`, 'Use "businesscentral" or "fortnox", or leave "erp" out to trace from the CMS on.')
    for (const field of ['tenant', 'environment', 'companyId'])
      if (!text(field)) throw new UserError(`Profile "${name}": erp.${field} is missing.`, `Add erp.${field} to the profile.`)
    registerUrlSecrets(text('tokenUrl'))
    profile.erp = {
      clientId: text('clientId'),
      clientSecret: resolveSecret(text('clientSecret'), 'erp.clientSecret', env),
      companyId: text('companyId') as string,
      environment: text('environment') as string,
      scope: text('scope'),
      shipToApiPath: text('shipToApiPath'),
      system: 'businesscentral',
      tenant: text('tenant') as string,
      token: resolveSecret(text('token'), 'erp.token', env),
      tokenUrl: text('tokenUrl'),
      url: requireUrl(erp.url, 'erp'),
    }
    if (!profile.erp.token && !(profile.erp.clientId && profile.erp.clientSecret))
      throw new UserError(`Profile "${name}": the ERP has neither a token nor client credentials.`, 'Add erp.token, or erp.clientId and erp.clientSecret.')
  }
  return profile
}

/** The secrets file beside a config: `{"name": "value"}`; absent means empty; readable by others is refused. */
export async function readSecretsFile(path: string): Promise<Record<string, string>> {
  const text = await readOwnFile(path, 'secrets', 'secrets file')
  if (text === null) return {}
  try {
    const parsed = JSON.parse(text) as unknown
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  } catch {
    throw new UserError(`The secrets file ${path} is not a JSON object of names and values.`, 'Fix or remove the file, then store the secrets again with synctrace profile add.')
  }
}

export async function readConfigFile(path: string): Promise<ConfigFile> {
  const text = await readOwnFile(path, 'config', 'config file')
  if (text === null) throw new UserError(`No config file at ${path}.`, 'Pass --config <path>, set SYNCTRACE_CONFIG, or try the sandbox with --sandbox.')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UserError(`The config file ${path} cannot be read: ${jsonErrorPosition(error, text)}.`, 'Fix the JSON syntax in the file.')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !(parsed as ConfigFile).profiles || typeof (parsed as ConfigFile).profiles !== 'object' || Array.isArray((parsed as ConfigFile).profiles))
    throw new UserError(`The config file ${path} has no "profiles" object.`, 'See the README section "Config file" for the format.')
  return parsed as ConfigFile
}

const secretFieldNames = new Set(['token', 'clientSecret', 'password'])

/**
 * Every secret the config file and its secrets file hold, not only the chosen profile's: a hostile hop of
 * one installation that echoes another's token (or an FTP password) must not get it printed either.
 */
export function registerConfigSecrets(config: ConfigFile, stored: Record<string, string>, env: NodeJS.ProcessEnv): void {
  for (const value of Object.values(stored)) registerSecret(value)
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (/url$/i.test(key)) registerUrlSecrets(value)
      if (!secretFieldNames.has(key)) return
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
  const name = choice.profileName ?? (env.SYNCTRACE_PROFILE || config.defaultProfile || (names.length === 1 ? names[0] : undefined))
  if (!name) throw new UserError(`The config file ${path} has ${names.length} profiles and none is chosen.`, `Pass --profile <name> (one of: ${names.join(', ') || 'none'}).`)
  const raw = hasOwnProfile(config.profiles, name) ? config.profiles[name] : undefined
  if (!raw) throw new UserError(`No profile named "${name}" in ${path}.`, `Use one of: ${names.join(', ') || '(none: add one)'}.`)
  const storedPath = secretsPathFor(path)
  const stored = await readSecretsFile(storedPath)
  registerConfigSecrets(config, stored, env)
  return resolveProfile(name, raw, {env, stored, storedPath})
}
