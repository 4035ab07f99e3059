import type {CanonicalItem} from '../../model/item.js'
import {answerOf} from '../../observe/fetched.js'
import type {ItemObservations} from './observe.js'
import type {HopReport} from '../../report/types.js'
import type {NotSupplied} from '../../model/mapping.js'
import {parseLocalDateTime} from '../../util/time.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {erpDisplayName} from '../../connectors/registry.js'
import {type ChangeSource, changedSinceEvidence} from '../../diagnose/change-order.js'
import {baseReport, type Presence, presenceOf, problemReport, timeEvidence} from '../../diagnose/report-helpers.js'
import {staleExportFiles} from '../../connectors/platform/schedule.js'
import {exportSourceEvidence, exportStaleAssessment, otherStoppedExports} from '../../diagnose/export.js'

/** The source of an item: the ERP (direct installations) or items.csv (ftp installations). */

export interface ItemSource extends ChangeSource {
  hop: 'erp' | 'ftp'
  name: string
  checked: boolean
  item: CanonicalItem | undefined
  notSupplied: NotSupplied[]
  /** Why the CMS's connector never reads the item, as the source itself shows (Monitor: no `vatincluded`). */
  skippedBecause: string | null
  presence: Presence
  /** Stock: a change time that moves with it, and the ERP's answer to "changed since the last stock run started" (stock-order.ts). */
  stockModifiedAt: Date | null
  stockChangedSince: {since: Date; changed: boolean} | null
  /** ftp: the export file the item's row is in (under the base folder). */
  file?: string | null
}

/** The FTP hop is `export-stale` when the item exports have stopped, whatever the row says (as for customers). */
function withStaleExport(
  obs: ItemObservations,
  result: {assessment: Assessment; source: ItemSource},
  clock: Clock,
): {assessment: Assessment; source: ItemSource} {
  const lookup = answerOf(obs.ftp)
  if (!lookup || result.assessment.report.hop !== 'ftp') return result
  const installation = answerOf(obs.installation)
  const stale = exportStaleAssessment({
    clock,
    erpName: erpDisplayName(installation?.erpSystem),
    files: lookup.files,
    installation,
    location: lookup.location,
    report: result.assessment.report,
  })
  return stale ? {...result, assessment: stale} : result
}

/** The installation's customer export has stopped: said beside the item's own verdict, never instead of it. */
export function otherExportFinding(obs: ItemObservations, report: HopReport, clock: Clock): string | null {
  const lookup = answerOf(obs.ftp)
  if (!lookup || report.hop !== 'ftp') return null
  const installation = answerOf(obs.installation)
  return otherStoppedExports({
    clock,
    consequence: `Customers changed in ${erpDisplayName(installation?.erpSystem)} since then cannot reach the CMS${staleExportFiles(lookup.files, installation, clock.now).length === 0 ? '; the item export is current' : ''}.`,
    files: lookup.otherExports,
    installation,
    report,
  })
}

export function assessSource(
  obs: ItemObservations,
  viaExports: boolean,
  clock: Clock,
): {assessment: Assessment; source: ItemSource} {
  const result = assessSourceRecord(obs, viaExports, clock)
  return viaExports ? withStaleExport(obs, result, clock) : result
}

interface FoundItem {
  item: CanonicalItem
  modifiedAt: Date | null
  where: string
}

/** The item's row in the exports, or the assessment of a row that cannot be read. */
function foundInExports(
  obs: ItemObservations,
  source: ItemSource,
  report: HopReport,
  clock: Clock,
): FoundItem | Assessment | null {
  const lookup = answerOf(obs.ftp)
  if (lookup) report.evidence.push(exportSourceEvidence(lookup.chosen))
  if (lookup?.unreadable) {
    const {file, line, message} = lookup.unreadable
    report.status = 'error'
    report.summary = `The row for ${obs.code} in ${file} (line ${line}) cannot be read: ${message}.`
    report.evidence.push({
      file,
      label: 'Unreadable row',
      line,
      name: 'exportUnreadableRow',
      text: `${file} line ${line}: ${message}`,
    })
    return {
      cause: 'export-row-unreadable',
      causeEvidence: report.evidence.slice(),
      causeSummary: `The ERP export has a row for item ${obs.code} that cannot be read: ${file}, line ${line}. The CMS cannot import it.`,
      report,
    }
  }
  const record = lookup?.record
  if (!lookup || !record) return null
  const file = lookup.files.find((entry) => entry.path === record.file)
  const rowModified = record.lastModifiedLocal ? parseLocalDateTime(record.lastModifiedLocal, clock.timeZone) : null
  source.recordModifiedAt = rowModified
  source.fileModifiedAt = file?.modifiedAt ?? null
  source.file = record.file
  source.notSupplied = record.notSupplied
  source.skippedBecause = record.skippedBecause
  const found = {
    item: record.value,
    modifiedAt: rowModified ?? file?.modifiedAt ?? null,
    where: `${record.file} line ${record.line}`,
  }
  report.evidence.push(
    {file: record.file, label: 'Row', line: record.line, name: 'exportRow', text: found.where},
    ...timeEvidence('exportFileModified', `Export file ${record.file}`, file?.modifiedAt).map((entry) => ({
      ...entry,
      file: record.file,
    })),
  )
  return found
}

