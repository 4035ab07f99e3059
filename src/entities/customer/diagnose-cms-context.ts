import type {Installation, SyncRecordOutcome, SyncRun} from '../../connectors/platform/types.js'
import {lastSyncCovering, newestFirst, nextAutoSync} from '../../connectors/platform/schedule.js'
import type {CustomerObservations} from './observe.js'
import {answerOf} from '../../observe/fetched.js'
import type {HopReport} from '../../report/types.js'
import type {Clock} from '../../diagnose/conclude.js'
import type {SourceView} from './diagnose-source.js'
import {type Presence, runEvidence} from '../../diagnose/report-helpers.js'

/** What the CMS hop's rules look at besides the CMS's record. */
export interface CmsContext {
  obs: CustomerObservations
  clock: Clock
  source: SourceView
  report: HopReport
  installation: Installation | undefined
  runs: SyncRun[]
  /** The last customer sync that covered the record. */
  lastSync: SyncRun | undefined
  /** The latest run's outcome for this record. */
  latestRecord: SyncRecordOutcome | undefined
  nextSync: Date | null
  /** The source's presence, unknown when the source is itself broken. */
  sourcePresence: Presence
}

export function cmsContext(obs: CustomerObservations, clock: Clock, source: SourceView, report: HopReport): CmsContext {
  const installation = answerOf(obs.installation)
  const runs = answerOf(obs.syncRuns) ?? []
  const lastSync = lastSyncCovering(runs, obs.code)
  const latestRun = newestFirst(runs)[0]
  const latestRecord = answerOf(obs.syncRecords)?.[0]
  report.evidence.push(...runEvidence(lastSync, 'lastCustomerSync', 'Last customer sync'))
  if (latestRun && latestRun !== lastSync && latestRun.status !== 'succeeded')
    report.evidence.push(...runEvidence(latestRun, 'latestCustomerSync', 'Latest customer sync'))
  if (latestRecord)
    report.evidence.push({
      ...(latestRecord.at ? {at: latestRecord.at.toISOString()} : {}),
      label: 'Sync outcome for this record',
      name: 'syncRecordOutcome',
      runId: latestRecord.runId,
      text: `${latestRecord.outcome}${latestRecord.reason ? `: ${latestRecord.reason}` : ''} (${latestRecord.runId})`,
    })
  else if (obs.syncRecords.ok)
    report.evidence.push({
      label: 'Sync outcome for this record',
      name: 'syncRecordOutcome',
      text: 'never read by the recent runs',
    })
  const nextSync = nextAutoSync(installation, clock.now)
  if (nextSync) report.evidence.push({at: nextSync.toISOString(), label: 'Next auto-sync', name: 'nextAutoSync'})
  return {
    clock,
    installation,
    lastSync,
    latestRecord,
    nextSync,
    obs,
    report,
    runs,
    source,
    sourcePresence: source.broken ? 'unknown' : source.presence,
  }
}
