import type {Profile} from '../config/profile.js'
import {HelpdeskError} from '../connectors/helpdesk/errors.js'
import {helpdeskConnector, helpdeskSystem} from '../connectors/helpdesk/registry.js'
import type {HttpClient} from '../http/client.js'
import {displayUrl} from '../http/redact.js'
import type {DoctorAdvice} from './advice.js'

/** The profile's helpdesk as doctor sees it: reachable, the credentials accepted, internal notes allowed. */
export interface HelpdeskHealth {
  system: string
  name: string
  url: string
  status: 'ok' | 'problem' | 'unreachable'
  /** Null when the helpdesk could not be asked. */
  canAddInternalNotes: boolean | null
  /** Who the credentials are (user, e-mail, role), as the helpdesk says. */
  reports: Record<string, string>
  /** What is wrong, or what the API cannot tell; null when nothing. */
  note: string | null
}

/** The profile's helpdesk asked without writing anything (`probe`); null when the profile has none. */
export async function checkHelpdesk(profile: Profile, http: HttpClient): Promise<HelpdeskHealth | null> {
  if (!profile.helpdesk) return null
  const system = helpdeskSystem(profile.helpdesk.system)
  const base = {
    name: system?.displayName ?? profile.helpdesk.system,
    system: profile.helpdesk.system,
    url: displayUrl(profile.helpdesk.url),
  }
  try {
    const probe = await (await helpdeskConnector(profile.helpdesk, http)).probe()
    return {
      ...base,
      canAddInternalNotes: probe.canAddInternalNotes,
      note: probe.note ?? null,
      reports: probe.details,
      status: probe.canAddInternalNotes ? 'ok' : 'problem',
    }
  } catch (error) {
    const reason = error instanceof HelpdeskError ? error.reason : 'unreachable'
    return {
      ...base,
      canAddInternalNotes: null,
      note: (error as Error).message.split('\n')[0] ?? '',
      reports: {},
      status: reason === 'unreachable' || reason === 'rate-limited' ? 'unreachable' : 'problem',
    }
  }
}

/** Adds the helpdesk to the report: one more problem with its advice when it is not usable, and the exit code. */
export function addHelpdesk(
  report: {problems: string[]; advice: DoctorAdvice[]; exitCode: 0 | 3 | 4; helpdesk?: HelpdeskHealth},
  helpdesk: HelpdeskHealth | null,
): void {
  if (!helpdesk) return
  report.helpdesk = helpdesk
  if (helpdesk.status === 'ok') return
  const problem = `${helpdesk.name} (helpdesk): ${helpdesk.note ?? 'cannot add internal notes'}`
  report.problems.push(problem)
  report.advice.push({
    cause: null,
    command: null,
    description:
      helpdesk.status === 'unreachable'
        ? "Check the profile's helpdesk.url and the network; synctrace ticket and --post need the helpdesk."
        : "Give the profile an agent's credentials that may add internal notes (helpdesk.email, helpdesk.token).",
    owner: 'admin',
    problem,
  })
  report.exitCode = report.exitCode === 4 || helpdesk.status === 'unreachable' ? 4 : 3
}

/** Doctor's line for the helpdesk: "✔ Zendesk (helpdesk) https://…: agent Sandra Support, can add internal notes". */
export function helpdeskLine(health: HelpdeskHealth): string {
  const mark = {ok: '✔', problem: '⚠', unreachable: '✘'}[health.status]
  const who = [health.reports.user, health.reports.role ? `(${health.reports.role})` : ''].filter(Boolean).join(' ')
  const notes =
    health.canAddInternalNotes === null
      ? 'not checked'
      : health.canAddInternalNotes
        ? 'can add internal notes'
        : 'cannot add internal notes'
  const note = health.note ? `; ${health.note}` : ''
  return `${mark} ${health.name} (helpdesk) ${health.url}: ${who ? `${who}, ` : ''}${notes}${note}`
}
