import {loadProfile, type Profile} from '../config/profile.js'
import {UserError} from '../util/errors.js'
import {shellQuote} from '../util/shell.js'

export interface ConnectionFlags {
  sandbox: boolean
  'sandbox-role': string
  installation?: string
  profile?: string
  config?: string
}

/** Where a command's requests go: a profile's installation, or a sandbox started for this command. */
export interface Session {
  profile: Profile
  /** Flags that make a suggested command reach the same installation. */
  commandSuffix: string
  close(): Promise<void>
}

export async function openSession(flags: ConnectionFlags): Promise<Session> {
  if (flags.sandbox) {
    if (flags.profile || flags.config)
      throw new UserError('--sandbox cannot be combined with --profile or --config.', 'Use --sandbox alone to try the sandbox, or --profile for a real installation.')
    const {startSandbox} = await import('../sandbox/sandbox.js')
    const {seededInstallations} = await import('../sandbox/state.js')
    const id = flags.installation ?? 'acme'
    if (!seededInstallations().includes(id))
      throw new UserError(`The sandbox has no installation "${id}".`, `Use --installation with one of: ${seededInstallations().join(', ')}.`)
    const sandbox = await startSandbox({installations: [id]})
    const role = flags['sandbox-role'] === 'support' ? 'support' : 'admin'
    return {
      close: () => sandbox.stop(),
      commandSuffix: ['--sandbox', id === 'acme' ? '' : `--installation ${id}`].filter(Boolean).join(' '),
      profile: sandbox.installation(id).profile(role),
    }
  }
  if (flags.installation)
    throw new UserError('--installation selects a sandbox installation and needs --sandbox.', 'For a real installation, use --profile <name>.')
  const profile = await loadProfile({configPath: flags.config, profileName: flags.profile})
  const suffix = [flags.config ? `--config ${shellQuote(flags.config)}` : '', flags.profile ? `--profile ${shellQuote(flags.profile)}` : '']
  return {close: async () => undefined, commandSuffix: suffix.filter(Boolean).join(' '), profile}
}
