import {adfText, checkAdf, jiraMaxCommentLength} from '../../connectors/helpdesk/adf.js'
import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {
  basicCredentials,
  type EmulatedComment,
  type EmulatedTicket,
  type HelpdeskState,
  rateLimited,
  seedHelpdesk,
} from './state.js'
import {jiraKey} from './tickets.js'

/** The JSM Organizations field of the sandbox's site. */
const organizationsField = 'customfield_10002'

/** Jira's limits as the sandbox keeps them: a burst of 100 requests a second, 20 writes a minute per issue. */
export function seedJira(): HelpdeskState {
  return seedHelpdesk({requests: [100, 1000], writesPerTicket: [20, 60_000]})
}

const errors = (
  status: number,
  messages: string[],
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) => json(status, {errorMessages: messages, errors: fields}, headers)

const issueNotFound = () => errors(404, ['Issue does not exist or you do not have permission to see it.'])

function tooMany(seconds: number, reason: string): SandboxResponse {
  return errors(
    429,
    ['Rate limit exceeded.'],
    {},
    {
      'ratelimit-reason': reason,
      'retry-after': String(seconds),
      'x-ratelimit-reset': new Date(Date.now() + seconds * 1000).toISOString(),
    },
  )
}

/** Plain text as ADF: a paragraph per non-empty line, the text as it is (data, never marks). */
function textAdf(text: string) {
  const lines = text.split('\n').filter((line) => line.length > 0)
  return {
    content: lines.map((line) => ({content: [{text: line, type: 'text'}], type: 'paragraph'})),
    type: 'doc',
    version: 1,
  }
}

function userJson(state: HelpdeskState, id: number) {
  const user = state.users.find((entry) => entry.id === id)
  return {accountId: `sbx-${id}`, active: true, displayName: user?.name ?? 'unknown', emailAddress: user?.email ?? null}
}

function commentJson(
  state: HelpdeskState,
  ticket: EmulatedTicket,
  comment: EmulatedComment,
  url: string,
  expand: boolean,
) {
  const internal = comment.properties.find((property) => property.key === 'sd.public.comment')
  const jsdPublic = internal ? (internal.value as {internal?: unknown}).internal !== true : !comment.internal
  return {
    author: userJson(state, comment.authorId),
    body: comment.adf ?? textAdf(comment.text),
    created: comment.createdAt.replace(/Z$/, '.000+0000'),
    id: String(comment.id),
    jsdPublic,
    self: `${url}/rest/api/3/issue/${ticket.id}/comment/${comment.id}`,
    updated: comment.createdAt.replace(/Z$/, '.000+0000'),
    ...(expand ? {properties: comment.properties} : {}),
  }
}

function showIssue(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest, url: string) {
  const organization = state.organizations.find((entry) => entry.id === ticket.organizationId)
  const names = (request.query.get('expand') ?? '').split(',').includes('names')
  return json(200, {
    fields: {
      created: ticket.createdAt.replace(/Z$/, '.000+0000'),
      description: textAdf(ticket.description),
      reporter: userJson(state, ticket.requesterId),
      summary: ticket.subject,
      [organizationsField]: organization ? [{id: String(organization.id), name: organization.name}] : [],
    },
    id: String(ticket.id),
    key: jiraKey(ticket.id),
    self: `${url}/rest/api/3/issue/${ticket.id}`,
    ...(names
      ? {
          names: {
            created: 'Created',
            description: 'Description',
            reporter: 'Reporter',
            summary: 'Summary',
            [organizationsField]: 'Organizations',
          },
        }
      : {}),
  })
}

/** `startAt`/`maxResults` (at most 100), `orderBy=created|-created`, `expand=properties`. */
function listComments(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest, url: string) {
  const startAt = Math.max(0, Number(request.query.get('startAt') ?? 0) || 0)
  const maxResults = Math.min(state.maxPageSize, Math.max(1, Number(request.query.get('maxResults') ?? 100) || 100))
  const descending = request.query.get('orderBy') === '-created'
  const all = descending ? [...ticket.comments].reverse() : ticket.comments
  const expand = (request.query.get('expand') ?? '').split(',').includes('properties')
  return json(200, {
    comments: all
      .slice(startAt, startAt + maxResults)
      .map((comment) => commentJson(state, ticket, comment, url, expand)),
    maxResults,
    startAt,
    total: all.length,
  })
}

