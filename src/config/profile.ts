import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

import {z} from 'zod'

import {erpSystem, erpSystems, secretFieldNames} from '../connectors/registry.js'
import {type FtpLayoutId, ftpLayoutIds} from '../connectors/ftp/layouts/types.js'
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

/**
 * A profile's `erp` section, its secrets resolved. Its fields are those of the system's descriptor
 * (`src/connectors/<system>/system.ts`), which validated it; only that system's connector reads them.
 */
export interface ErpProfile {
  system: string
  url: string
  [field: string]: unknown
}

/** The file server of an ftp installation; `url` overrides the CMS's `ftp.url`. */
export interface FtpProfile {
  url?: string
  user: string
  password: string
  /** PEM of the certificate (or its CA) an FTPS server must present. */
  caCert?: string
  /** SHA-256 fingerprint of the SFTP host key (base64, as ssh-keygen -l shows it). */
  hostKeySha256?: string
  /** The file layout (`generic`, `winbas`, `monitor`); default: the one of the ERP the CMS reports. */
  layout?: FtpLayoutId
  /** The export file names; default: the layout's. */
  customerFiles?: string[]
  itemFiles?: string[]
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
  /** Where the ERP's secrets came from (`erp.<field>` → `env:NAME`, `secret:NAME`), and the secrets file: a rotated one is written back there. */
  secretStore?: {path: string; references: Record<string, string>}
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
    const secret = Object.hasOwn(source.stored, name) ? source.stored[name] : undefined
    if (secret === undefined)
      throw new UserError(
        `${where} refers to the stored secret "${name}", which ${source.storedPath} does not have.`,
        'Store it again with synctrace profile add, or use an env:NAME reference.',
      )
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

/** An absolute http(s) URL; a password in its user info is a secret from the moment it is read. */
function isHttpUrl(value: string): boolean {
  registerUrlSecrets(value)
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

const httpUrl = z.string({error: 'has no URL'}).trim().min(1, 'has no URL').refine(isHttpUrl, {message: 'is not an absolute http(s):// URL'})
const secretReference = z.string().optional()

const serviceSection = z.object({token: secretReference, url: httpUrl}, {error: 'is missing'})

const ftpSection = z.object({
  caCert: z.string().optional(),
  csvEncoding: z.string().optional(),
  customerFiles: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  delimiter: z.string().optional(),
  hostKeySha256: z.string().optional(),
  itemFiles: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  layout: z.enum(ftpLayoutIds, {error: `is not a file layout (${ftpLayoutIds.join(', ')})`}).optional(),
  password: secretReference,
  url: z
    .string()
    .refine(
      (value) => {
        registerUrlSecrets(value)
        return /^(ftp|ftps|sftp):\/\/[^/]/.test(value)
      },
      {message: 'is not an ftp://, ftps:// or sftp:// URL'},
    )
    .optional(),
  user: z.string().optional(),
  xmlEncoding: z.string().optional(),
})

/** The profile as the config file holds it, before its secrets are resolved. */
const profileSection = z.object(
  {
    app: serviceSection,
    cms: serviceSection,
    erp: z.looseObject({system: z.string({error: 'names no system'})}).optional(),
    ftp: ftpSection.optional(),
    installation: z.string().optional(),
    timeoutMs: z.number().positive().optional().catch(undefined),
    webshop: serviceSection,
  },
  {error: 'is not an object'},
)

/** The first problem zod found, as "cms.url has no URL". */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  const path = issue?.path.map(String).join('.') ?? ''
  return `${path ? `${path} ` : ''}${issue?.message ?? 'is not valid'}`.trim()
}

function invalid(name: string, problem: string, fix = 'Fix it in the config file (the README section "Config file" has the format).'): UserError {
  return new UserError(`Profile "${name}": ${problem}.`, fix)
}

function service(name: string, section: {token?: string; url: string}, where: string, env: SecretSource): ServiceSettings {
  const token = resolveSecret(section.token, `${where}.token`, env)
  if (!token) throw invalid(name, `the ${where} section has no token`, `Add "token": "env:NAME" to ${where}.`)
  return {token, url: section.url}
}

/** The `erp` section through its system's descriptor: secrets resolved, then validated by its schema. */
function erpProfile(name: string, raw: Record<string, unknown> & {system: string}, env: SecretSource, references: Record<string, string>): ErpProfile {
  const system = erpSystem(raw.system)
  if (!system)
    throw invalid(
      name,
      `ERP system "${raw.system.slice(0, 40)}" has no connector`,
      `Use one of: ${erpSystems.map((entry) => entry.id).join(', ')}; or leave "erp" out to trace from the CMS on.`,
    )
  const resolved: Record<string, unknown> = {...raw}
  for (const setting of system.settings) {
    const value = raw[setting.field]
    if (setting.kind === 'secret' && (typeof value === 'string' || value === undefined)) resolved[setting.field] = resolveSecret(value, `erp.${setting.field}`, env)
    if (setting.kind === 'secret' && typeof value === 'string') references[`erp.${setting.field}`] = value
    if (setting.kind === 'url' && typeof value === 'string' && !isHttpUrl(value)) throw invalid(name, `erp.${setting.field} is not an absolute http(s):// URL`)
    if (value === undefined && setting.default !== undefined) resolved[setting.field] = setting.default
  }
  const parsed = system.schema.safeParse(resolved)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.map(String).join('.') ?? ''
    const setting = system.settings.find((entry) => entry.field === field)
    throw invalid(
      name,
      `the ${system.displayName} ERP's erp.${field} ${issue?.code === 'invalid_type' && resolved[field] === undefined ? 'is missing' : 'is not valid'}`,
      setting ? `Add erp.${field} to the profile (synctrace profile add --${setting.flag}).` : undefined,
    )
  }
  const rule = system.check?.(parsed.data)
  if (rule) throw invalid(name, rule.problem, rule.fix)
  return {...(parsed.data as ErpProfile), system: system.id}
}

