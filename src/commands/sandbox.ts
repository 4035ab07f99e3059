import {Flags} from '@oclif/core'

import {SynctraceCommand} from '../cli/base-command.js'
import type {SandboxDescription} from '../sandbox/describe.js'
import {sandboxInstallations, scaleInstallationNames} from '../cli/sandbox-installations.js'

export default class SandboxCommand extends SynctraceCommand<typeof SandboxCommand> {
  static override summary = 'Run the sandbox installation on this machine until Ctrl-C.'

  static override description =
    `Starts a complete imitation of a customer's installation on 127.0.0.1: a Business Central ERP (API v2.0, with its OAuth token endpoint), the CMS, the app backend and the webshop, seeded with the scenarios listed in the README. Prints where each hop listens, the tokens, and a profile that points at it; every other command can then run against it with --config/--profile, exactly as against production.

--sandbox on any other command starts a private sandbox just for that command instead.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --write-config /tmp/sandbox.json   # then: synctrace trace customer 10042 --config /tmp/sandbox.json',
  ]

  static override handlesInterrupt = true

  /** Its tokens are throw-away and printing them is its purpose; the output is neutralised all the same. */
  static override printsOwnSecrets = true

  static override flags = {
    fault: Flags.string({
      description:
        'Make a hop misbehave: <hop>=<fault>, hop erp|cms|app|webshop (of every installation, or <installation>.<hop>), fault down|hang|reset|html|malformed-json|slow:<ms>|huge:<MB>|<status>|429:<retry-after s>. Repeatable.',
      multiple: true,
    }),
    fleet: Flags.integer({
      exclusive: ['fault', 'scale', 'installation'],
      description:
        'Start this many generated installations (every ERP and file layout, in one process) with planted problems, and print which installation carries which (doctor --all finds them).',
      max: 1000,
      min: 1,
    }),
    installation: Flags.string({
      description: `Start only this installation: ${sandboxInstallations.join(', ')} (default: all; with --scale: ${scaleInstallationNames.join(', ')}).`,
      multiple: true,
    }),
    scale: Flags.integer({
      exclusive: ['fault'],
      description:
        'Start generated installations (scale: Business Central, scale-ftp: export files) with this many customers and items per hop, and print the differences planted in them.',
      max: 5_000_000,
      min: 10,
    }),
    'write-config': Flags.string({
      description: 'Write a config file with a profile per sandbox installation to this path (mode 0600).',
    }),
  }

  public async run(): Promise<SandboxDescription | undefined> {
    const {flags} = await this.parse(SandboxCommand)
    if (flags.scale !== undefined) return this.runScale(flags.scale, flags.installation, flags['write-config'])
    if (flags.fleet !== undefined) return this.runFleet(flags.fleet, flags['write-config'])
    const {startSandbox} = await import('../sandbox/sandbox.js')
    const {describeSandbox, writeSandboxConfig} = await import('../sandbox/describe.js')
    const {seededInstallations} = await import('../sandbox/seed.js')
    const {UserError} = await import('../util/errors.js')
    const {suggestName} = await import('../util/closest.js')
    const unknown = (flags.installation ?? []).filter((id) => !seededInstallations().includes(id))
    if (unknown.length > 0)
      throw new UserError(
        `The sandbox has no installation ${unknown.join(', ')}.`,
        suggestName(unknown[0] as string, seededInstallations(), {what: 'installation'}),
      )
    const started = flags.installation && flags.installation.length > 0 ? flags.installation : seededInstallations()
    const faults = await parseFaults(flags.fault ?? [], started)
    const sandbox = await startSandbox({installations: flags.installation})
    for (const {fault, hop, installation} of faults)
      for (const id of installation ? [installation] : sandbox.installations.keys())
        await sandbox.setFault(id, hop, fault)
    const description = describeSandbox(sandbox)
    const {sandboxStatePath, writePrivateFile} = await import('../config/store.js')
    // Written like every private file: atomically, mode 0600, never through a symlink at the path; a rotating
    // secret (eAccounting's refresh token) in the secrets file beside it.
    // A path it must not write (a symlink) ends the run: the servers it started stop first.
    if (flags['write-config'])
      await writeSandboxConfig(flags['write-config'], description).catch(async (error: unknown) => {
        await sandbox.stop()
        throw error
      })
    const {rm} = await import('node:fs/promises')
    // Lets `synctrace profile add --from-sandbox` find this sandbox while it runs.
    const statePath = sandboxStatePath(this.ctx.env)
    await writePrivateFile(statePath, JSON.stringify(description))

    if (this.jsonEnabled()) this.ctx.out.line('stdout', this.outputOptions('stdout'), JSON.stringify(description))
    else this.log(this.describe(description, flags['write-config']))

    await untilStopped()
    await sandbox.stop()
    await rm(statePath, {force: true})
    this.ctx.out.line('stderr', this.outputOptions('stderr'), 'Sandbox stopped.')
    process.exit(0)
  }

  /** `--scale N`: the generated installations, until Ctrl-C. */
  private async runScale(
    records: number,
    only: string[] | undefined,
    configPath: string | undefined,
  ): Promise<undefined> {
    const {scaleInstallations, startScaleInstallation} = await import('../sandbox/scale/installation.js')
    const {describeScale} = await import('../sandbox/scale/describe.js')
    const {UserError} = await import('../util/errors.js')
    const {suggestName} = await import('../util/closest.js')
    const ids = only && only.length > 0 ? only : scaleInstallations
    const unknown = ids.filter((id) => !scaleInstallations.includes(id))
    if (unknown.length > 0)
      throw new UserError(
        `The scale sandbox has no installation ${unknown.join(', ')}.`,
        suggestName(unknown[0] as string, scaleInstallations, {what: 'installation'}),
      )
    const started = await Promise.all(ids.map((id) => startScaleInstallation({id, records})))
    const description = describeScale(started, records)
    const {writePrivateFile} = await import('../config/store.js')
    if (configPath) await writePrivateFile(configPath, `${JSON.stringify(description.config, null, 2)}\n`)
    if (this.jsonEnabled()) this.ctx.out.line('stdout', this.outputOptions('stdout'), JSON.stringify(description))
    else {
      const lines = [
        `synctrace sandbox: ${records} customers and items per hop, running on 127.0.0.1 until Ctrl-C.`,
        '',
      ]
      for (const installation of description.installations) {
        lines.push(`Installation ${installation.id}`)
        for (const [hop, url] of Object.entries(installation.urls)) lines.push(`  ${hop.padEnd(8)} ${url}`)
        lines.push(
          `  tokens   admin ${installation.tokens.admin}`,
          `           support ${installation.tokens.support}`,
          '  Planted findings (what reconcile must find):',
        )
        for (const [entity, pairs] of Object.entries({...installation.planted, prices: installation.plantedPrices}))
          for (const [pair, classes] of Object.entries(pairs))
            lines.push(
              `    ${entity} ${pair}: ${Object.entries(classes)
                .map(([name, count]) => `${name} ${count}`)
                .join(', ')}`,
            )
        lines.push('')
      }
      lines.push(
        configPath
          ? `Profiles written to ${configPath}. Try: synctrace reconcile customers --config ${configPath}`
          : 'Write the profiles with --write-config <path>.',
      )
      this.log(lines.join('\n'))
    }
    await untilStopped()
    await Promise.all(started.map((installation) => installation.stop()))
    this.ctx.out.line('stderr', this.outputOptions('stderr'), 'Sandbox stopped.')
    process.exit(0)
  }

  /** `--fleet N`: the generated fleet, until Ctrl-C. */
  private async runFleet(size: number, configPath: string | undefined): Promise<undefined> {
    const {startFleet} = await import('../sandbox/fleet.js')
    const {describeFleet, fleetLines} = await import('../cli/sandbox-fleet.js')
    const fleet = await startFleet({size})
    const description = describeFleet(fleet)
    const {writePrivateFile} = await import('../config/store.js')
    if (configPath) await writePrivateFile(configPath, `${JSON.stringify(description.config, null, 2)}\n`)
    if (this.jsonEnabled()) this.ctx.out.line('stdout', this.outputOptions('stdout'), JSON.stringify(description))
    else this.log(fleetLines(description, configPath))
    await untilStopped()
    await fleet.stop()
    this.ctx.out.line('stderr', this.outputOptions('stderr'), 'Sandbox stopped.')
    process.exit(0)
  }

  private describe(description: SandboxDescription, configPath: string | undefined): string {
    const lines: string[] = ['synctrace sandbox: running on 127.0.0.1 until Ctrl-C.', '']
    for (const installation of description.installations) {
      lines.push(`Installation ${installation.id}`)
      for (const [hop, url] of Object.entries(installation.urls)) lines.push(`  ${hop.padEnd(8)} ${url}`)
      lines.push(`  tokens   admin ${installation.tokens.admin}`)
      lines.push(`           support ${installation.tokens.support}`)
      if (installation.erp)
        lines.push(
          `  ERP      ${installation.erp.system} at ${installation.erp.url}: ${Object.entries(installation.erp)
            .filter(([field]) => field !== 'system' && field !== 'url')
            .map(([field, value]) => `${field} ${String(value)}`)
            .join(', ')}`,
        )
      if (installation.fileServer) {
        lines.push(
          `  files    ${installation.fileServer.sftpUrl} · ${installation.fileServer.ftpUrl} · ${installation.fileServer.ftpsUrl}`,
        )
        lines.push(
          `           user ${installation.fileServer.user} / password ${installation.fileServer.password} · SFTP host key SHA256:${installation.fileServer.hostKeySha256}`,
        )
      }
      lines.push('  Scenarios:')
      for (const scenario of installation.scenarios) lines.push(`    ${scenario.code.padEnd(8)} ${scenario.situation}`)
      lines.push('')
    }
    if (configPath)
      lines.push(`Profiles written to ${configPath}. Try:`, `  synctrace trace customer 10042 --config ${configPath}`)
    else
      lines.push(
        'Save a profile that points at it:  synctrace profile add --from-sandbox acme',
        'or write a whole config file:      synctrace sandbox --write-config <path>',
        'Profiles:',
        JSON.stringify(description.config, null, 2),
      )
    return lines.join('\n')
  }
}

/** Until Ctrl-C or SIGTERM: the sandbox runs in the foreground. */
function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

/** `--fault [installation.]hop=fault` specs, each for an installation this sandbox starts. */
async function parseFaults(specs: string[], started: string[]) {
  const {UserError} = await import('../util/errors.js')
  const {parseFaultSpec} = await import('../emulation/service.js')
  const {serviceHops} = await import('../report/entities.js')
  const faults = specs.map((spec) => {
    const match = new RegExp(`^(?:([\\w-]+)\\.)?(${serviceHops.join('|')})=(.+)$`).exec(spec)
    if (!match)
      throw new UserError(
        `--fault "${spec}" is not <hop>=<fault>.`,
        'For example: --fault webshop=down, --fault cms=slow:3000, --fault app=429:5',
      )
    try {
      return {
        fault: parseFaultSpec(match[3] as string),
        hop: match[2] as (typeof serviceHops)[number],
        installation: match[1],
      }
    } catch (error) {
      throw new UserError(`--fault: ${(error as Error).message}.`, 'See synctrace sandbox --help.')
    }
  })
  const elsewhere = faults.filter((fault) => fault.installation && !started.includes(fault.installation))
  if (elsewhere.length > 0)
    throw new UserError(
      `--fault ${elsewhere.map((fault) => `${fault.installation}.${fault.hop}`).join(', ')} names an installation this sandbox does not start.`,
      `Start it too (--installation ${elsewhere[0]?.installation}), or use one of: ${started.join(', ')}.`,
    )
  return faults
}