/** "Not in the item exports (artiklar.xml: the file the CMS's last items run r-2 read (its sourceFile artiklar.xml))." */
function notInExports(obs: ItemObservations): string {
  const chosen = answerOf(obs.ftp)?.chosen
  return chosen
    ? `Not in the item exports (${chosen.files.join(', ')}: ${chosen.because}).`
    : 'Not in the item exports.'
}

function foundInErp(obs: ItemObservations, source: ItemSource): FoundItem | null {
  const record = answerOf(obs.erp)
  if (!record) return null
  source.recordModifiedAt = record.modifiedAt
  source.changedSince = record.changedSince ?? null
  source.stockChangedSince = record.stockChangedSince ?? null
  source.stockModifiedAt = record.stockModifiedAt ?? null
  source.notSupplied = record.notSupplied
  return {item: record.item, modifiedAt: record.modifiedAt, where: source.name}
}

/** The source before its answer is read: nothing known yet. */
function emptySource(hop: 'erp' | 'ftp', name: string, checked: boolean): ItemSource {
  return {
    changedSince: null,
    checked,
    fileModifiedAt: null,
    hop,
    item: undefined,
    modifiedAt: null,
    name,
    notSupplied: [],
    presence: 'unknown',
    recordModifiedAt: null,
    skippedBecause: null,
    stockChangedSince: null,
    stockModifiedAt: null,
  }
}

function assessSourceRecord(
  obs: ItemObservations,
  viaExports: boolean,
  clock: Clock,
): {assessment: Assessment; source: ItemSource} {
  const installation = answerOf(obs.installation)
  const name = erpDisplayName(obs.erpSystem ?? installation?.erpSystem)
  const fetched = viaExports ? obs.ftp : obs.erp
  const hop: 'erp' | 'ftp' = viaExports ? 'ftp' : 'erp'
  const system = viaExports ? 'ftp' : (obs.erpSystem ?? 'erp')
  const source = emptySource(hop, name, fetched !== null)
  if (!fetched) {
    const report = baseReport(hop, system, 0, null)
    report.status = 'not-checked'
    report.summary = viaExports
      ? 'This profile has no file-server credentials, so items.csv was not read.'
      : 'This profile gives no ERP API access, so the chain is checked from the CMS on.'
    return {assessment: {cause: null, report}, source}
  }
  if (!fetched.ok) return {assessment: {cause: null, report: problemReport(hop, system, fetched, null)}, source}
  const report = baseReport(hop, system, fetched.durationMs, null)
  const found = viaExports ? foundInExports(obs, source, report, clock) : foundInErp(obs, source)
  if (found && 'report' in found) return {assessment: found, source}
  if (!found) {
    report.status = 'missing'
    report.summary = viaExports ? notInExports(obs) : `${name} has no item ${obs.code}.`
    source.presence = 'missing'
    const cmsHas = presenceOf(obs.cms) === 'present'
    return {
      assessment: cmsHas
        ? {cause: null, report}
        : {
            cause: viaExports ? 'not-in-export' : 'not-in-erp',
            causeSummary: `${viaExports ? `The ERP's item exports` : name} have no item ${obs.code}: the code may be wrong, or the item was never created or exported.`,
            report,
          },
      source,
    }
  }
  Object.assign(source, {item: found.item, modifiedAt: found.modifiedAt, presence: 'present'})
  report.record = found.item
  report.evidence.push(
    ...timeEvidence(
      viaExports ? 'exportRowModified' : 'erpModifiedAt',
      viaExports ? 'Row lastmodified' : 'ERP last modified',
      viaExports ? source.recordModifiedAt : found.modifiedAt,
    ),
    ...changedSinceEvidence(source, source.name, 'item'),
  )
  report.summary = viaExports ? `In ${found.where}.` : `${name} has the item.`
  return {assessment: {cause: null, report}, source}
}
