import type {ErpPriceRecord} from '../../connectors/erp.js'
import type {CanonicalItem} from '../../model/item.js'
import type {FieldDiff} from '../../model/compare.js'
import {
  type DiscountGroup,
  type PriceInputs,
  type PriceItem,
  type PriceList,
  type PriceRow,
  type PricingProfile,
  type ResolvedPrice,
  resolvePrice,
  samePrice,
} from '../../model/price.js'
import type {PriceAnswer, PriceRecord} from '../../report/types.js'
import type {AppPriceInputs, CmsPriceInputs} from './observe.js'

/** Each hop's inputs in the model's terms, the price computed from them, and the comparisons between hops. */

const priceItem = (itemCode: string, item: CanonicalItem | null | undefined): PriceItem => ({
  currency: item?.currency ?? null,
  itemCode,
  price: item?.price ?? null,
  unit: item?.unit ?? null,
})

const plainRow = (row: PriceRow): PriceRow => ({
  currency: row.currency,
  fromQuantity: row.fromQuantity,
  itemCode: row.itemCode,
  price: row.price,
  priceListCode: row.priceListCode,
  unit: row.unit,
  validFrom: row.validFrom,
  validTo: row.validTo,
})

const plainProfile = (pricing: PricingProfile): PricingProfile => ({
  actionPriceListCode: pricing.actionPriceListCode,
  currency: pricing.currency,
  customerCode: pricing.customerCode,
  discountGroupCode: pricing.discountGroupCode,
  discountPercent: pricing.discountPercent,
  effectivePriceListCode: pricing.effectivePriceListCode,
  hidePrices: pricing.hidePrices,
  priceListCode: pricing.priceListCode,
})

const plainList = (list: PriceList): PriceList => ({
  active: list.active,
  currency: list.currency,
  description: list.description,
  kind: list.kind,
  priceListCode: list.priceListCode,
  pricesIncludeVat: list.pricesIncludeVat,
})

const plainGroup = (group: DiscountGroup | null): DiscountGroup | null =>
  group
    ? {
        description: group.description,
        discountGroupCode: group.discountGroupCode,
        rules: group.rules.map((rule) => ({
          fromQuantity: rule.fromQuantity,
          itemCode: rule.itemCode,
          percent: rule.percent,
          validFrom: rule.validFrom,
          validTo: rule.validTo,
        })),
      }
    : null

/**
 * The ERP's inputs. An item field its item does not give (`null`: no currency on a Fortnox or Visma article) is
 * the CMS's (`fallback`): the item itself is `trace item`'s, and a field the ERP lacks never changes the price.
 */
export function erpInputsOf(
  record: ErpPriceRecord,
  itemCode: string,
  item: CanonicalItem | null,
  fallback: CanonicalItem | null = null,
): PriceInputs | null {
  if (!record.pricing) return null
  const own = priceItem(itemCode, item)
  const other = priceItem(itemCode, fallback)
  return {
    discountGroup: plainGroup(record.discountGroup),
    item: {
      currency: own.currency ?? other.currency,
      itemCode,
      price: own.price ?? other.price,
      unit: own.unit ?? other.unit,
    },
    lists: Object.fromEntries(Object.entries(record.lists).map(([code, list]) => [code, plainList(list)])),
    pricing: plainProfile(record.pricing),
    rows: record.rows.map(plainRow),
  }
}

export function cmsInputsOf(cms: CmsPriceInputs, itemCode: string): PriceInputs | null {
  if (!cms.pricing) return null
  const lists = Object.entries(cms.lists).flatMap(([code, list]) => (list ? [[code, plainList(list)] as const] : []))
  return {
    discountGroup: plainGroup(cms.discountGroup),
    item: priceItem(itemCode, cms.item?.item),
    lists: Object.fromEntries(lists),
    pricing: plainProfile(cms.pricing),
    rows: Object.values(cms.rows).flatMap((rows) => (rows ?? []).map(plainRow)),
  }
}

/** The app's inputs; the lists' own fields are not published to the app: the CMS's are taken for them. */
export function appInputsOf(app: AppPriceInputs, itemCode: string, cmsLists: PriceInputs['lists']): PriceInputs | null {
  if (!app.pricing) return null
  return {
    discountGroup: plainGroup(app.discountGroup?.group ?? null),
    item: priceItem(itemCode, app.item?.item),
    lists: cmsLists,
    pricing: plainProfile(app.pricing.pricing),
    rows: Object.values(app.rows).flatMap((rows) => (rows?.rows ?? []).map(plainRow)),
  }
}

export function answerOfResolved(price: ResolvedPrice): PriceAnswer {
  return {
    currency: price.currency,
    discountPercent: price.discountPercent,
    hidePrices: price.hidePrices,
    listPrice: price.listPrice,
    listSource: price.listSource,
    netPrice: price.netPrice,
    priceListCode: price.priceListCode,
    pricesIncludeVat: price.pricesIncludeVat,
  }
}

export function priceRecord(
  at: {customerCode: string; itemCode: string; quantity: number; date: string},
  inputs: PriceInputs | null,
  answered: PriceAnswer | null,
): PriceRecord {
  return {
    answered,
    computed: inputs ? resolvePrice(inputs, at.quantity, at.date) : null,
    customerCode: at.customerCode,
    date: at.date,
    inputs,
    itemCode: at.itemCode,
    quantity: at.quantity,
  }
}

/** What a hop's price is, for comparing: its own computation, else its answer (the webshop). */
export function priceOf(record: PriceRecord): PriceAnswer | null {
  return record.computed ? answerOfResolved(record.computed) : record.answered
}

