import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {
  basicCredentials,
  type EmulatedComment,
  type EmulatedTicket,
  type HelpdeskState,
  htmlText,
  linkBase,
  rateLimited,
  seedHelpdesk,
} from './state.js'

/** A ticket holds at most this many comments; an update adding one more answers 422. */
export const zendeskMaxComments = 5000

/** Zendesk's limits as the sandbox keeps them: 700 requests a minute per account, 30 updates per ticket and user in 10 minutes. */
export function seedZendesk(): HelpdeskState {
  return seedHelpdesk({requests: [700, 60_000], writesPerTicket: [30, 600_000]})
}

const notFound = () => json(404, {description: 'Not found', error: 'RecordNotFound'})

/** Zendesk's 429: plain text, Retry-After in seconds. */
const tooMany = (seconds: number): SandboxResponse => ({
  body: `Rate limited. Retry after ${seconds} seconds.`,
  headers: {'content-type': 'text/plain; charset=utf-8', 'retry-after': String(seconds)},
  status: 429,
})

function userJson(state: HelpdeskState, id: number) {
  const user = state.users.find((entry) => entry.id === id)
  return user ? {email: user.email, id: user.id, name: user.name, role: user.role} : null
}

/** The ticket's comments as Zendesk lists them: the description is the first comment. */
function commentsOf(ticket: EmulatedTicket): EmulatedComment[] {
  const first: EmulatedComment = {
    adf: null,
    authorId: ticket.requesterId,
    createdAt: ticket.createdAt,
    html: null,
    id: ticket.id * 1000,
    internal: false,
    properties: [],
    text: ticket.description,
  }
  return [first, ...ticket.comments]
}

function commentJson(comment: EmulatedComment) {
  const escaped = comment.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return {
    attachments: [],
    author_id: comment.authorId,
    body: comment.text,
    created_at: comment.createdAt,
    html_body: comment.html ?? `<div class="zd-comment"><p>${escaped}</p></div>`,
    id: comment.id,
    plain_body: comment.text,
    public: !comment.internal,
    type: 'Comment',
  }
}

function ticketJson(ticket: EmulatedTicket, url: string) {
  return {
    created_at: ticket.createdAt,
    description: ticket.description,
    id: ticket.id,
    organization_id: ticket.organizationId,
    raw_subject: ticket.subject,
    requester_id: ticket.requesterId,
    status: 'open',
    subject: ticket.subject,
    submitter_id: ticket.requesterId,
    url: `${url}/api/v2/tickets/${ticket.id}.json`,
  }
}

function showTicket(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest, url: string) {
  const include = (request.query.get('include') ?? '').split(',')
  const people = [...new Set([ticket.requesterId, ...ticket.comments.map((comment) => comment.authorId)])]
  return json(200, {
    ticket: ticketJson(ticket, url),
    ...(include.includes('users') ? {users: people.map((id) => userJson(state, id)).filter(Boolean)} : {}),
    ...(include.includes('organizations')
      ? {organizations: state.organizations.filter((entry) => entry.id === ticket.organizationId)}
      : {}),
  })
}

/** Cursor paging (`page[size]` up to 100, `page[after]`), or the first page of offset paging without it. */
function listComments(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest, url: string) {
  const descending = request.query.get('sort_order') === 'desc'
  const all = descending ? [...commentsOf(ticket)].reverse() : commentsOf(ticket)
  const sizeParameter = request.query.get('page[size]')
  const size = Math.min(state.maxPageSize, Math.max(1, Number(sizeParameter ?? 100) || 100))
  const after = request.query.get('page[after]')
  const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) || 0 : 0
  const page = all.slice(start, start + size)
  const hasMore = start + size < all.length
  const cursor = Buffer.from(String(start + size)).toString('base64url')
  const order = descending ? '&sort_order=desc' : ''
  const next = `${linkBase(state, url)}/api/v2/tickets/${ticket.id}/comments.json?page[size]=${size}&page[after]=${cursor}${order}`
  const users = request.query.get('include') === 'users'
  return json(200, {
    comments: page.map(commentJson),
    ...(sizeParameter === null
      ? {count: all.length, next_page: null, previous_page: null}
      : {
          links: {next: hasMore ? next : null, prev: null},
          meta: {after_cursor: hasMore ? cursor : null, before_cursor: null, has_more: hasMore},
        }),
    ...(users ? {users: [...new Set(page.map((comment) => comment.authorId))].map((id) => userJson(state, id))} : {}),
  })
}

