import type {Installation, SyncRun} from '../connectors/platform/types.js'
import {atLocalTime} from '../util/time.js'

/** The newest succeeded sync run that read this key: a full/auto run, or a targeted run naming it. */
export function lastSyncCovering(runs: SyncRun[], key: string): SyncRun | undefined {
  return newestFirst(runs).find((run) => run.status === 'succeeded' && (run.keys === null || run.keys.includes(key)))
}

export function newestFirst(runs: SyncRun[]): SyncRun[] {
  return [...runs].sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0))
}

/** When the CMS's next automatic sync should start, from its schedule; null when it has none. */
export function nextAutoSync(installation: Installation | undefined, now: Date): Date | null {
  const schedule = installation?.autoSync
  if (!schedule || !schedule.at) return null
  const everyMs = Math.max(1, schedule.everyHours) * 3_600_000
  let candidate = atLocalTime(now, schedule.at, schedule.timezone)
  while (candidate.getTime() <= now.getTime()) candidate = new Date(candidate.getTime() + everyMs)
  while (candidate.getTime() - everyMs > now.getTime()) candidate = new Date(candidate.getTime() - everyMs)
  return candidate
}
