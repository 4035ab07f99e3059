import type {OrderFileLocation} from '../connectors/ftp/outbound.js'
import type {HopReport} from '../report/types.js'
import {formatDuration} from '../util/time.js'
import type {Clock} from './conclude.js'

/**
 * A file the CMS wrote for the ERP's import (an order in `Orders/`, an app-created customer in
 * `Customers/`, or the folders of the installation's layout): waiting, rejected or imported, as the
 * layout's folders say (`OrderFileLocation.state`). The same for every entity.
 */

/** A file waiting longer than this is stuck: the ERP's import is not picking it up. */
export const waitingFileGraceMs = 30 * 60_000

/** The CMS delivered the file: what follows is the ERP's import, the link FTP → ERP. */
export const toErp = {brokenLink: {from: 'ftp' as const, to: 'erp' as const}}

export type FileState = {state: 'waiting'; ageMs: number} | {state: 'rejected'} | {state: 'imported'}

/**
 * Adds the file (and a rejection's reason) to the FTP hop's evidence and summary, and says where it is.
 * `kind` names the evidence: `orderFile`, `orderErrorReason`; `customerFile`, `customerErrorReason`.
 */
export function fileInFolder(
  report: HopReport,
  kind: 'order' | 'customer',
  file: OrderFileLocation,
  errorReason: string | null,
  clock: Clock,
): FileState {
  report.evidence.push({
    ...(file.modifiedAt ? {at: file.modifiedAt.toISOString()} : {}),
    file: file.path,
    label: kind === 'order' ? 'Order file' : 'Customer file',
    name: `${kind}File`,
    text: file.path,
  })
  if (file.state === 'waiting') {
    const ageMs = file.modifiedAt ? clock.now.getTime() - file.modifiedAt.getTime() : 0
    report.summary = `${file.path} has waited ${formatDuration(ageMs)} for the ERP's import.`
    return {ageMs, state: 'waiting'}
  }
  if (file.state === 'rejected') {
    report.summary = `The ERP rejected it: ${file.path}${errorReason ? `, reason "${errorReason}"` : ''}.`
    report.evidence.push({
      label: 'ERP import error',
      name: `${kind}ErrorReason`,
      text: errorReason ?? 'no .err.txt beside the file',
    })
    return {state: 'rejected'}
  }
  report.summary = `Imported by the ERP (${file.path}).`
  return {state: 'imported'}
}
