import {z} from 'zod'

import {optionalFlag, optionalNumber, optionalText, optionalTime, text} from '../schema.js'

/**
 * The platform's AL extension's price pages (`priceLists`, `priceListLines`, `customerPricing` under its own
 * API route), over BC's `Price List Header` (7000), `Price List Line` (7001) and the customer's price and
 * discount groups; and the standard API v2.0's customer and item fields a price needs.
 */

/** BC writes an empty date as 0001-01-01: an open end. */
const bcDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullish()
  .transform((value) => (value === null || value === undefined || value === '0001-01-01' ? null : value))

const codeText = optionalText.transform((value) => value?.trim() ?? '')

/** `priceLists`: one `Price List Header`. */
export const priceListHeader = z.looseObject({
  amountType: codeText,
  code: text,
  currencyCode: codeText,
  description: optionalText,
  priceIncludesVAT: optionalFlag,
  sourceNo: codeText,
  sourceType: codeText,
  status: codeText,
  systemModifiedAt: optionalTime,
})

/** `priceListLines`: one `Price List Line` (the extension gives the currency and unit filled in where BC leaves them empty). */
export const priceListLine = z.looseObject({
  amountType: codeText,
  assetNo: codeText,
  currencyCode: codeText,
  endingDate: bcDate,
  lineDiscountPercent: optionalNumber,
  minimumQuantity: optionalNumber,
  priceListCode: text,
  sourceNo: codeText,
  sourceType: codeText,
  startingDate: bcDate,
  status: codeText,
  systemModifiedAt: optionalTime,
  unitOfMeasureCode: codeText,
  unitPrice: optionalNumber,
})

/** `customerPricing`: the customer's price group, discount group, campaign and currency. */
export const customerPricing = z.looseObject({
  campaignNo: codeText,
  currencyCode: codeText,
  customerDiscGroup: codeText,
  customerNumber: text,
  customerPriceGroup: codeText,
  systemModifiedAt: optionalTime,
})

/** The standard API's customer, for its currency (empty: the company's). */
export const standardCustomer = z.looseObject({
  currencyCode: codeText,
  lastModifiedDateTime: optionalTime,
  number: text,
})

/** The standard API's item, for its `unitPrice`. */
export const standardItem = z.looseObject({number: text, unitPrice: optionalNumber})

export type PriceListHeader = z.output<typeof priceListHeader>
export type PriceListLine = z.output<typeof priceListLine>
export type CustomerPricing = z.output<typeof customerPricing>
