import type {FleetRun} from '../connectors/platform/fleet.js'
import type {Installation} from '../connectors/platform/types.js'
import {formatDuration} from '../util/time.js'
import type {FleetProblem} from './fleet-types.js'

/** How far past its interval an automatic sync may start before it is overdue (the doctor's own rule). */
export const autoSyncGraceMs = 3_600_000

const startOf = (run: FleetRun) => (run.startedAt ? Date.parse(run.startedAt) : Number.NaN)
const failedCount = (run: FleetRun) => run.counts?.failed ?? 0
/** A run that wrote every record it read: it ends a failing streak (platform-api.md, partly failed runs). */
const clean = (run: FleetRun) => run.status === 'succeeded' && failedCount(run) === 0
const bad = (run: FleetRun) => run.status === 'failed' || (run.status === 'succeeded' && failedCount(run) > 0)

/**
 * One entity's runs: failed or partly failed runs since the last clean success (count, last error, since
 * when), else an automatic sync that is overdue (no successful full or automatic run within its interval
 * and an hour).
 */
export function runProblems(
  entity: string,
  runs: FleetRun[],
  installation: Installation,
  now: Date,
  commandSuffix: string,
): FleetProblem[] {
  const ordered = [...runs].filter((run) => !Number.isNaN(startOf(run))).sort((a, b) => startOf(b) - startOf(a))
  const lastClean = ordered.findIndex(clean)
  const failing = (lastClean === -1 ? ordered : ordered.slice(0, lastClean)).filter(bad)
  if (failing.length > 0) return [failingProblem(entity, failing, ordered[lastClean] ?? null)]
  const everyHours = installation.autoSync?.everyHours ?? 24
  const scheduled = ordered.find((run) => run.status === 'succeeded' && !run.keys)
  const lastAt = scheduled ? startOf(scheduled) : null
  if (lastAt !== null && now.getTime() - lastAt <= everyHours * 3_600_000 + autoSyncGraceMs) return []
  const dueAt = lastAt === null ? null : new Date(lastAt + everyHours * 3_600_000)
  return [
    {
      action: `Start a full ${entity} sync (admin) and ask platform support why the automatic sync did not run.`,
      command: `synctrace sync ${entity} --full${commandSuffix ? ` ${commandSuffix}` : ''}`,
      kind: 'sync-overdue',
      owner: 'admin',
      severity: 'warning',
      since: dueAt?.toISOString() ?? null,
      subject: entity,
      detail:
        lastAt === null
          ? 'no successful full or automatic sync in the recent runs'
          : `last success ${formatDuration(now.getTime() - lastAt)} ago, it runs every ${everyHours} h`,
      summary: '',
      what: `${entity} auto-sync overdue`,
    },
  ]
}

function failingProblem(entity: string, failing: FleetRun[], lastClean: FleetRun | null): FleetProblem {
  const newest = failing[0] as FleetRun
  const oldest = failing.at(-1) as FleetRun
  const partly = failing.every((run) => run.status === 'succeeded')
  const error =
    newest.error ??
    (failedCount(newest) > 0
      ? `${failedCount(newest)} record${failedCount(newest) === 1 ? '' : 's'} not written`
      : null)
  const runs = `${failing.length} run${failing.length === 1 ? '' : 's'}`
  return {
    action: `Contact platform support with run ${newest.runId} and its error${lastClean ? '' : ' (no clean run in the recent ones)'}.`,
    command: null,
    kind: 'sync-failing',
    owner: 'platform-support',
    severity: 'critical',
    since: oldest.startedAt ?? null,
    subject: entity,
    detail: `${runs}${error ? `: ${error}` : ''}`,
    summary: '',
    what: `${entity} sync ${partly ? 'partly failing' : 'failing'}`,
  }
}
