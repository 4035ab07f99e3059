import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import type {Installation} from '../connectors/platform/types.js'
import {parseMe} from '../connectors/platform/cms.js'
import {erpDisplayName} from '../connectors/registry.js'
import type {HttpClient, HttpResponse} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import {type AdviceContext, adviceFor, type DoctorAdvice} from './advice.js'
import {checkFileServer} from './file-server.js'
import {checkErp, checkService, flagIssue, type HopHealth} from './health.js'
import {addHelpdesk, checkHelpdesk, type HelpdeskHealth} from './helpdesk.js'
import {type SyncHealth, syncHealth} from './syncs.js'

export type {AdviceContext, DoctorAdvice} from './advice.js'
export type {HealthStatus, HopHealth} from './health.js'
export type {SyncHealth} from './syncs.js'

export interface DoctorReport {
  profile: string
  installation: {id: string; name: string; connection: string; erp: string} | null
  checkedAt: string
  hops: HopHealth[]
  syncs: SyncHealth[]
  /** What is wrong, one line each. */
  problems: string[]
  /** Per problem, in the same order: who acts (owner), what they do, and the command where one fits. */
  advice: DoctorAdvice[]
  exitCode: 0 | 3 | 4
  /** The profile's helpdesk (src/doctor/helpdesk.ts), when it has one. */
  helpdesk?: HelpdeskHealth
}

const entities = ['customers', 'items', 'prices', 'stock'] as const

/**
 * Checks every hop of a profile at once: reachable, authenticated (the CMS role), latency, what it
 * reports, its clock against this machine's, and whether each entity's automatic sync is overdue.
 */
export async function runDoctor(profile: Profile, options: DoctorOptions): Promise<DoctorReport> {
  const helpdeskHttp = options.http.scoped({
    maxRetries: 1,
    timeouts: options.timeoutMs ? {totalMs: options.timeoutMs} : undefined,
  })
  const [report, helpdesk] = await Promise.all([
    checkHops(profile, options),
    checkHelpdesk(profile, helpdeskHttp).finally(() => helpdeskHttp.close()),
  ])
  addHelpdesk(report, helpdesk)
  return report
}

interface DoctorOptions {
  http: HttpClient
  timeoutMs?: number
  commandSuffix?: string
  onTimeZone?: (timeZone: string) => void
}

async function checkHops(profile: Profile, options: DoctorOptions): Promise<DoctorReport> {
  const http = options.http.scoped({
    maxRetries: 1,
    timeouts: options.timeoutMs ? {totalMs: options.timeoutMs} : undefined,
  })
  const clients = await clientsForProfile(profile, http)
  const now = new Date()
  try {
    const [me, installationCheck, app, webshop, erp, ...runs] = await Promise.all([
      checkService(http, 'cms', profile, '/me', []),
      clients.cms.installation().catch((error: unknown) => error as Error),
      checkService(http, 'app', profile, `/users?${new URLSearchParams({salesRepCode: 'SYNCTRACE-DOCTOR'})}`, []),
      checkService(http, 'webshop', profile, '/customers/SYNCTRACE-DOCTOR', [404]),
      checkErp(clients.erp, profile),
      ...entities.map((entity) => clients.cms.syncRuns(entity, 20).catch(() => null)),
    ])
    const cms = me.health
    const installation = installationOf(installationCheck, cms, Boolean(me.response))
    if (installation?.autoSync) options.onTimeZone?.(installation.autoSync.timezone)
    const ftp =
      installation?.connection === 'ftp' || (clients.ftp && !clients.erp)
        ? await checkFileServer(clients.ftp, installation, now, [...(runs[0] ?? []), ...(runs[1] ?? [])])
        : null
    if (me.response) addCmsReports(cms, me.response, installation)
    const syncs = installation
      ? entities.map((entity, index) => syncHealth(entity, runs[index] ?? [], installation, now))
      : []
    if (erp.status === 'not-configured' && installation?.connection === 'ftp')
      erp.notes = [
        `${erpDisplayName(installation.erpSystem)} is only visible through its export files on the file server`,
      ]
    const hops = [erp, ...(ftp ? [ftp] : []), cms, app.health, webshop.health]
    const context: AdviceContext = {commandSuffix: options.commandSuffix ?? '', profile: profile.name}
    const advice = adviceFor(hops, syncs, {expected: profile.installation, found: installation}, context)
    const problems = advice.map((entry) => entry.problem)
    http.signal?.throwIfAborted()
    return {
      advice,
      checkedAt: now.toISOString(),
      exitCode: hops.some((hop) => hop.status === 'unreachable') ? 4 : problems.length > 0 ? 3 : 0,
      hops,
      installation: installation
        ? {
            connection: installation.connection,
            erp: installation.erpSystem,
            id: installation.id,
            name: installation.name,
          }
        : null,
      problems,
      profile: profile.name,
      syncs,
    }
  } finally {
    await http.close()
  }
}

/** The installation as the CMS reports it; a bad /installation is the CMS's problem, named, while the other hops still report. */
function installationOf(check: Installation | Error, cms: HopHealth, cmsAnswered: boolean): Installation | null {
  if (!(check instanceof Error)) return check
  if (cmsAnswered) {
    flagIssue(
      cms,
      'installation-unreadable',
      `/installation could not be used: ${check instanceof RequestProblem ? check.problem.message : check.message}`,
    )
  }
  return null
}

/** What the CMS reports about the caller (role, user) and the installation; an unreadable /me is its problem. */
function addCmsReports(cms: HopHealth, me: HttpResponse, installation: Installation | null): void {
  try {
    const {role, user} = parseMe(me.body)
    cms.reports = {role, user}
  } catch (error) {
    cms.status = 'problem'
    cms.authenticated = null
    cms.problem =
      error instanceof RequestProblem
        ? error.problem
        : {kind: 'bad-response', message: String((error as Error).message)}
  }
  if (installation)
    Object.assign(cms.reports, {
      connection: installation.connection,
      erp: erpDisplayName(installation.erpSystem),
      installation: installation.id,
    })
}
