import {Flags} from '@oclif/core'

import {connectionFlags, notWithJson, SynctraceCommand} from '../cli/base-command.js'
import {helpdeskFlag} from '../cli/helpdesk-flags.js'
import {fleetFlags, runFleetCommand} from '../cli/doctor-fleet-command.js'
import type {DoctorReport} from '../doctor/doctor.js'
import type {FleetEntry} from '../doctor/fleet.js'
import {UserError} from '../util/errors.js'

export default class Doctor extends SynctraceCommand<typeof Doctor> {
  static override summary =
    'Check every hop of an installation: reachable, authenticated, latency, clock, automatic syncs.'

  static override description =
    `For each hop: is it reachable, does it accept the credentials (and which CMS role they have), how long it takes, what it reports (connection type, ERP system, company, API version), and how far its clock is from this machine's (a skewed clock makes "stale" verdicts wrong). For the CMS: the last automatic sync of customers, items, prices and stock, and whether it is overdue against the schedule.

With --all: every installation of the config file (or those --profiles and --tag select) at once, one line each, worst first; exit codes 0 all healthy, 3 problems found, 4 some installation could not be checked.

Exit codes: 0 healthy, 3 problems found, 4 something unreachable, 2 usage error.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --sandbox',
    '<%= config.bin %> <%= command.id %> --profile acme --format markdown',
    "<%= config.bin %> <%= command.id %> --all --profiles 'acme-*' --tag nightly --format csv",
    '<%= config.bin %> <%= command.id %> --all --sandbox --fleet 12',
  ]

  static override flags = {
    ...connectionFlags,
    ...fleetFlags,
    format: Flags.option({
      char: 'f',
      relationships: notWithJson,
      default: 'terminal',
      description: 'Output format: terminal, markdown or json; with --all also csv.',
      options: ['terminal', 'markdown', 'json', 'csv'] as const,
    })(),
    helpdesk: helpdeskFlag,
  }

  public async run(): Promise<DoctorReport | FleetEntry[]> {
    const {flags} = await this.parse(Doctor)
    if (flags.all)
      return runFleetCommand({ctx: this.ctx, json: this.jsonEnabled(), log: (text) => this.log(text)}, flags)
    if (flags.format === 'csv')
      throw new UserError(
        "--format csv is the fleet view's (doctor --all).",
        'Use --format markdown or json, or add --all.',
      )
    const {openSession} = await import('../cli/session.js')
    const {runDoctor} = await import('../doctor/doctor.js')
    const session = await openSession(flags, this.ctx.env)
    let report: DoctorReport
    let timeZone: string | undefined
    try {
      report = await runDoctor(session.profile, {
        commandSuffix: session.commandSuffix,
        http: this.ctx.http(),
        onTimeZone: (zone) => {
          timeZone = zone
        },
        timeoutMs: flags.timeout ? flags.timeout * 1000 : session.profile.timeoutMs,
      })
    } finally {
      await session.close()
    }
    this.ctx.exitCode = report.exitCode
    if (this.jsonEnabled()) return report
    if (flags.format === 'json') this.log(JSON.stringify(report, null, 2))
    else if (flags.format === 'markdown')
      this.log((await import('../render/doctor.js')).renderDoctorMarkdown(report, this.config.version, timeZone))
    else {
      const {Chalk} = await import('chalk')
      const {terminalWidth} = await import('../render/wrap.js')
      const color = this.useColor
      this.log(
        await (await import('../render/doctor.js')).renderDoctorTerminal(report, {
          chalk: new Chalk({level: color ? 2 : 0}),
          color,
          width: terminalWidth(this.ctx.io.stdout, this.ctx.env),
        }),
      )
    }
    return report
  }
}
