import type {ExportPriceRecord} from '../../connectors/ftp/price.js'
import type {Assessment} from '../../diagnose/conclude.js'
import {baseReport, problemReport} from '../../diagnose/report-helpers.js'
import {answerOf} from '../../observe/fetched.js'
import type {Evidence, PriceRecord} from '../../report/types.js'
import {erpInputsOf, priceRecord} from './compute.js'
import type {PriceObservations} from './observe.js'
import {computationText} from './words.js'

/**
 * The file server's hop of a price on an ftp installation: what the export files say (the file server's price
 * resource), computed with the rule. A list the customer names that the price file does not hold is the
 * export's fault (the CMS deactivated it: every hop agrees on the base price, but the export is incomplete).
 */
export function assessExportPrice(obs: PriceObservations): {assessment: Assessment; record: PriceRecord | null} {
  if (!obs.ftp) return {assessment: recordsOnly(obs), record: null}
  if (!obs.ftp.ok) {
    const unreachable = problemReport('ftp', 'ftp', obs.ftp, 'erp')
    // The CMS's own records of its last prices run still tell of a list the export did not hold.
    const fromRecords = recordsOnly(obs)
    if (fromRecords.cause !== 'price-list-not-in-export')
      return {assessment: {cause: null, report: unreachable}, record: null}
    fromRecords.report.summary = `${fromRecords.report.summary} The file server did not answer now (${unreachable.summary}): this is what the CMS's last prices run found in the export.`
    return {assessment: fromRecords, record: null}
  }
  const exported = obs.ftp.value
  const report = baseReport('ftp', 'ftp', obs.ftp.durationMs, 'erp')
  report.evidence = fileEvidence(exported)
  const cmsItem = answerOf(obs.cms)?.item?.item ?? null
  const inputs = erpInputsOf(exported, obs.itemCode, null, cmsItem)
  if (!inputs) {
    report.status = 'missing'
    report.summary = `The customer export has no customer ${obs.customerCode}.`
    return {assessment: {cause: 'not-in-export', report}, record: null}
  }
  const record = priceRecord(obs, inputs, null)
  report.record = record
  report.notCompared = exported.notSupplied
  report.summary = `The export: ${computationText(record)}.`
  const missing = exported.missingLists.find((code) => code === inputs.pricing.effectivePriceListCode)
  if (missing === undefined) return {assessment: {cause: null, report}, record}
  report.status = 'missing'
  report.summary = `The export names price list ${missing} for customer ${obs.customerCode} (${whereCustomer(exported)}) but no row of ${fileNames(exported)} holds it: the CMS deactivates such a list, and the customer gets the base price everywhere.`
  report.evidence.push(...listRecordEvidence(obs, missing))
  return {assessment: {cause: 'price-list-not-in-export', report, sync: {key: missing, noun: 'prices'}}, record}
}

const fileNames = (exported: ExportPriceRecord) =>
  exported.files.priceLists.map((file) => file.path).join(', ') || 'the price file'

const whereCustomer = (exported: ExportPriceRecord) =>
  exported.customerRow ? `${exported.customerRow.file} line ${exported.customerRow.line}` : 'the customer export'

/** The price files read, with their modification times (an old file: the ERP has not exported prices again). */
function fileEvidence(exported: ExportPriceRecord): Evidence[] {
  const files = exported.files.priceLists.map((file) => ({
    ...(file.modifiedAt ? {at: file.modifiedAt.toISOString()} : {}),
    file: file.path,
    label: `price file ${file.exists ? 'written' : 'not on the server'}${file.because ? ` (${file.because})` : ''}`,
    name: 'exportFile',
  }))
  const customer = exported.customerRow
    ? [
        {
          file: exported.customerRow.file,
          label: "the customer's row in the customer export",
          line: exported.customerRow.line,
          name: 'exportRow',
        },
      ]
    : []
  const skipped = exported.skipped.map((row) => ({
    file: row.file,
    label: `a row of list ${row.priceListCode} the CMS skips`,
    line: row.line,
    name: 'exportSkippedRow',
    text: row.reason,
  }))
  return [...files, ...customer, ...skipped]
}

/** What the CMS's `prices` run recorded for the list itself (deactivated: not in the export). */
function listRecordEvidence(obs: PriceObservations, listCode: string): Evidence[] {
  const record = (answerOf(obs.listRecords)?.[listCode] ?? []).find((entry) =>
    /not in export/i.test(entry.reason ?? ''),
  )
  if (!record) return []
  return [
    {
      ...(record.at ? {at: record.at.toISOString()} : {}),
      label: `what the prices run ${record.runId} did with list ${listCode}`,
      name: 'syncRecordOutcome',
      runId: record.runId,
      text: `${record.outcome}: ${record.reason ?? ''}`,
    },
  ]
}

/**
 * Without file-server access (no `ftp` in the profile), only the CMS's own records tell of the export: a list
 * the customer names that the export does not hold (the CMS deactivated it). Otherwise the hop is not checked.
 */
function recordsOnly(obs: PriceObservations): Assessment {
  const cms = answerOf(obs.cms)
  const listCode = cms?.pricing?.effectivePriceListCode ?? null
  const list = listCode ? cms?.lists[listCode] : undefined
  const report = baseReport('ftp', 'ftp', 0, 'erp')
  const evidence = listCode ? listRecordEvidence(obs, listCode) : []
  if (listCode && list && !list.active && evidence.length > 0) {
    report.status = 'missing'
    report.summary = `The export names price list ${listCode} for customer ${obs.customerCode} but does not hold it: the CMS deactivated the list (${evidence[0]?.text ?? ''}).`
    report.evidence = evidence
    return {cause: 'price-list-not-in-export', report, sync: {key: listCode, noun: 'prices'}}
  }
  report.status = 'not-checked'
  report.summary = 'The export’s price files are not read in this trace: the profile gives no file-server access.'
  return {cause: null, report}
}