/** A Zendesk-like sanitiser: no script, no event handlers, no javascript: links. */
function sanitize(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/\son\w+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/href\s*=\s*"javascript:[^"]*"/gi, '')
}

/** `PUT /api/v2/tickets/{id}.json` with `ticket.comment`: a new comment (the only way to add one). */
function updateTicket(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest, url: string) {
  let comment: {body?: unknown; html_body?: unknown; public?: unknown} | undefined
  try {
    comment = (JSON.parse(request.body) as {ticket?: {comment?: typeof comment}}).ticket?.comment
  } catch {
    return json(400, {description: 'Invalid JSON', error: 'BadRequest'})
  }
  if (!comment || (typeof comment.body !== 'string' && typeof comment.html_body !== 'string'))
    return json(422, {
      description: 'Record validation errors',
      details: {comment: [{description: 'Comment: body is required', error: 'BlankValue'}]},
      error: 'RecordInvalid',
    })
  if (state.refuseNotes === 'forbidden')
    return json(403, {
      description:
        'You do not have access to this page. Please contact the account owner of this help desk for further help.',
      error: 'Forbidden',
    })
  if (state.refuseNotes === 'invalid')
    return json(422, {
      description: 'Record validation errors',
      details: {comment: [{description: 'Comment: could not be saved', error: 'InvalidValue'}]},
      error: 'RecordInvalid',
    })
  const wait = rateLimited(state, state.writesPerTicket, `${state.agent.id}:${ticket.id}`)
  if (wait !== null) return tooMany(wait)
  if (commentsOf(ticket).length >= zendeskMaxComments)
    return json(422, {
      description: 'Record validation errors',
      details: {
        base: [{description: `Comments cannot exceed ${zendeskMaxComments} per ticket`, error: 'TooManyComments'}],
      },
      error: 'RecordInvalid',
    })
  const html = typeof comment.html_body === 'string' ? sanitize(comment.html_body) : null
  const added: EmulatedComment = {
    adf: null,
    authorId: state.agent.id,
    createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    html,
    id: state.nextId++,
    internal: comment.public === false,
    properties: [],
    text: html === null ? String(comment.body) : htmlText(html),
  }
  ticket.comments.push(added)
  return json(200, {
    audit: {
      author_id: state.agent.id,
      created_at: added.createdAt,
      events: [{...commentJson(added), type: 'Comment'}],
      id: state.nextId++,
      ticket_id: ticket.id,
    },
    ticket: ticketJson(ticket, url),
  })
}

function route(state: HelpdeskState, request: SandboxRequest, url: string): SandboxResponse {
  if (request.method === 'GET' && request.path === '/api/v2/users/me.json')
    return json(200, {user: userJson(state, state.agent.id)})
  const show = matchPath('/api/v2/tickets/:id', request.path.replace(/\.json$/, ''))
  const comments = matchPath('/api/v2/tickets/:id/comments.json', request.path)
  const id = Number((show ?? comments)?.id)
  const ticket = state.tickets.find((entry) => entry.id === id)
  if (!ticket) return notFound()
  if (comments && request.method === 'GET') return listComments(state, ticket, request, url)
  if (show && request.method === 'GET') return showTicket(state, ticket, request, url)
  if (show && request.method === 'PUT') return updateTicket(state, ticket, request, url)
  return notFound()
}

/**
 * Zendesk Support API v2 on loopback: Basic `{email}/token:{token}` (401 "Couldn't authenticate you"; an
 * unauthenticated `/users/me` answers the anonymous user), the account's request limit with
 * `X-Rate-Limit`/`X-Rate-Limit-Remaining` and a plain-text 429 with Retry-After, tickets with users and
 * organizations side-loaded, comments by cursor, a comment added by a ticket update (at most 5000: then 422).
 */
export function zendeskHandler(state: HelpdeskState, url: () => string): Handler {
  return (request) => {
    const credentials = basicCredentials(request.headers.authorization)
    if (!credentials && request.path === '/api/v2/users/me.json')
      return json(200, {user: {email: 'invalid@example.com', id: null, name: 'Anonymous user', role: 'end-user'}})
    if (credentials?.user !== `${state.agent.email}/token` || credentials.password !== state.token)
      return json(401, {error: "Couldn't authenticate you"})
    const wait = rateLimited(state, state.requests, 'account')
    if (wait !== null) return tooMany(wait)
    const response = route(state, request, url())
    return {...response, headers: {...response.headers, 'x-rate-limit': String(state.requests.limit)}}
  }
}