const shown = (value: unknown) => (value === null || value === undefined ? null : String(value))

/** The price's outcome fields that differ (net, list, currency, hidePrices, VAT kind). */
export function outcomeDiffs(up: PriceAnswer, down: PriceAnswer): FieldDiff[] {
  const diffs: FieldDiff[] = []
  const add = (field: string, a: unknown, b: unknown) => diffs.push({downstream: shown(b), field, upstream: shown(a)})
  // With prices hidden, the webshop and the app show none: only the flag is compared.
  const hidden = up.hidePrices === true && down.hidePrices === true
  if (!hidden && !samePrice(up.netPrice, down.netPrice)) add('price.netPrice', up.netPrice, down.netPrice)
  if (!hidden && !samePrice(up.listPrice, down.listPrice)) add('price.listPrice', up.listPrice, down.listPrice)
  if (!sameText(up.currency, down.currency)) add('price.currency', up.currency, down.currency)
  if (up.hidePrices !== down.hidePrices) add('price.hidePrices', up.hidePrices, down.hidePrices)
  if (up.pricesIncludeVat !== down.pricesIncludeVat)
    add('price.pricesIncludeVat', up.pricesIncludeVat, down.pricesIncludeVat)
  return diffs
}

function sameText(a: string | null, b: string | null): boolean {
  return (a ?? '').trim().toUpperCase() === (b ?? '').trim().toUpperCase()
}

const profileFields = [
  'priceListCode',
  'effectivePriceListCode',
  'actionPriceListCode',
  'discountPercent',
  'discountGroupCode',
  'currency',
  'hidePrices',
] as const

const rowKey = (row: PriceRow) =>
  `${row.priceListCode} ${row.unit} ${row.currency} from ${row.fromQuantity} ${row.validFrom ?? 'open'}`
const rowValue = (row: PriceRow) => `${row.price}${row.validTo ? ` to ${row.validTo}` : ''}`
const rulesText = (group: DiscountGroup | null) =>
  group
    ? group.rules
        .map(
          (rule) =>
            `${rule.itemCode ?? '*'} from ${rule.fromQuantity}: ${rule.percent}% ${rule.validFrom ?? ''}..${rule.validTo ?? ''}`,
        )
        .sort()
        .join('; ')
    : null

/** Which inputs differ: the profile's fields, the item's, the lists', each row (by its key) and the group's rules. */
export function inputDiffs(up: PriceInputs, down: PriceInputs): FieldDiff[] {
  const diffs: FieldDiff[] = []
  const add = (field: string, a: unknown, b: unknown) => {
    if (shown(a) !== shown(b)) diffs.push({downstream: shown(b), field, upstream: shown(a)})
  }
  // The customer's currency: `null` is the item's currency, so what is compared is the currency the rule uses.
  const currencyOf = (inputs: PriceInputs) => inputs.pricing.currency ?? inputs.item.currency
  for (const field of profileFields)
    if (field === 'currency') add('pricing.currency', currencyOf(up), currencyOf(down))
    else add(`pricing.${field}`, up.pricing[field], down.pricing[field])
  add('item.unit', up.item.unit, down.item.unit)
  add('item.currency', up.item.currency, down.item.currency)
  if (!samePrice(up.item.price, down.item.price)) add('item.price', up.item.price, down.item.price)
  // Rows and lists compare only when both hops use the same lists; otherwise the list code is the difference.
  if (up.pricing.effectivePriceListCode !== down.pricing.effectivePriceListCode) return diffs
  if (up.pricing.actionPriceListCode !== down.pricing.actionPriceListCode) return diffs
  for (const [code, list] of Object.entries(up.lists)) {
    const other = down.lists[code]
    for (const field of ['kind', 'pricesIncludeVat', 'active'] as const)
      add(`lists.${code}.${field}`, list[field], other ? other[field] : null)
    // A list without a currency of its own (`null`) leaves it to each row, which the rows' keys compare.
    if (list.currency !== null && other?.currency != null) add(`lists.${code}.currency`, list.currency, other.currency)
  }
  const downRows = new Map(down.rows.map((row) => [rowKey(row), row]))
  const upKeys = new Set(up.rows.map(rowKey))
  for (const row of up.rows) {
    const other = downRows.get(rowKey(row))
    add(`rows.${rowKey(row)}`, rowValue(row), other ? rowValue(other) : null)
  }
  for (const row of down.rows) if (!upKeys.has(rowKey(row))) add(`rows.${rowKey(row)}`, null, rowValue(row))
  if (up.pricing.discountGroupCode === down.pricing.discountGroupCode)
    add('discountGroup.rules', rulesText(up.discountGroup), rulesText(down.discountGroup))
  return diffs
}

/** The kind of input a diff names, for the cause: the customer's profile, or the list's rows and groups. */
export function inputKind(diffs: FieldDiff[]): 'pricing' | 'rows' | 'item' | null {
  if (diffs.some((diff) => diff.field.startsWith('pricing.'))) return 'pricing'
  if (diffs.some((diff) => /^(rows|lists|discountGroup)\./.test(diff.field))) return 'rows'
  if (diffs.some((diff) => diff.field.startsWith('item.'))) return 'item'
  return null
}

/** The list a row or list diff names (`rows.B2B-A st SEK from 10 open` → B2B-A). */
export function listOfDiffs(diffs: FieldDiff[]): string | null {
  for (const diff of diffs) {
    const match = /^rows\.(\S+) /.exec(diff.field) ?? /^lists\.(.+)\.\w+$/.exec(diff.field)
    if (match) return match[1] ?? null
  }
  return null
}
