import {z} from 'zod'

import {optionalNumber, optionalText, optionalTime, text} from '../schema.js'
import {suiteqlFlag} from './schemas.js'

/**
 * NetSuite's price answers: SuiteQL rows of the pricing matrix, the price levels and the currencies (columns
 * lower-case, booleans 'T'/'F'), and the customer record's price level, currency and item pricing sublist.
 */

/** `pricing` joined with its item, level and currency: one price of one quantity break. */
export const matrixRow = z
  .looseObject({
    currency: text,
    item: text,
    pricelevel: text,
    priceqty: optionalNumber,
    saleunit: optionalText,
    unitprice: z.union([
      z.number().finite(),
      z
        .string()
        .regex(/^\s*-?\d+(\.\d+)?\s*$/)
        .transform(Number),
    ]),
  })
  .transform((row) => ({
    currency: row.currency,
    // The break's lower bound; the first break (no bound) applies from any quantity.
    fromQuantity: row.priceqty ?? 0,
    itemCode: row.item,
    level: row.pricelevel,
    price: row.unitprice,
    unit: row.saleunit ?? '',
  }))

/** `SELECT pricelevel.id, pricelevel.name, pricelevel.discountpct, pricelevel.isinactive FROM pricelevel`. */
export const priceLevelRow = z.looseObject({
  discountpct: optionalNumber,
  id: text,
  isinactive: suiteqlFlag,
  name: text,
})

/** `SELECT currency.id, currency.symbol FROM currency`: the ISO code is the currency's symbol. */
export const currencyRow = z.looseObject({id: text, symbol: text})

const reference = z
  .looseObject({id: optionalText, refName: optionalText})
  .nullish()
  .transform((value) => value ?? null)

/** One line of the customer's item pricing: a price level for the item, or a custom price (level -1). */
const itemPricingLine = z.looseObject({
  currency: reference,
  item: reference,
  level: reference,
  price: optionalNumber,
})

/** `GET /record/v1/customer/{id}?expandSubResources=true`: what decides the customer's prices. */
export const customerPricing = z.looseObject({
  currency: reference,
  entityId: text,
  isInactive: z.boolean().nullish(),
  itemPricing: z
    .looseObject({items: z.array(itemPricingLine).nullish()})
    .nullish()
    .transform((value) => value?.items ?? []),
  lastModifiedDate: optionalTime,
  priceLevel: reference,
})

export type CustomerPricing = z.output<typeof customerPricing>
export type MatrixRow = z.output<typeof matrixRow>
