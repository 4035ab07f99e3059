import type {z} from 'zod'

import type {NotSupplied} from '../../model/mapping.js'
import {type DiscountRule, type PriceList, validOn} from '../../model/price.js'
import type {ErpPriceRecord, ErpPriceRow, PriceResource} from '../erp.js'
import {odataEquals, odataQuery} from '../odata.js'
import {parseAnswer} from '../schema.js'
import {
  type BusinessCentralClient,
  defaultShipToApiPath,
  describeBusinessCentralError,
  sameOriginLink,
  system,
} from './client.js'
import {pages} from './listing.js'
import {
  type CustomerPricing,
  customerPricing,
  type PriceListHeader,
  type PriceListLine,
  priceListHeader,
  priceListLine,
} from './price-schemas.js'

/**
 * Business Central with the platform's AL extension: price lists (`Price List Header`) whose source is the
 * customer, its `Customer Price Group` or its campaign (an action list), their lines (`Price List Line`:
 * tiers by `minimumQuantity`, dates, currency, unit, `systemModifiedAt`), discount lines of the customer's
 * `Customer Disc. Group` (its discount group) and of the customer for every item (its discount).
 */

const extensionNotSupplied: NotSupplied[] = [
  {field: 'pricing.hidePrices', reason: 'Business Central has no hide-prices flag: the CMS keeps its own setting'},
]
/** The fields `reconcile prices` compares, and the key's. */
const rowFields =
  'priceListCode,assetNo,unitOfMeasureCode,currencyCode,minimumQuantity,unitPrice,startingDate,endingDate,systemModifiedAt'
const discountGroupSource = 'Customer Disc. Group'

const extensionUrl = (client: BusinessCentralClient) =>
  client.companyUrl(client.settings.shipToApiPath ?? defaultShipToApiPath)

const isDiscount = (entity: {amountType: string}) => entity.amountType === 'Discount'

function toRow(line: PriceListLine): ErpPriceRow {
  return {
    currency: line.currencyCode,
    fromQuantity: line.minimumQuantity ?? 0,
    itemCode: line.assetNo,
    modifiedAt: line.systemModifiedAt,
    price: line.unitPrice ?? 0,
    priceListCode: line.priceListCode,
    unit: line.unitOfMeasureCode,
    validFrom: line.startingDate,
    validTo: line.endingDate,
  }
}

function toList(header: PriceListHeader): PriceList {
  return {
    active: header.status === 'Active',
    currency: header.currencyCode || null,
    description: header.description,
    kind: header.sourceType === 'Campaign' ? 'action' : 'standard',
    pricesIncludeVat: header.priceIncludesVAT === true,
    priceListCode: header.code,
  }
}

const toRule = (line: PriceListLine): DiscountRule => ({
  fromQuantity: line.minimumQuantity ?? 0,
  itemCode: line.assetNo || null,
  percent: line.lineDiscountPercent ?? 0,
  validFrom: line.startingDate,
  validTo: line.endingDate,
})

/** The customer's price list of a source (the customer, its price group, its campaign), by the header's source. */
function listOf(headers: PriceListHeader[], sourceType: string, sourceNo: string): string | null {
  if (sourceNo === '') return null
  const found = headers.filter((header) => !isDiscount(header) && header.sourceType === sourceType)
  return found.find((header) => header.sourceNo === sourceNo)?.code ?? null
}

function discountGroupOf(group: string, discounts: PriceListLine[]): ErpPriceRecord['discountGroup'] {
  if (group === '') return null
  const lines = discounts.filter((line) => line.sourceType === discountGroupSource && line.sourceNo === group)
  const times = lines.map((line) => line.systemModifiedAt?.getTime() ?? 0)
  return {
    description: null,
    discountGroupCode: group,
    modifiedAt: times.length > 0 && Math.max(...times) > 0 ? new Date(Math.max(...times)) : null,
    rules: lines.filter((line) => line.status === 'Active').map(toRule),
  }
}

