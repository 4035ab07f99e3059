import {z} from 'zod'

import {addressTypeFrom, type CanonicalAddress, type CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {
  optionalErrorText,
  optionalFlag,
  optionalNumber,
  optionalText,
  optionalTextList,
  optionalTime,
  text,
} from '../schema.js'

/**
 * The platform contract's answers (shared/contracts/platform-api.md) as zod schemas, each mapped to the
 * types the rest of synctrace works with. Unknown fields are ignored; a known field of the wrong kind is
 * the hop's error, naming the field.
 */

const address = z.looseObject({
  addressLine1: optionalText,
  addressLine2: optionalText,
  addressType: z.unknown(),
  city: optionalText,
  countryCode: optionalText,
  isMain: optionalFlag,
  postCode: optionalText,
})

const customerFields = {
  addresses: z.array(z.unknown()).nullish(),
  blocked: optionalFlag,
  customerCode: text,
  email: optionalText,
  isPrivate: optionalFlag,
  name: optionalText,
  phone: optionalText,
  priceListCode: optionalText,
  salesRepCodes: optionalTextList,
}

function toCanonicalCustomer(record: z.output<z.ZodObject<typeof customerFields>>): CanonicalCustomer {
  const addresses: CanonicalAddress[] = []
  for (const raw of record.addresses ?? []) {
    // Addresses of a type the contract does not know (or not objects at all) are not the customer's.
    const parsed = address.safeParse(raw)
    const type = parsed.success ? addressTypeFrom(parsed.data.addressType) : undefined
    if (!parsed.success || !type) continue
    const entry = parsed.data
    addresses.push({
      addressLine1: entry.addressLine1 ?? '',
      addressLine2: entry.addressLine2 ?? '',
      city: entry.city ?? '',
      countryCode: entry.countryCode ?? '',
      isMain: entry.isMain ?? false,
      postCode: entry.postCode ?? '',
      type,
    })
  }
  return {
    addresses: record.addresses ? addresses : null,
    blocked: record.blocked,
    code: record.customerCode,
    email: record.email,
    isPrivate: record.isPrivate,
    name: record.name,
    phone: record.phone,
    priceListCode: record.priceListCode,
    salesRepCodes: record.salesRepCodes,
  }
}

/** The platform's customer as published to the app and the webshop (`record`). */
export const platformCustomer = z.looseObject(customerFields).transform(toCanonicalCustomer)

/** The CMS's customer: the platform's shape plus where it came from and when the CMS wrote it. */
export const cmsCustomer = z
  .looseObject({...customerFields, erpModifiedAt: optionalTime, origin: z.unknown(), syncedAt: optionalTime})
  .transform((body) => ({
    customer: toCanonicalCustomer(body),
    erpModifiedAt: body.erpModifiedAt,
    origin:
      body.origin === 'app' ? ('app' as const) : body.origin === 'webshop' ? ('webshop' as const) : ('erp' as const),
    syncedAt: body.syncedAt,
  }))

const itemFields = {
  active: optionalFlag,
  currency: optionalText,
  description: optionalText,
  itemCode: text,
  price: optionalNumber,
  stock: optionalNumber,
  unit: optionalText,
  webshop: optionalFlag,
}

function toCanonicalItem(record: z.output<z.ZodObject<typeof itemFields>>): CanonicalItem {
  const {active, currency, description, itemCode, price, stock, unit, webshop} = record
  return {active, code: itemCode, currency, description, price, stock, unit, webshop}
}

/** The platform's item as published to the app (`record`). */
export const platformItem = z.looseObject(itemFields).transform(toCanonicalItem)

export const cmsItem = z
  .looseObject({...itemFields, erpModifiedAt: optionalTime, syncedAt: optionalTime})
  .transform((body) => ({
    erpModifiedAt: body.erpModifiedAt,
    item: toCanonicalItem(body),
    syncedAt: body.syncedAt,
  }))

export const cmsOrder = z
  .looseObject({
    channel: optionalText,
    createdAt: optionalTime,
    customerCode: optionalText,
    lines: z
      .array(
        z.looseObject({
          discount: optionalNumber,
          itemCode: optionalText,
          lineNo: optionalNumber,
          price: optionalNumber,
          quantity: optionalNumber,
        }),
      )
      .nullish(),
    orderDate: optionalText,
    orderNr: text,
    receivedAt: optionalTime,
    transfer: z
      .looseObject({
        attempts: optionalNumber,
        erpDocumentNumber: optionalText,
        error: optionalErrorText,
        file: optionalText,
        lastAttemptAt: optionalTime,
        status: optionalText,
      })
      .nullish(),
    yourReference: optionalText,
  })
  .transform((order) => {
    const transfer = order.transfer
    return {
      channel: order.channel ?? 'app',
      createdAt: order.createdAt,
      customerCode: order.customerCode ?? '',
      lines: (order.lines ?? []).map((line) => ({
        discount: line.discount ?? null,
        itemCode: line.itemCode ?? '',
        lineNo: line.lineNo ?? 0,
        price: line.price,
        quantity: line.quantity ?? 0,
      })),
      orderDate: order.orderDate,
      orderNr: order.orderNr,
      receivedAt: order.receivedAt,
      transfer: {
        attempts: transfer?.attempts ?? 0,
        erpDocumentNumber: transfer?.erpDocumentNumber ?? null,
        error: transfer?.error ?? null,
        file: transfer?.file ?? null,
        lastAttemptAt: transfer?.lastAttemptAt ?? null,
        status: transfer?.status ?? 'unknown',
      },
      yourReference: order.yourReference,
    }
  })
/** `{record, publishedAt, …}` as the app backend and the webshop answer for one published record. */
export const publishedCustomer = z.looseObject({
  accounts: z.array(z.looseObject({active: optionalFlag, login: optionalText})).nullish(),
  publishedAt: optionalTime,
  record: platformCustomer,
  visibleToUserIds: optionalTextList,
})

export const publishedItem = z.looseObject({publishedAt: optionalTime, record: platformItem})

export const webshopItem = z.looseObject({
  itemCode: text,
  price: optionalNumber,
  publishedAt: optionalTime,
  stock: optionalNumber,
  visible: optionalFlag,
})

export const webshopOrder = z.looseObject({handedToCmsAt: optionalTime, orderNr: text, placedAt: optionalTime})

export * from './schemas-installation.js'
export * from './schemas-sync.js'
