import type {EmulatedPrices, SourcePrices} from '../../../emulation/erp-emulator.js'
import type {PlatformPricingJson} from '../../../emulation/records.js'
import type {SandboxRequest} from '../../../emulation/service.js'
import type {Json, VismaNetState} from './emulator-state.js'

const classType = 'CustomerPriceClass'
const promotionList = (priceClass: string) => `${priceClass}:PROMO`
const text = (value: unknown) => (typeof value === 'string' ? value : '')

type Row = EmulatedPrices['rows'][number]

function dto(row: Row, priceCode: string, promotion: boolean, recordId: number): Json {
  return {
    breakQty: row.fromQuantity,
    currency: row.currency,
    description: null,
    effectiveDate: row.validFrom ? `${row.validFrom}T00:00:00` : null,
    expirationDate: row.validTo ? `${row.validTo}T00:00:00` : null,
    inventoryId: row.itemCode,
    lastModifiedDateTime: row.modifiedAt,
    price: row.price,
    priceCode,
    priceType: classType,
    promotion,
    recordId,
    uoM: row.unit,
    vat: null,
    warehouse: null,
  }
}

/**
 * The prices as Visma.net holds them: a standard list is a customer price class (its prices of type
 * `CustomerPriceClass`, with break quantities and dates); an action list's rows become promotional prices of
 * the price class of each customer that has it (a customer without a class cannot have one). Discount groups
 * and customer discounts are not held (Visma.net's discount codes are not read); each customer's class is.
 */
export function putPrices(state: VismaNetState, prices: EmulatedPrices): void {
  const standard = new Set(prices.lists.filter((list) => list.kind === 'standard').map((list) => list.priceListCode))
  const action = new Set(prices.lists.filter((list) => list.kind === 'action').map((list) => list.priceListCode))
  const held: Json[] = []
  for (const row of prices.rows)
    if (standard.has(row.priceListCode)) held.push(dto(row, row.priceListCode, false, held.length + 1))
  const promotions = new Set(
    prices.pricing
      .filter(
        (pricing) => pricing.priceListCode && pricing.actionPriceListCode && action.has(pricing.actionPriceListCode),
      )
      .map((pricing) => JSON.stringify([pricing.priceListCode, pricing.actionPriceListCode])),
  )
  for (const pair of promotions) {
    const [priceClass, actionList] = JSON.parse(pair) as [string, string]
    for (const row of prices.rows)
      if (row.priceListCode === actionList) held.push(dto(row, priceClass, true, held.length + 1))
  }
  state.salesPrices = held
  state.customerPriceClasses = new Map(
    prices.pricing.map((pricing) => [
      pricing.customerCode,
      {modifiedAt: pricing.modifiedAt, priceClass: pricing.priceListCode},
    ]),
  )
  for (const customer of state.customers) applyPriceClass(state, customer)
}

/** Lays the customer's price class over its record; the record changed when its class did, if later. */
export function applyPriceClass(state: VismaNetState, customer: Json): void {
  const pricing = state.customerPriceClasses.get(text(customer.number))
  if (!pricing) return
  customer.priceClass = pricing.priceClass ? {description: pricing.priceClass, id: pricing.priceClass} : null
  if (pricing.modifiedAt > text(customer.lastModifiedDateTime)) customer.lastModifiedDateTime = pricing.modifiedAt
}

/** `GET /v1/customerSalesPrice`'s filters: `priceType`, `priceCode`, `inventoryId`, `effectiveAsOf` (a day). */
export function selectedPrices(state: VismaNetState, request: SandboxRequest): Json[] {
  const filter = (name: string) => request.query.get(name)
  const asOf = filter('effectiveAsOf')?.slice(0, 10) ?? null
  return state.salesPrices.filter(
    (entry) =>
      (!filter('priceType') || entry.priceType === filter('priceType')) &&
      (!filter('priceCode') || entry.priceCode === filter('priceCode')) &&
      (!filter('inventoryId') || entry.inventoryId === filter('inventoryId')) &&
      (asOf === null ||
        ((!entry.effectiveDate || text(entry.effectiveDate).slice(0, 10) <= asOf) &&
          (!entry.expirationDate || asOf <= text(entry.expirationDate).slice(0, 10)))),
  )
}

/**
 * What the platform's Visma.net connector reads for a `prices` run: every price class with its promotion
 * list, the rows, and the rows it skips (an item Visma.net does not have, a unit other than the item's sales
 * unit, a price that expired before the run: today, in UTC).
 */
export function sourcePrices(state: VismaNetState): SourcePrices {
  const today = new Date().toISOString().slice(0, 10)
  const units = new Map(
    state.inventory.map((entry) => [text(entry.inventoryNumber), text(entry.salesUnit) || text(entry.baseUnit)]),
  )
  const lists = new Map<string, SourcePrices['lists'][number]>()
  const rows: SourcePrices['rows'] = []
  const skipped: SourcePrices['skipped'] = []
  for (const entry of state.salesPrices) {
    const code = entry.promotion ? promotionList(text(entry.priceCode)) : text(entry.priceCode)
    const changed = text(entry.lastModifiedDateTime)
    const known = lists.get(code)
    if (!known || (known.modifiedAt ?? '') < changed)
      lists.set(code, {
        active: true,
        currency: null,
        description: entry.promotion ? null : text(entry.priceCode),
        kind: entry.promotion ? 'action' : 'standard',
        modifiedAt: changed,
        priceListCode: code,
        pricesIncludeVat: false,
      })
    const itemCode = text(entry.inventoryId)
    const unit = units.get(itemCode)
    const validTo = entry.expirationDate ? text(entry.expirationDate).slice(0, 10) : null
    const reason =
      unit === undefined
        ? `unknown item ${itemCode}`
        : unit.toUpperCase() !== text(entry.uoM).toUpperCase()
          ? `unit ${text(entry.uoM)} differs from item unit ${unit}`
          : validTo !== null && validTo < today
            ? `row expired (validTo ${validTo})`
            : null
    if (reason) skipped.push({itemCode, priceListCode: code, reason})
    else rows.push({...platformRow(entry, code, text(entry.uoM)), modifiedAt: changed})
  }
  return {discountGroups: [], lists: [...lists.values()], rows, skipped}
}

function platformRow(
  entry: Json,
  priceListCode: string,
  unit: string,
): Omit<SourcePrices['rows'][number], 'modifiedAt'> {
  return {
    currency: text(entry.currency),
    fromQuantity: Number(entry.breakQty ?? 0),
    itemCode: text(entry.inventoryId),
    price: Number(entry.price),
    priceListCode,
    unit,
    validFrom: entry.effectiveDate ? text(entry.effectiveDate).slice(0, 10) : null,
    validTo: entry.expirationDate ? text(entry.expirationDate).slice(0, 10) : null,
  }
}

/** Each active customer's pricing profile as the `customers` run maps it: its price class, and that class's promotion list. */
export function sourcePricing(state: VismaNetState): Array<PlatformPricingJson & {modifiedAt: string | null}> {
  return state.customers
    .filter((customer) => customer.status !== 'Inactive')
    .map((customer) => {
      const priceClass = text((customer.priceClass as Json | null)?.id) || null
      return {
        actionPriceListCode: priceClass ? promotionList(priceClass) : null,
        currency: null,
        customerCode: text(customer.number),
        discountGroupCode: null,
        discountPercent: 0,
        effectivePriceListCode: priceClass,
        hidePrices: false,
        modifiedAt: text(customer.lastModifiedDateTime) || null,
        priceListCode: priceClass,
      }
    })
}
