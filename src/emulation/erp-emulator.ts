import type {
  PlatformCustomerJson,
  PlatformDiscountGroupJson,
  PlatformItemJson,
  PlatformPriceListJson,
  PlatformPriceRowJson,
  PlatformPricingJson,
} from './records.js'
import type {Handler} from './service.js'

type Json = Record<string, unknown>

/** A profile's `erp` section as the emulator hands it out (the shape of config's ErpProfile; emulation sits below config). */
export interface EmulatedErpSection {
  system: string
  url: string
  [field: string]: unknown
}

/** What a customer sync reads from the source: the platform's form of the record, or why it cannot be read. */
export interface SourceCustomer {
  code: string
  /** Null when the source row cannot be read. */
  record: PlatformCustomerJson | null
  /** The ERP's change time as the CMS receives it; null for an ERP whose records carry none. */
  modifiedAt: unknown
  problem: string | null
}

/** What an item sync reads from the source, in the platform's form. */
export interface SourceItem {
  code: string
  record: Json
  modifiedAt: unknown
}

/**
 * What a `prices` run reads from the source, in the platform's form: the lists with their rows, the discount
 * groups, and the rows it skips with the reason (`/sync/records` reasons: `unknown item P-100`,
 * `row expired (validTo 2026-10-31)`, `unit kg differs from item unit st`). Change times as the CMS receives
 * them (null where the ERP keeps none).
 */
export interface SourcePrices {
  lists: Array<PlatformPriceListJson & {modifiedAt: string | null}>
  rows: Array<PlatformPriceRowJson & {modifiedAt: string | null}>
  discountGroups: Array<PlatformDiscountGroupJson & {modifiedAt: string | null}>
  skipped: Array<{priceListCode: string; itemCode: string; reason: string}>
}

/** The prices an ERP holds, in the platform's terms, as the seed and the history player write them. */
export interface EmulatedPrices {
  lists: PlatformPriceListJson[]
  rows: Array<PlatformPriceRowJson & {modifiedAt: string}>
  discountGroups: Array<PlatformDiscountGroupJson & {modifiedAt: string}>
  /** Each customer's pricing profile (the customer itself is written by `putCustomer`). */
  pricing: Array<PlatformPricingJson & {modifiedAt: string}>
}

/** An order as the ERP booked it, in the terms of the seed (the emulator writes it in its own wire form). */
export interface BookedOrder {
  orderNr: string
  documentNumber: string
  customerCode: string
  customerName: string | null
  orderDate: string
  modifiedAt: string
  status: string
  total: number
  yourReference: string | null
}

/** When a customer's parts changed, for an ERP that keeps the record's change time apart from its delivery addresses'. */
export interface CustomerChangeTimes {
  record: string
  /** One per Delivery address, in the record's order. */
  deliveries: string[]
}

/** An order the CMS sends again (a retransfer), as the ERP receives it. */
export interface ResentOrder {
  orderNr: string
  customerCode: string
  orderDate: string
  yourReference: string | null
  /** Its place among the CMS's orders. */
  position: number
  now: string
  /** Why the ERP would refuse it (a customer or an item it does not have), or null. */
  missing: string | null
}

/**
 * An ERP API in the sandbox: its records in the ERP's own wire form, a real HTTP handler that answers as
 * the real API does (auth, paging, errors, rate limit), and what the platform's connector reads from it
 * for a sync. It lives beside the sandbox (`src/sandbox/erp/<erp>/emulator.ts`), apart from the connector a
 * trace runs; `src/sandbox/erp/registry.ts` loads it on demand under its ERP descriptor's id.
 */
export interface ErpEmulator<State = unknown> {
  /** The profile's `erp.system` (the connector's descriptor id). */
  system: string
  /** What the CMS reports as the installation's `erp.system` (`visma` for both Visma APIs). */
  cmsSystem: string
  /** What the ERP's records cannot carry, so the CMS keeps its own value (for the history oracle). */
  cannotSupply?: ReadonlyArray<'salesRep' | 'isPrivate' | 'webshopFlag'>
  /** Its customers and items carry no change time (Fortnox): the CMS stores `erpModifiedAt: null` for them. */
  noChangeTimes?: boolean
  /** A new state from the seed's `emulator` section, with fresh credentials. */
  create(seed: Json): State
  /** Every credential of the state, registered for redaction. */
  secrets(state: State): string[]
  handler(state: State, baseUrl: () => string): Handler
  /** The profile's `erp` section that reaches this emulator at `url`. */
  profile(state: State, url: string): EmulatedErpSection
  /** When the running servers serve a new state: the new one keeps the running credentials. */
  keepCredentials(running: State, next: State): void
  /** Writes (or replaces) a customer as the ERP holds it, changed at `modifiedAt` (the latest of `times`, when given). */
  putCustomer(state: State, customer: PlatformCustomerJson, modifiedAt: string, times?: CustomerChangeTimes): void
  removeCustomer(state: State, code: string): void
  putItem(state: State, item: PlatformItemJson, modifiedAt: string): void
  removeItem(state: State, code: string): void
  putOrder(state: State, order: BookedOrder): void
  clearOrders(state: State): void
  /**
   * Takes an order the CMS sends again: why the ERP refused it, or the document number it booked it under
   * (null: the ERP keeps no record of it). Without it, an order the ERP would not refuse is booked through
   * `putOrder`, numbered 90001 on by its position.
   */
  takeResentOrder?(state: State, order: ResentOrder): {failure: string} | {documentNumber: string | null}
  /** The history player's booked order: its document number (default 1044), and whether the CMS notes it on the transfer (default yes). */
  historyOrder?: {documentNumber: string; noted: boolean}
  /** Does the ERP have this customer / item (an order's prerequisites, for retransfer)? */
  hasCustomer(state: State, code: string): boolean
  hasItem(state: State, code: string): boolean
  /** What the platform's connector reads for a customer sync (after its own filters, e.g. inactive records). */
  sourceCustomers(state: State, previous: (code: string) => Json | undefined): SourceCustomer[]
  sourceItems(state: State, previous: (code: string) => Json | undefined): SourceItem[]
  /**
   * Prices, where the ERP has them: writes (replaces) every price the ERP holds, in the ERP's own wire form
   * (what it cannot hold, e.g. Fortnox's validity dates, is dropped as the real ERP would never have it).
   */
  putPrices?(state: State, prices: EmulatedPrices): void
  /** What the platform's connector reads for a `prices` run. */
  sourcePrices?(state: State): SourcePrices
  /** What the platform's connector reads of a customer's pricing profile for a `customers` run. */
  sourcePricing?(state: State): Array<PlatformPricingJson & {modifiedAt: string | null}>
}

/** An installation's emulated ERP: the emulator and its state. */
export interface EmulatedErp {
  emulator: ErpEmulator
  state: unknown
}

/** Keeps the state's type inside its emulator; the registry holds emulators of every kind. */
export function defineErpEmulator<State>(emulator: ErpEmulator<State>): ErpEmulator {
  return emulator as unknown as ErpEmulator
}
