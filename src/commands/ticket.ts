import {Args, Flags} from '@oclif/core'

import {connectionFlags, notWithJson, requestTimeoutMs, SynctraceCommand} from '../cli/base-command.js'
import {helpdeskFlag} from '../cli/helpdesk-flags.js'
import type {TicketSession} from '../cli/ticket-session.js'
import {withCommandSuffix} from '../cli/trace-command.js'
import type {TicketReport} from '../ticket/types.js'

export default class Ticket extends SynctraceCommand<typeof Ticket> {
  static override summary = 'Read a helpdesk ticket, trace every record it names, and report (or note) the answer.'

  static override description =
    `Reads the ticket from the profile's helpdesk (Zendesk, Freshdesk or Jira Service Management): subject, description, the latest comments, requester and organization. Finds the customer codes, item codes and order numbers it names (the words around a code say which: "kund", "customer", "delivery address"; "art.", "item", "price", "stock"; "order", "beställning"), checks each against the installation's CMS (a code the CMS does not have is no record, and is listed with why), traces the records found (at most --max-records, the rest listed) and prints one report. With --post, the report is added to the ticket as one internal note, once: if the same report is already there, nothing is posted; a changed verdict is a new note that says what changed.

The installation: --profile, --sandbox, else the config file's helpdeskRoutes (the ticket's organization or the requester's e-mail domain → a profile), else the default profile.

Exit codes: 0 every record consistent (or none named), 2 usage error (also: no such ticket, helpdesk credentials refused, no route for the ticket), 3 a break was found, 4 a hop or the helpdesk could not be checked (unreachable, rate-limited) and nothing else was found broken, 5 the helpdesk refused the note, 130 interrupted.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 4711 --sandbox',
    '<%= config.bin %> <%= command.id %> 4711 --sandbox --helpdesk jira --post',
    '<%= config.bin %> <%= command.id %> SUP-12 --profile acme --format markdown',
  ]

  static override args = {
    ticket: Args.string({description: 'The ticket id (Zendesk, Freshdesk: 4711; Jira: SUP-12).', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    format: Flags.option({
      char: 'f',
      default: 'terminal',
      description: 'Output format: terminal, markdown (the note --post adds) or json.',
      options: ['terminal', 'markdown', 'json'] as const,
      relationships: notWithJson,
    })(),
    helpdesk: helpdeskFlag,
    'max-records': Flags.integer({
      default: 5,
      description: 'Trace at most this many of the records the ticket names; the rest are listed.',
      max: 50,
      min: 1,
    }),
    post: Flags.boolean({default: false, description: 'Add the report to the ticket as one internal note.'}),
  }

  public async run(): Promise<TicketReport> {
    const {args, flags} = await this.parse(Ticket)
    const {validateKey} = await import('../model/keys.js')
    const {key: id} = validateKey('ticket id', args.ticket)
    const {openTicketSession} = await import('../cli/ticket-session.js')
    const opened = await openTicketSession(flags, this.ctx, id)
    let report: TicketReport
    try {
      report = await this.investigate(opened, flags)
      this.ctx.exitCode = report.exitCode
      if (!this.jsonEnabled()) await this.print(report, flags.format, opened)
      if (flags.post) await this.post(report, opened)
    } finally {
      await opened.session.close()
    }
    if (flags.format === 'json' && !this.jsonEnabled()) this.log(JSON.stringify(report, null, 2))
    return report
  }

  private async investigate(
    opened: TicketSession,
    flags: {'max-records': number; timeout?: number},
  ): Promise<TicketReport> {
    const {investigateTicket} = await import('../ticket/run.js')
    const system = opened.connector.system as TicketReport['ticket']['system']
    return investigateTicket(opened.ticket, system, opened.session.profile, {
      commandSuffix: opened.session.commandSuffix,
      debug: this.debugLine,
      http: this.ctx.http(),
      maxRecords: flags['max-records'],
      routedBy: opened.routedBy,
      signal: this.abortController.signal,
      timeoutMs: requestTimeoutMs(flags),
      version: this.config.version,
    })
  }

  private async print(report: TicketReport, format: string, opened: TicketSession): Promise<void> {
    const {renderTicketMarkdown, renderTicketTerminal} = await import('../ticket/render.js')
    if (format === 'json') return
    if (format === 'markdown') return this.log(renderTicketMarkdown(this.pasted(report, opened)))
    const {Chalk} = await import('chalk')
    const {terminalWidth} = await import('../render/wrap.js')
    const color = this.useColor
    const width = terminalWidth(this.ctx.io.stdout, this.ctx.env)
    this.log(await renderTicketTerminal(report, {chalk: new Chalk({level: color ? 2 : 0}), color, width}))
  }

  /** The report as an admin reads it in the ticket: every suggested command without local paths. */
  private pasted(report: TicketReport, opened: TicketSession): TicketReport {
    const {adminSuffix, commandSuffix} = opened.session
    return {
      ...report,
      records: report.records.map((record) => ({
        ...record,
        report: record.report && withCommandSuffix(record.report, commandSuffix, adminSuffix),
      })),
    }
  }

  private async post(report: TicketReport, opened: TicketSession): Promise<void> {
    const {postLine, postNote} = await import('../cli/post-note.js')
    const {ticketNote} = await import('../ticket/post.js')
    const note = ticketNote(this.pasted(report, opened))
    report.post = await postNote(opened.connector, note)
    if (report.post.status === 'unconfirmed' && this.ctx.exitCode === 0) this.ctx.exitCode = 4
    if (!this.jsonEnabled()) this.logToStderr(postLine(report.post))
  }
}
