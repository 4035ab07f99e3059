import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import {joinUrl} from '../connectors/platform/service.js'
import type {Installation, SyncRun} from '../connectors/platform/types.js'
import {erpDisplayName} from '../connectors/registry.js'
import {newestFirst, staleExportFiles, syncEveryHours} from '../connectors/platform/schedule.js'
import {HttpClient, type HttpResponse} from '../http/client.js'
import {displayUrl} from '../http/redact.js'
import type {InstallationClients} from '../connectors/installation.js'
import {type HopProblem, isUnreachable, RequestProblem} from '../http/problem.js'
import {exportFileTimes, layoutOf} from '../connectors/ftp/connector.js'
import {parseMe} from '../connectors/platform/cms.js'
import {fileServerSettings, settle} from '../observe/fetched.js'
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

export interface SyncHealth {
  entity: string
  lastRunAt: string | null
  lastRunStatus: string | null
  lastSucceededAt: string | null
  overdue: boolean
  summary: string
}

export interface DoctorReport {
  profile: string
  installation: {id: string; name: string; connection: string; erp: string} | null
  checkedAt: string
  hops: HopHealth[]
  syncs: SyncHealth[]
  problems: string[]
  exitCode: 0 | 3 | 4
}

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

async function timed<T>(work: () => Promise<T>): Promise<{value: T; latencyMs: number; startedAt: number; endedAt: number}> {
  const startedAt = Date.now()
  const value = await work()
  const endedAt = Date.now()
  return {endedAt, latencyMs: endedAt - startedAt, startedAt, value}
}

function failure(health: HopHealth, error: unknown): HopHealth {
  const problem: HopProblem = error instanceof RequestProblem ? error.problem : {kind: 'bad-response', message: (error as Error).message}
  const unreachable = isUnreachable(problem)
  return {...health, authenticated: problem.kind === 'auth' ? false : health.authenticated, problem, reachable: !unreachable, status: unreachable ? 'unreachable' : 'problem'}
}

function emptyHealth(hop: HopHealth['hop'], system: string, url: string | null): HopHealth {
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
    health.status = 'problem'
    health.notes.push(`its clock is ${formatDuration(health.clockOffsetMs)} ${health.clockOffsetMs > 0 ? 'ahead of' : 'behind'} this machine: time-based verdicts may be wrong`)
  }
  return health
}

