import type {NotSupplied} from '../../model/mapping.js'
import type {PriceList, PricingProfile} from '../../model/price.js'
import type {ErpPriceRecord, ErpPriceRow, PriceResource} from '../erp.js'
import {parseAnswer} from '../schema.js'
import {suiteqlString} from './auth.js'
import {type NetSuiteClient, system} from './client.js'
import {internalId} from './records.js'
import {
  type CustomerPricing,
  currencyRow,
  customerPricing,
  type MatrixRow,
  matrixRow,
  priceLevelRow,
} from './price-schemas.js'

/**
 * NetSuite prices (reference §6.5): a customer's price level is its list (the level's name is the list code),
 * the item pricing matrix (SuiteQL `pricing`) its rows with their quantity breaks, and the customer's item
 * pricing NetSuite's own price for that customer and item, which wins over the level. No dates, no change
 * times, no customer discount (a level's `discountpct` is already in its matrix prices), no action lists.
 */

const matrixQuery =
  'SELECT item.itemid AS item, pricelevel.name AS pricelevel, currency.symbol AS currency, pricing.priceqty, ' +
  'BUILTIN.DF(pricing.saleunit) AS saleunit, pricing.unitprice FROM pricing ' +
  'JOIN item ON item.id = pricing.item JOIN pricelevel ON pricelevel.id = pricing.pricelevel ' +
  'JOIN currency ON currency.id = pricing.currency'
const levelsQuery =
  'SELECT pricelevel.id, pricelevel.name, pricelevel.discountpct, pricelevel.isinactive FROM pricelevel'
const currenciesQuery = 'SELECT currency.id, currency.symbol FROM currency'
/** NetSuite's "Custom" price level of an item pricing line: the line's own price. */
const customLevel = '-1'

export const netSuiteNotSupplied: NotSupplied[] = [
  {field: 'pricing.actionPriceListCode', reason: 'NetSuite has no action price lists'},
  {
    field: 'pricing.discountPercent',
    reason: "NetSuite has no customer discount: a price level's discountpct is already in its matrix prices",
  },
  {
    field: 'pricing.discountGroupCode',
    reason: 'NetSuite pricing groups give a group of items another price level, not a percentage the platform applies',
  },
  {field: 'pricing.hidePrices', reason: 'NetSuite has no hide-prices flag: the CMS keeps its own setting'},
  {field: 'rows.validFrom', reason: 'NetSuite prices have no validity dates'},
  {field: 'rows.validTo', reason: 'NetSuite prices have no validity dates'},
  {field: 'rows.modifiedAt', reason: 'NetSuite prices carry no change time: only their values are compared'},
]

const toRow = (row: MatrixRow): ErpPriceRow => ({
  currency: row.currency,
  fromQuantity: row.fromQuantity,
  itemCode: row.itemCode,
  modifiedAt: null,
  price: row.price,
  priceListCode: row.level,
  unit: row.unit,
  validFrom: null,
  validTo: null,
})

async function customerByCode(client: NetSuiteClient, code: string): Promise<CustomerPricing | null> {
  for (const id of await client.idsWhere('customer', 'entityId', code)) {
    const response = await client.send(
      'GET',
      client.recordUrl(`/customer/${internalId(id, 'the customer list')}`, {expandSubResources: 'true'}),
      {notFound: true},
    )
    const record = response ? parseAnswer(customerPricing, response.body, system, 'the customer') : null
    if (record?.entityId === code) return record
  }
  return null
}

/** The price of the break that applies to `quantity` among one level's rows in one currency. */
function breakPrice(rows: MatrixRow[], level: string, currency: string, quantity: number): number | null {
  const applies = rows
    .filter((row) => row.level === level && row.currency === currency && row.fromQuantity <= quantity)
    .sort((a, b) => b.fromQuantity - a.fromQuantity)
  return applies[0]?.price ?? null
}

