import {loadProfile} from '../config/config-file.js'
import type {Profile} from '../config/profile.js'
import type {HelpdeskId} from '../connectors/helpdesk/registry.js'
import {UserError} from '../util/errors.js'
import {shellQuote} from '../util/shell.js'
import {closestMatches, orList} from '../util/closest.js'

export interface ConnectionFlags {
  sandbox: boolean
  'sandbox-role': string
  installation?: string
  profile?: string
  config?: string
  /** No access token read from or written to the profile's token cache. */
  'no-cache'?: boolean
  /** With sandbox: a generated installation of this many records per hop (`reconcile`). */
  scale?: number
  /** With sandbox: which of its helpdesks the profile's `helpdesk` section points at (default Zendesk). */
  helpdesk?: string
}

/** Where a command's requests go: a profile's installation, or a sandbox started for this command. */
export interface Session {
  profile: Profile
  /** Flags that make a suggested command reach the same installation. */
  commandSuffix: string
  /**
   * The same, as an admin would type it on their own machine (a command handed over or pasted into a
   * ticket): `--profile <installation>` or `--sandbox [--installation X]`; no local paths, no support profile.
   */
  adminSuffix: string
  close(): Promise<void>
}

/** What to do about an installation the sandbox does not have: the closest one, else the list. */
function installationAdvice(typed: string, installations: readonly string[]): string {
  const close = closestMatches(typed, installations)
  if (close.length > 0) return `Did you mean --installation ${orList(close)}?`
  return `Use --installation with one of: ${installations.join(', ')}.`
}

export async function openSession(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<Session> {
  const session = await sessionOf(flags, env)
  if (flags['no-cache'] && session.profile.secretStore) session.profile.secretStore.noTokenCache = true
  return session
}

async function sessionOf(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<Session> {
  if (flags.sandbox) {
    if (flags.profile || flags.config)
      throw new UserError(
        '--sandbox cannot be combined with --profile or --config.',
        'Use --sandbox alone to try the sandbox, or --profile for a real installation.',
      )
    if (flags.scale !== undefined) {
      const {scaleInstallations, startScaleInstallation} = await import('../sandbox/scale/installation.js')
      const id = flags.installation ?? 'scale'
      if (!scaleInstallations.includes(id))
        throw new UserError(
          `The scale sandbox has no installation "${id}".`,
          installationAdvice(id, scaleInstallations),
        )
      const scaled = await startScaleInstallation({id, records: flags.scale})
      const role = flags['sandbox-role'] === 'support' ? 'support' : 'admin'
      const suffix = `--sandbox --scale ${flags.scale}${id === 'scale' ? '' : ` --installation ${id}`}`
      return {adminSuffix: suffix, close: () => scaled.stop(), commandSuffix: suffix, profile: scaled.profile(role)}
    }
    const {startSandbox} = await import('../sandbox/sandbox.js')
    const {seededInstallations} = await import('../sandbox/seed.js')
    const id = flags.installation ?? 'acme'
    if (!seededInstallations().includes(id))
      throw new UserError(`The sandbox has no installation "${id}".`, installationAdvice(id, seededInstallations()))
    const sandbox = await startSandbox({installations: [id]})
    const role = flags['sandbox-role'] === 'support' ? 'support' : 'admin'
    const suffix = sandboxSuffix(id)
    const {defaultSandboxHelpdesk} = await import('../sandbox/helpdesk/helpdesks.js')
    const helpdesk = sandbox.helpdesks.get((flags.helpdesk ?? defaultSandboxHelpdesk) as HelpdeskId)?.profile()
    return {
      adminSuffix: suffix,
      close: () => sandbox.stop(),
      commandSuffix: suffix,
      profile: {...sandbox.installation(id).profile(role), ...(helpdesk ? {helpdesk} : {})},
    }
  }
  if (flags.helpdesk)
    throw new UserError(
      '--helpdesk selects a sandbox helpdesk and needs --sandbox.',
      "For a real installation, the profile's helpdesk section names its helpdesk.",
    )
  if (flags.installation)
    throw new UserError(
      '--installation selects a sandbox installation and needs --sandbox.',
      'For a real installation, use --profile <name>.',
    )
  const profile = await loadProfile({configPath: flags.config, profileName: flags.profile}, env)
  const suffix = [
    flags.config ? `--config ${shellQuote(flags.config)}` : '',
    flags.profile ? `--profile ${shellQuote(flags.profile)}` : '',
  ]
  return {
    adminSuffix: adminSuffixFor(profile),
    close: async () => undefined,
    commandSuffix: suffix.filter(Boolean).join(' '),
    profile,
  }
}

function sandboxSuffix(installation: string): string {
  return installation === 'acme' ? '--sandbox' : `--sandbox --installation ${shellQuote(installation)}`
}

/**
 * How an admin's profile for this installation is named: after the installation. A profile of a running
 * sandbox's config (`synctrace sandbox --write-config`: `sandbox-<id>`, `sandbox-<id>-support`) names the
 * admin profile of that sandbox, never `--sandbox`, which would start a fresh one without this one's state.
 */
export function adminSuffixFor(profile: Profile): string {
  if (profile.name.startsWith('sandbox-')) return `--profile ${shellQuote(profile.name.replace(/-support$/, ''))}`
  return `--profile ${shellQuote(profile.installation ?? profile.name.replace(/-support$/, ''))}`
}
