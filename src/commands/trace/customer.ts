import {Args, Flags} from '@oclif/core'

import {connectionFlags, SynctraceCommand} from '../../cli/base-command.js'
import type {TraceReport} from '../../trace/types.js'

export default class TraceCustomer extends SynctraceCommand<typeof TraceCustomer> {
  static override summary = 'Trace a customer from the ERP through the CMS to the sales app and webshop.'

  static override description = `Fetches the customer at every hop of the installation's chain at once (ERP → CMS → app, webshop), compares the hops field by field, names the first hop where the record went missing, stale or different, explains why with evidence, and gives the action that fits.

Exit codes: 0 consistent everywhere, 1 synctrace failed, 2 usage error, 3 a break was found, 4 a hop could not be checked and nothing else was found broken.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 10042 --sandbox',
    '<%= config.bin %> <%= command.id %> 10080 --sandbox --user u-17',
    '<%= config.bin %> <%= command.id %> 10042 --profile acme --format markdown',
    '<%= config.bin %> <%= command.id %> 10042 --profile acme --json',
  ]

  static override args = {
    code: Args.string({description: 'The customer code as the ERP shows it (quote it if it holds spaces or quotes).', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    format: Flags.option({char: 'f', default: 'terminal', description: 'Output format: terminal, markdown (for a ticket) or json.', options: ['terminal', 'markdown', 'json'] as const})(),
    user: Flags.string({char: 'u', description: "Check this app user's devices (default: the users of the customer's sales reps)."}),
  }

  public async run(): Promise<TraceReport> {
    const {args, flags} = await this.parse(TraceCustomer)
    const {validateKey} = await import('../../model/keys.js')
    const {key, trimmed} = validateKey('customer code', args.code)
    if (trimmed) this.warn('Leading or trailing spaces in the customer code were ignored.')
    const userId = flags.user === undefined ? undefined : validateKey('user id', flags.user).key
    const {openSession} = await import('../../cli/session.js')
    const {traceCustomer} = await import('../../trace/run.js')
    const session = await openSession(flags)
    let report: TraceReport
    try {
      report = await traceCustomer(session.profile, key, {
        commandSuffix: session.commandSuffix,
        debug: this.debugLine,
        signal: this.abortController.signal,
        timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
        userId,
        version: this.config.version,
      })
    } finally {
      await session.close()
    }
    process.exitCode = report.exitCode
    if (this.jsonEnabled()) return report
    if (flags.format === 'json') this.log(JSON.stringify(report, null, 2))
    else if (flags.format === 'markdown') this.log((await import('../../render/markdown.js')).renderMarkdown(report))
    else {
      const {Chalk} = await import('chalk')
      const color = this.useColor
      const {renderTerminal} = await import('../../render/terminal.js')
      this.log(await renderTerminal(report, {chalk: new Chalk({level: color ? 2 : 0}), color, width: process.stdout.columns || 120}))
    }
    return report
  }
}
