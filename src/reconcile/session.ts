import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'

import {clientsForProfile} from '../config/clients.js'
import type {Profile} from '../config/profile.js'
import type {InstallationClients} from '../connectors/installation.js'
import {PlatformLister} from '../connectors/platform/listing.js'
import type {Installation, SyncRun} from '../connectors/platform/types.js'
import {lastStockRun} from '../connectors/platform/schedule.js'
import {readByCmsOf} from '../connectors/ftp/source-file.js'
import {defaultTimeouts, type HttpClient} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import {ExitCode, UserError} from '../util/errors.js'
import {skippedByRun} from '../diagnose/exclusion.js'
import {loadCheckpoint, lockFolder, reconcileFolder, removeWork} from './checkpoint.js'
import type {ClassifyContext} from './classify.js'
import {type ReconcileOutcome, type ReconcileProgress, reconcile} from './run.js'
import {erpSide, exportSide, platformSide, type Side} from './sides.js'
import {reconcileSummary} from './summary.js'
import type {HopPair, ReconcileEntity, ReconcileSummary} from './types.js'

export interface ReconcileRequest {
  /** The run's HTTP client: pages are asked over its connections, each page with its own deadline. */
  http: HttpClient
  profile: Profile
  entity: ReconcileEntity
  /** Null: the first pair of the installation's chain (ERP → CMS, or the export → CMS). */
  between: HopPair | null
  resume: boolean
  /** Seconds one page request may take, retries included (--timeout). */
  timeoutSeconds?: number
  onlyKeys?: Set<string>
  signal?: AbortSignal
  debug?: (line: string) => void
  progress?: (progress: ReconcileProgress) => void
  version: string
  commandSuffix: string
  /** Records per page asked of the platform's lists (1–1000, default 1000). */
  pageSize?: number
  env?: NodeJS.ProcessEnv
}

export interface ReconcileResult {
  summary: ReconcileSummary
  recordsPath: string
  folder: string
  installation: Installation
  /** Removes the run's folder (findings, checkpoint, lock) once its output is written. */
  finish(): void
}

function problemText(error: unknown): string {
  return error instanceof RequestProblem ? error.problem.message : String((error as Error).message ?? error)
}

/** The run that read every record of the entity last, and the targeted runs since (by key). */
function syncContext(runs: SyncRun[]): {lastFullSync: SyncRun | undefined; targetedStarts: Map<string, number>} {
  const succeeded = runs
    .filter((run) => run.status === 'succeeded' && run.startedAt !== null)
    .sort((a, b) => (b.startedAt as Date).getTime() - (a.startedAt as Date).getTime())
  const lastFullSync = succeeded.find((run) => run.keys === null)
  const since = lastFullSync?.startedAt?.getTime() ?? Number.NEGATIVE_INFINITY
  const targetedStarts = new Map<string, number>()
  for (const run of succeeded) {
    const start = (run.startedAt as Date).getTime()
    if (run.keys === null || start <= since) continue
    for (const key of run.keys) if ((targetedStarts.get(key) ?? 0) < start) targetedStarts.set(key, start)
  }
  return {lastFullSync, targetedStarts}
}

function defaultPair(installation: Installation): HopPair {
  return installation.connection === 'ftp' ? 'ftp,cms' : 'erp,cms'
}

/** What a run knows before it merges: the installation, the two hops, and the folder of its work. */
interface RunScope {
  request: ReconcileRequest
  http: HttpClient
  clients: InstallationClients
  installation: Installation
  between: HopPair
  folder: string
}

/**
 * Reconciles one entity between two hops of the installation a profile points at: reads the installation
 * and its sync runs, opens both sides, merges and classifies, and returns the summary with the findings file.
 */