/** Validates a profile's raw JSON (zod) and resolves its secrets. */
export function resolveProfile(name: string, raw: unknown, env: SecretSource = {env: process.env, stored: {}, storedPath: 'secrets.json'}): Profile {
  const parsed = profileSection.safeParse(raw)
  if (!parsed.success) throw invalid(name, firstIssue(parsed.error))
  const section = parsed.data
  const profile: Profile = {app: service(name, section.app, 'app', env), cms: service(name, section.cms, 'cms', env), name, webshop: service(name, section.webshop, 'webshop', env)}
  if (section.installation !== undefined) profile.installation = section.installation
  if (section.timeoutMs !== undefined) profile.timeoutMs = section.timeoutMs
  if (section.ftp) {
    const {password: reference, user, ...ftp} = section.ftp
    const password = resolveSecret(reference, 'ftp.password', env)
    if (!user || !password) throw invalid(name, 'ftp needs user and password', 'Add ftp.user and ftp.password (env:NAME) to the profile.')
    profile.ftp = {...ftp, password, user}
  }
  if (section.erp) {
    const references: Record<string, string> = {}
    profile.erp = erpProfile(name, section.erp, env, references)
    profile.secretStore = {path: env.storedPath, references}
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
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    !(parsed as ConfigFile).profiles ||
    typeof (parsed as ConfigFile).profiles !== 'object' ||
    Array.isArray((parsed as ConfigFile).profiles)
  )
    throw new UserError(`The config file ${path} has no "profiles" object.`, 'See the README section "Config file" for the format.')
  return parsed as ConfigFile
}

/**
 * Every secret the config file and its secrets file hold, not only the chosen profile's: a hostile hop of
 * one installation that echoes another's token (or an FTP password) must not get it printed either.
 */
export function registerConfigSecrets(config: ConfigFile, stored: Record<string, string>, env: NodeJS.ProcessEnv): void {
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
  const name = choice.profileName ?? (env.SYNCTRACE_PROFILE || config.defaultProfile || (names.length === 1 ? names[0] : undefined))
  if (!name) throw new UserError(`The config file ${path} has ${names.length} profiles and none is chosen.`, `Pass --profile <name> (one of: ${names.join(', ') || 'none'}).`)
  const raw = hasOwnProfile(config.profiles, name) ? config.profiles[name] : undefined
  if (!raw) throw new UserError(`No profile named "${name}" in ${path}.`, `Use one of: ${names.join(', ') || '(none: add one)'}.`)
  const storedPath = secretsPathFor(path)
  const stored = await readSecretsFile(storedPath)
  registerConfigSecrets(config, stored, env)
  return resolveProfile(name, raw, {env, stored, storedPath})
}
