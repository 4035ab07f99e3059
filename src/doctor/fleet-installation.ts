import type {Profile} from '../config/profile.js'
import {clientsForProfile} from '../config/clients.js'
import {type RejectedOrderFile, rejectedOrderFiles} from '../connectors/ftp/rejected.js'
import type {InstallationClients} from '../connectors/installation.js'
import {FleetCms, type FleetRun, type WaitingOrder} from '../connectors/platform/fleet.js'
import type {Installation} from '../connectors/platform/types.js'
import type {HttpClient} from '../http/client.js'
import type {Clock} from '../util/clock.js'
import {formatInZone, installationTimeZone, localTimeZone} from '../util/time.js'
import {type DoctorReport, runDoctor} from './doctor.js'
import {credentialProblems, rejectedOrders, stuckOrders} from './fleet-orders.js'
import {doctorProblems} from './fleet-report.js'
import {runProblems} from './fleet-runs.js'
import {type FleetEntry, type FleetProblem, kindRank} from './fleet-types.js'

export interface InstallationCheckOptions {
  http: HttpClient
  clock: Clock
  /** Seconds-based per-request budget, as doctor's --timeout. */
  timeoutMs?: number
  /** The most one installation may take: past it, it is reported as not checked and the others go on. */
  deadlineMs: number
  commandSuffix: string
}

const entities = ['customers', 'items', 'prices', 'stock'] as const

interface Readings {
  installation: Installation
  credentialsExpireAt: string | null
  runs: FleetRun[][]
  orders: {queued: WaitingOrder[]; failed: WaitingOrder[]; 'on-hold': WaitingOrder[]}
  /** The order files in `Orders/error/` (ftp installations whose profile reaches the file server). */
  rejected: RejectedOrderFile[]
}

type FtpClient = InstallationClients['ftp']

/** What the fleet view reads of the CMS beside today's doctor (platform-api.md "For watching many installations"). */
async function readFleet(cms: FleetCms, ftp: FtpClient): Promise<Readings> {
  const [found, queued, failed, onHold, ...runs] = await Promise.all([
    cms.installation(),
    cms.orders('queued'),
    cms.orders('failed'),
    cms.orders('on-hold'),
    ...entities.map((entity) => cms.runs(entity)),
  ])
  const {installation} = found
  const url = ftp?.url ?? installation.ftpUrl
  // The file server's own trouble is the doctor's ftp hop: an unreadable error folder adds nothing here.
  const rejected =
    installation.connection === 'ftp' && ftp && url
      ? await rejectedOrderFiles({...ftp, erpSystem: installation.erpSystem, url}).catch(() => [])
      : []
  return {...found, orders: {failed, 'on-hold': onHold, queued}, rejected, runs}
}

function problemsOf(report: DoctorReport, readings: Readings | Error, now: Date, suffix: string): FleetProblem[] {
  const problems = doctorProblems(report)
  const cms = report.hops.find((hop) => hop.hop === 'cms')
  if (readings instanceof Error) {
    if (cms?.status === 'ok')
      problems.push({
        action: 'Contact platform support: the CMS does not answer what the fleet view reads (runs, orders).',
        command: null,
        detail: readings.message,
        kind: 'hop-error',
        owner: 'platform-support',
        severity: 'warning',
        since: null,
        subject: 'cms',
        summary: '',
        what: 'cms: the fleet readings failed',
      })
    return problems
  }
  const {installation} = readings
  for (const [index, entity] of entities.entries())
    problems.push(...runProblems(entity, readings.runs[index] ?? [], installation, now, suffix))
  problems.push(...stuckOrders(readings.orders, installation.connection, now, suffix))
  problems.push(...rejectedOrders(readings.rejected, now))
  problems.push(...credentialProblems(readings.credentialsExpireAt, now))
  return problems
}

