import type {SyncRun} from '../connectors/platform/types.js'
import {newerFileThanRunRead} from '../connectors/platform/schedule.js'
import type {Evidence} from '../report/types.js'
import {runEvidence, timeEvidence} from './report-helpers.js'

/** Did the source change after the CMS last read the record? What every inbound entity asks of its source. */

/** The times a source (the ERP, or its export) gives for one record. */
export interface ChangeSource {
  /** The record's change time, else the export file's. */
  modifiedAt: Date | null
  /** The record's own change time (the ERP's, or the export row's), never the file's. */
  recordModifiedAt: Date | null
  /** For an export: the file's time, against the time of the file the last sync read. */
  fileModifiedAt: Date | null
  /** For an ERP whose records carry no time: did it report a change since the last sync started? */
  changedSince: {since: Date; changed: boolean} | null
}

/**
 * Did the source change after `reference` (the last read, or the last covering sync's start)? Only from
 * times in hand: a newer export file than the one the sync read, the ERP's answer to "changed since"
 * (asked exactly this, see observe; it is only asked of records without a change time), or the record's
 * change time; without any of them the order of events is unknown. No reference: the record is news.
 */
export function orderOfEvents(
  source: ChangeSource,
  lastSync: SyncRun | undefined,
  reference: Date | null,
): 'after' | 'before' | 'unknown' {
  if (newerFileThanRunRead(source.fileModifiedAt, lastSync)) return 'after'
  if (source.changedSince) return source.changedSince.changed ? 'after' : 'before'
  if (!reference) return 'after'
  if (source.modifiedAt) return source.modifiedAt > reference ? 'after' : 'before'
  return 'unknown'
}

/** The ERP's answer to "changed since", as evidence; `noun` is what it lists ("record", "item"). */
export function changedSinceEvidence(
  source: Pick<ChangeSource, 'changedSince'>,
  sourceName: string,
  noun: string,
): Evidence[] {
  const asked = source.changedSince
  if (!asked) return []
  return [
    {
      at: asked.since.toISOString(),
      label: `${sourceName} asked for changes since`,
      name: 'erpChangedSince',
      text: asked.changed ? `lists the ${noun}: changed since then` : `does not list the ${noun}: unchanged since then`,
    },
  ]
}

/** The evidence of the order of events: the source's times and the last sync's (what `orderOfEvents` weighed). */
export function changeEvidence(options: {
  source: ChangeSource
  modified: {name: string; label: string; at?: Date | null}
  changedSince: Evidence[]
  run: SyncRun | undefined
  runName: string
  runLabel: string
}): Evidence[] {
  const {run, source} = options
  return [
    ...timeEvidence(
      options.modified.name,
      options.modified.label,
      options.modified.at === undefined ? source.modifiedAt : options.modified.at,
    ),
    ...options.changedSince,
    ...timeEvidence('exportFileModified', 'Export file written', source.fileModifiedAt),
    ...runEvidence(run, options.runName, options.runLabel),
    ...timeEvidence('syncReadFileModified', 'File version the last sync read', run?.sourceFileModifiedAt),
  ]
}

/** The CMS stores the ERP's change time with the record (truncated to seconds): a newer one in the source is a change it has not got. */
export function newerThanCmsCopy(recordModifiedAt: Date | null, cmsErpModifiedAt: Date | null): boolean {
  return Boolean(
    recordModifiedAt && cmsErpModifiedAt && recordModifiedAt.getTime() >= cmsErpModifiedAt.getTime() + 1000,
  )
}
