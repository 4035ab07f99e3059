import {utimesSync} from 'node:fs'

import type {EmulatedPrices} from '../../emulation/erp-emulator.js'
import {writeTextFileSync} from '../../util/line-file.js'
import type {Collection} from '../erp/businesscentral/emulator-selection.js'
import {csvLine, priceListColumns, priceRowFields} from '../export-price-files.js'
import {iso} from './clock.js'
import type {ScaleModel} from './model.js'
import type {ScalePrices} from './price-model.js'
import {listCodes, positionStore, scalePricesOf} from './price-stores.js'

type Json = Record<string, unknown>
type Row = EmulatedPrices['rows'][number]
type PriceCollectionName = 'priceLists' | 'priceListLines' | 'customerPricing'

const emptyDate = '0001-01-01'

/**
 * The source's price row at position `position` of every source row (the standard lists' rows by index, then
 * each priced customer's action row), with its list's kind and description; null where the source has none.
 */
function sourceRow(prices: ScalePrices, position: number): {row: Row; kind: 'standard' | 'action'} | null {
  if (position >= prices.rows) {
    const row = prices.actionRow(position - prices.rows, 'source')
    return {kind: 'action', row: {...(row as unknown as Row), modifiedAt: iso(prices.model.clock.oldChange)}}
  }
  const source = prices.source(position)
  return source && {kind: 'standard', row: {...(source.row as unknown as Row), modifiedAt: source.modifiedAt}}
}

/** A list header of the platform's extension (`Price List Header`): a customer price group, or a campaign. */
function headerOf(model: ScaleModel, code: string): Json {
  const action = code.startsWith('ACT-')
  return {
    amountType: 'Price',
    code,
    currencyCode: 'SEK',
    description: action ? `Campaign of ${code.slice(4)}` : `Scale list ${code}`,
    endingDate: emptyDate,
    priceIncludesVAT: false,
    priceType: 'Sale',
    sourceNo: code,
    sourceType: action ? 'Campaign' : 'Customer Price Group',
    startingDate: emptyDate,
    status: 'Active',
    systemModifiedAt: iso(model.clock.oldChange),
  }
}

/** A `Price List Line` of the extension from a source row (as the seeded emulator's `putPrices` writes them). */
function lineOf(found: {row: Row; kind: string}, position: number): Json {
  const {row} = found
  return {
    amountType: 'Price',
    assetNo: row.itemCode,
    assetType: 'Item',
    currencyCode: row.currency,
    endingDate: row.validTo ?? emptyDate,
    lineDiscountPercent: 0,
    lineNo: (position + 1) * 10_000,
    minimumQuantity: row.fromQuantity,
    priceIncludesVAT: false,
    priceListCode: row.priceListCode,
    priceType: 'Sale',
    sourceNo: row.priceListCode,
    sourceType: found.kind === 'action' ? 'Campaign' : 'Customer Price Group',
    startingDate: row.validFrom ?? emptyDate,
    status: 'Active',
    systemModifiedAt: row.modifiedAt,
    unitOfMeasureCode: row.unit,
    unitPrice: row.price,
    variantCode: '',
  }
}

/**
 * The extension's price pages of the scale company: the list headers (few: held), the lines and the customers'
 * price settings generated a page at a time (`$skiptoken`: the position to go on from).
 */
export function scalePriceCollections(model: ScaleModel): (name: PriceCollectionName) => Collection {
  const prices = scalePricesOf(model)
  const lists = listCodes(prices)
  const headers = Array.from({length: lists.size}, (_unused, position) => headerOf(model, lists.code(position)))
  const lines = positionStore({
    cursor: 'index',
    keyOf: String,
    positionOf: () => null,
    size: prices.rows + prices.pricedCustomers,
    view: (position) => {
      const found = sourceRow(prices, position)
      return found && lineOf(found, position)
    },
  })
  const pricing = positionStore({
    cursor: 'index',
    keyOf: String,
    positionOf: () => null,
    size: model.records,
    view: (index) => customerPricing(model, prices, index),
  })
  const collections = {
    customerPricing: {keyField: 'customerNumber', store: pricing},
    priceListLines: {keyField: 'lineNo', store: lines},
    priceLists: headers,
  }
  return (name) => collections[name]
}

/** A customer's price settings: the `B2B` group, and its campaign for a priced customer. */
function customerPricing(model: ScaleModel, prices: ScalePrices, index: number): Json | null {
  const source = model.source('customers', index)
  if (!source) return null
  const code = String(source.record.customerCode)
  const priced = prices.pricedOf(code)
  return {
    campaignNo: priced === null ? '' : prices.pricedCustomer(priced).list,
    currencyCode: '',
    customerDiscGroup: '',
    customerNumber: code,
    customerPriceGroup: String(source.record.priceListCode ?? ''),
    systemModifiedAt: iso(source.modified),
  }
}

/** `pricelists.csv` of `scale-ftp` (generic layout, UTC), a row at a time by the seeded sandbox's writer. */
export function writeScalePriceExport(model: ScaleModel, path: string): void {
  const prices = scalePricesOf(model)
  writeTextFileSync(path, priceLines(prices))
  const written = new Date(model.clock.exportFileWritten)
  utimesSync(path, written, written)
}

function* priceLines(prices: ScalePrices): Generator<string> {
  yield `\uFEFF${priceListColumns.join(';')}\r\n`
  for (let position = 0; position < prices.rows + prices.pricedCustomers; position++) {
    const found = sourceRow(prices, position)
    if (!found) continue
    const code = found.row.priceListCode
    const list = {
      active: true,
      currency: 'SEK',
      description: found.kind === 'action' ? `Campaign of ${code.slice(4)}` : `Scale list ${code}`,
      kind: found.kind,
      modifiedAt: found.row.modifiedAt,
      priceListCode: code,
      pricesIncludeVat: false,
    }
    yield `${csvLine(priceListColumns, priceRowFields(found.row, list, 'UTC'))}\r\n`
  }
}