/** "customers sync failing since 2026-12-06 02:00 +01:00 (3 runs: …)": a problem as a person reads it. */
export function summarise(problem: FleetProblem, timeZone: string): string {
  const since = problem.since ? ` since ${formatInZone(new Date(problem.since), timeZone)}` : ''
  return `${problem.what}${since}${problem.detail ? ` (${problem.detail})` : ''}`
}

/** One installation's entry from its doctor report and fleet readings. */
function entryOf(
  profile: Profile,
  report: DoctorReport,
  readings: Readings | Error,
  now: Date,
  suffix: string,
): FleetEntry {
  const installation = readings instanceof Error ? null : readings.installation
  const timeZone = installation ? installationTimeZone(installation) : localTimeZone()
  const problems = problemsOf(report, readings, now, suffix)
    .sort((a, b) => kindRank(a.kind) - kindRank(b.kind))
    .map((problem) => ({...problem, summary: summarise(problem, timeZone)}))
  const cms = report.hops.find((hop) => hop.hop === 'cms')
  return {
    checkedAt: now.toISOString(),
    connection: report.installation?.connection ?? null,
    erp: report.installation?.erp ?? null,
    installation: report.installation?.id ?? profile.installation ?? null,
    name: report.installation?.name ?? null,
    problems,
    profile: profile.name,
    status: cms?.status === 'unreachable' ? 'not-checked' : problems.length > 0 ? 'problems' : 'healthy',
    timeZone,
  }
}

/** An installation the fleet view could not check: its profile did not load, or it passed its deadline. */
export function notChecked(profile: string, installation: string | null, reason: string, now: Date): FleetEntry {
  const problem: FleetProblem = {
    action: `Run synctrace doctor --profile ${profile} to see which hop does not answer, then contact its owner.`,
    command: `synctrace doctor --profile ${profile}`,
    detail: null,
    kind: 'not-checked',
    owner: 'admin',
    severity: 'critical',
    since: null,
    subject: null,
    summary: reason,
    what: reason,
  }
  return {
    checkedAt: now.toISOString(),
    connection: null,
    erp: null,
    installation,
    name: null,
    problems: [problem],
    profile,
    status: 'not-checked',
    timeZone: localTimeZone(),
  }
}

/**
 * Checks one installation: today's doctor and the fleet readings at once, within one deadline. Its requests
 * have a connection pool of their own (installations of a hosted platform share its origin: one that hangs
 * must not hold the connections the others wait for), destroyed when it is done or its deadline has passed;
 * past the deadline it is reported as not checked.
 */
export async function checkInstallation(profile: Profile, options: InstallationCheckOptions): Promise<FleetEntry> {
  const now = new Date(options.clock.now())
  // The requests' own deadline a little after the installation's: the deadline's report wins, then they stop.
  const http = options.http.scoped({deadlineAt: now.getTime() + options.deadlineMs + 1000}, 'own')
  const suffix = options.commandSuffix
  const work = Promise.all([
    runDoctor(profile, {commandSuffix: suffix, http, timeoutMs: options.timeoutMs}),
    clientsForProfile(profile, http)
      .then((clients) => readFleet(new FleetCms(http, profile.cms), clients.ftp))
      .catch((error: unknown) => error as Error),
  ]).then(([report, readings]) => entryOf(profile, report, readings, now, suffix))
  // A real timer, not the run's clock: the clock's sleep is for polls (a test's clock shortens them).
  const expired = AbortSignal.timeout(options.deadlineMs)
  const stop = new AbortController()
  const deadline = new Promise<FleetEntry | null>((resolve) => {
    const reason = `no answer within its deadline of ${options.deadlineMs / 1000} s`
    expired.addEventListener('abort', () =>
      resolve(notChecked(profile.name, profile.installation ?? null, reason, now)),
    )
    stop.signal.addEventListener('abort', () => resolve(null))
  })
  try {
    const first = await Promise.race([work, deadline])
    return first ?? (await work)
  } catch (error) {
    const reason = `could not be checked: ${(error as Error).message}`
    return notChecked(profile.name, profile.installation ?? null, reason, now)
  } finally {
    stop.abort()
    await http.destroy()
  }
}
