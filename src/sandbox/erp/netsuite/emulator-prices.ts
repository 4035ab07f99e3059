import type {EmulatedPrices, SourcePrices} from '../../../emulation/erp-emulator.js'
import type {PlatformPricingJson} from '../../../emulation/records.js'
import {basePriceLevel, netsuiteTime, priceLevelId, text} from './emulator-records.js'
import type {Json, NetSuiteState, PricingLine} from './emulator-state.js'

/**
 * NetSuite's prices in the sandbox: price levels, the pricing matrix and the customers' price levels, in
 * SuiteQL's wire form; the SuiteQL of the price connector; what the platform's connector reads of them.
 * NetSuite holds no action lists, discount groups, customer discounts, validity dates or row change times.
 */

function currencyId(state: NetSuiteState, symbol: string): string {
  const known = state.currencies.find((currency) => currency.symbol === symbol)
  if (known) return known.id
  const id = String(state.currencies.length + 1)
  state.currencies.push({id, name: symbol, symbol})
  return id
}

/** The matrix: one price per item, level, currency and break, numbered from 1 in the order of the breaks. */
function matrixOf(state: NetSuiteState, prices: EmulatedPrices, levels: Map<string, string>): PricingLine[] {
  const lines = new Map<string, PricingLine>()
  // A price that starts or ends cannot be held: NetSuite's prices have no dates.
  for (const row of prices.rows.filter((entry) => entry.validFrom === null && entry.validTo === null)) {
    const level = levels.get(row.priceListCode)
    const item = state.items.find((entry) => entry.record.itemId === row.itemCode)
    if (!level || !item) continue
    const currency = currencyId(state, row.currency)
    lines.set([item.id, level, currency, row.fromQuantity].join('\u0000'), {
      currency,
      item: item.id,
      pricelevel: level,
      priceqty: row.fromQuantity,
      quantity: 0,
      saleunit: row.unit,
      unitprice: row.price,
    })
  }
  const sorted = [...lines.values()].sort((a, b) => a.priceqty - b.priceqty)
  for (const line of sorted)
    line.quantity = sorted.filter(
      (other) =>
        other.item === line.item &&
        other.pricelevel === line.pricelevel &&
        other.currency === line.currency &&
        other.priceqty <= line.priceqty,
    ).length
  return sorted
}

/** Writes every price NetSuite can hold: the standard lists as levels, their undated rows, each customer's level and currency. */
export function putNetSuitePrices(state: NetSuiteState, prices: EmulatedPrices): void {
  const standard = prices.lists.filter(
    (list) => list.kind === 'standard' && list.priceListCode !== basePriceLevel.refName,
  )
  state.priceLevels = [
    ...state.priceLevels.filter((level) => level.id === basePriceLevel.id),
    ...standard.map((list) => ({
      discountpct: 0,
      id: priceLevelId(list.priceListCode),
      isinactive: list.active ? ('F' as const) : ('T' as const),
      name: list.priceListCode,
    })),
  ]
  const levels = new Map(state.priceLevels.map((level) => [level.name, level.id]))
  state.pricing = matrixOf(state, prices, levels)
  for (const profile of prices.pricing) {
    const customer = state.customers.find((entry) => entry.record.entityId === profile.customerCode)
    if (!customer) continue
    const level = profile.priceListCode ? levels.get(profile.priceListCode) : undefined
    const record: Json = {...customer.record}
    if (level && profile.priceListCode) record.priceLevel = {id: level, refName: profile.priceListCode}
    else delete record.priceLevel
    if (profile.currency) record.currency = {id: currencyId(state, profile.currency), refName: profile.currency}
    const modified = netsuiteTime(profile.modifiedAt)
    if (text(record.lastModifiedDate) < modified) record.lastModifiedDate = modified
    customer.record = record
  }
}

/** The matrix as SuiteQL's `pricing` holds it: the base price level from the items' records, the other levels'. */
function pricingTable(state: NetSuiteState): Array<PricingLine & {itemCode: string; itemUnit: string}> {
  const items = new Map(state.items.map((entry) => [entry.id, entry.record]))
  const unitOf = (record: Json | undefined) => text((record?.saleUnit as Json | undefined)?.refName)
  const base = state.items.flatMap((entry) =>
    (((entry.record.price as Json | undefined)?.items ?? []) as Json[])
      .filter((line) => (line.priceLevel as Json | undefined)?.id === basePriceLevel.id)
      .map((line) => ({
        currency: currencyId(state, text((line.currencyPage as Json | undefined)?.refName) || 'SEK'),
        item: entry.id,
        pricelevel: basePriceLevel.id,
        priceqty: 0,
        quantity: 1,
        saleunit: unitOf(entry.record),
        unitprice: Number(line.price ?? 0),
      })),
  )
  return [...base, ...state.pricing].flatMap((line) => {
    const record = items.get(line.item)
    return record ? [{...line, itemCode: text(record.itemId), itemUnit: unitOf(record)}] : []
  })
}

