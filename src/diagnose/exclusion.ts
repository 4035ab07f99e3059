import type {SyncRecordOutcome} from '../connectors/platform/types.js'
import type {CanonicalCustomer} from '../model/customer.js'
import type {CanonicalItem} from '../model/item.js'

/**
 * Why the CMS leaves a source record out on purpose: one rule for a trace (`excluded-by-filter`,
 * `item-excluded`) and for reconcile's bulk classes of the same names, so that both say the same of a record.
 */

/** The CMS's filters (`/installation`'s `filters`). */
export type CmsFilters = Partial<Record<'skipPrivateCustomers' | 'skipBlockedCustomers' | 'onlyWebshopItems', boolean>>

/** The source's record and what it shows of the platform's connector: why that connector never reads it (inactive in the ERP, `~`, no `vatincluded`). */
export interface ExcludedSource<T> {
  record: T | undefined
  skippedBecause: string | null
  /** For sentences: "Fortnox", "the export items.csv". */
  name: string
}

/** A customer the CMS leaves out: the connector never reads it, it has no name, or a CMS filter (private, blocked) leaves it out. */
export function customerExclusion(
  {name, record, skippedBecause}: ExcludedSource<CanonicalCustomer>,
  filters: CmsFilters,
): string | null {
  if (skippedBecause) return skippedBecause
  // The platform's connectors skip records with an empty code or name (connectors.md, "hidden reasons").
  if (record && record.name !== null && record.name.trim() === '')
    return `it has no name in ${name}: the CMS skips records with an empty code or name`
  if (record?.isPrivate && filters.skipPrivateCustomers)
    return 'private customer; the CMS filter skipPrivateCustomers is on'
  if (record?.blocked && filters.skipBlockedCustomers)
    return 'blocked customer; the CMS filter skipBlockedCustomers is on'
  return null
}

/** An item the CMS leaves out: the connector never reads it, it is inactive, or not a webshop item while onlyWebshopItems is on. */
export function itemExclusion(
  {name, record, skippedBecause}: ExcludedSource<CanonicalItem>,
  filters: CmsFilters,
): string | null {
  if (skippedBecause) return skippedBecause
  if (record?.active === false) return `inactive (blocked) in ${name}: the CMS syncs only active items`
  if (record?.webshop === false && filters.onlyWebshopItems)
    return 'not a webshop item while the CMS setting onlyWebshopItems is on'
  return null
}

/** The CMS's own word: its latest run skipped the record (`/sync/records`), with the reason it gave. */
export function skippedByRun(outcome: SyncRecordOutcome | undefined): string | null {
  return outcome?.outcome === 'skipped' ? (outcome.reason ?? 'skipped by the last sync (no reason given)') : null
}
