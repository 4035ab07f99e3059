import {iso} from './clock.js'
import {scaleKey} from './keys.js'
import type {ScaleModel} from './model.js'
import {residue} from './planted.js'
import {countResidue, pricedCustomerEvery, pricedCustomerResidue, priceResidue, standardLists} from './price-planted.js'

type Json = Record<string, unknown>

/** A price row of the source (the ERP's or the export's), with its change time. */
export interface SourcePriceRow {
  row: Json
  modifiedAt: string
}

/** The residues (mod 100) of items that no customer/item class touches: the rows' items. */
const cleanItemResidues = Array.from({length: 100}, (_unused, r) => r).filter(
  (r) => !(Object.values(residue) as number[]).includes(r),
)
const clean = cleanItemResidues.length

/** The residues whose source row changed after the last `prices` run. */
const changedAfterRun = new Set<number>([
  priceResidue.createdAfterSync,
  priceResidue.priceDiffers,
  priceResidue.tierDiffers,
  priceResidue.datesDiffer,
])

/** The item every priced customer's action list has a row for, and its prices. */
export const actionItem = scaleKey('items', 0)
const actionPrice = 5.5

const withoutTimes = ({erpModifiedAt: _e, syncedAt: _s, ...rest}: Json): Json => rest

/**
 * The generated installation's customer prices: row `index` (0 ≤ index < records) is position
 * `index % perList` of standard list `index / perList`, for the item of that position (the same items on every
 * list, in key order); each hop's row is derived from the index (`price-planted.ts` says which plants what).
 * Besides, every priced customer has an action list with one row. Nothing is held: every row is computed.
 */
export class ScalePrices {
  readonly perList: number
  /** How many customers have an action list (`ACT-<code>`). */
  readonly pricedCustomers: number

  constructor(readonly model: ScaleModel) {
    this.perList = Math.max(1, Math.ceil(model.records / standardLists.length))
    this.pricedCustomers = countResidue(model.records, pricedCustomerResidue, pricedCustomerEvery)
  }

  get rows(): number {
    return this.model.records
  }

  /** The item index at a position of a standard list. */
  itemIndexAt(position: number): number {
    return 100 * Math.floor(position / clean) + (cleanItemResidues[position % clean] as number)
  }

  itemCodeAt(position: number): string {
    return scaleKey('items', this.itemIndexAt(position))
  }

  /** The position of an item on a standard list, or null for an item no list has. */
  positionOfItem(itemIndex: number): number | null {
    const at = cleanItemResidues.indexOf(itemIndex % 100)
    return at < 0 ? null : Math.floor(itemIndex / 100) * clean + at
  }

  /** How many rows standard list `list` (its number) has. */
  listSize(list: number): number {
    return Math.max(0, Math.min(this.perList, this.rows - list * this.perList))
  }

  listOfRow(index: number): {list: number; position: number} {
    return {list: Math.floor(index / this.perList), position: index % this.perList}
  }

  /** The row index of a list's item (null: none), an unknown item's too (`P` + records + index). */
  rowIndexOf(listCode: string, itemCode: string): number | null {
    const list = (standardLists as readonly string[]).indexOf(listCode)
    const match = /^P(\d{8})$/.exec(itemCode)
    if (list < 0 || !match) return null
    const itemIndex = Number(match[1])
    if (itemIndex >= this.rows) {
      const index = itemIndex - this.rows
      return index < this.rows && this.listOfRow(index).list === list ? index : null
    }
    const position = this.positionOfItem(itemIndex)
    return position !== null && position < this.listSize(list) ? list * this.perList + position : null
  }

  /** The row as it was when the last `prices` run read it (and as the CMS holds it), without times. */
  private base(index: number): Json {
    const {list, position} = this.listOfRow(index)
    const itemIndex = this.itemIndexAt(position)
    return {
      priceListCode: standardLists[list],
      itemCode: scaleKey('items', itemIndex),
      unit: 'st',
      currency: 'SEK',
      fromQuantity: 0,
      price: (itemIndex % 500) + 9.5 - list,
      validFrom: null,
      validTo: null,
    }
  }

