import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'

import {clientsForProfile} from '../config/clients.js'
import type {InstallationClients} from '../connectors/installation.js'
import type {Installation} from '../connectors/platform/types.js'
import {defaultTimeouts, type HttpClient} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import {ExitCode, UserError} from '../util/errors.js'
import {loadCheckpoint, lockFolder, reconcileFolder, removeWork} from './checkpoint.js'
import type {ClassifyContext} from './classify.js'
import {type ReconcileOutcome, reconcile} from './run.js'
import {classifyContext, syncRunsOf} from './session-context.js'
import {problemText, type ReconcileRequest, type RunScope} from './session-scope.js'
import {openSides} from './session-sides.js'
import type {Side} from './sides.js'
import {reconcileSummary} from './summary.js'
import type {HopPair, ReconcileSummary} from './types.js'

export type {ReconcileRequest} from './session-scope.js'

export interface ReconcileResult {
  summary: ReconcileSummary
  recordsPath: string
  folder: string
  installation: Installation
  /** Removes the run's folder (findings, checkpoint, lock) once its output is written. */
  finish(): void
}

function defaultPair(installation: Installation): HopPair {
  return installation.connection === 'ftp' ? 'ftp,cms' : 'erp,cms'
}
/**
 * Reconciles one entity between two hops of the installation a profile points at: reads the installation
 * and its sync runs, opens both sides, merges and classifies, and returns the summary with the findings file.
 */
export async function runReconcile(request: ReconcileRequest): Promise<ReconcileResult> {
  const http = pageClient(request)
  try {
    const clients = await clientsForProfile(request.profile, http)
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
    // How many keys to expect, for the time left: the last run's, else what the last full sync read.
    const expectedKeys =
      (existsSync(lastTotalPath)
        ? (JSON.parse(readFileSync(lastTotalPath, 'utf8')) as {compared?: number}).compared
        : undefined) ??
      context.lastFullSync?.readCount ??
      null
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
