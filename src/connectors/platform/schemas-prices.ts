import {z} from 'zod'

import {optionalFlag, optionalNumber, optionalText, optionalTextList, optionalTime, text} from '../schema.js'

/**
 * The platform contract's prices (shared/contracts/platform-api.md, "Prices: customer-specific pricing"): the
 * CMS's price lists, rows, pricing profiles, discount groups and resolved prices, the app backend's published
 * forms and the webshop's customer price. Absent and null are the same; `""` as a list code means no list.
 */

/** A date without a time, `yyyy-MM-dd`, or null (open-ended). */
export const optionalDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, {message: 'is not a yyyy-MM-dd date'})
  .nullish()
  .transform((value) => value ?? null)

/** A list or group code: `null` and `""` both mean none. */
const optionalCode = optionalText.transform((value) => (value === null || value.trim() === '' ? null : value))

const amount = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*$/)
    .transform(Number),
])

export const priceList = z
  .looseObject({
    active: optionalFlag,
    currency: optionalCode,
    description: optionalText,
    erpModifiedAt: optionalTime,
    kind: z.enum(['standard', 'action']).nullish(),
    priceListCode: text,
    priceListId: optionalNumber,
    pricesIncludeVat: optionalFlag,
    syncedAt: optionalTime,
  })
  .transform((body) => ({
    active: body.active ?? true,
    currency: body.currency,
    description: body.description,
    erpModifiedAt: body.erpModifiedAt,
    kind: body.kind ?? 'standard',
    priceListCode: body.priceListCode,
    priceListId: body.priceListId,
    pricesIncludeVat: body.pricesIncludeVat ?? false,
    syncedAt: body.syncedAt,
  }))

export const priceRow = z
  .looseObject({
    currency: text,
    erpModifiedAt: optionalTime,
    fromQuantity: optionalNumber,
    itemCode: text,
    price: amount,
    priceListCode: text,
    syncedAt: optionalTime,
    unit: text,
    validFrom: optionalDay,
    validTo: optionalDay,
  })
  .transform((row) => ({...row, fromQuantity: row.fromQuantity ?? 0}))

export const priceRows = z.looseObject({next: optionalText, prices: z.array(priceRow)})

export const pricing = z
  .looseObject({
    actionPriceListCode: optionalCode,
    currency: optionalCode,
    customerCode: text,
    discountGroupCode: optionalCode,
    discountPercent: optionalNumber,
    effectivePriceListCode: optionalCode,
    erpModifiedAt: optionalTime,
    hidePrices: optionalFlag,
    priceListCode: optionalCode,
    priceListId: optionalNumber,
    syncedAt: optionalTime,
  })
  .transform((body) => ({
    actionPriceListCode: body.actionPriceListCode,
    currency: body.currency,
    customerCode: body.customerCode,
    discountGroupCode: body.discountGroupCode,
    discountPercent: body.discountPercent ?? 0,
    // Without deduplication the list used is the customer's own.
    effectivePriceListCode: body.effectivePriceListCode ?? body.priceListCode,
    erpModifiedAt: body.erpModifiedAt,
    hidePrices: body.hidePrices ?? false,
    priceListCode: body.priceListCode,
    priceListId: body.priceListId,
    syncedAt: body.syncedAt,
  }))

const discountRule = z
  .looseObject({
    fromQuantity: optionalNumber,
    itemCode: optionalCode,
    percent: amount,
    validFrom: optionalDay,
    validTo: optionalDay,
  })
  .transform((rule) => ({...rule, fromQuantity: rule.fromQuantity ?? 0}))

export const discountGroup = z.looseObject({
  description: optionalText,
  discountGroupCode: text,
  erpModifiedAt: optionalTime,
  rules: z
    .array(discountRule)
    .nullish()
    .transform((rules) => rules ?? []),
  syncedAt: optionalTime,
})

const listSource = z.enum(['priceList', 'actionPriceList', 'itemBasePrice', 'none'])
const discountSource = z.enum(['discountGroup', 'customer', 'none'])

const resolvedFields = {
  basePrice: optionalNumber,
  currency: optionalCode,
  discountPercent: optionalNumber,
  discountSource: discountSource.nullish(),
  hidePrices: optionalFlag,
  listPrice: optionalNumber,
  listSource,
  netPrice: optionalNumber,
  priceListCode: optionalCode,
  pricesIncludeVat: optionalFlag,
  row: z
    .looseObject({fromQuantity: optionalNumber, validFrom: optionalDay, validTo: optionalDay})
    .nullish()
    .transform((row) => (row ? {...row, fromQuantity: row.fromQuantity ?? 0} : null)),
  unit: optionalText,
}

const toResolved = (body: z.infer<z.ZodObject<typeof resolvedFields>>) => ({
  basePrice: body.basePrice,
  currency: body.currency,
  discountPercent: body.discountPercent ?? 0,
  discountSource: body.discountSource ?? 'none',
  hidePrices: body.hidePrices ?? false,
  listPrice: body.listPrice,
  listSource: body.listSource,
  netPrice: body.netPrice,
  priceListCode: body.priceListCode,
  pricesIncludeVat: body.pricesIncludeVat ?? false,
  row: body.row,
  unit: body.unit,
})

export const resolvedPrice = z.looseObject(resolvedFields).transform(toResolved)

/** The app backend's resolve: the CMS shape plus the publish times of its inputs. */
export const appResolvedPrice = z
  .looseObject({
    ...resolvedFields,
    publishedAt: z
      .looseObject({
        actionPriceListRows: optionalTime,
        customer: optionalTime,
        discountGroup: optionalTime,
        item: optionalTime,
        priceListRows: optionalTime,
      })
      .nullish(),
  })
  .transform((body) => ({
    price: toResolved(body),
    publishedAt: {
      actionPriceListRows: body.publishedAt?.actionPriceListRows ?? null,
      customer: body.publishedAt?.customer ?? null,
      discountGroup: body.publishedAt?.discountGroup ?? null,
      item: body.publishedAt?.item ?? null,
      priceListRows: body.publishedAt?.priceListRows ?? null,
    },
  }))

export const appPricing = z.looseObject({
  publishedAt: optionalTime,
  record: pricing,
  visibleToUserIds: optionalTextList.transform((ids) => ids ?? []),
})

export const appPriceRows = z.looseObject({
  publishedAt: optionalTime,
  record: z.looseObject({prices: z.array(priceRow)}),
})

export const appDiscountGroup = z.looseObject({publishedAt: optionalTime, record: discountGroup})

export const webshopPrice = z
  .looseObject({
    currency: optionalCode,
    discountPercent: optionalNumber,
    hidePrices: optionalFlag,
    listPrice: optionalNumber,
    listSource: listSource.nullish(),
    netPrice: optionalNumber,
    priceListCode: optionalCode,
    pricesIncludeVat: optionalFlag,
    publishedAt: optionalTime,
    visible: optionalFlag,
  })
  .transform((body) => ({
    currency: body.currency,
    discountPercent: body.discountPercent ?? 0,
    hidePrices: body.hidePrices ?? false,
    listPrice: body.listPrice,
    listSource: body.listSource ?? null,
    netPrice: body.netPrice,
    priceListCode: body.priceListCode,
    pricesIncludeVat: body.pricesIncludeVat ?? false,
    publishedAt: body.publishedAt,
    visible: body.visible,
  }))