function addComment(state: HelpdeskState, ticket: EmulatedTicket, request: SandboxRequest, url: string) {
  let payload: {body?: unknown; properties?: unknown}
  try {
    payload = JSON.parse(request.body) as typeof payload
  } catch {
    return errors(400, ['Unexpected character in the request body.'])
  }
  if (state.refuseNotes === 'forbidden')
    return errors(403, ['You do not have the permission to comment on this issue.'])
  if (state.refuseNotes === 'invalid' || checkAdf(payload.body).length > 0)
    return errors(400, [], {comment: 'Comment body is not valid!'})
  if (JSON.stringify(payload.body).length > jiraMaxCommentLength)
    return errors(400, [], {
      comment: `The entered text is too long. It exceeds the allowed limit of ${jiraMaxCommentLength} characters.`,
    })
  const wait = rateLimited(state, state.writesPerTicket, String(ticket.id))
  if (wait !== null) return tooMany(wait, 'jira-per-issue-on-write')
  const properties = Array.isArray(payload.properties)
    ? (payload.properties as Array<{key: string; value: unknown}>).filter((entry) => typeof entry?.key === 'string')
    : []
  const internal = properties.find((property) => property.key === 'sd.public.comment')
  const added: EmulatedComment = {
    adf: payload.body,
    authorId: state.agent.id,
    createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    html: null,
    id: state.nextId++,
    internal: (internal?.value as {internal?: unknown} | undefined)?.internal === true,
    properties,
    text: adfText(payload.body),
  }
  ticket.comments.push(added)
  return json(201, commentJson(state, ticket, added, url, false))
}

function route(state: HelpdeskState, request: SandboxRequest, url: string): SandboxResponse {
  if (request.path === '/rest/api/3/myself') return json(200, userJson(state, state.agent.id))
  if (request.path === '/rest/api/3/mypermissions') {
    const asked = (request.query.get('permissions') ?? '').split(',').filter(Boolean)
    if (asked.length === 0) return errors(400, ["The 'permissions' query parameter is required."])
    return json(200, {
      permissions: Object.fromEntries(
        asked.map((key) => [key, {havePermission: key === 'ADD_COMMENTS', key, type: 'PROJECT'}]),
      ),
    })
  }
  const issue = matchPath('/rest/api/3/issue/:key', request.path)
  const comments = matchPath('/rest/api/3/issue/:key/comment', request.path)
  const key = (issue ?? comments)?.key ?? ''
  const ticket = state.tickets.find((entry) => jiraKey(entry.id) === key || String(entry.id) === key)
  if (!ticket) return issueNotFound()
  if (issue && request.method === 'GET') return showIssue(state, ticket, request, url)
  if (comments && request.method === 'GET') return listComments(state, ticket, request, url)
  if (comments && request.method === 'POST') return addComment(state, ticket, request, url)
  return errors(405, [`${request.method} is not allowed here.`])
}

/**
 * Jira Cloud REST v3 with Jira Service Management on loopback: Basic `{email}:{API token}`; bad credentials get
 * 401 on `/myself` and `/mypermissions` but 404 on issue endpoints (as Jira Cloud: the issue "does not exist or
 * you do not have permission"); a burst limit and a per-issue write limit (429, Retry-After, `X-RateLimit-Reset`,
 * `RateLimit-Reason`); issues with ADF descriptions and the Organizations field; comments by `startAt`, their
 * `sd.public.comment` property and `jsdPublic`; a comment body that is not valid ADF answers 400.
 */
export function jiraHandler(state: HelpdeskState, url: () => string): Handler {
  return (request) => {
    const wait = rateLimited(state, state.requests, 'burst')
    if (wait !== null) return tooMany(wait, 'jira-burst-based')
    const credentials = basicCredentials(request.headers.authorization)
    if (credentials?.user !== state.agent.email || credentials.password !== state.token) {
      if (request.path.startsWith('/rest/api/3/issue/')) return issueNotFound()
      return {
        body: 'Client must be authenticated to access this resource.',
        headers: {'content-type': 'text/plain;charset=UTF-8'},
        status: 401,
      }
    }
    return route(state, request, url())
  }
}
