import type {HttpClient} from '../../../http/client.js'
import type {JsonObject} from '../../schema.js'
import {parseAnswer} from '../../schema.js'
import {HelpdeskError} from '../errors.js'
import {basicAuth, HelpdeskHttp} from '../http.js'
import {defaultCommentCount, maxNotePages, nextLink} from '../paging.js'
import {
  type HelpdeskComment,
  type HelpdeskConnector,
  type HelpdeskNote,
  type HelpdeskProbe,
  type HelpdeskTicket,
  markersIn,
  type NoteToPost,
  type PostedNote,
  type ReadOptions,
} from '../types.js'
import * as schemas from './schemas.js'

export interface FreshdeskSettings {
  /** `https://{domain}.freshdesk.com` */
  url: string
  /** The agent's API key. */
  token: string
}

const system = 'Freshdesk'

/** `{"description": "Validation failed", "errors": [{"field", "message", "code"}]}` or `{"code", "message"}`. */
export function describeFreshdeskError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {code, description, errors, message} = body as JsonObject
  const first = Array.isArray(errors) ? (errors[0] as JsonObject | undefined) : undefined
  const detail = first ? [first.field, first.message].filter((part) => typeof part === 'string').join(': ') : null
  return (
    [typeof description === 'string' ? description : null, typeof message === 'string' ? message : null, detail]
      .filter(Boolean)
      .join(': ') || (typeof code === 'string' ? code : undefined)
  )
}

const ticketPath = (id: string) => `/api/v2/tickets/${encodeURIComponent(id)}`

/**
 * Freshdesk API v2: Basic `{API key}:X`, the ticket with its requester and company, conversations (replies and
 * notes) by `page`/`per_page` with a `Link` header while there are more, an internal note as a private note
 * whose body is HTML.
 */
export class FreshdeskConnector implements HelpdeskConnector {
  readonly system = 'freshdesk'
  private readonly api: HelpdeskHttp

  constructor(http: HttpClient, settings: FreshdeskSettings) {
    this.api = new HelpdeskHttp(http, {
      authorization: basicAuth(settings.token, 'X'),
      baseUrl: settings.url,
      describeError: describeFreshdeskError,
      system,
    })
  }

  async readTicket(id: string, options: ReadOptions = {}): Promise<HelpdeskTicket> {
    const answer = await this.api.get(`${ticketPath(id)}?include=requester,company`)
    const ticket = parseAnswer(schemas.ticketAnswer, answer.body, system, 'the ticket')
    const requester = {email: ticket.requester?.email ?? null, name: ticket.requester?.name ?? 'unknown'}
    // Conversations come oldest first: the latest are the listing's end.
    const all = await this.conversations(id)
    const comments: HelpdeskComment[] = all.slice(-(options.comments ?? defaultCommentCount)).map((entry) => ({
      author:
        entry.user_id && entry.user_id === ticket.requester_id
          ? requester
          : {email: entry.from_email ?? null, name: entry.from_email ?? `agent ${entry.user_id ?? 'unknown'}`},
      createdAt: entry.created_at,
      id: entry.id,
      internal: entry.private,
      text: entry.body_text ?? '',
    }))
    return {
      comments,
      description: ticket.description_text ?? '',
      id: ticket.id,
      organization: ticket.company ? {name: ticket.company.name} : null,
      requester,
      subject: ticket.subject ?? '',
      url: `${this.api.origin}/a/tickets/${encodeURIComponent(ticket.id)}`,
    }
  }

  async listNotes(id: string): Promise<HelpdeskNote[]> {
    return (await this.conversations(id)).map((entry) => {
      const text = entry.body_text ?? ''
      return {createdAt: entry.created_at, id: entry.id, internal: entry.private, markers: markersIn(text), text}
    })
  }

  private async conversations(id: string) {
    const all: Array<ReturnType<typeof schemas.conversation.parse>> = []
    let next: string | null = `${ticketPath(id)}/conversations?per_page=100&page=1`
    for (let pages = 0; next; pages++) {
      if (pages === maxNotePages)
        throw new HelpdeskError(
          'bad-response',
          `${system}: ticket ${id} has more than ${maxNotePages} pages of conversations`,
        )
      const answer = await this.api.get(next)
      all.push(...parseAnswer(schemas.conversations, answer.body, system, 'the conversations'))
      next = nextLink(answer.headers.link)
    }
    return all
  }

  async postInternalNote(id: string, note: NoteToPost): Promise<PostedNote> {
    // markdown-it and marklassian are loaded when a note is posted, not by every trace that reads a profile.
    const {markdownToHtml, withMarker} = await import('../markdown.js')
    const body = markdownToHtml(withMarker(note.markdown, note.marker))
    const answer = await this.api.write('POST', `${ticketPath(id)}/notes`, {body, private: true})
    const posted = parseAnswer(schemas.noteAnswer, answer.body, system, 'the note')
    return {noteId: posted.id, url: `${this.api.origin}/a/tickets/${encodeURIComponent(id)}`}
  }

  async probe(): Promise<HelpdeskProbe> {
    const answer = await this.api.get('/api/v2/agents/me')
    const agent = parseAnswer(schemas.agentAnswer, answer.body, system, 'the current agent')
    // Every agent may add a private note to the tickets it can see; the API cannot tell more without writing.
    return {
      canAddInternalNotes: true,
      details: {
        agent: agent.contact?.name ?? '',
        email: agent.contact?.email ?? '',
        ticketScope: {1: 'all tickets', 2: "its groups' tickets", 3: 'its own tickets'}[agent.ticket_scope ?? 1] ?? '',
      },
      ...(agent.ticket_scope && agent.ticket_scope > 1
        ? {note: 'the agent sees only some tickets: a note on another ticket is refused'}
        : {}),
    }
  }
}
