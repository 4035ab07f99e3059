import type {ErpPriceRecord} from '../../connectors/erp.js'
import {lastSyncCovering} from '../../connectors/platform/schedule.js'
import type {SyncRecordOutcome, SyncRun} from '../../connectors/platform/types.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {baseReport, describeRun, problemReport, runEvidence, time} from '../../diagnose/report-helpers.js'
import type {FieldDiff} from '../../model/compare.js'
import {type PriceInputs, resolvePrice, samePrice} from '../../model/price.js'
import {answerOf} from '../../observe/fetched.js'
import type {Evidence, HopName, PriceRecord} from '../../report/types.js'
import {
  answerOfResolved,
  cmsInputsOf,
  inputDiffs,
  inputKind,
  listOfDiffs,
  outcomeDiffs,
  priceOf,
  priceRecord,
} from './compute.js'
import {withoutNotSupplied, withSuppliedOnly} from './not-supplied.js'
import {listCodesOf, type PriceObservations} from './observe.js'
import {computationEvidence, computationText, inputWords} from './words.js'

export interface PriceSource {
  hop: HopName
  record: PriceRecord | null
  erp: ErpPriceRecord | null
}

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
  const comparable = source.record.inputs
    ? priceRecord(obs, withSuppliedOnly(source.record.inputs, inputs, notSupplied), null)
    : source.record
  // The ERP's own answer where it gives one; a part it does not resolve (null, listed in notSupplied) is the rule's.
  const own = Object.fromEntries(Object.entries(source.erp?.resolved ?? {}).filter(([, value]) => value !== null))
  const up = source.erp?.resolved ? {...(priceOf(comparable) ?? {}), ...own} : priceOf(comparable)
  const down = priceOf(record)
  const outcome = up && down ? outcomeDiffs(up as NonNullable<typeof down>, down) : []
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

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`

interface Cause {
  code: Assessment['cause']
  why: string
  evidence: Evidence[]
  stale: boolean
  sync?: {noun: string; key: string}
}

const runsOf = (obs: PriceObservations, entity: string): SyncRun[] =>
  (answerOf(obs.syncRuns) ?? []).filter((run) => run.entity === entity)

/** Why the CMS differs from the ERP: which input, and when it changed against the run that carries it. */
function erpCmsCause(
  obs: PriceObservations,
  source: PriceSource,
  diffs: FieldDiff[],
  clock: Clock,
  kinds: {up: PriceInputs; down: PriceInputs},
): Cause {
  const kind = explainingKind(kinds.up, kinds.down, obs) ?? inputKind(diffs)
  const customer = {key: obs.customerCode, noun: 'customer'}
  if (kind === 'pricing') {
    const run = lastSyncCovering(runsOf(obs, 'customers'), obs.customerCode)
    const asked = answerOf(obs.erp ?? undefined)?.pricingChangedSince
    if (source.hop === 'erp' && asked && run?.startedAt && asked.since.getTime() === run.startedAt.getTime())
      return askedOrder(asked, run, clock, customer)
    return changeOrder(source.erp?.pricingModifiedAt ?? null, run, 'lastCustomerSync', 'customers', clock, {
      after: 'pricing-changed-after-sync',
      sync: customer,
      what: "the customer's pricing",
    })
  }
  if (kind === 'rows') {
    const list = listOfDiffs(diffs) ?? source.record?.inputs?.pricing.effectivePriceListCode ?? ''
    const skipped = skippedRow(obs, list, diffs)
    if (skipped) return skipped
    const times = (source.erp?.rows ?? []).filter((row) => row.priceListCode === list).map((row) => row.modifiedAt)
    const groupTime = diffs.some((diff) => diff.field.startsWith('discountGroup.'))
      ? source.erp?.discountGroup?.modifiedAt
      : undefined
    const known = [...times, ...(groupTime === undefined ? [] : [groupTime])]
    const newest = known.includes(null) ? null : known.reduce<Date | null>((a, b) => (a && b && a > b ? a : b), null)
    const run = lastSyncCovering(runsOf(obs, 'prices'), list)
    return changeOrder(newest, run, 'lastPricesSync', 'prices', clock, {
      after: 'price-changed-after-sync',
      sync: {key: list, noun: 'prices'},
      what: `list ${list}`,
    })
  }
  if (kind === 'item') {
    const item = answerOf(obs.erpItemOnly) ?? answerOf(obs.erp ?? undefined)?.item ?? null
    const run = lastSyncCovering(runsOf(obs, 'items'), obs.itemCode)
    return changeOrder(item ? item.modifiedAt : null, run, 'lastItemSync', 'items', clock, {
      after: 'erp-changed-after-sync',
      sync: {key: obs.itemCode, noun: 'item'},
      what: `item ${obs.itemCode}'s base price`,
    })
  }
  return {
    code: 'cms-differs-from-erp',
    evidence: [],
    stale: false,
    why: 'The CMS computes another price from the same inputs.',
  }
}

/**
 * Which kind of input explains the difference: the source's inputs with the CMS's of one kind (the customer's
 * profile; the lists, rows and group; the item) give the CMS's price. Null: no single kind does.
 */
