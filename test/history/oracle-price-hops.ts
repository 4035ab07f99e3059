import {erpCannotSupply, type Knobs} from './types.js'
import {type ListRows, type PriceEvent, type PriceListCode, priceLists, type PriceRunEvent} from './types-price.js'

/**
 * What each hop holds of a price after a price history, derived from its events and the contract alone
 * (platform-api.md "Prices: customer-specific pricing", ftp-layouts.md "Prices"): the ERP's inputs as the
 * ERP can hold them ("What each ERP cannot supply"), the export's snapshot, the CMS's profile and rows as its
 * runs wrote them, the app's and the webshop's published copies, and the devices' refreshes.
 */

/** What an ERP can hold of the histories' inputs: the contract's table "What each ERP cannot supply". */
export interface Abilities {
  /** Price lists at all (Business Central's standard API: the item's base price only). */
  lists: boolean
  /** Quantity tiers (Visma eAccounting: none). */
  tiers: boolean
  /** A customer discount percent (NetSuite: none; Visma.net only through discount codes). */
  discount: boolean
  /** A change time per price row (Fortnox, NetSuite: none). */
  rowTimes: boolean
  /** A change time of the customer's pricing (a Fortnox customer carries none; nor does a Winbas customer row). */
  pricingTimes: boolean
  /** Without that time, the ERP still answers whether the customer changed since a time (Fortnox's `lastmodified` filter). */
  pricingChangedSince: boolean
}

export function abilitiesOf(knobs: Knobs): Abilities {
  const all: Abilities = {
    discount: true,
    lists: true,
    pricingChangedSince: false,
    pricingTimes: true,
    rowTimes: true,
    tiers: true,
  }
  switch (knobs.erp) {
    case 'fortnox':
      return {...all, pricingChangedSince: true, pricingTimes: false, rowTimes: false}
    case 'visma-eaccounting':
      return {...all, tiers: false}
    case 'visma-net':
      return {...all, discount: false}
    case 'netsuite':
      return {...all, discount: false, rowTimes: false}
    case 'businesscentral':
      return knobs.shipToExtension ? all : {...all, discount: false, lists: false, rowTimes: false, tiers: false}
    default:
      return {...all, pricingTimes: knobs.layout !== 'winbas'}
  }
}

export interface Profile {
  list: PriceListCode | null
  discount: number
}

/** A list's rows of the item (the tier absent where the ERP has none); null: the hop holds no rows. */
export type Rows = Record<PriceListCode, ListRows | null>

/** The source's inputs (the ERP, or the export) with the change times the contract lets a trace read. */
export interface SourceInputs {
  profile: Profile
  /** When the customer's pricing changed (the ERP's, or the export row's `LastModified`). */
  pricingAgo: number
  rows: Rows
  rowsAgo: Record<PriceListCode, number>
}

export interface Copy<V> {
  values: V
  publishedAgo: number
}

export interface PriceHops {
  abilities: Abilities
  erp: SourceInputs | null
  /** ftp: the export file's snapshot, when it was written, and the list it leaves out. */
  exported: (SourceInputs & {ago: number; omits: PriceListCode | null}) | null
  cms: {pricing: Profile | null; rows: Rows; inactive: Set<PriceListCode>; held: Set<PriceListCode>}
  app: {pricing: Copy<Profile> | null; rows: Record<PriceListCode, Copy<ListRows | null> | null>}
  webshop: {pricing: Profile | null; rows: Rows}
  /** When the item was published (the start). */
  itemPublishedAgo: number
  /** The customer is seen by u-1 (its sales rep SR1 reaches the CMS): the app hop covers u-1's device. */
  repVisible: boolean
  /** The last refresh of each user's device. */
  refreshedAgo: Record<'u-1' | 'u-2', number>
  /** The last customers run that read the customer, and the last prices run covering each list (ftp: the file it read). */
  lastCustomersRun: {startedAgo: number; readFileAgo: number | null} | null
  lastPricesRun: Record<PriceListCode, {startedAgo: number; readFileAgo: number | null} | null>
}

const noRows = (): Rows => ({'HL-A': null, 'HL-B': null})

export function priceHops(knobs: Knobs, events: PriceEvent[]): PriceHops {
  const abilities = abilitiesOf(knobs)
  const hops: PriceHops = {
    abilities,
    app: {pricing: null, rows: {'HL-A': null, 'HL-B': null}},
    cms: {held: new Set(), inactive: new Set(), pricing: null, rows: noRows()},
    erp: null,
    exported: null,
    itemPublishedAgo: Number.POSITIVE_INFINITY,
    lastCustomersRun: null,
    lastPricesRun: {'HL-A': null, 'HL-B': null},
    refreshedAgo: {'u-1': 10 * 1440, 'u-2': 10 * 1440},
    repVisible: !erpCannotSupply(knobs.erp, 'salesRep'),
    webshop: {pricing: null, rows: noRows()},
  }
  for (const event of events) playEvent(hops, knobs, event)
  return hops
}

