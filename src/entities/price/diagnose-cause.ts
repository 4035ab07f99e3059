import type {ExportPriceRecord} from '../../connectors/ftp/price.js'
import type {ErpPriceRecord} from '../../connectors/erp.js'
import {lastSyncCovering} from '../../connectors/platform/schedule.js'
import type {SyncRecordOutcome, SyncRun} from '../../connectors/platform/types.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {describeRun, runEvidence, time, timeEvidence} from '../../diagnose/report-helpers.js'
import type {FieldDiff} from '../../model/compare.js'
import {type PriceInputs, resolvePrice, samePrice} from '../../model/price.js'
import {answerOf} from '../../observe/fetched.js'
import type {Evidence, HopName, PriceRecord} from '../../report/types.js'
import {inputKind, listOfDiffs} from './compute.js'
import {listCodesOf, type PriceObservations} from './observe.js'

/** Why the CMS's price differs from its source's: which input, and when it changed against the run that carries it. */

/** What the CMS is compared with: the ERP's inputs, or (ftp) the export's. */
export interface PriceSource {
  hop: HopName
  record: PriceRecord | null
  erp: ErpPriceRecord | null
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`

export interface Cause {
  code: Assessment['cause']
  why: string
  evidence: Evidence[]
  stale: boolean
  sync?: {noun: string; key: string}
}

const exportOf = (source: PriceSource): ExportPriceRecord | null =>
  source.hop === 'ftp' ? (source.erp as ExportPriceRecord) : null

const runsOf = (obs: PriceObservations, entity: string): SyncRun[] =>
  (answerOf(obs.syncRuns) ?? []).filter((run) => run.entity === entity)

/** Why the CMS differs from the ERP: which input, and when it changed against the run that carries it. */
export function erpCmsCause(
  obs: PriceObservations,
  source: PriceSource,
  diffs: FieldDiff[],
  clock: Clock,
  kinds: {up: PriceInputs; down: PriceInputs},
): Cause {
  const kind = explainingKind(kinds.up, kinds.down, obs) ?? inputKind(diffs)
  if (kind === 'pricing') return pricingCause(obs, source, clock)
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
    // An export: the version of the price file the run read decides, whatever a row's own LastModified says.
    const priceFile = exportOf(source)?.files.priceLists.find((file) => file.exists && file.modifiedAt)
    if (priceFile?.modifiedAt && run)
      return fileOrder(priceFile.modifiedAt, run, clock, {
        after: 'price-changed-after-sync',
        file: priceFile.path,
        runName: 'lastPricesSync',
        sync: {key: list, noun: 'prices'},
      })
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

/** The customer's profile differs: when the ERP (or its customer file) changed it against the last customers run. */
function pricingCause(obs: PriceObservations, source: PriceSource, clock: Clock): Cause {
  const customer = {key: obs.customerCode, noun: 'customer'}
  const run = lastSyncCovering(runsOf(obs, 'customers'), obs.customerCode)
  const asked = answerOf(obs.erp ?? undefined)?.pricingChangedSince
  if (source.hop === 'erp' && asked && run?.startedAt && asked.since.getTime() === run.startedAt.getTime())
    return askedOrder(asked, run, clock, customer)
  const exported = exportOf(source)
  const file = exported?.customerRow?.file
  const written = exported?.files.customers.find((entry) => entry.path === file)?.modifiedAt
  // An export: the version of the customer file the run read decides (issue 24), not the row's LastModified.
  if (written && run)
    return fileOrder(written, run, clock, {
      after: 'pricing-changed-after-sync',
      file: file as string,
      runName: 'lastCustomerSync',
      sync: customer,
    })
  return changeOrder(source.erp?.pricingModifiedAt ?? null, run, 'lastCustomerSync', 'customers', clock, {
    after: 'pricing-changed-after-sync',
    sync: customer,
    what: "the customer's pricing",
  })
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

/**
 * An export row without its own change time: the file it is in, written after the version the last run read
 * (its `sourceFileModifiedAt`, else its start), changed after that run; else the run read this version.
 */
function fileOrder(
  written: Date,
  run: SyncRun,
  clock: Clock,
  cause: {
    after: 'pricing-changed-after-sync' | 'price-changed-after-sync'
    file: string
    runName: string
    sync: Cause['sync']
  },
): Cause {
  const read = run.sourceFileModifiedAt ?? run.startedAt
  const evidence: Evidence[] = [
    {at: written.toISOString(), file: cause.file, label: 'Export file written', name: 'exportFileModified'},
    ...timeEvidence('syncReadFileModified', 'File version the last sync read', run.sourceFileModifiedAt),
    ...runEvidence(run, cause.runName, `the last ${run.entity} run covering it`),
  ]
  if (read && written > read)
    return {
      code: cause.after,
      evidence,
      stale: true,
      ...(cause.sync ? {sync: cause.sync} : {}),
      why: `The export file ${cause.file} was written at ${time(written, clock)}, after the version the last ${run.entity} run read (${describeRun(run, clock)}).`,
    }
  return {
    code: 'cms-differs-from-erp',
    evidence,
    stale: false,
    why: `The last ${run.entity} run (${describeRun(run, clock)}) read this version of ${cause.file}, yet the CMS differs.`,
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
export function skippedByRecords(
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
export function skippedCause(obs: PriceObservations, list: string, skipped: SyncRecordOutcome): Cause {
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
