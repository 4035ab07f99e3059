import type {ExportFile} from '../connectors/ftp/connector.js'
import type {ExportFileChoice} from '../connectors/ftp/source-file.js'
import type {Installation} from '../connectors/platform/types.js'
import {staleExportFiles, syncEveryHours} from '../connectors/platform/schedule.js'
import type {Evidence, HopReport} from '../report/types.js'
import {formatDuration} from '../util/time.js'
import type {Assessment, Clock} from './conclude.js'
import {time} from './report-helpers.js'

/** A stopped export job, for every entity's trace: the export the record comes from, and the installation's others. */

export function exportFileEvidence(file: ExportFile): Evidence {
  return {
    ...(file.modifiedAt ? {at: file.modifiedAt.toISOString()} : {}),
    file: file.path,
    label: `Export file ${file.path}`,
    name: 'exportFile',
    text: file.exists ? `written${file.size === null ? '' : `, ${file.size} bytes`}` : 'not on the server',
  }
}

/** Which export file was read and why: the profile names it, the CMS's last run read it (`runId`), or the layout's default. */
export function exportSourceEvidence(chosen: ExportFileChoice): Evidence {
  return {
    file: chosen.files[0] ?? '',
    label: 'File traced',
    name: 'exportFileSource',
    ...(chosen.runId ? {runId: chosen.runId} : {}),
    text: `${chosen.files.join(', ')}: ${chosen.because}`,
  }
}

/** "customers.csv was last written 12 Mar 2025 10:00 (+01:00), 3 days ago, although the CMS syncs every 24 h" */
function stoppedSentence(stale: ExportFile[], installation: Installation | undefined, clock: Clock): string {
  const files = stale.map(
    (file) =>
      `${file.path} was last written ${time(file.modifiedAt as Date, clock)}, ${formatDuration(clock.now.getTime() - (file.modifiedAt as Date).getTime())} ago`,
  )
  return `${files.join('; ')}, although the CMS syncs every ${syncEveryHours(installation)} h`
}

function addEvidence(report: HopReport, entries: Evidence[]): void {
  for (const entry of entries)
    if (!report.evidence.some((known) => known.name === entry.name && known.file === entry.file))
      report.evidence.push(entry)
}

/**
 * `export-stale` at the FTP hop when the export files the record comes from (customers for a customer,
 * items for an item) have not been written for two sync intervals; null while they are current.
 */
export function exportStaleAssessment(options: {
  report: HopReport
  files: ExportFile[]
  location: string
  installation: Installation | undefined
  clock: Clock
  erpName: string
}): Assessment | null {
  const {clock, installation, report} = options
  const stale = staleExportFiles(options.files, installation, clock.now)
  if (stale.length === 0) return null
  addEvidence(report, [
    {label: 'File server', name: 'fileServer', text: options.location},
    ...stale.map(exportFileEvidence),
  ])
  report.status = 'stale'
  return {
    cause: 'export-stale',
    causeEvidence: report.evidence.filter((entry) => entry.name === 'exportFile' || entry.name === 'fileServer'),
    causeSummary: `The ERP's export job has stopped: ${stoppedSentence(stale.slice(0, 1), installation, clock)}. Whatever changed in ${options.erpName} since then cannot reach the CMS.`,
    report,
  }
}

/**
 * The installation's other exports whose job has stopped (the customer export seen from an item or an
 * order trace): evidence for the FTP hop and one sentence for the verdict's other findings. It never
 * changes the record's own cause.
 */
export function otherStoppedExports(options: {
  report: HopReport
  files: ExportFile[]
  installation: Installation | undefined
  clock: Clock
  consequence: string
}): string | null {
  const stale = staleExportFiles(options.files, options.installation, options.clock.now)
  if (stale.length === 0) return null
  addEvidence(options.report, stale.map(exportFileEvidence))
  return `The ERP's export job has stopped: ${stoppedSentence(stale, options.installation, options.clock)}. ${options.consequence}`
}
