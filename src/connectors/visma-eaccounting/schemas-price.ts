import {z} from 'zod'

import {optionalFlag, optionalNumber, optionalText, text} from '../schema.js'
import {utcTime} from './schemas.js'

/**
 * Visma eAccounting API v2 price answers (Pro variant companies; the 2026 OpenAPI document's
 * `SalesPriceListApi`, `SalesPriceListRowApi`, `DiscountAgreementApi`, the pricing fields of `CustomerApi`
 * and of `ArticleApi` read with `customerId`). A price row has no quantity and no validity date.
 */

const uuid = optionalText

/** The customer's pricing fields and its ids (`customers?$filter=CustomerNumber eq '…'`). */
export const customerPricing = z.looseObject({
  ChangedUtc: utcTime,
  CurrencyCode: optionalText,
  CustomerNumber: text,
  DiscountAgreementId: uuid,
  DiscountPercentage: optionalNumber,
  Id: text,
  SalesPriceListId: uuid,
})

export type CustomerPricing = z.output<typeof customerPricing>

/** `GET /v2/salespricelists/{id}` (and an entry of the list). `Number` is the platform's list code. */
export const salesPriceList = z.looseObject({
  ChangedUtc: utcTime,
  CurrencyCode: optionalText,
  Id: text,
  IsActive: optionalFlag,
  Name: optionalText,
  Number: z.number().int(),
})

export type SalesPriceList = z.output<typeof salesPriceList>

/** `GET /v2/salespricelists/prices/{listId}/{articleId}` (and an entry of the paged rows). */
export const salesPriceListRow = z.looseObject({
  ArticleId: text,
  ChangedUtc: utcTime,
  CurrencyCode: optionalText,
  NetPrice: z.number().finite(),
  SalesPriceListId: text,
})

export type SalesPriceListRow = z.output<typeof salesPriceListRow>

/** `GET /v2/discountagreements/{id}`: the header only (the agreement's rules are not in the API). */
export const discountAgreement = z.looseObject({
  ChangedUtc: utcTime,
  Id: text,
  Name: optionalText,
  Number: z.number().int(),
})

/** `GET /v2/articles/{id}?customerId=…`: the article's prices by the customer's list and discount agreement. */
export const customerArticle = z.looseObject({
  CurrencyCode: optionalText,
  DiscountPercentage: optionalNumber,
  NetPrice: z.number().finite(),
  NetPriceWithDiscount: optionalNumber,
})
