import type {CanonicalCustomer} from '../model/customer.js'
import type {CanonicalItem} from '../model/item.js'
import type {DerivedField, NotSupplied} from '../model/mapping.js'
import type {DiscountGroup, PriceList, PriceRow, PricingProfile} from '../model/price.js'
import type {Listed} from './listing.js'

/** What an ERP connector found for one customer. */
export interface ErpCustomerRecord {
  customer: CanonicalCustomer
  /** The ERP's last-modified time of the record (and, where it has them, of its addresses). */
  modifiedAt: Date | null
  /** The ERP's own id (Business Central GUID). */
  erpId: string | null
  /** For ERPs whose records carry no time (Fortnox): did it change since the last sync started? */
  changedSince?: {since: Date; changed: boolean}
  /** Canonical fields this source cannot supply, with the reason: never compared. */
  notSupplied: NotSupplied[]
  /** How the CMS derives what the source leaves out (the contract's mapping rules), applied before comparing. */
  derived: DerivedField[]
  /** Why the platform's connector never reads this record, when the ERP itself shows it (Fortnox: inactive). */
  skippedBecause?: string | null
}

/** What an ERP connector found for one item. */
export interface ErpItemRecord {
  item: CanonicalItem
  modifiedAt: Date | null
  erpId: string | null
  /** For ERPs whose records carry no time (Fortnox articles): did it change since the last item sync started? */
  changedSince?: {since: Date; changed: boolean}
  /** The same question asked since the last stock run started (src/diagnose/stock-order.ts). */
  stockChangedSince?: {since: Date; changed: boolean}
  /** A change time that moves with the stock (Visma.net: its warehouse rows'); absent where stock moves without one (Business Central's ledger-computed `inventory`). */
  stockModifiedAt?: Date | null
  notSupplied: NotSupplied[]
}

/** An order as the ERP booked it. */
export interface ErpOrderRecord {
  documentNumber: string
  externalReference: string | null
  customerCode: string | null
  status: string | null
  modifiedAt: Date | null
}

/** Every record of an entity as the ERP's API pages it, for bulk comparison (`reconcile`). */
export interface ErpListing<T> {
  /**
   * True when the API returns the records in ascending key order. A reader must still check the order (an
   * ERP's collation need not be UTF-8 byte order, which the CMS lists in) and fall back to sorting.
   */
  ordered: boolean
  records: AsyncIterable<T>
  /**
   * The same listing with the records that could not be read (`value` null, `error` why), so that a bad
   * record is that record's problem; a reader that wants them uses this instead of `records`.
   */
  entries?: AsyncIterable<Listed<T>>
  /** The same as `entries`, a page at a time (cheaper to read than one record at a time). */
  batches?: AsyncIterable<Array<Listed<T>>>
}

/**
 * One entity of an ERP, as its API serves it: one record by its key, every record for `reconcile` (where
 * the connector can list them), and, where the records carry no change time, whether one changed since a
 * time (Fortnox's `lastmodified` filter).
 */
export interface EntityResource<R> {
  find(key: string): Promise<R | null>
  /** Every record, paged as the API pages, under its rate limit. */
  list?(): ErpListing<R>
  /** For ERPs whose records carry no last-modified time: has the record changed since `since`? */
  changedSince?(key: string, since: Date): Promise<boolean>
}

/** Orders go the other way: the ERP is asked whether it booked one, and what it lacks to book it. */
export interface OrderResource {
  /** By the reference the platform wrote (the order number), else by the ERP's own document number. */
  find(orderNr: string, erpDocumentNumber: string | null): Promise<ErpOrderRecord | null>
  /** Which of these customer and item codes the ERP does not have: the prerequisites of an order. */
  missingPrerequisites(customerCode: string, itemCodes: string[]): Promise<{customers: string[]; items: string[]}>
}

/**
 * What an ERP holds for "what does customer C pay for item I" (platform contract, "Prices"): the inputs in
 * the platform's terms (list codes as the contract's "Readings" spell them), each with its change time where
 * the ERP keeps one, and the ERP's own resolved price where it computes one (Visma eAccounting, Visma.net).
 * A part the ERP cannot supply is null, 0 or empty and listed in `notSupplied` (field names as in
 * `PriceInputs`: `pricing.discountGroupCode`, `rows.validFrom`, `lists.currency`, ...): never compared, never a
 * sign of a broken sync.
 */
export interface ErpPriceRecord {
  /** The customer's pricing profile as the CMS would map it (null: the ERP has no such customer). */
  pricing: PricingProfile | null
  /** When the customer's pricing fields last changed (the customer record's change time), or null. */
  pricingModifiedAt: Date | null
  /** The lists the profile names (list and action list), by code; a named list the ERP lacks is absent. */
  lists: Record<string, PriceList>
  /** The item's rows on those lists, each with its change time (null where the ERP keeps none: Fortnox, NetSuite). */
  rows: Array<PriceRow & {modifiedAt: Date | null}>
  /** The discount group the profile names, with its change time, or null. */
  discountGroup: (DiscountGroup & {modifiedAt: Date | null}) | null
  /** The ERP's own answer for this customer, item, quantity and date, where its API computes one. */
  resolved: {listPrice: number | null; netPrice: number | null; currency: string | null} | null
  notSupplied: NotSupplied[]
}

/** One price row of one list with its change time, as `reconcile prices` lists them. */
export type ErpPriceRow = PriceRow & {modifiedAt: Date | null}

/** Prices: the inputs for one customer and item, and every row of every list for `reconcile prices`. */
export interface PriceResource {
  find(customerCode: string, itemCode: string, at: {quantity: number; date: string}): Promise<ErpPriceRecord | null>
  /** Every row of every list (keys list + item + unit + currency + tier + validFrom), paged as the API pages. */
  listRows?(): ErpListing<ErpPriceRow>
  /** For ERPs whose rows carry no change time (Fortnox): has the list changed since `since`? Absent: unknown. */
  changedSince?(priceListCode: string, since: Date): Promise<boolean>
}

/** The entities an ERP connector serves: an ERP supports the entities it has a resource for. */
export interface ErpEntities {
  customer?: EntityResource<ErpCustomerRecord>
  item?: EntityResource<ErpItemRecord>
  order?: OrderResource
  price?: PriceResource
}

/** One ERP's API, speaking its real wire format; nothing outside the connector knows its field names. */
export interface ErpConnector {
  /** `businesscentral`, `fortnox`, ... */
  readonly system: string
  /** A human name: "Business Central". */
  readonly displayName: string
  /** One resource per entity the ERP supports (`entities.customer.find`, `entities.item.list`, ...). */
  readonly entities: ErpEntities
  /** Authenticates and reads what the ERP says about itself, for `doctor`. */
  probe(): Promise<{details: Record<string, string>; serverDate: string | null}>
}

/**
 * The prerequisites of an order, each asked on its own and all at once: the customer and every distinct
 * item code; whatever a lookup does not find (null) is missing.
 */
export async function missingByLookup(
  customerCode: string,
  itemCodes: string[],
  customer: (code: string) => Promise<unknown>,
  item: (code: string) => Promise<unknown>,
): Promise<{customers: string[]; items: string[]}> {
  const unique = [...new Set(itemCodes)]
  const [foundCustomer, ...items] = await Promise.all([customer(customerCode), ...unique.map((code) => item(code))])
  return {customers: foundCustomer ? [] : [customerCode], items: unique.filter((_code, index) => !items[index])}
}