function explainingKind(up: PriceInputs, down: PriceInputs, at: {quantity: number; date: string}) {
  const target = resolvePrice(down, at.quantity, at.date).netPrice
  const tries: Array<['pricing' | 'rows' | 'item', PriceInputs]> = [
    ['pricing', {...up, pricing: down.pricing}],
    ['rows', {...up, discountGroup: down.discountGroup, lists: down.lists, rows: down.rows}],
    ['item', {...up, item: down.item}],
  ]
  return tries.find(([, inputs]) => samePrice(resolvePrice(inputs, at.quantity, at.date).netPrice, target))?.[0] ?? null
}

/** Fortnox's answer whether the customer changed since the start of the last customers run covering it. */
function askedOrder(
  asked: {since: Date; changed: boolean},
  run: SyncRun,
  clock: Clock,
  sync: {key: string; noun: string},
): Cause {
  const evidence = [
    {
      at: asked.since.toISOString(),
      label: 'the ERP lists the customer as changed since the start of the last customers run',
      name: 'erpChangedSince',
      text: asked.changed ? 'yes' : 'no',
    },
    ...runEvidence(run, 'lastCustomerSync', 'the last customers run covering it'),
  ]
  return asked.changed
    ? {
        code: 'pricing-changed-after-sync',
        evidence,
        stale: true,
        sync,
        why: `The ERP lists the customer as changed since the last customers run started (${describeRun(run, clock)}).`,
      }
    : {
        code: 'cms-differs-from-erp',
        evidence,
        stale: false,
        why: `The ERP does not list the customer as changed since the last customers run started (${describeRun(run, clock)}), yet the CMS differs.`,
      }
}

function changeOrder(
  changedAt: Date | null,
  run: SyncRun | undefined,
  runName: string,
  entity: string,
  clock: Clock,
  cause: {
    after: 'price-changed-after-sync' | 'pricing-changed-after-sync' | 'erp-changed-after-sync'
    sync: {noun: string; key: string}
    what: string
  },
): Cause {
  const runLine = runEvidence(run, runName, `the last ${entity} run covering it`)
  if (changedAt === null)
    return {
      code: 'change-order-unknown',
      evidence: runLine,
      stale: false,
      sync: cause.sync,
      why: `The ERP keeps no change time for ${cause.what}, so it cannot be told whether it changed after the last ${entity} run${run ? ` (${describeRun(run, clock)})` : ''}.`,
    }
  const evidence = [
    {at: changedAt.toISOString(), label: `${cause.what} changed in the ERP`, name: 'erpModifiedAt'},
    ...runLine,
  ]
  if (!run?.startedAt || changedAt > run.startedAt)
    return {
      code: cause.after,
      evidence,
      stale: true,
      sync: cause.sync,
      why: `${capitalised(cause.what)} changed in the ERP at ${time(changedAt, clock)}, after the last ${entity} run${run ? ` (${describeRun(run, clock)})` : ' (none found)'}.`,
    }
  return {
    code: 'cms-differs-from-erp',
    evidence,
    stale: false,
    why: `The last ${entity} run (${describeRun(run, clock)}) started after the ERP's change at ${time(changedAt, clock)}, yet the CMS differs.`,
  }
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

/** A row the ERP holds that the CMS lacks, which a `prices` run skipped (its reason). */
function skippedRow(obs: PriceObservations, list: string, diffs: FieldDiff[]): Cause | null {
  if (!diffs.some((diff) => diff.field.startsWith('rows.') && diff.downstream === null)) return null
  const skipped = (answerOf(obs.rowRecords)?.[list] ?? []).find(
    (record) => record.outcome === 'skipped' || record.outcome === 'failed',
  )
  if (!skipped) return null
  return skippedCause(obs, list, skipped)
}

/** The newest record of a `prices` run that did not store a row of the item (expired and duplicate rows apart). */
function skippedByRecords(
  obs: PriceObservations,
  pricing: {effectivePriceListCode: string | null; actionPriceListCode: string | null},
): {list: string; reason: string; record: SyncRecordOutcome} | null {
  for (const list of listCodesOf(pricing)) {
    const newest = (answerOf(obs.rowRecords)?.[list] ?? [])[0]
    const reason = newest?.reason ?? ''
    if (newest && (newest.outcome === 'skipped' || newest.outcome === 'failed') && !/expired|duplicate/i.test(reason))
      return {list, reason: reason || newest.outcome, record: newest}
  }
  return null
}

/** A row a `prices` run skipped or failed on, with its reason and run. */
function skippedCause(obs: PriceObservations, list: string, skipped: SyncRecordOutcome): Cause {
  return {
    code: 'price-row-skipped',
    evidence: [
      {
        ...(skipped.at ? {at: skipped.at.toISOString()} : {}),
        label: `what the prices run ${skipped.runId} did with ${obs.itemCode} on list ${list}`,
        name: 'syncRecordOutcome',
        runId: skipped.runId,
        text: `${skipped.outcome}: ${skipped.reason ?? 'no reason given'}`,
      },
    ],
    stale: false,
    sync: {key: list, noun: 'prices'},
    why: `The CMS's prices run ${skipped.runId} ${skipped.outcome} the row: ${skipped.reason ?? 'no reason given'}.`,
  }
}
