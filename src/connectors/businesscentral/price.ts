import type {NotSupplied} from '../../model/mapping.js'
import type {PriceResource} from '../erp.js'
import {odataEquals, odataQuery} from '../odata.js'
import {parseAnswer} from '../schema.js'
import type {BusinessCentralClient} from './client.js'
import {system} from './client.js'
import {extensionPrices} from './price-extension.js'
import {standardCustomer, standardItem} from './price-schemas.js'

/**
 * Business Central prices. The standard API v2.0 has no price lists, price groups or discount groups (reference
 * §6.1): only the item's `unitPrice`, the price every customer gets as far as the API can tell. With the
 * platform's AL extension (the profile's `priceExtension`), its price list lines (`price-extension.ts`).
 */

const noPriceLists = "Business Central's standard API v2.0 has no price lists"

export const standardNotSupplied: NotSupplied[] = [
  'pricing.priceListCode',
  'pricing.actionPriceListCode',
  'pricing.discountPercent',
  'pricing.discountGroupCode',
  'pricing.hidePrices',
  'lists',
  'rows',
  'discountGroup',
].map((field) => ({field, reason: noPriceLists}))

/** Without the extension: the customer's currency and the item's `unitPrice`, read together. */
function standardPrices(client: BusinessCentralClient): PriceResource {
  return {
    async find(customerCode, itemCode) {
      const base = client.companyUrl('api/v2.0')
      const [customers, items] = await Promise.all([
        client.collect(`${base}/customers?${odataQuery({$filter: odataEquals('number', customerCode)})}`),
        client.collect(`${base}/items?${odataQuery({$filter: odataEquals('number', itemCode)})}`),
      ])
      const customer = customers
        .map((entity) => parseAnswer(standardCustomer, entity, system, 'the customer'))
        .find((entity) => entity.number === customerCode)
      const item = items
        .map((entity) => parseAnswer(standardItem, entity, system, 'the item'))
        .find((entity) => entity.number === itemCode)
      if (!customer && !item) return null
      const currency = customer?.currencyCode || null
      return {
        discountGroup: null,
        lists: {},
        notSupplied: standardNotSupplied,
        pricing: customer
          ? {
              actionPriceListCode: null,
              currency,
              customerCode,
              discountGroupCode: null,
              discountPercent: 0,
              effectivePriceListCode: null,
              hidePrices: false,
              priceListCode: null,
            }
          : null,
        pricingModifiedAt: customer?.lastModifiedDateTime ?? null,
        // The only price the standard API gives: the item's, which the contract's rule gives a customer without a list.
        resolved: item ? {currency, listPrice: item.unitPrice, netPrice: item.unitPrice} : null,
        rows: [],
      }
    },
  }
}

/** The price resource of this Business Central: the extension's price list lines, or the standard API's base price. */
export function businessCentralPrices(client: BusinessCentralClient): PriceResource {
  return client.settings.priceExtension ? extensionPrices(client) : standardPrices(client)
}
