import {readFileSync} from 'node:fs'

import type {ErpSystem} from '../connectors/erp-system.js'
import {erpSettingFlags, erpSystem} from '../connectors/registry.js'
import {UserError} from '../util/errors.js'
import {configPathFor} from './config-file.js'
import {
  type ConfigFiles,
  checkAnswer,
  checkProfileName,
  keepSecret,
  keepSecretsOf,
  openConfigFiles,
  putProfile,
  sandboxProfile,
  saveConfigFiles,
  unsetEnvReferences,
} from './profile-edit.js'

/** What an answer must be (`checkAnswer`). */
export type AnswerKind = Parameters<typeof checkAnswer>[0]

/** The flags of `profile add` (and every ERP setting's flag, by its name: `--tenant`, `--client-secret`, ...). */
export interface ProfileAddFlags {
  config?: string
  force: boolean
  default: boolean
  'from-sandbox'?: string
  'store-secrets': boolean
  erp: string
  connection: string
  installation?: string
  timeout?: number
  'ftp-url'?: string
  'ftp-user'?: string
  'ftp-layout'?: string
  'ftp-customer-file'?: string
  'ftp-item-file'?: string
  'ca-cert'?: string
  'host-key-sha256'?: string
  [flag: string]: unknown
}

/** One question for a person at the terminal; `validate` checks each answer as it is given. */
export interface ProfileQuestion {
  message: string
  /** Shown masked unless it is an env:NAME reference. */
  secret: boolean
  optional: boolean
  validate: (answer: string) => true | string
}

export interface ProfileAddIo {
  /** Asks a person; null when nobody can be asked (no TTY, --json, --no-input). */
  prompt: ((question: ProfileQuestion) => Promise<string>) | null
  warn: (message: string) => void
  env?: NodeJS.ProcessEnv
}

export interface ProfileAdded {
  profile: string
  configPath: string
  secretsPath: string
  default: boolean
}

/**
 * `profile add`: the profile from a running sandbox, or from the flags and the answers to what they leave
 * open; checked as a whole (every URL valid, every reference well formed) before anything is written.
 */
export async function addProfile(
  nameArgument: string | undefined,
  flags: ProfileAddFlags,
  io: ProfileAddIo,
): Promise<ProfileAdded> {
  const env = io.env ?? process.env
  const name = checkProfileName(nameArgument ?? (flags['from-sandbox'] ? `sandbox-${flags['from-sandbox']}` : ''))
  const files = await openConfigFiles(configPathFor({configPath: flags.config}), true)
  if (files.config.profiles[name] && !flags.force)
    throw new UserError(
      `A profile named "${name}" exists in ${files.configPath}.`,
      'Choose another name, or pass --force to replace it.',
    )
  checkFlagValues(flags)
  const raw = flags['from-sandbox']
    ? await fromSandbox(flags['from-sandbox'], files, name)
    : await fromAnswers(new ProfileQuestions(flags, files, name, io.prompt))
  for (const unset of unsetEnvReferences(raw, env))
    io.warn(`env:${unset} is not set in this shell; set it before using profile "${name}".`)
  putProfile(files, name, raw, env, flags.default)
  await saveConfigFiles(files)
  const storedAny = Object.keys(files.secrets).some((key) => key.startsWith(`${name}.`))
  if (storedAny)
    io.warn(
      `Secret values of "${name}" are stored in ${files.secretsPath} (mode 0600). Anyone who can read that file can use them.`,
    )
  return {
    configPath: files.configPath,
    default: files.config.defaultProfile === name,
    profile: name,
    secretsPath: files.secretsPath,
  }
}

/** Flags are checked before anything is asked, so nothing typed is lost on a mistake in a flag. */
function checkFlagValues(flags: ProfileAddFlags): void {
  const flagKinds: Array<[string, AnswerKind]> = [
    ['cms-url', 'url'],
    ['app-url', 'url'],
    ['webshop-url', 'url'],
    ['ftp-url', 'ftp-url'],
    ['cms-token', 'secret'],
    ['app-token', 'secret'],
    ['webshop-token', 'secret'],
    ['ftp-password', 'secret'],
    ['ftp-user', 'text'],
    ['host-key-sha256', 'host-key'],
    ['ca-cert', 'pem-file'],
    ...erpSettingFlags().map(({flag, kind}): [string, AnswerKind] => [flag, kind]),
  ]
  for (const [flag, kind] of flagKinds) {
    const value = flags[flag]
    if (typeof value !== 'string') continue
    const problem = checkAnswer(kind, value)
    if (problem !== true)
      throw new UserError(`--${flag}: ${problem}`, `Fix --${flag} (see synctrace profile add --help).`)
  }
}

async function fromSandbox(installation: string, files: ConfigFiles, name: string): Promise<Record<string, unknown>> {
  const raw = await sandboxProfile(installation)
  // The sandbox's tokens and passwords are throwaway values, yet secrets: into the secrets file, never the config.
  keepSecretsOf(raw, (path, value) => keepSecret(files, name, path, value, true, `--from-sandbox (${path})`))
  return raw
}

