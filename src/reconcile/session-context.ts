import type {InstallationClients} from '../connectors/installation.js'
import {PlatformLister} from '../connectors/platform/listing.js'
import {lastStockRun} from '../connectors/platform/schedule.js'
import type {SyncRun} from '../connectors/platform/types.js'
import {skippedByRun} from '../diagnose/exclusion.js'
import {ExitCode, UserError} from '../util/errors.js'
import {installationTimeZone} from '../util/time.js'
import type {ClassifyContext} from './classify.js'
import {problemText, type ReconcileRequest, type RunScope} from './session-scope.js'
import type {Side} from './sides.js'
import type {ReconcileRecord} from './types.js'

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

/** The entity's sync runs: the classes are judged against them, and the export side reads the file they read. */
export async function syncRunsOf(
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

/** The CMS's latest outcome for a price row's list and item (`/sync/records?entity=prices&key=&itemCode=`), when it skipped or failed it. */
async function rowSkippedByLastRun(clients: InstallationClients, found: ReconcileRecord): Promise<string | null> {
  if (!found.price) return null
  try {
    const newest = (await clients.cms.syncRecords('prices', found.price.priceListCode, 1, found.price.itemCode))[0]
    return newest && (newest.outcome === 'skipped' || newest.outcome === 'failed')
      ? (newest.reason ?? newest.outcome)
      : null
  } catch {
    return null
  }
}

/** ERPs whose price rows carry no validity dates (platform contract, "What each ERP cannot supply"). */
const undatedPriceRows = new Set(['fortnox', 'netsuite', 'visma-eaccounting'])

/** What the source's rows can be compared on: dates only where the source supplies them. */
function priceDatesSupplied({between, clients}: RunScope): boolean {
  if (between !== 'erp,cms') return true
  return !undatedPriceRows.has(clients.erp?.system ?? '')
}

function skippedLookup({between, clients, request}: RunScope): ClassifyContext['skippedByLastRun'] {
  if (between === 'cms,app' || between === 'cms,webshop') return undefined
  if (request.entity === 'prices') return (_key, found) => rowSkippedByLastRun(clients, found)
  return request.entity === 'customers' ? (key) => skippedByLastRun(clients, key) : undefined
}

/** What the classes are judged against: the CMS's sync runs, the filters and (cms,app customers) the app's users per sales rep. */
export async function classifyContext(
  scope: RunScope,
  upstream: Side,
  downstream: Side,
  runs: SyncRun[],
): Promise<ClassifyContext> {
  const {between, clients, http, installation, request} = scope
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
    priceDatesSupplied: request.entity === 'prices' ? priceDatesSupplied(scope) : undefined,
    skippedByLastRun: skippedLookup(scope),
    timeZone: installationTimeZone(installation),
    upstreamName: upstream.name,
    usersByRep,
  }
}
