import type {HelpdeskId} from '../connectors/helpdesk/registry.js'
import type {EntityName, TraceReport} from '../report/types.js'
import type {RejectedCandidate} from './find.js'

export type {FoundRecord, RejectedCandidate} from './find.js'

/** One record the ticket names, traced: its report, or why it could not be traced. */
export interface TicketRecord {
  entity: EntityName
  key: string
  report: TraceReport | null
  /** Why the trace failed (a usage or connection problem of that record), else null. */
  error: string | null
}

/** How the installation of a ticket was chosen. */
export type TicketRoute = 'profile' | 'organization' | 'domain' | 'default' | 'sandbox'

/** What `--post` did: posted a note, found the same one already there, or could not confirm a lost answer. */
export interface PostOutcome {
  status: 'posted' | 'already-on-ticket' | 'unconfirmed'
  ticket: string
  noteId: string | null
  marker: string
  /** The verdicts of synctrace's previous note on this subject, when they changed: "before → after" lines. */
  changes: string[]
}

/** `synctrace ticket <ticket>`: what the ticket asks, the records it names and their traces, the rest. */
export interface TicketReport {
  schemaVersion: 1
  tool: {name: 'synctrace'; version: string}
  ticket: {
    id: string
    system: HelpdeskId
    subject: string
    requester: {name: string; email: string | null}
    organization: string | null
    url: string
  }
  profile: string
  routedBy: TicketRoute
  /** The records found in the CMS and traced (at most --max-records). */
  records: TicketRecord[]
  /** Records found beyond --max-records: listed, not traced. */
  notTraced: Array<{entity: EntityName; key: string}>
  rejected: RejectedCandidate[]
  /** 0 every record consistent (or none found), 3 a break found, 4 something could not be checked. */
  exitCode: 0 | 3 | 4
  post?: PostOutcome
}
