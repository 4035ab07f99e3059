import type {ExportCustomerLookup, ExportFile} from '../../connectors/ftp/connector.js'
import type {RowProblem} from '../../connectors/ftp/csv-export.js'
import type {CanonicalCustomer} from '../../model/customer.js'
import type {CustomerObservations} from './observe.js'
import type {HopReport} from '../../report/types.js'
import {erpDisplayName} from '../../connectors/registry.js'
import {answerOf} from '../../observe/fetched.js'
import type {DerivedField, NotSupplied} from '../../model/mapping.js'
import {parseLocalDateTime} from '../../util/time.js'
import type {ChangeSource} from '../../diagnose/change-order.js'
import {baseReport, type Presence, presenceOf, problemReport, timeEvidence} from '../../diagnose/report-helpers.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {exportFileEvidence, exportSourceEvidence, exportStaleAssessment} from '../../diagnose/export.js'

/** The source of a customer: the ERP (direct installations) or its export files (ftp installations). */

export function assessErp(obs: CustomerObservations, viaExports: boolean): Assessment {
  const installation = answerOf(obs.installation)
  const system = obs.erpSystem ?? installation?.erpSystem ?? 'erp'
  const name = erpDisplayName(system)
  if (!obs.erp) {
    const report = baseReport('erp', system, 0, null)
    report.status = 'not-checked'
    report.summary = viaExports
      ? `${name} is only visible through its exports on the file server; this profile gives no ERP API access.`
      : 'This profile gives no ERP API access, so the chain is checked from the CMS on.'
    return {cause: null, report}
  }
  if (!obs.erp.ok) return {cause: null, report: problemReport('erp', system, obs.erp, null)}
  const report = baseReport('erp', system, obs.erp.durationMs, null)
  const record = obs.erp.value
  if (!record) {
    report.status = 'missing'
    report.summary = `${name} has no customer ${obs.code}.`
    const cmsPresence = presenceOf(obs.cms)
    if (cmsPresence === 'present') return {cause: null, report}
    return {
      cause: 'not-in-erp',
      causeSummary: `${name} has no customer ${obs.code}${cmsPresence === 'missing' ? ', and neither has the CMS' : ''}: the code may be wrong, or the customer was never created in the ERP.`,
      report,
    }
  }
  report.record = record.customer
  report.evidence = timeEvidence('erpModifiedAt', 'ERP last modified', record.modifiedAt)
  if (record.erpId) report.evidence.push({label: 'ERP id', name: 'erpId', text: record.erpId})
  report.summary = `${name} has the customer.`
  return {cause: null, report}
}

/** What the CMS is compared with: the ERP (direct installations) or its export file (ftp installations). */
export interface SourceView extends ChangeSource {
  hop: 'erp' | 'ftp'
  /** "Business Central", "the export customers.csv". */
  name: string
  /** ftp: the export file the customer's row is in ("customers.csv"), null when there is no row or no export. */
  exportFile: string | null
  /** Was the source asked at all (configured in the profile)? */
  checked: boolean
  presence: Presence
  customer: CanonicalCustomer | undefined
  /** The source is itself broken (a break found at it): nothing downstream is judged against it. */
  broken: boolean
  /** Fields the source declares it cannot supply. */
  notSupplied: NotSupplied[]
  /** Why the CMS's connector never reads this record, as the source itself shows (inactive in Fortnox, `~` in an export). */
  skippedBecause: string | null
  /** The source's own word on what the CMS derives (BC without the ship-to extension). */
  derived: DerivedField[]
}

/** The export hop: the customer's row in the ERP's export files, or why it is not there or cannot be read. */
export function assessFtp(obs: CustomerObservations, clock: Clock): Assessment {
  const installation = answerOf(obs.installation)
  const erpName = erpDisplayName(installation?.erpSystem)
  if (!obs.ftp) {
    const report = baseReport('ftp', 'ftp', 0, null)
    report.status = 'not-checked'
    report.summary = 'This profile has no file-server credentials, so the export files were not read.'
    return {cause: null, report}
  }
  if (!obs.ftp.ok) return {cause: null, report: problemReport('ftp', 'ftp', obs.ftp, null)}
  const lookup = obs.ftp.value
  const report = baseReport('ftp', 'ftp', obs.ftp.durationMs, null)
  report.evidence.push(
    {label: 'File server', name: 'fileServer', text: lookup.location},
    exportSourceEvidence(lookup.chosen),
  )
  for (const file of lookup.files) report.evidence.push(exportFileEvidence(file))
  const existing = lookup.files.filter((file) => file.exists)
  if (existing.length === 0 && lookup.chosen.runsUnread) {
    // Only the CMS's runs say which file it reads: the layout's default being absent says nothing.
    report.status = 'error'
    report.summary = `The layout's default customer export (${lookup.files.map((file) => file.path).join(', ')}) is not in ${lookup.location}, and the CMS's runs, which name the file it reads, could not be read.`
    return {cause: null, report}
  }
  if (existing.length === 0) {
    report.status = 'error'
    report.summary = `No customer export (${lookup.files.map((file) => file.path).join(', ')}: ${lookup.chosen.because}) in ${lookup.location}.`
    return {
      cause: 'export-missing',
      causeEvidence: report.evidence.slice(),
      causeSummary: `${report.summary} The ERP's export has not been written where the CMS reads it.`,
      report,
    }
  }
  if (lookup.otherProblems.length > 0)
    report.evidence.push({
      label: 'Other unreadable rows',
      name: 'otherUnreadableRows',
      text: lookup.otherProblems
        .slice(0, 5)
        .map((problem) => `${problem.file} line ${problem.line}`)
        .join(', '),
    })
  // Asked after the row's own evidence is in: a stopped export is then the cause, whatever the row shows.
  const staleCause = (): Assessment | null =>
    exportStaleAssessment({clock, erpName, files: lookup.files, installation, location: lookup.location, report})
  if (lookup.unreadable) return unreadableRow(obs.code, lookup.unreadable, report, staleCause)
  if (!lookup.record) return notInExport(obs.code, existing, erpName, report, staleCause)
  rowEvidence(lookup.record, report, clock)
  return staleCause() ?? {cause: null, report}
}

