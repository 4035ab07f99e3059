import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import type {HelpdeskId} from '../connectors/helpdesk/registry.js'
import {type HelpdeskTicket, markersIn} from '../connectors/helpdesk/types.js'
import {defaultTimeouts} from '../http/client.js'
import type {TraceReport} from '../report/types.js'
import {traceRecord, type TraceRunOptions} from '../trace/run.js'
import {findCandidates} from './candidates.js'
import {checkCandidates, type FoundRecord, mapBounded, type RejectedCandidate} from './find.js'
import type {TicketRecord, TicketReport, TicketRoute} from './types.js'

export interface TicketRunOptions extends Omit<TraceRunOptions, 'userId' | 'activity'> {
  /** How many records are traced at most (`--max-records`); the rest are listed. */
  maxRecords: number
  routedBy: TicketRoute
}

/** How many records are traced at once: each trace asks every hop at once already. */
const tracesAtOnce = 3

/**
 * What a person wrote on the ticket: subject, description and the comments, but not synctrace's own notes
 * (an internal note with a marker), whose codes are the answer, not the question.
 */
export function ticketTexts(ticket: HelpdeskTicket): string[] {
  const written = ticket.comments.filter((comment) => !(comment.internal && markersIn(comment.text).length > 0))
  return [ticket.subject, ticket.description, ...written.map((comment) => comment.text)]
}

/** The exit code of a ticket's report: a break anywhere wins, then anything not checked, else 0. */
export function ticketExitCode(records: readonly TicketRecord[], rejected: readonly RejectedCandidate[]): 0 | 3 | 4 {
  if (records.some((record) => record.report?.exitCode === 3)) return 3
  if (records.some((record) => record.report === null || record.report.exitCode === 4)) return 4
  return rejected.some((entry) => entry.unchecked) ? 4 : 0
}

async function traceFound(record: FoundRecord, profile: Profile, options: TicketRunOptions): Promise<TicketRecord> {
  try {
    const report: TraceReport = await traceRecord(record.entity, profile, record.key, options)
    return {entity: record.entity, error: null, key: record.key, report}
  } catch (error) {
    options.signal?.throwIfAborted()
    return {entity: record.entity, error: (error as Error).message.split('\n')[0] ?? '', key: record.key, report: null}
  }
}

/**
 * `synctrace ticket`: the codes the ticket's text names, each checked against the installation's CMS, the
 * records found traced (at most `maxRecords`, a few at once), and one report of it all.
 */
export async function investigateTicket(
  ticket: HelpdeskTicket,
  system: HelpdeskId,
  profile: Profile,
  options: TicketRunOptions,
): Promise<TicketReport> {
  const timeoutMs = options.timeoutMs ?? profile.timeoutMs ?? defaultTimeouts.totalMs
  const http = options.http.scoped({deadlineAt: Date.now() + timeoutMs})
  let checked: {found: FoundRecord[]; rejected: RejectedCandidate[]}
  try {
    checked = await checkCandidates(await clientsForProfile(profile, http), findCandidates(ticketTexts(ticket)))
  } finally {
    await http.close()
  }
  options.signal?.throwIfAborted()
  const traced = checked.found.slice(0, Math.max(0, options.maxRecords))
  const records = await mapBounded(traced, tracesAtOnce, (record) => traceFound(record, profile, options))
  return {
    exitCode: ticketExitCode(records, checked.rejected),
    notTraced: checked.found.slice(traced.length).map(({entity, key}) => ({entity, key})),
    profile: profile.name,
    records,
    rejected: checked.rejected,
    routedBy: options.routedBy,
    schemaVersion: 1,
    ticket: {
      id: ticket.id,
      organization: ticket.organization?.name ?? null,
      requester: ticket.requester,
      subject: ticket.subject,
      system,
      url: ticket.url,
    },
    tool: {name: 'synctrace', version: options.version},
  }
}