  /** The source's row (null: the source has none), with its change time. */
  source(index: number): SourcePriceRow | null {
    const r = index % 100
    if (r === priceResidue.removedFromSource) return null
    const row = this.base(index)
    const clock = this.model.clock
    const modifiedAt = iso(changedAfterRun.has(r) ? clock.recentChange : clock.oldChange)
    if (r === priceResidue.priceDiffers) row.price = (row.price as number) + 1
    if (r === priceResidue.tierDiffers) row.fromQuantity = 5
    if (r === priceResidue.datesDiffer) row.validTo = '2027-06-30'
    if (r === priceResidue.unknownItem) row.itemCode = scaleKey('items', this.rows + index)
    if (r === priceResidue.unitDiffers) row.unit = 'kg'
    if (r === priceResidue.expired) Object.assign(row, {validFrom: '2020-01-01', validTo: '2020-12-31'})
    return {modifiedAt, row}
  }

  /** Why the last run skipped the source's row (`/sync/records`), or null. */
  skipReason(index: number): string | null {
    const r = index % 100
    if (r === priceResidue.unknownItem) return `unknown item ${scaleKey('items', this.rows + index)}`
    if (r === priceResidue.unitDiffers) return 'unit kg differs from item unit st'
    if (r === priceResidue.expired) return 'row expired (validTo 2020-12-31)'
    return null
  }

  /** The CMS's row (null: none), with its times. */
  cms(index: number): Json | null {
    const r = index % 100
    if (r === priceResidue.createdAfterSync || this.skipReason(index) !== null) return null
    const clock = this.model.clock
    return {...this.base(index), erpModifiedAt: iso(clock.oldChange), syncedAt: iso(clock.cmsWritten)}
  }

  /** What the app backend holds published of the row's item on its list (null: never published). */
  app(index: number): Json | null {
    const cms = this.cms(index)
    if (!cms || index % 100 === priceResidue.notPublishedToApp) return null
    const behind = index % 100 === priceResidue.appBehind
    const row = withoutTimes(cms)
    if (behind) row.price = (row.price as number) - 1
    return published(row, iso(behind ? this.model.clock.oldPublished : this.model.clock.published))
  }

  /** What the webshop holds published of it: the CMS's rows. */
  webshop(index: number): Json | null {
    const cms = this.cms(index)
    return cms && published(withoutTimes(cms), iso(this.model.clock.published))
  }

  /** The customer index of priced customer `n`, and its action list's code. */
  pricedCustomer(n: number): {index: number; code: string; list: string} {
    const index = pricedCustomerResidue + n * pricedCustomerEvery
    const code = scaleKey('customers', index)
    return {code, index, list: `ACT-${code}`}
  }

  /** The priced customer a customer or action-list code belongs to, or null. */
  pricedOf(code: string): number | null {
    const match = /^(?:ACT-)?C(\d{8})$/.exec(code)
    const index = match ? Number(match[1]) : -1
    const n = (index - pricedCustomerResidue) / pricedCustomerEvery
    return Number.isInteger(n) && n >= 0 && n < this.pricedCustomers ? n : null
  }

  /** The action row of priced customer `n` at a hop: the source and CMS alike; the webshop's published behind, 1 higher. */
  actionRow(n: number, hop: 'source' | 'cms' | 'app' | 'webshop'): Json {
    const clock = this.model.clock
    const row: Json = {
      priceListCode: this.pricedCustomer(n).list,
      itemCode: actionItem,
      unit: 'st',
      currency: 'SEK',
      fromQuantity: 0,
      price: actionPrice,
      validFrom: null,
      validTo: null,
    }
    if (hop === 'source') return row
    if (hop === 'cms') return {...row, erpModifiedAt: iso(clock.oldChange), syncedAt: iso(clock.cmsWritten)}
    if (hop === 'app') return published(row, iso(clock.published))
    return published({...row, price: actionPrice + 1}, iso(clock.oldPublished))
  }

  /** The CMS's pricing profile of a priced customer (the others have none: their record's list). */
  pricing(code: string): Json | undefined {
    const n = this.pricedOf(code)
    // Whether the CMS holds the customer is the pricing route's to ask (a profile goes with its customer).
    if (n === null || code.startsWith('ACT-')) return undefined
    const clock = this.model.clock
    return {
      customerCode: code,
      priceListCode: 'B2B',
      effectivePriceListCode: 'B2B',
      actionPriceListCode: `ACT-${code}`,
      discountPercent: 0,
      discountGroupCode: null,
      currency: null,
      hidePrices: false,
      erpModifiedAt: iso(clock.oldChange),
      syncedAt: iso(clock.cmsWritten),
    }
  }
}

/** A published hop's entry for one list's rows of one item. */
function published(row: Json, publishedAt: string): Json {
  return {itemCode: row.itemCode, priceListCode: row.priceListCode, publishedAt, record: {prices: [row]}}
}
