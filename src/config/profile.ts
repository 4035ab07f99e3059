import {z} from 'zod'

import {erpSystem, erpSystems} from '../connectors/registry.js'
import type {ErpSetting, ErpSystem} from '../connectors/erp-system.js'
import {type FtpLayoutId, ftpLayoutIds} from '../connectors/ftp/layouts/types.js'
import {registerUrlSecrets} from '../http/redact.js'
import {UserError} from '../util/errors.js'
import {type HelpdeskProfile, helpdeskProfile} from './helpdesk-profile.js'
import {resolveSecret, type SecretSource} from './secrets.js'

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
  /** The price-list files (`pricelists.csv`); default: the CMS's last `prices` run's, else the layout's. */
  priceListFiles?: string[]
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
  /** The helpdesk the installation's tickets are in (Zendesk, Freshdesk, Jira Service Management), secrets resolved. */
  helpdesk?: HelpdeskProfile
  /** Per request, retries included. */
  timeoutMs?: number
  /** Where the ERP's secrets came from (`erp.<field>` → `env:NAME`, `secret:NAME`), and the secrets file: a rotated one is written back there. */
  secretStore?: {
    path: string
    references: Record<string, string>
    /** --no-cache: no access token is read from or written to the token cache beside the secrets file. */
    noTokenCache?: boolean
  }
}

export interface ConfigFile {
  defaultProfile?: string
  /** Which profile a ticket is about, by its organization or its requester's e-mail domain (`synctrace ticket`). */
  helpdeskRoutes?: unknown
  profiles: Record<string, Omit<Profile, 'name'>>
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

const httpUrl = z
  .string({error: 'has no URL'})
  .trim()
  .min(1, 'has no URL')
  .refine(isHttpUrl, {message: 'is not an absolute http(s):// URL'})
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
  priceListFiles: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
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
    helpdesk: z.looseObject({system: z.string({error: 'names no system'})}).optional(),
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

function invalid(
  name: string,
  problem: string,
  fix = 'Fix it in the config file (the README section "Config file" has the format).',
): UserError {
  return new UserError(`Profile "${name}": ${problem}.`, fix)
}

function service(
  name: string,
  section: {token?: string; url: string},
  where: string,
  env: SecretSource,
): ServiceSettings {
  const token = resolveSecret(section.token, `${where}.token`, env)
  if (!token) throw invalid(name, `the ${where} section has no token`, `Add "token": "env:NAME" to ${where}.`)
  return {token, url: section.url}
}

/** The `erp` section through its system's descriptor: secrets resolved, then validated by its schema. */
function erpProfile(
  name: string,
  raw: Record<string, unknown> & {system: string},
  env: SecretSource,
  references: Record<string, string>,
): ErpProfile {
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
    if (setting.rotates && typeof value === 'string' && !/^(secret|env):/.test(value))
      throw literalRotatingSecret(name, system, setting, env.storedPath)
    if (setting.kind === 'secret' && (typeof value === 'string' || value === undefined))
      resolved[setting.field] = resolveSecret(value, `erp.${setting.field}`, env)
    if (setting.kind === 'secret' && typeof value === 'string') references[`erp.${setting.field}`] = value
    if (setting.kind === 'url' && typeof value === 'string' && !isHttpUrl(value))
      throw invalid(name, `erp.${setting.field} is not an absolute http(s):// URL`)
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

/** A rotating secret written into the config itself: the first command would spend it, and every later one fail. */
function literalRotatingSecret(name: string, system: ErpSystem, setting: ErpSetting, secretsPath: string): UserError {
  return invalid(
    name,
    `erp.${setting.field} holds the ${system.displayName} token itself, which the ERP replaces on its first use, so every later command would present a spent one`,
    `Keep it in the secrets file, where the new one is saved: synctrace profile add ${name} --erp ${system.id} --${setting.flag} <token> --store-secrets (or "erp.${setting.field}": "secret:NAME" with the token under NAME in ${secretsPath}).`,
  )
}

/** Validates a profile's raw JSON (zod) and resolves its secrets. */
export function resolveProfile(
  name: string,
  raw: unknown,
  env: SecretSource = {env: process.env, stored: {}, storedPath: 'secrets.json'},
): Profile {
  const parsed = profileSection.safeParse(raw)
  if (!parsed.success) throw invalid(name, firstIssue(parsed.error))
  const section = parsed.data
  const profile: Profile = {
    app: service(name, section.app, 'app', env),
    cms: service(name, section.cms, 'cms', env),
    name,
    webshop: service(name, section.webshop, 'webshop', env),
  }
  if (section.installation !== undefined) profile.installation = section.installation
  if (section.timeoutMs !== undefined) profile.timeoutMs = section.timeoutMs
  if (section.ftp) {
    const {password: reference, user, ...ftp} = section.ftp
    const password = resolveSecret(reference, 'ftp.password', env)
    if (!user || !password)
      throw invalid(name, 'ftp needs user and password', 'Add ftp.user and ftp.password (env:NAME) to the profile.')
    profile.ftp = {...ftp, password, user}
  }
  if (section.erp) {
    const references: Record<string, string> = {}
    profile.erp = erpProfile(name, section.erp, env, references)
    profile.secretStore = {path: env.storedPath, references}
  }
  if (section.helpdesk) profile.helpdesk = helpdeskProfile(name, section.helpdesk, env)
  return profile
}