export async function runReconcile(request: ReconcileRequest): Promise<ReconcileResult> {
  const http = pageClient(request)
  try {
    const clients = clientsForProfile(request.profile, http)
    const installation = await readInstallation(clients, request)
    const between = request.between ?? defaultPair(installation)
    const scope: RunScope = {
      between,
      clients,
      folder: reconcileFolder(installation.id, request.entity, between, request.env),
      http,
      installation,
      request,
    }
    const runs = await syncRunsOf(scope)
    const {downstream, upstream} = openSides(scope, runs)
    const context = await classifyContext(scope, upstream, downstream, runs)
    const lastTotalPath = `${scope.folder}.last.json`
    const expectedKeys = existsSync(lastTotalPath)
      ? ((JSON.parse(readFileSync(lastTotalPath, 'utf8')) as {compared?: number}).compared ?? null)
      : null
    const startedAt = new Date().toISOString()
    const verifying = request.onlyKeys !== undefined
    const outcome = await merge(scope, context, {downstream, expectedKeys, upstream})
    if (!verifying) writeFileSync(lastTotalPath, JSON.stringify({compared: outcome.checkpoint.compared}), {mode: 0o600})
    return {
      finish: () => {
        if (verifying) rmSync(outcome.recordsPath, {force: true})
        else removeWork(scope.folder)
      },
      folder: scope.folder,
      installation,
      recordsPath: outcome.recordsPath,
      summary: reconcileSummary(outcome, {
        between,
        commandSuffix: request.commandSuffix,
        entity: request.entity,
        installation: installation.id,
        lastFullSync: context.lastFullSync,
        profile: request.profile.name,
        startedAt,
        version: request.version,
      }),
    }
  } finally {
    await http.close()
  }
}

function pageClient(request: ReconcileRequest): HttpClient {
  const timeoutMs = request.timeoutSeconds
    ? request.timeoutSeconds * 1000
    : (request.profile.timeoutMs ?? defaultTimeouts.totalMs)
  return request.http.scoped({
    // Every page request has its own deadline (--timeout), retries included; a long run has none as a whole.
    timeouts: {
      bodyMs: Math.min(timeoutMs, defaultTimeouts.bodyMs),
      connectMs: Math.min(5000, timeoutMs),
      headersMs: timeoutMs,
      totalMs: timeoutMs,
    },
  })
}

async function readInstallation(clients: InstallationClients, request: ReconcileRequest): Promise<Installation> {
  try {
    return await clients.cms.installation()
  } catch (error) {
    if (request.signal?.aborted) throw error
    throw new UserError(
      `The CMS cannot be read, so nothing was compared: ${problemText(error)}`,
      'Check that the CMS is reachable and the token valid (synctrace doctor shows each hop), then try again.',
      ExitCode.incomplete,
    )
  }
}

/** Both sides of the pair; the CMS's side is one lister whichever end of the pair it is. */
function openSides(scope: RunScope, runs: SyncRun[]): {upstream: Side; downstream: Side} {
  const {http, request} = scope
  const [upHop, downHop] = scope.between.split(',') as [string, string]
  const cmsSide = platformSide(http, request.profile.cms, 'cms', request.entity, request.pageSize)
  const upstream = upHop === 'erp' ? erpUpstream(scope) : upHop === 'ftp' ? exportUpstream(scope, runs) : cmsSide
  const downstream =
    downHop === 'cms'
      ? cmsSide
      : platformSide(
          http,
          downHop === 'app' ? request.profile.app : request.profile.webshop,
          downHop as 'app' | 'webshop',
          request.entity,
          request.pageSize,
        )
  return {downstream, upstream}
}

function erpUpstream({clients, installation, request}: RunScope): Side {
  if (installation.connection === 'ftp')
    throw new UserError(
      `Installation ${installation.id} reaches its ERP through export files: there is no ERP API to list.`,
      `Use --between ftp,cms (the export files against the CMS).`,
    )
  const side = clients.erp ? erpSide(clients.erp, request.entity) : null
  if (!side)
    throw new UserError(
      `The profile ${request.profile.name} gives no ERP API access that can list ${request.entity}.`,
      'Add the ERP section to the profile (synctrace profile add), or reconcile another pair: --between cms,app or cms,webshop.',
    )
  return side
}

function exportUpstream({clients, folder, installation, request}: RunScope, runs: SyncRun[]): Side {
  if (installation.connection !== 'ftp')
    throw new UserError(
      `Installation ${installation.id} is connected directly to its ERP: it has no export files.`,
      'Use --between erp,cms.',
    )
  const url = clients.ftp?.url ?? installation.ftpUrl
  if (!clients.ftp || !url)
    throw new UserError(
      `The profile ${request.profile.name} gives no file-server access.`,
      'Add the ftp section (user, password) to the profile, or reconcile --between cms,app or cms,webshop.',
    )
  // The file the CMS's last run read (its sourceFile) unless the profile names the files: never the layout's default instead.
  const readByCms = {[request.entity]: readByCmsOf(runs, request.entity)}
  return exportSide(
    {...clients.ftp, erpSystem: installation.erpSystem ?? null, readByCms, remainingMs: undefined, url},
    request.entity,
    installation.autoSync?.timezone ?? 'UTC',
    folder,
  )
}

