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

/** Freshdesk's limits as the sandbox keeps them: 200 requests a minute per account (the Growth plan), invalid ones counted too. */
export function seedFreshdesk(): HelpdeskState {
  return seedHelpdesk({requests: [200, 60_000], writesPerTicket: [200, 60_000]})
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function conversationJson(ticket: EmulatedTicket, comment: EmulatedComment, state: HelpdeskState) {
  const author = state.users.find((user) => user.id === comment.authorId)
  return {
    attachments: [],
    body: comment.html ?? `<div>${escapeHtml(comment.text)}</div>`,
    body_text: comment.text,
    created_at: comment.createdAt,
    from_email: author?.role === 'end-user' ? author.email : null,
    id: comment.id,
    incoming: author?.role === 'end-user',
    private: comment.internal,
    source: comment.internal ? 2 : 0,
    ticket_id: ticket.id,
    updated_at: comment.createdAt,
    user_id: comment.authorId,
  }
}

function showTicket(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest) {
  const include = (request.query.get('include') ?? '').split(',')
  const requester = state.users.find((user) => user.id === ticket.requesterId)
  const company = state.organizations.find((entry) => entry.id === ticket.organizationId)
  return json(200, {
    company_id: ticket.organizationId,
    created_at: ticket.createdAt,
    description: `<div>${escapeHtml(ticket.description)}</div>`,
    description_text: ticket.description,
    id: ticket.id,
    requester_id: ticket.requesterId,
    status: 2,
    subject: ticket.subject,
    ...(include.includes('requester') && requester
      ? {requester: {email: requester.email, id: requester.id, name: requester.name}}
      : {}),
    ...(include.includes('company') ? {company: company ? {id: company.id, name: company.name} : {}} : {}),
  })
}

/** `page` and `per_page` (default 30, at most 100); a `Link: <…>; rel="next"` header while more follow. */
function listConversations(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest, url: string) {
  const perPage = Math.min(state.maxPageSize, Math.max(1, Number(request.query.get('per_page') ?? 30) || 30))
  const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1)
  const entries = ticket.comments.slice((page - 1) * perPage, page * perPage)
  const more = page * perPage < ticket.comments.length
  const next = `${linkBase(state, url)}/api/v2/tickets/${ticket.id}/conversations?per_page=${perPage}&page=${page + 1}`
  return json(
    200,
    entries.map((comment) => conversationJson(ticket, comment, state)),
    more ? {link: `<${next}>; rel="next"`} : {},
  )
}

function addNote(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest) {
  let note: {body?: unknown; private?: unknown}
  try {
    note = JSON.parse(request.body) as typeof note
  } catch {
    return json(400, {
      description: 'Validation failed',
      errors: [{code: 'invalid_json', field: '', message: 'Request body has invalid json format'}],
    })
  }
  if (state.refuseNotes === 'forbidden')
    return json(403, {code: 'access_denied', message: 'You are not authorized to perform this action.'})
  if (state.refuseNotes === 'invalid')
    return json(400, {
      description: 'Validation failed',
      errors: [{code: 'invalid_value', field: 'body', message: 'It could not be saved'}],
    })
  if (typeof note.body !== 'string' || note.body.trim() === '')
    return json(400, {
      description: 'Validation failed',
      errors: [{code: 'missing_field', field: 'body', message: 'It should not be blank'}],
    })
  const added: EmulatedComment = {
    adf: null,
    authorId: state.agent.id,
    createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    html: note.body,
    id: state.nextId++,
    // A note is private unless it says otherwise.
    internal: note.private !== false,
    properties: [],
    text: htmlText(note.body),
  }
  ticket.comments.push(added)
  return json(201, conversationJson(ticket, added, state))
}

function route(state: HelpdeskState, request: SandboxRequest, url: string): SandboxResponse {
  if (request.method === 'GET' && request.path === '/api/v2/agents/me')
    return json(200, {
      available: true,
      contact: {email: state.agent.email, name: state.agent.name},
      id: state.agent.id,
      occasional: false,
      ticket_scope: 1,
    })
  const show = matchPath('/api/v2/tickets/:id', request.path)
  const conversations = matchPath('/api/v2/tickets/:id/conversations', request.path)
  const notes = matchPath('/api/v2/tickets/:id/notes', request.path)
  const id = Number((show ?? conversations ?? notes)?.id)
  const ticket = state.tickets.find((entry) => entry.id === id)
  // Freshdesk's 404 has an empty body.
  if (!ticket) return {body: '', status: 404}
  if (show && request.method === 'GET') return showTicket(state, ticket, request)
  if (conversations && request.method === 'GET') return listConversations(state, ticket, request, url)
  if (notes && request.method === 'POST') return addNote(state, ticket, request)
  return json(405, {code: 'method_not_allowed', message: `${request.method} is not allowed`})
}

/**
 * Freshdesk API v2 on loopback: Basic `{API key}:X` (401 `invalid_credentials`), the account's per-minute limit
 * counting every request, with `X-RateLimit-Total`/`-Remaining`/`-Used-CurrentRequest` and 429 with Retry-After,
 * tickets with requester and company, conversations paged with a `Link` header, private notes with an HTML body.
 */
export function freshdeskHandler(state: HelpdeskState, url: () => string): Handler {
  return (request) => {
    const wait = rateLimited(state, state.requests, 'account')
    if (wait !== null)
      return json(
        429,
        {message: 'You have exceeded the limit of requests per minute'},
        {'retry-after': String(wait), 'x-ratelimit-remaining': '0', 'x-ratelimit-total': String(state.requests.limit)},
      )
    const credentials = basicCredentials(request.headers.authorization)
    if (credentials?.user !== state.token)
      return json(401, {code: 'invalid_credentials', message: 'You have to be logged in to perform this action.'})
    const response = route(state, request, url())
    return {
      ...response,
      headers: {
        ...response.headers,
        'x-ratelimit-total': String(state.requests.limit),
        'x-ratelimit-used-currentrequest': '1',
      },
    }
  }
}