function unreadableRow(
  code: string,
  {file, line, message}: RowProblem,
  report: HopReport,
  staleCause: () => Assessment | null,
): Assessment {
  report.status = 'error'
  report.summary = `The row for ${code} in ${file} (line ${line}) cannot be read: ${message}.`
  report.evidence.push({
    file,
    label: 'Unreadable row',
    line,
    name: 'exportUnreadableRow',
    text: `${file} line ${line}: ${message}`,
  })
  return (
    staleCause() ?? {
      cause: 'export-row-unreadable',
      causeEvidence: report.evidence.filter((entry) => entry.name !== 'otherUnreadableRows'),
      causeSummary: `The ERP export has a row for customer ${code} that cannot be read: ${file}, line ${line}: ${message}. The CMS cannot import it.`,
      report,
    }
  )
}

function notInExport(
  code: string,
  existing: ExportFile[],
  erpName: string,
  report: HopReport,
  staleCause: () => Assessment | null,
): Assessment {
  report.status = 'missing'
  report.summary = `Not in the export files (${existing.map((file) => file.path).join(', ')}).`
  return (
    staleCause() ?? {
      cause: 'not-in-export',
      causeEvidence: report.evidence.slice(),
      causeSummary: `Customer ${code} is not in ${erpName}'s export files (${existing.map((file) => file.path).join(', ')}), which are otherwise readable and current. ${erpName} itself is only visible through these exports.`,
      report,
    }
  )
}

/** The customer's row: where it is, whether it is marked inactive, and its own LastModified. */
function rowEvidence(record: NonNullable<ExportCustomerLookup['record']>, report: HopReport, clock: Clock): void {
  report.record = record.value
  const rowModified = record.lastModifiedLocal ? parseLocalDateTime(record.lastModifiedLocal, clock.timeZone) : null
  report.evidence.push({
    file: record.file,
    label: 'Row',
    line: record.line,
    name: 'exportRow',
    text: `${record.file} line ${record.line}${record.inactive ? ' (marked inactive with ~)' : ''}`,
  })
  report.evidence.push(...timeEvidence('exportRowModified', 'Row LastModified', rowModified))
  report.summary = `In ${record.file}, line ${record.line}${record.inactive ? ', marked inactive' : ''}.`
}

/** What the CMS is compared with, from the ERP hop or the export hop. */
export function sourceView(
  obs: CustomerObservations,
  viaExports: boolean,
  sourceAssessment: Assessment,
  clock: Clock,
): SourceView {
  const installation = answerOf(obs.installation)
  const broken =
    sourceAssessment.cause !== null &&
    sourceAssessment.cause !== 'not-in-erp' &&
    sourceAssessment.cause !== 'not-in-export'
  if (viaExports) {
    const lookup = answerOf(obs.ftp)
    const file = lookup?.record ? lookup.files.find((entry) => entry.path === lookup.record?.file) : undefined
    const rowModified = lookup?.record?.lastModifiedLocal
      ? parseLocalDateTime(lookup.record.lastModifiedLocal, clock.timeZone)
      : null
    return {
      broken,
      changedSince: null,
      checked: obs.ftp !== null,
      customer: lookup?.record?.value,
      derived: [],
      fileModifiedAt: file?.modifiedAt ?? null,
      hop: 'ftp',
      modifiedAt: rowModified ?? file?.modifiedAt ?? null,
      recordModifiedAt: rowModified,
      exportFile: lookup?.record?.file ?? null,
      name: lookup?.record ? `the export ${lookup.record.file}` : 'the export',
      notSupplied: lookup?.record?.notSupplied ?? [],
      skippedBecause: lookup?.record?.skippedBecause ?? null,
      presence: !obs.ftp || !obs.ftp.ok || lookup?.unreadable ? 'unknown' : lookup?.record ? 'present' : 'missing',
    }
  }
  const erp = answerOf(obs.erp)
  return {
    broken,
    changedSince: erp?.changedSince ?? null,
    checked: obs.erp !== null,
    customer: erp?.customer,
    derived: erp?.derived ?? [],
    exportFile: null,
    fileModifiedAt: null,
    hop: 'erp',
    modifiedAt: erp?.modifiedAt ?? null,
    recordModifiedAt: erp?.modifiedAt ?? null,
    name: erpDisplayName(obs.erpSystem ?? installation?.erpSystem),
    notSupplied: erp?.notSupplied ?? [],
    presence: presenceOf(obs.erp),
    skippedBecause: erp?.skippedBecause ?? null,
  }
}
