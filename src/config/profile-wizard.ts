import {erpSystem, erpSystems} from '../connectors/registry.js'
import type {RunContext} from '../context/run-context.js'
import {ExitCode, UserError} from '../util/errors.js'
import type {Prompter} from '../util/prompter.js'
import type {Profile} from './profile.js'
import {type ConfigFiles, checkProfileName, unsetEnvReferences} from './profile-edit.js'
import type {ProfileAddFlags, ProfileQuestions} from './profile-questions.js'
import {type Connection, type ProfileSection, profileFromAnswers} from './profile-sections.js'
import {resolveProfile} from './profile.js'

/** One check of a new profile's connection (one hop, as `doctor` checks it), and what to fix when it failed. */
export interface ConnectionCheckLine {
  section: ProfileSection
  ok: boolean
  /** "CMS: connected, role admin (42 ms)", or what went wrong. */
  text: string
  fix: string | null
}

/** Tests a profile before it is saved: the doctor's checks of every hop it names. */
export type ConnectionCheck = (profile: Profile) => Promise<ConnectionCheckLine[]>

/** The profile's name: the argument, else (on a terminal) asked, checked as typed; a name in use needs --force. */
export async function profileName(
  argument: string | undefined,
  flags: ProfileAddFlags,
  files: ConfigFiles,
  prompter: Prompter | null,
): Promise<string> {
  const fromSandbox = flags['from-sandbox']
  if (argument !== undefined || fromSandbox) return checkProfileName(argument ?? fromSandbox ?? '')
  if (!prompter)
    throw new UserError(
      'A profile name is required when not running interactively.',
      'Pass it as the argument: synctrace profile add <name> (see synctrace profile add --help).',
    )
  return prompter.input({
    message: 'Profile name (e.g. acme or acme-prod)',
    required: true,
    validate: (answer) => {
      try {
        checkProfileName(answer)
      } catch (error) {
        return (error as UserError).message
      }
      return files.config.profiles[answer] && !flags.force
        ? `a profile named "${answer}" exists: choose another name (or pass --force to replace it)`
        : true
    },
  })
}

/** How the installation reaches its ERP: the flags, else (on a terminal, neither --erp nor --connection given) asked. */
export async function askConnection(questions: ProfileQuestions, given: ReadonlySet<string>): Promise<Connection> {
  const {flags} = questions
  const fromFlags: Connection = {
    erp: erpSystem(flags.erp),
    ftp: flags.connection === 'ftp' || Boolean(flags['ftp-user'] || flags['ftp-url'] || flags['ftp-layout']),
  }
  const decided = !questions.reentering && (given.has('erp') || given.has('connection') || fromFlags.ftp)
  if (!questions.interactive || decided) return fromFlags
  const choice = await questions.select('How does synctrace reach the ERP?', [
    ...erpSystems.map((system) => ({name: `${system.displayName} API (direct)`, value: system.id})),
    {name: 'Export files on a file server (FTP, FTPS or SFTP)', value: 'ftp'},
    {name: 'No ERP access: traces start at the CMS', value: 'none'},
  ])
  return {erp: erpSystem(choice), ftp: choice === 'ftp'}
}

/**
 * Tests the connection before anything is saved and shows each check; when one fails, says what to fix and
 * asks: re-enter what failed, save anyway, or cancel (nothing saved). Returns the raw profile to save.
 */
export async function checkBeforeSaving(
  ctx: RunContext,
  check: ConnectionCheck,
  draft: {questions: ProfileQuestions; connection: Connection; files: ConfigFiles; name: string},
  raw: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const {files, name, questions} = draft
  let {connection} = draft
  const say = (line: string) => ctx.out.line('stderr', {format: 'terminal'}, line)
  for (;;) {
    const unset = unsetEnvReferences(raw, ctx.env)
    if (unset.length > 0) {
      say(`Connection not tested: ${unset.map((variable) => `env:${variable}`).join(', ')} not set in this shell.`)
      return raw
    }
    const profile = resolveProfile(name, raw, {env: ctx.env, stored: files.secrets, storedPath: files.secretsPath})
    say('Testing the connection (the checks of synctrace doctor)…')
    const lines = await check(profile)
    for (const line of lines) say(`  ${line.ok ? '✔' : '✘'} ${line.text}`)
    const failed = lines.filter((line) => !line.ok)
    if (failed.length === 0) return raw
    say('To fix:')
    for (const line of failed) if (line.fix) say(`  · ${line.fix}`)
    const next = await questions.select('A check failed. What now?', [
      {name: 'Re-enter what failed', value: 'reenter'},
      {name: 'Save the profile anyway', value: 'save'},
      {name: 'Cancel: save nothing', value: 'cancel'},
    ])
    if (next === 'save') return raw
    if (next === 'cancel')
      throw new UserError(
        `Profile "${name}" was not saved: the connection check failed.`,
        'Fix what the check names, then run synctrace profile add again.',
        ExitCode.failed,
      )
    questions.reentering = true
    const only = new Set(failed.map((line) => line.section))
    if (only.has('connection')) {
      connection = await askConnection(questions, new Set())
      const {erp: _erp, ftp: _ftp, ...rest} = raw
      raw = rest
      only.add('erp').add('ftp')
    }
    raw = await profileFromAnswers(questions, connection, {only, raw})
  }
}
