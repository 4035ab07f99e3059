import type {OrderFileLocation, OrderFileLookup} from '../../connectors/ftp/outbound.js'
import {erpDisplayName} from '../../connectors/registry.js'
import {answerOf} from '../../observe/fetched.js'
import type {OrderObservations} from './observe.js'
import type {HopName, HopReport} from '../../report/types.js'
import {formatDuration} from '../../util/time.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {otherStoppedExports} from '../../diagnose/export.js'
import {plural} from './diagnose-cms.js'
import {baseReport, problemReport, time, timeEvidence} from '../../diagnose/report-helpers.js'
import {fileInFolder, toErp, waitingFileGraceMs} from '../../diagnose/waiting-file.js'

/** The order's way into the ERP: its file in the order folders (ftp installations), and the ERP's sales order. */

/** The order folders: the order's file waiting, imported (processed/) or rejected (error/), or not there. */
export function assessFtp(obs: OrderObservations, clock: Clock, alsoStopped: {finding: string | null}): Assessment {
  if (!obs.ftp)
    return {
      cause: null,
      report: {
        ...baseReport('ftp', 'ftp', 0, 'cms'),
        status: 'not-checked',
        summary: 'This profile has no file-server credentials.',
      },
    }
  if (!obs.ftp.ok) return {cause: null, report: problemReport('ftp', 'ftp', obs.ftp, 'cms')}
  const report = baseReport('ftp', 'ftp', obs.ftp.durationMs, 'cms')
  const lookup = obs.ftp.value
  const order = answerOf(obs.cms)
  report.evidence.push({label: 'File server', name: 'fileServer', text: lookup.location})
  if (lookup.refusedNames.length > 0)
    report.evidence.push({
      label: 'Ignored unsafe names in the listing',
      name: 'refusedNames',
      text: lookup.refusedNames.slice(0, 5).join(', '),
    })
  const file = lookup.file
  if (!file) {
    report.status = 'missing'
    const {error, folder, processed} = lookup.folders
    report.summary = `No order file in ${folder}/, ${processed}/ or ${error}/.`
    if (order?.transfer.status === 'sent')
      return {
        cause: 'order-file-missing',
        causeSummary: `The CMS reports order ${obs.orderNr} as sent to ${order.transfer.file ?? `the ${folder} folder`}, but no file for it is in ${folder}/, ${processed}/ or ${error}/.`,
        report,
      }
    return {cause: null, report}
  }
  const where = fileInFolder(report, 'order', file, lookup.errorReason, clock)
  if (where.state === 'waiting') return orderFileWaiting(obs, lookup, report, where.ageMs, clock, alsoStopped)
  if (where.state === 'rejected')
    return {
      ...toErp,
      cause: 'order-rejected-by-erp',
      causeEvidence: report.evidence.slice(),
      causeSummary: `The ERP's import rejected order ${obs.orderNr}: "${lookup.errorReason ?? 'no reason given'}" (${file.path}, moved there ${file.modifiedAt ? time(file.modifiedAt, clock) : ''}).`,
      report,
    }
  return {cause: null, report}
}

/** The order's file waits in Orders/: on its way, or stuck with the others waiting there. */
function orderFileWaiting(
  obs: OrderObservations,
  lookup: OrderFileLookup,
  report: HopReport,
  ageMs: number,
  clock: Clock,
  alsoStopped: {finding: string | null},
): Assessment {
  const file = lookup.file as OrderFileLocation
  report.evidence.push({
    label: `Files waiting in ${lookup.folders.folder}/`,
    name: 'waitingCount',
    text: `${lookup.waitingCount}${lookup.oldestWaitingAt ? `, the oldest since ${time(lookup.oldestWaitingAt, clock)}` : ''}`,
  })
  // The ERP's jobs on the file server (its exports and its import of Orders/) run on the same side: a stopped export is evidence the import stopped too.
  alsoStopped.finding = otherStoppedExports({
    clock,
    consequence: `Its import of ${lookup.folders.folder}/ runs on the same side as the export: ask the IT partner about both.`,
    files: lookup.exportFiles,
    installation: answerOf(obs.installation),
    report,
  })
  if (ageMs < waitingFileGraceMs)
    return {
      ...toErp,
      cause: 'order-transfer-pending',
      causeEvidence: report.evidence.slice(),
      causeSummary: `${file.path} was written ${formatDuration(ageMs)} ago; the ERP's import picks it up shortly.`,
      report,
    }
  const others = lookup.waitingCount - 1
  return {
    ...toErp,
    cause: 'order-file-waiting',
    causeEvidence: report.evidence.slice(),
    causeSummary: `The order file ${file.path} has waited in the FTP folder for ${formatDuration(ageMs)} (written ${file.modifiedAt ? time(file.modifiedAt, clock) : '?'}): the ERP's import job is not picking it up${others > 0 ? `, and ${plural(others, 'other file')} ${others === 1 ? 'waits' : 'wait'} with it` : ''}.`,
    report,
  }
}

/** The ERP: the sales order booked, or why it cannot be seen (order folders only, or no API access). */
export function assessErp(obs: OrderObservations, viaFiles: boolean, clock: Clock): Assessment {
  const installation = answerOf(obs.installation)
  const system = obs.erpSystem ?? installation?.erpSystem ?? 'erp'
  const name = erpDisplayName(system)
  const upstream: HopName = viaFiles ? 'ftp' : 'cms'
  if (viaFiles || !obs.erp) {
    return {
      cause: null,
      report: {
        ...baseReport('erp', system, 0, upstream),
        status: 'not-checked',
        summary: viaFiles
          ? `${name} is only visible through the order folders.`
          : 'This profile gives no ERP API access.',
      },
    }
  }
  if (!obs.erp.ok) return {cause: null, report: problemReport('erp', system, obs.erp, upstream)}
  const report = baseReport('erp', system, obs.erp.durationMs, upstream)
  const booked = obs.erp.value
  const cms = answerOf(obs.cms)
  if (!booked) {
    report.status = 'missing'
    report.summary = `${name} has no sales order for ${obs.orderNr}.`
    if (cms?.transfer.status === 'sent')
      return {
        cause: 'order-missing-in-erp',
        causeSummary: `The CMS reports order ${obs.orderNr} as sent${cms.transfer.erpDocumentNumber ? ` (${cms.transfer.erpDocumentNumber})` : ''}, but ${name} has no sales order for it.`,
        report,
      }
    return {cause: null, report}
  }
  report.evidence.push(
    {
      label: 'ERP document',
      name: 'erpDocumentNumber',
      text: `${booked.documentNumber}${booked.status ? `, ${booked.status}` : ''}`,
    },
    ...timeEvidence('erpModifiedAt', 'ERP last modified', booked.modifiedAt),
  )
  report.summary = `Booked in ${name} as ${booked.documentNumber}${booked.status ? ` (${booked.status})` : ''}${booked.modifiedAt ? `, ${time(booked.modifiedAt, clock)}` : ''}.`
  return {cause: null, report}
}
