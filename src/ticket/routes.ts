import {z} from 'zod'

import type {HelpdeskTicket} from '../connectors/helpdesk/types.js'
import {UserError} from '../util/errors.js'

/**
 * The config file's `helpdeskRoutes`: which installation (profile) a ticket is about, by the ticket's
 * organization (as the helpdesk names it, case and surrounding spaces ignored) or its requester's e-mail
 * domain (that domain or a subdomain of it). The first route that matches wins; organizations are asked
 * before domains, as an organization is what the helpdesk's admins set and a domain what a requester has.
 */
const route = z.union([
  z.strictObject({organization: z.string().trim().min(1), profile: z.string().min(1)}),
  z.strictObject({domain: z.string().trim().min(1), profile: z.string().min(1)}),
])
export const helpdeskRoutesSchema = z.array(route)
export type HelpdeskRoute = z.infer<typeof route>

export function parseHelpdeskRoutes(raw: unknown): HelpdeskRoute[] {
  if (raw === undefined) return []
  const parsed = helpdeskRoutesSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  const at = parsed.error.issues[0]?.path.join('.') ?? ''
  throw new UserError(
    `The config file's helpdeskRoutes${at ? ` (at ${at})` : ''} is not a list of {organization, profile} or {domain, profile}.`,
    'Fix it as the README section "Config file" shows, e.g. [{"organization": "Acme AB", "profile": "acme"}].',
  )
}

const folded = (value: string) => value.trim().toLowerCase()

/** The profile a ticket is routed to and by what, or null when no route matches. */
export function routeTicket(
  routes: readonly HelpdeskRoute[],
  ticket: Pick<HelpdeskTicket, 'organization' | 'requester'>,
): {profile: string; by: 'organization' | 'domain'} | null {
  const organization = ticket.organization ? folded(ticket.organization.name) : null
  for (const entry of routes)
    if ('organization' in entry && organization !== null && folded(entry.organization) === organization)
      return {by: 'organization', profile: entry.profile}
  const domain = ticket.requester.email?.split('@')[1]?.toLowerCase()
  if (!domain) return null
  for (const entry of routes)
    if ('domain' in entry) {
      const wanted = folded(entry.domain).replace(/^@/, '')
      if (domain === wanted || domain.endsWith(`.${wanted}`)) return {by: 'domain', profile: entry.profile}
    }
  return null
}