const matrixQuery =
  /^SELECT item\.itemid AS item, pricelevel\.name AS pricelevel, currency\.symbol AS currency, pricing\.priceqty, BUILTIN\.DF\(pricing\.saleunit\) AS saleunit, pricing\.unitprice FROM pricing JOIN item ON item\.id = pricing\.item JOIN pricelevel ON pricelevel\.id = pricing\.pricelevel JOIN currency ON currency\.id = pricing\.currency(?: WHERE item\.itemid = '((?:[^']|'')*)')?( ORDER BY pricelevel\.name, item\.itemid, pricing\.priceqty)?$/i

/** The price connector's SuiteQL (the matrix of one item or of all, the levels, the currencies); null for any other. */
export function priceQuery(state: NetSuiteState, q: string): Json[] | null {
  if (
    /^SELECT pricelevel\.id, pricelevel\.name, pricelevel\.discountpct, pricelevel\.isinactive FROM pricelevel$/i.test(
      q,
    )
  )
    return state.priceLevels.map((level) => ({...level, links: []}))
  if (/^SELECT currency\.id, currency\.symbol FROM currency$/i.test(q))
    return state.currencies.map((currency) => ({id: currency.id, links: [], symbol: currency.symbol}))
  const matrix = matrixQuery.exec(q)
  if (!matrix) return null
  const itemCode = matrix[1]?.replace(/''/g, "'")
  const levelName = new Map(state.priceLevels.map((level) => [level.id, level.name]))
  const symbol = new Map(state.currencies.map((currency) => [currency.id, currency.symbol]))
  const rows = pricingTable(state)
    .filter((line) => itemCode === undefined || line.itemCode.toLowerCase() === itemCode.toLowerCase())
    .map((line) => ({
      currency: symbol.get(line.currency) ?? '',
      item: line.itemCode,
      links: [],
      pricelevel: levelName.get(line.pricelevel) ?? '',
      priceqty: line.priceqty,
      saleunit: line.saleunit,
      unitprice: line.unitprice,
    }))
  const key = (row: Json) => `${row.pricelevel}\u0000${row.item}\u0000${String(row.priceqty).padStart(12, '0')}`
  return matrix[2] ? rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) : rows
}

/** What the platform's connector reads for a `prices` run: every level but the base one, its rows in the item's unit. */
export function netSuiteSourcePrices(state: NetSuiteState): SourcePrices {
  const lists = state.priceLevels
    .filter((level) => level.id !== basePriceLevel.id)
    .map((level) => ({
      active: level.isinactive !== 'T',
      currency: null,
      description: null,
      kind: 'standard' as const,
      modifiedAt: null,
      priceListCode: level.name,
      pricesIncludeVat: false,
    }))
  const levelName = new Map(lists.map((list) => [priceLevelId(list.priceListCode), list.priceListCode]))
  const symbol = new Map(state.currencies.map((currency) => [currency.id, currency.symbol]))
  const result: SourcePrices = {discountGroups: [], lists, rows: [], skipped: []}
  for (const line of pricingTable(state)) {
    const priceListCode = levelName.get(line.pricelevel)
    if (priceListCode === undefined) continue
    if (line.saleunit !== line.itemUnit)
      result.skipped.push({
        itemCode: line.itemCode,
        priceListCode,
        reason: `unit ${line.saleunit} differs from item unit ${line.itemUnit}`,
      })
    else
      result.rows.push({
        currency: symbol.get(line.currency) ?? '',
        fromQuantity: line.priceqty,
        itemCode: line.itemCode,
        modifiedAt: null,
        price: line.unitprice,
        priceListCode,
        unit: line.saleunit,
        validFrom: null,
        validTo: null,
      })
  }
  return result
}

/** Each active customer's pricing as a `customers` run reads it: its level (none on the base level) and currency. */
export function netSuiteSourcePricing(state: NetSuiteState): Array<PlatformPricingJson & {modifiedAt: string | null}> {
  return state.customers
    .filter(({record}) => record.isInactive !== true)
    .map(({record}) => {
      const level = text((record.priceLevel as Json | undefined)?.refName)
      const list = level === '' || level === basePriceLevel.refName ? null : level
      return {
        actionPriceListCode: null,
        currency: text((record.currency as Json | undefined)?.refName) || null,
        customerCode: text(record.entityId),
        discountGroupCode: null,
        discountPercent: 0,
        effectivePriceListCode: list,
        hidePrices: false,
        modifiedAt: text(record.lastModifiedDate) || null,
        priceListCode: list,
      }
    })
}
