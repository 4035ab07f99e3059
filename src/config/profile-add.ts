import type {RunContext} from '../context/run-context.js'
import {dropProfileTokens} from './token-cache.js'
import {erpSettingFlags} from '../connectors/registry.js'
import {UserError} from '../util/errors.js'
import {configPathFor} from './config-file.js'
import {
  type ConfigFiles,
  checkAnswer,
  keepSecret,
  keepSecretsOf,
  openConfigFiles,
  putProfile,
  sandboxProfile,
  saveConfigFiles,
  unsetEnvReferences,
} from './profile-edit.js'
import {type AnswerKind, type ProfileAddFlags, ProfileQuestions} from './profile-questions.js'
import {profileFromAnswers} from './profile-sections.js'
import {askConnection, type ConnectionCheck, checkBeforeSaving, profileName} from './profile-wizard.js'

export type {AnswerKind, ProfileAddFlags} from './profile-questions.js'
export type {ConnectionCheck, ConnectionCheckLine} from './profile-wizard.js'

export interface ProfileAddOptions {
  /** A person can be asked (stdin and stdout are terminals, no --json, no --no-input). */
  interactive: boolean
  /** The flags given on the command line (not set from their defaults). */
  given: ReadonlySet<string>
  /** On a terminal, the connection is tested with this before the profile is saved. */
  check?: ConnectionCheck
}

export interface ProfileAdded {
  profile: string
  configPath: string
  secretsPath: string
  default: boolean
}

/**
 * `profile add`: the profile from a running sandbox, or from the flags and (on a terminal) the answers to what
 * they leave open, as `gh auth login` asks: the name, the connection, the URLs, the tokens; then, on a terminal,
 * the connection is tested before it is saved. Checked as a whole (every URL valid, every reference well
 * formed) before anything is written.
 */
export async function addProfile(
  ctx: RunContext,
  nameArgument: string | undefined,
  flags: ProfileAddFlags,
  options: ProfileAddOptions,
): Promise<ProfileAdded> {
  const {env} = ctx
  const files = await openConfigFiles(configPathFor({configPath: flags.config}, env), true)
  checkFlagValues(flags)
  const prompter = options.interactive ? ctx.prompter : null
  const name = await profileName(nameArgument, flags, files, prompter)
  if (files.config.profiles[name] && !flags.force)
    throw new UserError(
      `A profile named "${name}" exists in ${files.configPath}.`,
      'Choose another name, or pass --force to replace it.',
    )
  // A replaced profile keeps no access token of the one before (an eAccounting refresh token may be another company's).
  if (files.config.profiles[name]) await dropProfileTokens(files.secretsPath, name)
  const raw = flags['from-sandbox']
    ? await fromSandbox(flags['from-sandbox'], files, name, env)
    : await fromAnswers(ctx, {files, flags, name, options, prompter})
  for (const unset of unsetEnvReferences(raw, env))
    ctx.out.warn(`env:${unset} is not set in this shell; set it before using profile "${name}".`)
  putProfile(files, name, raw, env, flags.default)
  await saveConfigFiles(files)
  const storedAny = Object.keys(files.secrets).some((key) => key.startsWith(`${name}.`))
  if (storedAny)
    ctx.out.warn(
      `Secret values of "${name}" are stored in ${files.secretsPath} (mode 0600). Anyone who can read that file can use them.`,
    )
  return {
    configPath: files.configPath,
    default: files.config.defaultProfile === name,
    profile: name,
    secretsPath: files.secretsPath,
  }
}

/** The flags' values and the answers; on a terminal, tested before they are saved. */
async function fromAnswers(
  ctx: RunContext,
  draft: {
    files: ConfigFiles
    flags: ProfileAddFlags
    name: string
    options: ProfileAddOptions
    prompter: RunContext['prompter'] | null
  },
): Promise<Record<string, unknown>> {
  const {files, flags, name, options, prompter} = draft
  const questions = new ProfileQuestions(flags, files, name, prompter)
  const connection = await askConnection(questions, options.given)
  const raw = await profileFromAnswers(questions, connection)
  if (!questions.interactive || !options.check) return raw
  return checkBeforeSaving(ctx, options.check, {connection, files, name, questions}, raw)
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

async function fromSandbox(
  installation: string,
  files: ConfigFiles,
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, unknown>> {
  const raw = await sandboxProfile(installation, env)
  // The sandbox's tokens and passwords are throwaway values, yet secrets: into the secrets file, never the config.
  keepSecretsOf(raw, (path, value) => keepSecret(files, name, path, value, true, `--from-sandbox (${path})`))
  return raw
}
