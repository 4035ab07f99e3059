import type {SyncRun} from '../connectors/platform/types.js'
import {ExitCode} from '../util/errors.js'
import {classSummary} from './classes.js'
import type {ReconcileOutcome} from './run.js'
import type {ClassSummary, HopPair, ReconcileClass, ReconcileTarget, ReconcileSummary} from './types.js'

/** The summary of a finished merge: the classes found, most frequent first, and the exit code they give. */
export function reconcileSummary(
  outcome: ReconcileOutcome,
  run: {
    entity: ReconcileTarget
    between: HopPair
    installation: string
    profile: string
    version: string
    commandSuffix: string
    lastFullSync: SyncRun | undefined
    startedAt: string
  },
): ReconcileSummary {
  const {between, entity, lastFullSync} = run
  const counts = outcome.checkpoint.counts
  const classes: ClassSummary[] = (Object.entries(counts) as Array<[ReconcileClass, number]>)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([klass, count]) => classSummary(klass, count, entity, run.commandSuffix))
  const findings = classes.reduce((sum, entry) => sum + entry.count, 0)
  return {
    between,
    classes,
    compared: outcome.checkpoint.compared,
    consistent: outcome.checkpoint.consistent,
    entity,
    exitCode:
      (counts['record-unreadable'] ?? 0) > 0 ? ExitCode.incomplete : findings > 0 ? ExitCode.breakFound : ExitCode.ok,
    finishedAt: new Date().toISOString(),
    installation: run.installation,
    lastSync: lastFullSync
      ? {runId: lastFullSync.runId, startedAt: lastFullSync.startedAt?.toISOString() ?? null}
      : null,
    profile: run.profile,
    read: outcome.checkpoint.read,
    resumed: outcome.resumed,
    schemaVersion: 1,
    sorting: outcome.sorting,
    startedAt: outcome.resumed ? outcome.checkpoint.startedAt : run.startedAt,
    tool: {name: 'synctrace', version: run.version},
    ...(between === 'cms,app' && entity === 'customers' ? {publishedPerUser: outcome.checkpoint.publishedPerUser} : {}),
  }
}
