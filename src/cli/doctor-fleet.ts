import {configPathFor, configProfiles, readConfigFile} from '../config/config-file.js'
import type {RunContext} from '../context/run-context.js'
import {type FleetMember, type FleetResult, runFleet} from '../doctor/fleet.js'
import {UserError} from '../util/errors.js'
import {shellQuote} from '../util/shell.js'
import {fleetProgress} from './fleet-progress.js'

export interface FleetFlags {
  sandbox: boolean
  fleet?: number
  profiles?: string
  tag?: string[]
  config?: string
  concurrency: number
  deadline: number
  timeout?: number
  /** Draw the progress bar (a terminal, not JSON). */
  progress: boolean
}

/** A profile-name glob (`*` any run of characters, `?` one) as a whole-name test. */
export function globTest(glob: string): (name: string) => boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  const regex = new RegExp(`^${pattern}$`)
  return (name) => regex.test(name)
}

const tagsOf = (raw: unknown): string[] => {
  const tags = (raw as {tags?: unknown} | null)?.tags
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : []
}

/** The config file's profiles that --profiles and --tag select (every one without them). */
async function configMembers(flags: FleetFlags, env: NodeJS.ProcessEnv): Promise<FleetMember[]> {
  const configPath = configPathFor({configPath: flags.config}, env)
  const config = await readConfigFile(configPath)
  const matches = globTest(flags.profiles ?? '*')
  const tags = flags.tag ?? []
  const chosen = Object.entries(config.profiles).filter(
    ([name, raw]) => matches(name) && tags.every((tag) => tagsOf(raw).includes(tag)),
  )
  if (chosen.length === 0)
    throw new UserError(
      `No profile in ${configPath} matches${flags.profiles ? ` --profiles ${flags.profiles}` : ''}${tags.map((tag) => ` --tag ${tag}`).join('')}.`,
      'synctrace profile list lists the profiles; tags are a profile\'s "tags": ["..."] in the config file.',
    )
  const profiles = configProfiles(configPath, config, env)
  profiles.catch(() => undefined)
  return chosen.map(([name, raw]) => ({
    installation:
      typeof (raw as {installation?: unknown}).installation === 'string'
        ? String((raw as {installation: string}).installation)
        : null,
    // One reading of the config and secrets files for all of them, not one per profile.
    load: async () => (await profiles).resolve(name, raw),
    name,
  }))
}

/** The installations to check and what stops them: a sandbox fleet, every seeded installation, or the config's profiles. */
async function membersOf(
  flags: FleetFlags,
  env: NodeJS.ProcessEnv,
): Promise<{members: FleetMember[]; suffix: (member: FleetMember) => string; close: () => Promise<void>}> {
  if (!flags.sandbox) {
    const config = flags.config ? ` --config ${shellQuote(flags.config)}` : ''
    return {
      close: async () => undefined,
      members: await configMembers(flags, env),
      suffix: (member) => `--profile ${shellQuote(member.name)}${config}`,
    }
  }
  if (flags.fleet !== undefined) {
    const {startFleet} = await import('../sandbox/fleet.js')
    const fleet = await startFleet({size: flags.fleet})
    const members = fleet.profiles().map((profile) => ({
      installation: profile.installation ?? null,
      load: async () => profile,
      name: profile.name,
    }))
    return {
      close: () => fleet.stop(),
      members: selected(members, flags),
      suffix: () => `--sandbox --fleet ${flags.fleet}`,
    }
  }
  const {startSandbox} = await import('../sandbox/sandbox.js')
  const sandbox = await startSandbox({helpdesks: false})
  const members = [...sandbox.installations.values()].map((installation) => ({
    installation: installation.id,
    load: async () => ({...installation.profile('admin'), name: installation.id}),
    name: installation.id,
  }))
  return {
    close: () => sandbox.stop(),
    members: selected(members, flags),
    suffix: (member) => (member.name === 'acme' ? '--sandbox' : `--sandbox --installation ${member.name}`),
  }
}

function selected(members: FleetMember[], flags: FleetFlags): FleetMember[] {
  const matches = globTest(flags.profiles ?? '*')
  return members.filter((member) => matches(member.name))
}

/** `doctor --all`: every selected installation checked, at most `concurrency` at once, each within its deadline. */
export async function doctorFleet(ctx: RunContext, flags: FleetFlags): Promise<FleetResult> {
  if (flags.fleet !== undefined && !flags.sandbox)
    throw new UserError(
      '--fleet starts generated sandbox installations and needs --sandbox.',
      'Run synctrace doctor --all --sandbox --fleet 12.',
    )
  const {close, members, suffix} = await membersOf(flags, ctx.env)
  const progress = flags.progress ? fleetProgress(ctx.out, members.length) : null
  try {
    return await runFleet(members, {
      clock: ctx.clock,
      commandSuffix: suffix,
      concurrency: flags.concurrency,
      deadlineMs: flags.deadline * 1000,
      http: ctx.http(),
      onChecked: (entry, done) => progress?.update(done, entry.status !== 'healthy'),
      timeoutMs: flags.timeout ? flags.timeout * 1000 : undefined,
    })
  } finally {
    progress?.stop()
    await close()
  }
}
