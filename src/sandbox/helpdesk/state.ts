import {randomBytes} from 'node:crypto'

import {sandboxAgent, type SeededTicket, seededTickets} from './tickets.js'

export interface EmulatedUser {
  id: number
  name: string
  email: string
  role: 'agent' | 'end-user'
}

export interface EmulatedComment {
  id: number
  authorId: number
  internal: boolean
  /** The comment as plain text (what `plain_body`, `body_text` or the ADF's text nodes hold). */
  text: string
  /** As posted (Zendesk `html_body`, Freshdesk `body`), or null for a seeded plain-text one. */
  html: string | null
  /** As posted to Jira (ADF), or null. */
  adf: unknown
  createdAt: string
  /** Jira comment properties (`sd.public.comment`, …). */
  properties: Array<{key: string; value: unknown}>
}

export interface EmulatedTicket {
  id: number
  subject: string
  description: string
  requesterId: number
  organizationId: number | null
  createdAt: string
  comments: EmulatedComment[]
}

/** A sliding window of requests per key; `retryAfter` is null when the request fits (and is counted). */
export class RateWindow {
  private readonly sent = new Map<string, number[]>()

  constructor(
    public limit: number,
    public windowMs: number,
  ) {}

  take(key: string, now = Date.now()): {retryAfterSeconds: number | null; remaining: number} {
    const window = (this.sent.get(key) ?? []).filter((time) => time > now - this.windowMs)
    this.sent.set(key, window)
    if (window.length >= this.limit) {
      const waitMs = (window[0] as number) + this.windowMs - now
      return {remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000))}
    }
    window.push(now)
    return {remaining: this.limit - window.length, retryAfterSeconds: null}
  }
}

/** One emulated helpdesk's state: its tickets, people, the agent's credentials, its limits and test hooks. */
export interface HelpdeskState {
  tickets: EmulatedTicket[]
  users: EmulatedUser[]
  organizations: Array<{id: number; name: string}>
  /** The agent whose credentials the sandbox's profile holds. */
  agent: EmulatedUser
  token: string
  /** The largest page the API gives (the vendor's 100, or less to see paging with few comments). */
  maxPageSize: number
  /** Where pagination links point (null: the helpdesk itself): a test points them at another origin. */
  linkOrigin: string | null
  /** The account's request limit (per its window). */
  requests: RateWindow
  /** Writes per ticket (Zendesk: 30 per 10 minutes per user; Jira: the per-issue write limit). */
  writesPerTicket: RateWindow
  /** The next `times` requests answer 429 with this Retry-After (a fault that forces the limit). */
  forceRateLimit: {times: number; retryAfterSeconds: number} | null
  /**
   * Every note POSTed is refused, as the helpdesk refuses it (a test hook): `forbidden`, the agent's role may
   * not add it (403); `invalid`, the helpdesk finds the note invalid (its validation error: Zendesk 422,
   * Freshdesk and Jira 400).
   */
  refuseNotes: 'forbidden' | 'invalid' | null
  nextId: number
}

function seedTicket(state: HelpdeskState, seeded: SeededTicket, now: number): EmulatedTicket {
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z')
  let requester = state.users.find((user) => user.email === seeded.requester.email)
  if (!requester) {
    requester = {...seeded.requester, id: state.nextId++, role: 'end-user'}
    state.users.push(requester)
  }
  let organization = state.organizations.find((entry) => entry.name === seeded.organization)
  if (!organization && seeded.organization !== null) {
    organization = {id: state.nextId++, name: seeded.organization}
    state.organizations.push(organization)
  }
  const authorId = requester.id
  return {
    comments: seeded.comments.map((comment) => ({
      adf: null,
      authorId: comment.author === 'agent' ? state.agent.id : authorId,
      createdAt: at(comment.minutesAgo),
      html: null,
      id: state.nextId++,
      internal: comment.internal,
      properties: [],
      text: comment.text,
    })),
    createdAt: at(seeded.minutesAgo),
    description: seeded.description,
    id: seeded.id,
    organizationId: organization?.id ?? null,
    requesterId: requester.id,
    subject: seeded.subject,
  }
}

/** A helpdesk's state with the seeded tickets, a fresh agent token, and `limits` (requests per window, writes per ticket). */
export function seedHelpdesk(
  limits: {requests: [number, number]; writesPerTicket: [number, number]},
  now = Date.now(),
): HelpdeskState {
  const agent: EmulatedUser = {...sandboxAgent, id: 9001, role: 'agent'}
  const state: HelpdeskState = {
    agent,
    forceRateLimit: null,
    linkOrigin: null,
    maxPageSize: 100,
    nextId: 100_000,
    organizations: [],
    refuseNotes: null,
    requests: new RateWindow(...limits.requests),
    tickets: [],
    token: `sbx-helpdesk-${randomBytes(12).toString('base64url')}`,
    users: [agent],
    writesPerTicket: new RateWindow(...limits.writesPerTicket),
  }
  state.tickets = seededTickets.map((ticket) => seedTicket(state, ticket, now))
  return state
}

/** The request is one too many: forced by a test or beyond a limit; the seconds to wait, else null. */
export function rateLimited(state: HelpdeskState, window: RateWindow, key: string): number | null {
  if (state.forceRateLimit && state.forceRateLimit.times > 0) {
    state.forceRateLimit.times -= 1
    const seconds = state.forceRateLimit.retryAfterSeconds
    if (state.forceRateLimit.times === 0) state.forceRateLimit = null
    return seconds
  }
  return window.take(key).retryAfterSeconds
}

/** The text of posted HTML, as a helpdesk shows it in plain form: tags dropped, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|li|h\d|tr|pre|blockquote)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The user and password of a Basic Authorization header, or null. */
export function basicCredentials(header: string | string[] | undefined): {user: string; password: string} | null {
  const value = Array.isArray(header) ? header[0] : header
  const match = value ? /^Basic\s+(\S+)$/i.exec(value) : null
  if (!match) return null
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? null : {password: decoded.slice(colon + 1), user: decoded.slice(0, colon)}
}

/** Where a page link points: the helpdesk itself, or the test's other origin. */
export function linkBase(state: HelpdeskState, ownUrl: string): string {
  return state.linkOrigin ?? ownUrl
}
