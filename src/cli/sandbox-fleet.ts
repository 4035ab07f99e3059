import type {FleetPlanEntry, SandboxFleet} from '../sandbox/fleet.js'

/** What `sandbox --fleet N` prints (`--json`: schemas/sandbox-fleet.schema.json): each installation and its planted problem. */
export interface SandboxFleetDescription {
  size: number
  installations: Array<FleetPlanEntry & {cmsUrl: string}>
  /** The config file's profiles: the platform's services, the file server; tags name the ERP, connection and plant. */
  config: {profiles: Record<string, Record<string, unknown>>}
}

/** The fleet's plan and a config with a tagged profile per installation (`doctor --all --tag ftp`). */
export function describeFleet(fleet: SandboxFleet): SandboxFleetDescription {
  const profiles = fleet.profiles()
  const installations = fleet.plan.map((entry, index) => ({...entry, cmsUrl: profiles[index]?.cms.url ?? ''}))
  const config = Object.fromEntries(
    profiles.map((profile, index) => {
      const entry = fleet.plan[index] as FleetPlanEntry
      const tags = [entry.erp, entry.connection, ...(entry.planted ? ['planted', entry.planted] : ['healthy'])]
      const {app, cms, ftp, installation, webshop} = profile
      return [profile.name, {app, cms, installation, tags, webshop, ...(ftp ? {ftp} : {})}]
    }),
  )
  return {config: {profiles: config}, installations, size: fleet.plan.length}
}

/** The plan as a person reads it: one line per installation, its ERP, layout and planted problem. */
export function fleetLines(description: SandboxFleetDescription, configPath: string | undefined): string {
  const lines = [`synctrace sandbox: a fleet of ${description.size} installations on 127.0.0.1 until Ctrl-C.`, '']
  for (const entry of description.installations)
    lines.push(
      `${entry.id.padEnd(10)} ${`${entry.erp}${entry.layout ? ` (${entry.layout} files)` : ''}`.padEnd(28)} ${entry.planted ?? 'healthy'}`,
    )
  lines.push(
    '',
    configPath
      ? `Profiles written to ${configPath}. Try: synctrace doctor --all --config ${configPath}`
      : 'Write the profiles with --write-config <path>, or run: synctrace doctor --all --sandbox --fleet <N>.',
  )
  return lines.join('\n')
}
