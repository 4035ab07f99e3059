import {z} from 'zod'

import {optionalFlag, optionalNumber, optionalText, text} from '../schema.js'
import {vismaTime} from './schemas.js'

/**
 * Visma.net's customer sales prices (`GET /v1/customerSalesPrice`, ScreenId AR202000; `CustomerSalesPriceDto`:
 * price type and code, item, unit, promotion, break quantity, price, currency, effective and expiration
 * dates, last change). Names are the camelCase of the generated clients (docs/contract-readings.md).
 */

/** `2026-11-01T00:00:00` (or with an offset) → `2026-11-01`: the day the ERP shows. */
const day = z
  .string()
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined || value.trim() === '') return null
    const match = /^(\d{4}-\d\d-\d\d)(?:[T ].*)?$/.exec(value.trim())
    if (!match) {
      context.addIssue({code: 'custom', message: `"${value.slice(0, 40)}" is not a date`})
      return z.NEVER
    }
    return match[1] as string
  })

export const customerSalesPrice = z.looseObject({
  breakQty: optionalNumber,
  currency: text,
  effectiveDate: day,
  expirationDate: day,
  inventoryId: text,
  lastModifiedDateTime: vismaTime,
  price: z.number().finite(),
  priceCode: optionalText,
  priceType: optionalText,
  promotion: optionalFlag,
  uoM: text,
})

export type CustomerSalesPrice = z.output<typeof customerSalesPrice>

/** The customer's price class (`GET /v1/customer/{number}`): the platform's price list. */
export const customerPriceClass = z.looseObject({
  lastModifiedDateTime: vismaTime,
  number: text,
  priceClass: z.looseObject({description: optionalText, id: optionalText}).nullish(),
})
