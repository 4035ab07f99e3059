import type {HttpClient} from '../../../http/client.js'
import type {JsonObject} from '../../schema.js'
import {parseAnswer} from '../../schema.js'
import {HelpdeskError} from '../errors.js'
import {basicAuth, HelpdeskHttp} from '../http.js'
import {defaultCommentCount, maxNotePages} from '../paging.js'
import {
  type HelpdeskConnector,
  type HelpdeskNote,
  type HelpdeskPerson,
  type HelpdeskProbe,
  type HelpdeskTicket,
  markersIn,
  type NoteToPost,
  type PostedNote,
  type ReadOptions,
} from '../types.js'
import * as schemas from './schemas.js'

export interface ZendeskSettings {
  /** `https://{subdomain}.zendesk.com` */
  url: string
  email: string
  token: string
}

const system = 'Zendesk'

/** `{"error": "RecordInvalid", "description": "…", "details": {…}}`, or `{"error": {"title", "message"}}`. */
export function describeZendeskError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined
  const {description, details, error} = body as JsonObject
  const title =
    typeof error === 'string'
      ? error
      : typeof (error as JsonObject)?.title === 'string'
        ? (error as JsonObject).title
        : null
  const message = typeof description === 'string' ? description : (error as JsonObject)?.message
  const detail = details && typeof details === 'object' ? JSON.stringify(details).slice(0, 200) : null
  return [title, typeof message === 'string' ? message : null, detail].filter(Boolean).join(': ') || undefined
}

const person = (users: schemas.ZendeskUser[], userId: string | null | undefined): HelpdeskPerson => {
  const found = users.find((user) => user.id === userId)
  return {email: found?.email ?? null, name: found?.name ?? (userId ? `user ${userId}` : 'unknown')}
}

const ticketPath = (id: string) => `/api/v2/tickets/${encodeURIComponent(id)}`

/**
 * Zendesk Support API v2: Basic `{email}/token:{api token}`, the ticket with its users and organization
 * side-loaded, comments by cursor (`page[size]`, `links.next`), an internal note as a ticket update with
 * `comment.html_body` and `public: false` (there is no create-comment endpoint).
 */
export class ZendeskConnector implements HelpdeskConnector {
  readonly system = 'zendesk'
  private readonly api: HelpdeskHttp

  constructor(http: HttpClient, settings: ZendeskSettings) {
    this.api = new HelpdeskHttp(http, {
      authorization: basicAuth(`${settings.email}/token`, settings.token),
      baseUrl: settings.url,
      describeError: describeZendeskError,
      system,
    })
  }

  async readTicket(id: string, options: ReadOptions = {}): Promise<HelpdeskTicket> {
    const answer = await this.api.get(`${ticketPath(id)}.json?include=users,organizations`)
    const {
      organizations = [],
      ticket,
      users = [],
    } = parseAnswer(schemas.ticketAnswer, answer.body, system, 'the ticket')
    const size = Math.min(100, Math.max(1, options.comments ?? defaultCommentCount))
    const page = await this.api.get(`${ticketPath(id)}/comments.json?sort_order=desc&page[size]=${size}&include=users`)
    const comments = parseAnswer(schemas.commentsPage, page.body, system, 'the comments')
    const everyone = [...users, ...(comments.users ?? [])]
    const organization = organizations.find((entry) => entry.id === ticket.organization_id)
    return {
      // Newest first: on the last page the oldest comment is the description itself, not a comment on it.
      comments: (comments.meta?.has_more ? comments.comments : comments.comments.slice(0, -1))
        .reverse()
        .map((entry) => ({
          author: person(everyone, entry.author_id),
          createdAt: entry.created_at,
          id: entry.id,
          internal: !entry.public,
          text: entry.plain_body ?? entry.body ?? '',
        })),
      description: ticket.description ?? '',
      id: ticket.id,
      organization: organization ? {name: organization.name} : null,
      requester: person(everyone, ticket.requester_id),
      subject: ticket.subject ?? '',
      url: `${this.api.origin}/agent/tickets/${encodeURIComponent(ticket.id)}`,
    }
  }

  async listNotes(id: string): Promise<HelpdeskNote[]> {
    const notes: HelpdeskNote[] = []
    let next: string | null = `${ticketPath(id)}/comments.json?page[size]=100`
    for (let pages = 0; next; pages++) {
      if (pages === maxNotePages)
        throw new HelpdeskError(
          'bad-response',
          `${system}: ticket ${id} has more than ${maxNotePages} pages of comments`,
        )
      const answer: {body: unknown} = await this.api.get(next)
      const page: ReturnType<typeof schemas.commentsPage.parse> = parseAnswer(
        schemas.commentsPage,
        answer.body,
        system,
        'the comments',
      )
      for (const entry of page.comments) {
        const text = entry.plain_body ?? entry.body ?? ''
        notes.push({createdAt: entry.created_at, id: entry.id, internal: !entry.public, markers: markersIn(text), text})
      }
      next = page.meta?.has_more && page.links?.next ? page.links.next : null
    }
    return notes
  }

  async postInternalNote(id: string, note: NoteToPost): Promise<PostedNote> {
    // markdown-it and marklassian are loaded when a note is posted, not by every trace that reads a profile.
    const {markdownToHtml, withMarker} = await import('../markdown.js')
    const html = markdownToHtml(withMarker(note.markdown, note.marker))
    try {
      const answer = await this.api.write('PUT', `${ticketPath(id)}.json`, {
        ticket: {comment: {html_body: html, public: false}},
      })
      const update = parseAnswer(schemas.updateAnswer, answer.body, system, 'the ticket update')
      const event = update.audit?.events?.find((entry) => entry.type === 'Comment')
      return {noteId: event?.id ?? '', url: `${this.api.origin}/agent/tickets/${encodeURIComponent(id)}`}
    } catch (error) {
      throw commentLimit(error, id)
    }
  }

  async probe(): Promise<HelpdeskProbe> {
    const answer = await this.api.get('/api/v2/users/me.json')
    const {user} = parseAnswer(schemas.meAnswer, answer.body, system, 'the current user')
    // Unauthenticated, /users/me answers an anonymous end-user (id null) instead of 401.
    if (user.id === null)
      throw new HelpdeskError(
        'auth',
        `${system}: the credentials were not accepted (the API answered as an anonymous user)`,
      )
    const agent = user.role === 'agent' || user.role === 'admin'
    return {
      canAddInternalNotes: agent,
      details: {email: user.email ?? '', role: user.role, user: user.name ?? ''},
      ...(agent ? {} : {note: `the role "${user.role}" cannot add internal notes: an agent's API token is needed`}),
    }
  }
}

/** A 422 on a note to a ticket at its 5000 comments is that limit, not an invalid note. */
function commentLimit(error: unknown, id: string): unknown {
  if (!(error instanceof HelpdeskError) || error.problem.httpStatus !== 422) return error
  if (!/comment/i.test(error.message) || !/5000|5,000|exceed|maximum|limit/i.test(error.message)) return error
  return new HelpdeskError(
    'comment-limit',
    `${system}: ticket ${id} has reached 5000 comments, the most a ticket can hold; no note can be added`,
    422,
  )
}