/** The entity's sync runs: the classes are judged against them, and the export side reads the file they read. */
async function syncRunsOf(
  {clients, request}: Pick<RunScope, 'clients' | 'request'>,
  entity: ReconcileRequest['entity'] | 'stock' = request.entity,
): Promise<SyncRun[]> {
  try {
    return await clients.cms.syncRuns(entity, 50)
  } catch (error) {
    if (request.signal?.aborted) throw error
    throw new UserError(
      `The sync runs cannot be read, so the classes could not be judged: ${problemText(error)}`,
      'Check the CMS (synctrace doctor), then try again.',
      ExitCode.incomplete,
    )
  }
}

/** The CMS's latest outcome for a customer, when it skipped it; a record it cannot tell of keeps its class. */
async function skippedByLastRun(clients: InstallationClients, key: string): Promise<string | null> {
  try {
    return skippedByRun((await clients.cms.syncRecords('customers', key, 1))[0])
  } catch {
    return null
  }
}

/** What the classes are judged against: the CMS's sync runs, the filters and (cms,app customers) the app's users per sales rep. */
async function classifyContext(
  {between, clients, http, installation, request}: RunScope,
  upstream: Side,
  downstream: Side,
  runs: SyncRun[],
): Promise<ClassifyContext> {
  // Stock differences of items are judged against the last stock run (src/diagnose/stock-order.ts).
  const stockRuns =
    request.entity === 'items' && (between === 'erp,cms' || between === 'ftp,cms')
      ? await syncRunsOf({clients, request}, 'stock')
      : []
  let usersByRep = new Map<string, string[]>()
  try {
    if (between === 'cms,app' && request.entity === 'customers') {
      const users = await new PlatformLister(http, request.profile.app, 'app').users()
      usersByRep = new Map()
      for (const user of users)
        for (const rep of user.salesRepCodes) usersByRep.set(rep, [...(usersByRep.get(rep) ?? []), user.userId])
    }
  } catch (error) {
    if (request.signal?.aborted) throw error
    throw new UserError(
      `The app's users cannot be read, so the classes could not be judged: ${problemText(error)}`,
      'Check the app backend (synctrace doctor), then try again.',
      ExitCode.incomplete,
    )
  }
  return {
    ...syncContext(runs),
    between,
    lastStockSync: lastStockRun(
      stockRuns.filter((run) => run.keys === null),
      '',
    ),
    downstreamName: downstream.name,
    entity: request.entity,
    filters: installation.filters,
    skippedByLastRun:
      request.entity === 'customers' && between !== 'cms,app' && between !== 'cms,webshop'
        ? (key) => skippedByLastRun(clients, key)
        : undefined,
    upstreamName: upstream.name,
    usersByRep,
  }
}

/** The merge under the folder's lock (none for the verification after a fix); a hop that fails is a stop --resume continues. */
async function merge(
  {between, folder, installation, request}: RunScope,
  context: ClassifyContext,
  sides: {upstream: Side; downstream: Side; expectedKeys: number | null},
): Promise<ReconcileOutcome> {
  const verifying = request.onlyKeys !== undefined
  if (request.resume && !verifying && !loadCheckpoint(folder))
    throw new UserError(
      `There is no interrupted reconcile of ${request.entity} ${between} for installation ${installation.id} to resume.`,
      `Run it without --resume (its checkpoint would be in ${folder}).`,
    )
  const lock = verifying ? {release: () => undefined} : lockFolder(folder)
  if ('heldBy' in lock)
    throw new UserError(
      `Another reconcile of ${request.entity} ${between} for installation ${installation.id} is running (process ${lock.heldBy}).`,
      'Wait for it to finish, or stop it (Ctrl-C keeps its checkpoint for --resume).',
    )
  try {
    return await reconcile({
      ...sides,
      between,
      context,
      entity: request.entity,
      folder,
      installation: installation.id,
      onlyKeys: request.onlyKeys,
      progress: request.progress,
      resume: request.resume,
      signal: request.signal,
    })
  } catch (error) {
    if (error instanceof RequestProblem)
      throw new UserError(
        `Reading ${request.entity} stopped: ${error.problem.message}`,
        `Check that hop (synctrace doctor), then continue where it stopped: the same command with --resume.`,
        ExitCode.incomplete,
      )
    lock.release()
    throw error
  }
}
