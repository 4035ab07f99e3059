import {z} from 'zod'

import {optionalNumber, optionalText, text} from '../schema.js'

/**
 * Fortnox API v3 price answers (fields of the official OpenAPI spec: `PriceList`, `PriceListItem`, and the
 * customer's pricing fields). Fortnox keeps no validity date, no currency and no change time on a price.
 */

/** The customer's pricing fields (`GET /3/customers/{CustomerNumber}` → `{"Customer": …}`). */
export const customerPricing = z
  .looseObject({
    Customer: z.looseObject({
      Currency: optionalText,
      CustomerNumber: text,
      InvoiceDiscount: optionalNumber,
      PriceList: optionalText,
    }),
  })
  .transform(({Customer: customer}) => ({
    currency: customer.Currency || null,
    customerCode: customer.CustomerNumber,
    discountPercent: customer.InvoiceDiscount ?? 0,
    // An empty PriceList is no list: the item's base price.
    priceListCode: customer.PriceList || null,
  }))

const priceList = z.looseObject({Code: text, Description: optionalText})

/** `GET /3/pricelists/{Code}` → `{"PriceList": …}`. */
export const priceListAnswer = z.looseObject({PriceList: priceList}).transform((body) => body.PriceList)

/** An entry of `GET /3/pricelists` (`{"PriceLists": […]}`). */
export const listedPriceList = priceList

/** A `PriceListItem` of `/3/prices/sublist/…` (`{"Prices": […]}`): one tier of one article on one list. */
export const priceListItem = z.looseObject({
  ArticleNumber: text,
  FromQuantity: z.number().finite().nonnegative(),
  Price: z.number().finite(),
  PriceList: text,
})

export type FortnoxPriceListItem = z.output<typeof priceListItem>

/** `GET /3/prices/sublist/{PriceList}/{ArticleNumber}` → every tier of the article on the list. */
export const articlePrices = z.looseObject({Prices: z.array(priceListItem)}).transform((body) => body.Prices)