/** The customer's item pricing line for the item, as NetSuite charges it: a custom price, or its level's break. */
function customerItemPrice(
  customer: CustomerPricing,
  itemCode: string,
  rows: MatrixRow[],
  quantity: number,
  currencyOf: (id: string | null) => string | null,
): ErpPriceRecord['resolved'] {
  const line = customer.itemPricing.find((entry) => entry.item?.refName === itemCode)
  if (!line) return null
  const currency = currencyOf(line.currency?.id ?? customer.currency?.id ?? null)
  const price =
    line.level === null || line.level.id === customLevel
      ? line.price
      : currency
        ? breakPrice(rows, line.level.refName ?? '', currency, quantity)
        : null
  return {currency, listPrice: price, netPrice: price}
}

function profileOf(customer: CustomerPricing, basePriceLevel: string, currency: string | null): PricingProfile {
  const level = customer.priceLevel?.refName ?? null
  // A customer on the base price level pays the item's base price: no list in the platform's terms.
  const list = level === null || level === basePriceLevel ? null : level
  return {
    actionPriceListCode: null,
    currency,
    customerCode: customer.entityId,
    discountGroupCode: null,
    discountPercent: 0,
    effectivePriceListCode: list,
    hidePrices: false,
    priceListCode: list,
  }
}

/** The customer, the item's matrix, the levels and the currencies, read at once, as the price record. */
async function findPrices(
  client: NetSuiteClient,
  customerCode: string,
  itemCode: string,
  quantity: number,
): Promise<ErpPriceRecord | null> {
  // Four independent reads at once; the client's concurrency limit decides how many are in flight.
  const [customer, matrix, levels, currencies] = await Promise.all([
    customerByCode(client, customerCode),
    client.suiteql(`${matrixQuery} WHERE item.itemid = ${suiteqlString(itemCode)}`),
    client.suiteql(levelsQuery),
    client.suiteql(currenciesQuery),
  ])
  const rows = matrix
    .map((row) => parseAnswer(matrixRow, row, system, 'the pricing query'))
    .filter((row) => row.itemCode === itemCode)
  if (!customer && rows.length === 0) return null
  const symbols = new Map(
    currencies
      .map((row) => parseAnswer(currencyRow, row, system, 'the currency query'))
      .map((row) => [row.id, row.symbol]),
  )
  const currencyOf = (id: string | null) => (id === null ? null : (symbols.get(id) ?? null))
  const pricing = customer
    ? profileOf(customer, client.settings.basePriceLevel, currencyOf(customer.currency?.id ?? null))
    : null
  const lists: Record<string, PriceList> = {}
  for (const level of levels.map((row) => parseAnswer(priceLevelRow, row, system, 'the price level query')))
    if (level.name === pricing?.priceListCode)
      lists[level.name] = {
        active: level.isinactive !== true,
        currency: null,
        description: null,
        kind: 'standard',
        pricesIncludeVat: false,
        priceListCode: level.name,
      }
  return {
    discountGroup: null,
    lists,
    notSupplied: netSuiteNotSupplied,
    pricing,
    pricingModifiedAt: customer?.lastModifiedDate ?? null,
    resolved: customer ? customerItemPrice(customer, itemCode, rows, quantity, currencyOf) : null,
    rows: rows.filter((row) => pricing !== null && row.level === pricing.priceListCode).map(toRow),
  }
}

/** NetSuite's price inputs for one customer and item; every row of every level for `reconcile prices`. */
export function netSuitePrices(client: NetSuiteClient): Required<Pick<PriceResource, 'find' | 'listRows'>> {
  return {
    find: (customerCode, itemCode, at) => findPrices(client, customerCode, itemCode, at.quantity),

    /** Every row of every level but the base price level (the items' base prices), one SuiteQL query paged. */
    listRows() {
      const base = client.settings.basePriceLevel
      return {
        ordered: false,
        records: (async function* () {
          const q = `${matrixQuery} ORDER BY pricelevel.name, item.itemid, pricing.priceqty`
          for await (const page of client.pages(client.suiteqlUrl(), {q}))
            for (const row of page) {
              const parsed = parseAnswer(matrixRow, row, system, 'the pricing query')
              if (parsed.level !== base) yield toRow(parsed)
            }
        })(),
      }
    },
  }
}
