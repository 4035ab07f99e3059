import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {baseReport, problemReport} from '../../diagnose/report-helpers.js'
import type {FieldDiff} from '../../model/compare.js'
import type {NotCompared} from '../../model/mapping.js'
import type {PriceInputs} from '../../model/price.js'
import {answerOf} from '../../observe/fetched.js'
import type {Evidence, PriceRecord} from '../../report/types.js'
import {answerOfResolved, cmsInputsOf, inputDiffs, listOfDiffs, outcomeDiffs, priceOf, priceRecord} from './compute.js'
import {withoutNotSupplied, withSuppliedOnly} from './not-supplied.js'
import {erpCmsCause, type PriceSource, skippedByRecords, skippedCause} from './diagnose-cause.js'
import type {PriceObservations} from './observe.js'
import {computationEvidence, computationText, inputWords} from './words.js'

/** The CMS hop of a price: its inputs, its computation and resolve, compared with the source's. */
export function assessCmsPrice(
  obs: PriceObservations,
  source: PriceSource,
  clock: Clock,
): {assessment: Assessment; record: PriceRecord | null} {
  const comparedWith = source.record ? source.hop : null
  if (!obs.cms.ok)
    return {assessment: {cause: null, report: problemReport('cms', 'cms', obs.cms, comparedWith)}, record: null}
  const report = baseReport('cms', 'cms', obs.cms.durationMs, comparedWith)
  const inputs = cmsInputsOf(obs.cms.value, obs.itemCode)
  if (!inputs) {
    report.status = 'missing'
    report.summary = `The CMS has no pricing profile for customer ${obs.customerCode}.`
    return {assessment: {cause: 'not-in-cms', report}, record: null}
  }
  const resolved = answerOf(obs.resolved)
  const record = priceRecord(obs, inputs, resolved ? answerOfResolved(resolved) : null)
  report.record = record
  report.summary = `The CMS: ${computationText(record)}.`
  report.evidence = cmsEvidence(record)
  if (!source.record) return {assessment: withoutSource(obs, source, report, inputs.pricing), record}
  const notSupplied = source.erp?.notSupplied ?? []
  const {comparable, outcome} = compareOutcome(obs, source, source.record, {inputs, notSupplied, record})
  const {compared, notCompared} = withoutNotSupplied(
    source.record.inputs ? inputDiffs(source.record.inputs, inputs) : [],
    notSupplied,
  )
  report.notCompared = notCompared
  const from = source.hop === 'ftp' ? 'the export' : 'the ERP'
  // A source that gives no price lists (its item alone) leaves a skipped row to the CMS's own records.
  if (outcome.length === 0)
    return {
      assessment: source.erp
        ? skippedUnapplied(obs, report, compared, from)
        : withoutSource(obs, source, report, inputs.pricing),
      record,
    }
  report.diff = [...outcome, ...compared]
  report.status = 'differs'
  const both = computationEvidence({label: from, record: source.record}, {label: 'the CMS', record})
  const cause = erpCmsCause(obs, source, compared, clock, {
    down: inputs,
    up: (comparable.inputs ?? source.record.inputs) as PriceInputs,
  })
  if (cause.stale) report.status = 'stale'
  report.summary = `The CMS's price differs from ${from}'s: ${inputWords(compared)}.`
  return {
    assessment: {
      cause: cause.code,
      causeEvidence: [...both, ...cause.evidence],
      causeSummary: `${report.summary} ${cause.why}`,
      report,
      ...(cause.sync ? {sync: cause.sync} : {}),
    },
    record,
  }
}

/** The source's price (with what it cannot supply taken from the CMS, its own resolved parts) against the CMS's. */
function compareOutcome(
  obs: PriceObservations,
  source: PriceSource,
  sourceRecord: PriceRecord,
  cms: {inputs: PriceInputs; notSupplied: NotCompared[]; record: PriceRecord},
) {
  const comparable = sourceRecord.inputs
    ? priceRecord(obs, withSuppliedOnly(sourceRecord.inputs, cms.inputs, cms.notSupplied), null)
    : sourceRecord
  // The ERP's own answer where it gives one; a part it does not resolve (null, listed in notSupplied) is the rule's.
  const own = Object.fromEntries(Object.entries(source.erp?.resolved ?? {}).filter(([, value]) => value !== null))
  const up = source.erp?.resolved ? {...(priceOf(comparable) ?? {}), ...own} : priceOf(comparable)
  const down = priceOf(cms.record)
  return {comparable, outcome: up && down ? outcomeDiffs(up as NonNullable<typeof down>, down) : []}
}

/** Without the source's inputs, the CMS's own records still tell of a row it did not store. */
function withoutSource(
  obs: PriceObservations,
  source: PriceSource,
  report: Assessment['report'],
  pricing: {effectivePriceListCode: string | null; actionPriceListCode: string | null},
): Assessment {
  const skipped = skippedByRecords(obs, pricing)
  if (!skipped) return {cause: null, report}
  report.comparedWith = source.hop
  report.status = 'differs'
  report.diff = [{downstream: null, field: `rows.${skipped.list} ${obs.itemCode} (skipped)`, upstream: skipped.reason}]
  report.summary = `The CMS lacks a row of list ${skipped.list} for ${obs.itemCode} that the source holds.`
  const cause = skippedCause(obs, skipped.list, skipped.record)
  return {cause: cause.code, causeEvidence: cause.evidence, causeSummary: `${report.summary} ${cause.why}`, report}
}

function cmsEvidence(record: PriceRecord): Evidence[] {
  const resolved = record.answered
  if (!resolved || !record.computed) return []
  const agrees = outcomeDiffs(answerOfResolved(record.computed), resolved).length === 0
  return agrees
    ? []
    : [
        {
          label: "the CMS's own /prices/resolve (differs from the rule on its inputs)",
          name: 'cmsResolve',
          text: `${resolved.netPrice ?? 'no price'} ${resolved.currency ?? ''}`.trim(),
        },
      ]
}

/**
 * The same price at both hops, yet the source holds a row of the customer's list that the CMS does not, and the
 * CMS's `prices` run says it skipped it (unit differs, unknown item; not an expired row, which is never stored):
 * the row the ERP's owner meant for the customer never applies. A finding on the CMS hop, for the ERP consultant.
 */
function skippedUnapplied(
  obs: PriceObservations,
  report: Assessment['report'],
  diffs: FieldDiff[],
  from: string,
): Assessment {
  for (const diff of diffs.filter((entry) => entry.field.startsWith('rows.') && entry.downstream === null)) {
    const list = listOfDiffs([diff])
    const newest = list ? (answerOf(obs.rowRecords)?.[list] ?? [])[0] : undefined
    const reason = newest?.reason ?? ''
    if (!list || !newest || (newest.outcome !== 'skipped' && newest.outcome !== 'failed')) continue
    if (/expired|duplicate/i.test(reason)) continue
    report.diff = [diff]
    report.status = 'differs'
    report.summary = `The CMS lacks a row of list ${list} for ${obs.itemCode} that ${from} holds (the price is the same without it).`
    const cause = skippedCause(obs, list, newest)
    return {cause: cause.code, causeEvidence: cause.evidence, causeSummary: `${report.summary} ${cause.why}`, report}
  }
  return {cause: null, report}
}