/** The record from the four answers: the customer's lists and their rows for the item, its discount group and discount. */
function recordOf(
  pricing: CustomerPricing | null,
  headers: PriceListHeader[],
  itemLines: PriceListLine[],
  discounts: PriceListLine[],
  date: string,
): ErpPriceRecord {
  const customer = pricing?.customerNumber ?? ''
  const list =
    listOf(headers, 'Customer', customer) ?? listOf(headers, 'Customer Price Group', pricing?.customerPriceGroup ?? '')
  const action = listOf(headers, 'Campaign', pricing?.campaignNo ?? '')
  const named = [list, action].filter((code): code is string => code !== null)
  const lists: Record<string, PriceList> = {}
  for (const header of headers) if (named.includes(header.code)) lists[header.code] = toList(header)
  const own = discounts.find(
    (line) =>
      line.sourceType === 'Customer' &&
      line.sourceNo === customer &&
      line.assetNo === '' &&
      validOn({validFrom: line.startingDate, validTo: line.endingDate}, date),
  )
  return {
    discountGroup: pricing ? discountGroupOf(pricing.customerDiscGroup, discounts) : null,
    lists,
    notSupplied: extensionNotSupplied,
    pricing: pricing && {
      actionPriceListCode: action,
      currency: pricing.currencyCode || null,
      customerCode: pricing.customerNumber,
      discountGroupCode: pricing.customerDiscGroup || null,
      discountPercent: own?.lineDiscountPercent ?? 0,
      effectivePriceListCode: list,
      hidePrices: false,
      priceListCode: list,
    },
    pricingModifiedAt: pricing?.systemModifiedAt ?? null,
    resolved: null,
    rows: itemLines
      .filter((line) => !isDiscount(line) && line.status === 'Active' && named.includes(line.priceListCode))
      .map(toRow),
  }
}

export function extensionPrices(client: BusinessCentralClient): Required<Pick<PriceResource, 'find' | 'listRows'>> {
  const read = <S extends z.ZodType>(path: string, filter: string, schema: S, what: string): Promise<z.output<S>[]> =>
    client
      .collect(`${extensionUrl(client)}/${path}?${odataQuery({$filter: filter})}`)
      .then((entities) => entities.map((entity) => parseAnswer(schema, entity, system, what)))
  return {
    async find(customerCode, itemCode, at) {
      // Four reads that do not depend on each other, at once.
      const [pricing, headers, itemLines, discounts] = await Promise.all([
        read('customerPricing', odataEquals('customerNumber', customerCode), customerPricing, 'the customer pricing'),
        read('priceLists', odataEquals('priceType', 'Sale'), priceListHeader, 'a price list'),
        read(
          'priceListLines',
          `${odataEquals('assetType', 'Item')} and ${odataEquals('assetNo', itemCode)}`,
          priceListLine,
          'a price list line',
        ),
        read(
          'priceListLines',
          `${odataEquals('amountType', 'Discount')} and (${odataEquals('sourceType', discountGroupSource)} or (${odataEquals('sourceType', 'Customer')} and ${odataEquals('sourceNo', customerCode)}))`,
          priceListLine,
          'a discount line',
        ),
      ])
      const customer = pricing.find((entity) => entity.customerNumber === customerCode) ?? null
      const lines = itemLines.filter((line) => line.assetNo === itemCode)
      if (!customer && lines.length === 0) return null
      return recordOf(customer, headers, lines, discounts, at.date)
    },

    /** Every active price line of an item (`$select` of the compared fields), paged as BC pages. */
    listRows() {
      const filter = `${odataEquals('assetType', 'Item')} and amountType ne 'Discount' and ${odataEquals('status', 'Active')}`
      const url = `${extensionUrl(client)}/priceListLines?${odataQuery({$filter: filter, $select: rowFields})}`
      const paging = {
        describeError: describeBusinessCentralError,
        http: client.http,
        sameOrigin: sameOriginLink,
        state: {byteOrder: false},
        token: (refused?: string) => client.token(refused),
      }
      return {
        ordered: false,
        records: (async function* () {
          for await (const page of pages(paging, url))
            for (const entity of page) {
              const line = parseAnswer(priceListLine, entity, system, 'a price list line')
              if (line.assetNo !== '') yield toRow(line)
            }
        })(),
      }
    },
  }
}