async function checkService(
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
    const result = await timed(() => http.requestJson({acceptStatuses: accept, headers: {authorization: `Bearer ${token}`}, url: joinUrl(url, basePath, path)}))
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

function syncHealth(entity: string, runs: SyncRun[], installation: Installation | null, now: Date): SyncHealth {
  const ordered = newestFirst(runs)
  const last = ordered[0]
  const lastScheduled = ordered.find((run) => run.status === 'succeeded' && run.keys === null)
  const everyHours = installation?.autoSync?.everyHours ?? 24
  const dueMs = (everyHours + 1) * 3_600_000
  const sinceMs = lastScheduled?.startedAt ? now.getTime() - lastScheduled.startedAt.getTime() : Number.POSITIVE_INFINITY
  const overdue = sinceMs > dueMs
  const summary = !lastScheduled
    ? `no successful full or automatic ${entity} sync in the recent runs`
    : overdue
      ? `the last successful ${entity} sync was ${formatDuration(sinceMs)} ago, but it should run every ${everyHours} h`
      : `last successful ${formatDuration(sinceMs)} ago (${lastScheduled.runId}, ${lastScheduled.mode})`
  return {
    entity,
    lastRunAt: last?.startedAt?.toISOString() ?? null,
    lastRunStatus: last?.status ?? null,
    lastSucceededAt: lastScheduled?.startedAt?.toISOString() ?? null,
    overdue: overdue || last?.status === 'failed',
    summary: last?.status === 'failed' ? `the latest ${entity} sync (${last.runId}) failed: ${last.error ?? 'no reason given'}; ${summary}` : summary,
  }
}

/** The file server of an ftp installation: reachable, the login accepted, and how old each export file is. */
async function checkFileServer(settings: InstallationClients['ftp'], installation: Installation | null, now: Date): Promise<HopHealth> {
  const health = emptyHealth('ftp', 'ftp', null)
  if (!settings) return {...health, notes: ['no file-server credentials in this profile: export files are not read'], status: 'not-configured'}
  const reported = {durationMs: 0, ok: true as const, value: {erpSystem: installation?.erpSystem, ftpUrl: installation?.ftpUrl ?? null}}
  const fetched = await settle(async () => exportFileTimes(await fileServerSettings(settings, Promise.resolve(reported))))
  const layout = layoutOf({...settings, erpSystem: installation?.erpSystem ?? null, url: ''})
  const printedUrl = settings.url ?? installation?.ftpUrl ?? null
  if (!fetched.ok) return failure({...health, url: printedUrl === null ? null : displayUrl(printedUrl)}, new RequestProblem(fetched.problem))
  const everyHours = syncEveryHours(installation)
  const stale = new Set(staleExportFiles(fetched.value, installation, now))
  const result: HopHealth = {...health, authenticated: true, latencyMs: fetched.durationMs, reachable: true, url: displayUrl(printedUrl ?? '')}
  for (const file of fetched.value) {
    if (!file.exists) continue
    const ageMs = file.modifiedAt ? now.getTime() - file.modifiedAt.getTime() : null
    result.reports[file.path] = ageMs === null ? 'time unknown' : `written ${formatDuration(ageMs)} ago`
    if (ageMs !== null && stale.has(file)) {
      result.status = 'problem'
      result.notes.push(`${file.path} was last written ${formatDuration(ageMs)} ago although the CMS syncs every ${everyHours} h: the ERP's export job has stopped`)
    }
  }
  if (layout.id !== 'generic') result.notes.push(`file layout: ${layout.description}`)
  if (Object.keys(result.reports).length === 0) {
    result.status = 'problem'
    result.notes.push('none of the export files is in the base folder')
  }
  return result
}

/**
 * Checks every hop of a profile at once: reachable, authenticated (the CMS role), latency, what it
 * reports, its clock against this machine's, and whether each entity's automatic sync is overdue.
 */
export async function runDoctor(profile: Profile, options: {debug?: (line: string) => void; signal?: AbortSignal; timeoutMs?: number} = {}): Promise<DoctorReport> {
  const http = new HttpClient({debug: options.debug, maxRetries: 1, signal: options.signal, timeouts: options.timeoutMs ? {totalMs: options.timeoutMs} : undefined})
  const clients = clientsForProfile(profile, http)
  const now = new Date()
  try {
    const entities = ['customers', 'items', 'prices', 'stock'] as const
    const [me, installationCheck, app, webshop, erp, ...runs] = await Promise.all([
      checkService(http, 'cms', profile, '/me', []),
      clients.cms.installation().catch((error: unknown) => error as Error),
      checkService(http, 'app', profile, `/users?${new URLSearchParams({salesRepCode: 'SYNCTRACE-DOCTOR'})}`, []),
      checkService(http, 'webshop', profile, '/customers/SYNCTRACE-DOCTOR', [404]),
      (async (): Promise<HopHealth> => {
        if (!clients.erp) return {...emptyHealth('erp', 'erp', null), notes: ['no ERP API access in this profile: traces start at the CMS'], status: 'not-configured'}
        const health = emptyHealth('erp', clients.erp.system, profile.erp?.url ?? null)
        try {
          const result = await timed(() => (clients.erp as NonNullable<typeof clients.erp>).probe())
          return checkClock({
            ...health,
            authenticated: true,
            clockOffsetMs: clockOffset(result.value.serverDate, result.startedAt, result.endedAt),
            latencyMs: result.latencyMs,
            reachable: true,
            reports: {system: erpDisplayName(clients.erp.system), ...result.value.details},
          })
        } catch (error) {
          return failure(health, error)
        }
      })(),
      ...entities.map((entity) => clients.cms.syncRuns(entity, 20).catch(() => null)),
    ])
    const cms = me.health
    // A bad /installation is the CMS's problem, named, while the other hops still report.
    const installation = installationCheck instanceof Error ? null : installationCheck
    if (installationCheck instanceof Error && me.response) {
      cms.status = 'problem'
      cms.notes.push(`/installation could not be used: ${installationCheck instanceof RequestProblem ? installationCheck.problem.message : installationCheck.message}`)
    }
    const ftp = installation?.connection === 'ftp' || (clients.ftp && !clients.erp) ? await checkFileServer(clients.ftp, installation, now) : null
    if (me.response) {
      try {
        const {role, user} = parseMe(me.response.body)
        cms.reports = {role, user}
      } catch (error) {
        cms.status = 'problem'
        cms.authenticated = null
        cms.problem = error instanceof RequestProblem ? error.problem : {kind: 'bad-response', message: String((error as Error).message)}
      }
      if (installation) Object.assign(cms.reports, {connection: installation.connection, erp: erpDisplayName(installation.erpSystem), installation: installation.id})
    }
    const syncs = installation ? entities.map((entity, index) => syncHealth(entity, runs[index] ?? [], installation, now)) : []
    if (erp.status === 'not-configured' && installation?.connection === 'ftp')
      erp.notes = [`${erpDisplayName(installation.erpSystem)} is only visible through its export files on the file server`]
    const hops = [erp, ...(ftp ? [ftp] : []), cms, app.health, webshop.health]
    const problems = [
      ...hops.filter((hop) => hop.problem).map((hop) => `${hop.hop}: ${hop.problem?.message}`),
      ...hops.flatMap((hop) => hop.notes.filter(() => hop.status === 'problem').map((note) => `${hop.hop}: ${note}`)),
      ...syncs.filter((sync) => sync.overdue).map((sync) => `sync: ${sync.summary}`),
    ]
    if (installation && profile.installation && installation.id !== profile.installation)
      problems.push(`cms: the CMS reports installation ${installation.id}, the profile expects ${profile.installation}`)
    options.signal?.throwIfAborted()
    const exitCode = hops.some((hop) => hop.status === 'unreachable') ? 4 : problems.length > 0 ? 3 : 0
    return {
      checkedAt: now.toISOString(),
      exitCode,
      hops,
      installation: installation ? {connection: installation.connection, erp: installation.erpSystem, id: installation.id, name: installation.name} : null,
      problems,
      profile: profile.name,
      syncs,
    }
  } finally {
    await http.close()
  }
}
