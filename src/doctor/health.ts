import type {Profile} from '../config/profile.js'
import type {InstallationClients} from '../connectors/installation.js'
import {joinUrl} from '../connectors/platform/service.js'
import {erpDisplayName} from '../connectors/registry.js'
import type {HttpClient, HttpResponse} from '../http/client.js'
import {type HopProblem, isUnreachable, RequestProblem} from '../http/problem.js'
import {displayUrl} from '../http/redact.js'
import {formatDuration} from '../util/time.js'

export type HealthStatus = 'ok' | 'problem' | 'unreachable' | 'not-configured'

export interface HopHealth {
  hop: 'erp' | 'ftp' | 'cms' | 'app' | 'webshop'
  system: string
  url: string | null
  status: HealthStatus
  reachable: boolean
  authenticated: boolean | null
  latencyMs: number | null
  /** What the hop says about itself: role, connection type, ERP system, company, version. */
  reports: Record<string, string>
  /** Server clock minus this machine's, from the HTTP Date header (1 s resolution). */
  clockOffsetMs: number | null
  problem: HopProblem | null
  notes: string[]
}

/** Why a hop is a problem beside a failed request: what doctor's advice for it is chosen by (src/doctor/advice.ts). */
export type HopIssue = 'clock-skew' | 'export-stale' | 'export-missing' | 'installation-unreadable'

// Which of a hop's notes are problems, and of which kind; the JSON keeps its notes as one list.
type FlaggedIssue = {issue: HopIssue; note: string; since?: Date}
const issues = new WeakMap<HopHealth, FlaggedIssue[]>()

/**
 * A problem of the hop, in its notes: the hop is a problem, and doctor names who acts on it. `since`: when
 * it began, where the hop says (an export file's time), for the fleet view.
 */
export function flagIssue(health: HopHealth, issue: HopIssue, note: string, since?: Date): void {
  health.status = 'problem'
  health.notes.push(note)
  issues.set(health, [...issuesOf(health), {issue, note, ...(since ? {since} : {})}])
}

/** The hop's problems among its notes, in order (the others are information). */
export const issuesOf = (health: HopHealth): FlaggedIssue[] => issues.get(health) ?? []

/** A server clock further off than this makes "changed after the sync" verdicts unreliable. */
export const clockSkewLimitMs = 60_000

function clockOffset(date: unknown, startedAt: number, endedAt: number): number | null {
  if (typeof date !== 'string') return null
  const server = Date.parse(date)
  if (Number.isNaN(server)) return null
  // The Date header is truncated to the second: compare with the middle of the request, rounded likewise.
  const offset = server - Math.floor((startedAt + endedAt) / 2 / 1000) * 1000
  return Math.abs(offset) <= 1000 ? 0 : offset
}

/** A hop's check as a result: its value, how long it took, and when it started and ended (for the clock offset). */
async function timed<T>(
  work: () => Promise<T>,
): Promise<{value: T; latencyMs: number; startedAt: number; endedAt: number}> {
  const startedAt = Date.now()
  const value = await work()
  const endedAt = Date.now()
  return {endedAt, latencyMs: endedAt - startedAt, startedAt, value}
}

/** The hop's health after a failed check: unreachable, or reachable with a problem (a refused login says so). */
export function failure(health: HopHealth, error: unknown): HopHealth {
  const problem: HopProblem =
    error instanceof RequestProblem ? error.problem : {kind: 'bad-response', message: (error as Error).message}
  const unreachable = isUnreachable(problem)
  return {
    ...health,
    authenticated: problem.kind === 'auth' ? false : health.authenticated,
    problem,
    reachable: !unreachable,
    status: unreachable ? 'unreachable' : 'problem',
  }
}

export function emptyHealth(hop: HopHealth['hop'], system: string, url: string | null): HopHealth {
  return {
    authenticated: null,
    clockOffsetMs: null,
    hop,
    latencyMs: null,
    notes: [],
    problem: null,
    reachable: false,
    reports: {},
    status: 'ok',
    system,
    url: url === null ? null : displayUrl(url),
  }
}

function checkClock(health: HopHealth): HopHealth {
  if (health.clockOffsetMs !== null && Math.abs(health.clockOffsetMs) > clockSkewLimitMs) {
    flagIssue(
      health,
      'clock-skew',
      `its clock is ${formatDuration(health.clockOffsetMs)} ${health.clockOffsetMs > 0 ? 'ahead of' : 'behind'} this machine: time-based verdicts may be wrong`,
    )
  }
  return health
}

export async function checkService(
  http: HttpClient,
  hop: 'cms' | 'app' | 'webshop',
  profile: Profile,
  path: string,
  accept: number[],
): Promise<{health: HopHealth; response: HttpResponse | null}> {
  const basePath = {app: '/app/v1', cms: '/api/v1', webshop: '/webshop/v1'}[hop]
  const {token, url} = profile[hop]
  const health = emptyHealth(hop, hop, url)
  try {
    const result = await timed(() =>
      http.requestJson({
        acceptStatuses: accept,
        headers: {authorization: `Bearer ${token}`},
        url: joinUrl(url, basePath, path),
      }),
    )
    return {
      health: checkClock({
        ...health,
        authenticated: true,
        clockOffsetMs: clockOffset(result.value.headers.date, result.startedAt, result.endedAt),
        latencyMs: result.latencyMs,
        reachable: true,
      }),
      response: result.value,
    }
  } catch (error) {
    return {health: failure(health, error), response: null}
  }
}

/** The ERP's API (when the profile gives access): its probe, what it reports, its clock. */
export async function checkErp(erp: InstallationClients['erp'], profile: Profile): Promise<HopHealth> {
  if (!erp)
    return {
      ...emptyHealth('erp', 'erp', null),
      notes: ['no ERP API access in this profile: traces start at the CMS'],
      status: 'not-configured',
    }
  const health = emptyHealth('erp', erp.system, profile.erp?.url ?? null)
  try {
    const result = await timed(() => erp.probe())
    return checkClock({
      ...health,
      authenticated: true,
      clockOffsetMs: clockOffset(result.value.serverDate, result.startedAt, result.endedAt),
      latencyMs: result.latencyMs,
      reachable: true,
      reports: {system: erpDisplayName(erp.system), ...result.value.details},
    })
  } catch (error) {
    return failure(health, error)
  }
}
