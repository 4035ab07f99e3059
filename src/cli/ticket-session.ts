import {configPathFor, loadProfile, readConfigFile} from '../config/config-file.js'
import type {Profile} from '../config/profile.js'
import type {HelpdeskConnector, HelpdeskTicket} from '../connectors/helpdesk/types.js'
import type {RunContext} from '../context/run-context.js'
import type {TicketRoute} from '../ticket/types.js'
import {UserError} from '../util/errors.js'
import {shellQuote} from '../util/shell.js'
import {helpdeskFor} from './post-note.js'
import {adminSuffixFor, type ConnectionFlags, openSession, type Session} from './session.js'

/** A ticket read, the installation it is about, and the helpdesk connector a note goes through. */
export interface TicketSession {
  session: Session
  routedBy: TicketRoute
  ticket: HelpdeskTicket
  connector: HelpdeskConnector
}

async function readTicket(profile: Profile, ctx: RunContext, id: string) {
  const {connector} = await helpdeskFor(profile, ctx, id)
  const {helpdeskProblem} = await import('../ticket/helpdesk-errors.js')
  try {
    return {connector, ticket: await connector.readTicket(id)}
  } catch (error) {
    throw helpdeskProblem(error, id, 'read')
  }
}

/** The profile whose helpdesk a ticket is read from, when none is named: the default one, else the first with a helpdesk. */
async function readerProfile(configPath: string, profiles: Record<string, {helpdesk?: unknown}>, ctx: RunContext) {
  try {
    const profile = await loadProfile({configPath}, ctx.env)
    if (profile.helpdesk) return profile
  } catch (error) {
    if (!(error instanceof UserError)) throw error
  }
  const name = Object.entries(profiles).find(([, profile]) => profile.helpdesk)?.[0]
  if (!name)
    throw new UserError(
      `No profile in ${configPath} has a helpdesk section, so the ticket cannot be read.`,
      'Add one with synctrace profile add <name> --helpdesk zendesk|freshdesk|jira (README "Config file").',
    )
  return loadProfile({configPath, profileName: name}, ctx.env)
}

/**
 * Where `synctrace ticket` goes: the sandbox or `--profile` as every command; else the ticket is read with
 * the default profile's helpdesk and the config's `helpdeskRoutes` name the installation from its
 * organization or requester's e-mail domain (no routes: the default profile).
 */
export async function openTicketSession(flags: ConnectionFlags, ctx: RunContext, id: string): Promise<TicketSession> {
  if (flags.sandbox || flags.profile) {
    const session = await openSession(flags, ctx.env)
    try {
      return {...(await readTicket(session.profile, ctx, id)), routedBy: flags.sandbox ? 'sandbox' : 'profile', session}
    } catch (error) {
      await session.close()
      throw error
    }
  }
  const configPath = configPathFor({configPath: flags.config}, ctx.env)
  const config = await readConfigFile(configPath)
  const {parseHelpdeskRoutes, routeTicket} = await import('../ticket/routes.js')
  const routes = parseHelpdeskRoutes(config.helpdeskRoutes)
  const reader = await readerProfile(configPath, config.profiles, ctx)
  const read = await readTicket(reader, ctx, id)
  const route = routes.length > 0 ? routeTicket(routes, read.ticket) : null
  if (routes.length > 0 && !route)
    throw new UserError(
      `No helpdeskRoutes entry matches ticket ${id} (organization ${JSON.stringify(read.ticket.organization?.name ?? null)}, requester domain ${JSON.stringify(read.ticket.requester.email?.split('@')[1] ?? null)}).`,
      'Pass --profile <installation>, or add a route for it to the config file (README "Config file").',
    )
  const profile =
    route && route.profile !== reader.name
      ? await loadProfile({configPath, profileName: route.profile}, ctx.env)
      : reader
  const suffix = [flags.config ? `--config ${shellQuote(flags.config)}` : '', `--profile ${shellQuote(profile.name)}`]
  return {
    ...read,
    routedBy: route?.by ?? 'default',
    session: {
      adminSuffix: adminSuffixFor(profile),
      close: async () => undefined,
      commandSuffix: suffix.filter(Boolean).join(' '),
      profile,
    },
  }
}