/** The ERP's inputs as it can hold them. */
function held(
  abilities: Abilities,
  profile: Profile,
  rows: Record<PriceListCode, ListRows>,
): Pick<SourceInputs, 'profile' | 'rows'> {
  const rowsOf = (code: PriceListCode): ListRows | null =>
    abilities.lists ? {base: rows[code].base, tier: abilities.tiers ? rows[code].tier : Number.NaN} : null
  return {
    profile: {discount: abilities.discount ? profile.discount : 0, list: abilities.lists ? profile.list : null},
    rows: {'HL-A': rowsOf('HL-A'), 'HL-B': rowsOf('HL-B')},
  }
}

function playEvent(hops: PriceHops, knobs: Knobs, event: PriceEvent): void {
  switch (event.kind) {
    case 'erp-setup':
      hops.erp = {
        ...held(hops.abilities, event, event.rows),
        pricingAgo: event.ago,
        rowsAgo: {'HL-A': event.ago, 'HL-B': event.ago},
      }
      // The items run right after publishes the item everywhere.
      hops.itemPublishedAgo = event.ago - 2
      return
    case 'erp-pricing':
      if (!hops.erp) return
      hops.erp.profile = held(hops.abilities, event, rowsAsGiven(hops.erp.rows)).profile
      hops.erp.pricingAgo = event.ago
      return
    case 'erp-row':
      if (!hops.erp || !hops.abilities.lists) return
      hops.erp.rows[event.list] = {base: event.rows.base, tier: hops.abilities.tiers ? event.rows.tier : Number.NaN}
      hops.erp.rowsAgo[event.list] = event.ago
      return
    case 'export':
      if (!hops.erp) return
      hops.exported = {...structuredClone(hops.erp), ago: event.ago, omits: event.omits}
      if (event.omits) hops.exported.rows[event.omits] = null
      return
    case 'refresh':
      hops.refreshedAgo[event.user] = event.ago
      return
    case 'republish':
      hops.webshop = {pricing: hops.cms.pricing, rows: {...hops.cms.rows}}
      return
    case 'sync':
      if (event.entity === 'customers') customersRun(hops, knobs, event)
      else pricesRun(hops, knobs, event)
  }
}

const rowsAsGiven = (rows: Rows): Record<PriceListCode, ListRows> => ({
  'HL-A': rows['HL-A'] ?? {base: 0, tier: 0},
  'HL-B': rows['HL-B'] ?? {base: 0, tier: 0},
})

/** What a run reads: the ERP (direct), or the export file (ftp; none yet: nothing). */
function sourceOf(hops: PriceHops, knobs: Knobs): SourceInputs | null {
  return knobs.erp === 'ftp' ? hops.exported : hops.erp
}

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** A customers run that reads the customer writes its pricing profile; a changed one is published as the run says. */
function customersRun(hops: PriceHops, knobs: Knobs, event: PriceRunEvent): void {
  if (event.mode === 'targeted' && !event.covers) return
  const source = sourceOf(hops, knobs)
  if (!source) return
  hops.lastCustomersRun = {readFileAgo: hops.exported?.ago ?? null, startedAgo: event.ago}
  if (sameValue(hops.cms.pricing, source.profile)) return
  hops.cms.pricing = {...source.profile}
  const at = event.ago - 1
  if (event.publishApp) hops.app.pricing = {publishedAgo: at, values: {...source.profile}}
  if (event.publishWebshop) hops.webshop.pricing = {...source.profile}
}

/**
 * A prices run re-reads the lists it names (every list: full, auto) whole: a list the source holds replaces
 * the CMS's rows (published when they changed); a list the export leaves out is deactivated without rows.
 * An ERP without price lists gives the run nothing.
 */
function pricesRun(hops: PriceHops, knobs: Knobs, event: PriceRunEvent): void {
  const source = sourceOf(hops, knobs)
  if (!source || !hops.abilities.lists) return
  const scope: PriceListCode[] = event.mode !== 'targeted' ? [...priceLists] : event.covers ? [event.list] : []
  const at = event.ago - 1
  for (const code of scope) {
    hops.lastPricesRun[code] = {readFileAgo: hops.exported?.ago ?? null, startedAgo: event.ago}
    const rows = source.rows[code]
    // A list the CMS held and the source no longer has is deactivated; one it never held stays unknown.
    if (rows === null && hops.cms.held.has(code)) hops.cms.inactive.add(code)
    if (rows !== null) {
      hops.cms.held.add(code)
      hops.cms.inactive.delete(code)
    }
    if (sameValue(hops.cms.rows[code], rows)) continue
    hops.cms.rows[code] = rows ? {...rows} : null
    if (event.publishApp) hops.app.rows[code] = {publishedAgo: at, values: rows ? {...rows} : null}
    if (event.publishWebshop) hops.webshop.rows[code] = rows ? {...rows} : null
  }
}
