import {Flags} from '@oclif/core'
import type {FleetFlags} from './doctor-fleet.js'

import type {RunContext} from '../context/run-context.js'
import type {FleetEntry} from '../doctor/fleet.js'

/** The flags of `doctor --all` (the fleet view). */
export const fleetFlags = {
  all: Flags.boolean({
    default: false,
    description: 'Check every installation of the config file at once (or those --profiles and --tag select).',
    exclusive: ['profile', 'installation'],
    helpGroup: 'FLEET',
  }),
  concurrency: Flags.integer({
    default: 8,
    dependsOn: ['all'],
    description: 'With --all: how many installations are checked at once.',
    helpGroup: 'FLEET',
    max: 64,
    min: 1,
  }),
  deadline: Flags.integer({
    default: 60,
    dependsOn: ['all'],
    description:
      'With --all: seconds one installation may take in all; past it, it is reported as not checked and the others go on.',
    helpGroup: 'FLEET',
    max: 3600,
    min: 1,
  }),
  fleet: Flags.integer({
    dependsOn: ['all', 'sandbox'],
    description:
      'With --all --sandbox: generate this many sandbox installations, with planted problems, and check them.',
    helpGroup: 'FLEET',
    max: 1000,
    min: 1,
  }),
  profiles: Flags.string({
    dependsOn: ['all'],
    description: "With --all: only profiles whose name matches this glob ('acme-*').",
    helpGroup: 'FLEET',
  }),
  tag: Flags.string({
    dependsOn: ['all'],
    description:
      'With --all: only profiles with this tag (a profile\'s "tags" in the config file). Repeatable: all of them.',
    helpGroup: 'FLEET',
    multiple: true,
  }),
}

/** The fleet's flags as `doctor` parses them: the format asked instead of whether to draw progress. */
type FleetCommandFlags = Omit<FleetFlags, 'progress'> & {format: string}

/** `doctor --all`: runs the fleet view and prints it in the format asked; the exit code says the worst. */
export async function runFleetCommand(
  command: {ctx: RunContext; json: boolean; log(text: string): void},
  flags: FleetCommandFlags,
): Promise<FleetEntry[]> {
  const {doctorFleet} = await import('./doctor-fleet.js')
  const {ctx, json} = command
  const asJson = json || flags.format === 'json'
  const progress = !asJson && ctx.io.stderr.isTTY === true
  const result = await doctorFleet(ctx, {...flags, progress})
  ctx.exitCode = result.exitCode
  if (json) return result.entries
  const render = await import('../render/fleet.js')
  if (flags.format === 'json') command.log(JSON.stringify(result.entries, null, 2))
  else if (flags.format === 'csv') command.log(render.renderFleetCsv(result))
  else if (flags.format === 'markdown') command.log(render.renderFleetMarkdown(result))
  else command.log(render.renderFleetTerminal(result))
  return result.entries
}
