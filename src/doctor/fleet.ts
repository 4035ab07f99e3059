import type {Profile} from '../config/profile.js'
import {checkInstallation, type InstallationCheckOptions, notChecked} from './fleet-installation.js'
import {type FleetEntry, kindRank} from './fleet-types.js'

export type {FleetEntry, FleetProblem, FleetProblemKind} from './fleet-types.js'

/** One installation to check: its profile's name and how to load it (a profile that does not load is not checked). */
export interface FleetMember {
  name: string
  installation: string | null
  load(): Promise<Profile>
}

export interface FleetOptions extends Omit<InstallationCheckOptions, 'commandSuffix'> {
  /** How many installations are checked at once. */
  concurrency: number
  /** The flags that reach one member's installation in a suggested command. */
  commandSuffix(member: FleetMember): string
  /** After each installation: for a progress bar. */
  onChecked?(entry: FleetEntry, done: number): void
}

export interface FleetResult {
  /** Worst first; healthy ones last, by profile name. */
  entries: FleetEntry[]
  exitCode: 0 | 3 | 4
}

const statusRank = {healthy: 2, 'not-checked': 0, problems: 1} as const

/** Worst first: not checked, then by the worst problem's kind, then by profile name. */
export function bySeverity(a: FleetEntry, b: FleetEntry): number {
  const worst = (entry: FleetEntry) => (entry.problems[0] ? kindRank(entry.problems[0].kind) : 99)
  return statusRank[a.status] - statusRank[b.status] || worst(a) - worst(b) || a.profile.localeCompare(b.profile, 'en')
}

/**
 * Checks every member, at most `concurrency` at once, each within its own deadline: one that hangs or
 * refuses costs its own deadline and holds up no other.
 */
export async function runFleet(members: FleetMember[], options: FleetOptions): Promise<FleetResult> {
  const entries: FleetEntry[] = []
  let next = 0
  const worker = async () => {
    while (next < members.length) {
      const member = members[next++] as FleetMember
      const entry = await checkMember(member, options)
      entries.push(entry)
      options.onChecked?.(entry, entries.length)
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(options.concurrency, members.length))}, worker))
  entries.sort(bySeverity)
  const exitCode = entries.some((entry) => entry.status === 'not-checked')
    ? 4
    : entries.some((entry) => entry.status === 'problems')
      ? 3
      : 0
  return {entries, exitCode}
}

async function checkMember(member: FleetMember, options: FleetOptions): Promise<FleetEntry> {
  let profile: Profile
  try {
    profile = await member.load()
  } catch (error) {
    const reason = `its profile could not be loaded: ${(error as Error).message}`
    return notChecked(member.name, member.installation, reason, new Date(options.clock.now()))
  }
  return checkInstallation(profile, {...options, commandSuffix: options.commandSuffix(member)})
}