/** Each value from its flag, else from a person's answer; secrets kept as `keepSecret` allows. */
class ProfileQuestions {
  constructor(
    readonly flags: ProfileAddFlags,
    private readonly files: ConfigFiles,
    private readonly name: string,
    private readonly prompt: ProfileAddIo['prompt'],
  ) {}

  get interactive(): boolean {
    return this.prompt !== null
  }

  async ask(
    flag: string,
    value: string | undefined,
    message: string,
    kind: AnswerKind = 'text',
    optional = false,
  ): Promise<string> {
    if (value !== undefined && value !== '') return value
    if (optional && !this.prompt) return ''
    if (!this.prompt)
      throw new UserError(
        `--${flag} is required when not running interactively.`,
        `Pass --${flag} (see synctrace profile add --help).`,
      )
    // Each answer is checked as it is given: a mistake is asked again, nothing typed before is lost.
    return this.prompt({
      message,
      optional,
      secret: kind === 'secret',
      validate: (answer) => (optional && answer === '' ? true : checkAnswer(kind, answer)),
    })
  }

  /** A secret value is stored with --store-secrets, or when it was typed at the prompt rather than given as a flag. */
  storing(flag: string): boolean {
    return this.flags['store-secrets'] || (this.interactive && this.flags[flag] === undefined)
  }

  keep(field: string, value: string, flag: string): string {
    return keepSecret(this.files, this.name, field, value, this.storing(flag), `--${flag}`)
  }

  async secret(flag: string, field: string, message: string): Promise<string> {
    return this.keep(field, await this.ask(flag, this.flags[flag] as string | undefined, message, 'secret'), flag)
  }
}

async function fromAnswers(questions: ProfileQuestions): Promise<Record<string, unknown>> {
  const {flags} = questions
  const raw: Record<string, unknown> = {}
  for (const service of ['cms', 'app', 'webshop'] as const) {
    const label = {app: 'App backend', cms: 'CMS', webshop: 'Webshop'}[service]
    const url = await questions.ask(
      `${service}-url`,
      flags[`${service}-url`] as string | undefined,
      `${label} base URL`,
      'url',
    )
    raw[service] = {token: await questions.secret(`${service}-token`, `${service}.token`, `${label} token`), url}
  }
  const system = erpSystem(flags.erp)
  if (system) raw.erp = await erpSection(system, questions)
  if (flags.connection === 'ftp' || flags['ftp-user'] || flags['ftp-url'] || flags['ftp-layout'])
    raw.ftp = await ftpSection(questions)
  if (flags.installation) raw.installation = flags.installation
  if (flags.timeout) raw.timeoutMs = flags.timeout * 1000
  return raw
}

/** Every setting of the chosen ERP, from its descriptor: the flag, else the answer, else its default. */
async function erpSection(system: ErpSystem, questions: ProfileQuestions): Promise<Record<string, string>> {
  const erp: Record<string, string> = {system: system.id}
  const known: Record<string, string | undefined> = {}
  for (const setting of system.settings) {
    let value = questions.flags[setting.flag] as string | undefined
    if (value === undefined && setting.prompt && (!setting.askWhen || setting.askWhen(known)))
      value = await questions.ask(setting.flag, undefined, setting.prompt, setting.kind, setting.optional)
    value = value === '' || value === undefined ? setting.default : value
    if (value === undefined) continue
    known[setting.field] = value
    erp[setting.field] = setting.kind === 'secret' ? questions.keep(`erp.${setting.field}`, value, setting.flag) : value
  }
  return erp
}

/** The file server: URL (else the CMS's), login, the FTPS certificate or SFTP host key, and the layout's files. */
async function ftpSection(questions: ProfileQuestions): Promise<Record<string, unknown>> {
  const {flags, interactive} = questions
  const ftp: Record<string, string> = {}
  const url = await questions.ask(
    'ftp-url',
    flags['ftp-url'],
    'File server URL (ftp://, ftps:// or sftp://host/folder; empty: what the CMS reports)',
    'ftp-url',
    true,
  )
  if (url) ftp.url = url
  ftp.user = await questions.ask('ftp-user', flags['ftp-user'], 'File server user')
  ftp.password = await questions.secret('ftp-password', 'ftp.password', 'File server password')
  const protocol = url ? new URL(url).protocol : ''
  if (flags['ca-cert'] || (protocol === 'ftps:' && interactive)) {
    const pem = await questions.ask(
      'ca-cert',
      flags['ca-cert'],
      'PEM file of the FTPS server certificate or its CA',
      'pem-file',
      true,
    )
    if (pem) ftp.caCert = readFileSync(pem, 'utf8')
  }
  if (flags['host-key-sha256'] || (protocol === 'sftp:' && interactive)) {
    const hostKey = await questions.ask(
      'host-key-sha256',
      flags['host-key-sha256'],
      'SFTP host key SHA-256 fingerprint',
      'host-key',
      true,
    )
    if (hostKey) ftp.hostKeySha256 = hostKey.replace(/^SHA256:/, '')
  }
  return {
    ...ftp,
    ...(flags['ftp-layout'] ? {layout: flags['ftp-layout']} : {}),
    ...(flags['ftp-customer-file'] ? {customerFiles: [flags['ftp-customer-file']]} : {}),
    ...(flags['ftp-item-file'] ? {itemFiles: [flags['ftp-item-file']]} : {}),
  }
}
