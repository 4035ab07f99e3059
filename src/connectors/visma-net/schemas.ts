import {z} from 'zod'

import type {CanonicalAddress, CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {optionalNumber, optionalText, text} from '../schema.js'

/**
 * Visma.net ERP API v1 answers as zod schemas (camelCase DTOs: `CustomerDto`, `InventoryDto`,
 * `SalesOrderDto`), mapped to the canonical records. Lists are bare JSON arrays; each entry may carry
 * `metadata: {totalCount, maxPageSize}`.
 */

/**
 * A Visma.net time. The DTOs write ISO 8601; a time without an offset is read as UTC (see
 * docs/contract-readings.md), never as the local time of whoever runs synctrace.
 */
export const vismaTime = z
  .string()
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined || value.trim() === '') return null
    const iso = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value.trim())
      ? `${value.trim().replace(' ', 'T')}Z`
      : value
    const parsed = new Date(iso)
    if (Number.isNaN(parsed.getTime())) {
      context.addIssue({code: 'custom', message: `"${value.slice(0, 40)}" is not a time`})
      return z.NEVER
    }
    return parsed
  })

const idPair = z.looseObject({id: optionalText}).nullish()

const address = z
  .looseObject({
    addressLine1: optionalText,
    addressLine2: optionalText,
    city: optionalText,
    country: z.looseObject({id: optionalText, name: optionalText}).nullish(),
    postalCode: optionalText,
  })
  .nullish()

const contact = z.looseObject({email: optionalText, phone1: optionalText}).nullish()

export const customerStatuses = ['Active', 'OnHold', 'CreditHold', 'Inactive', 'OneTime'] as const

export const customer = z.looseObject({
  deliveryAddress: address,
  internalId: z.union([z.number(), z.string()]).nullish(),
  lastModifiedDateTime: vismaTime,
  mainAddress: address,
  mainContact: contact,
  name: optionalText,
  number: text,
  priceClass: idPair,
  status: z.enum(customerStatuses).nullish(),
})

export type VismaCustomer = z.output<typeof customer>

function toAddress(entry: NonNullable<z.output<typeof address>>, type: CanonicalAddress['type']): CanonicalAddress {
  return {
    addressLine1: entry.addressLine1 ?? '',
    addressLine2: entry.addressLine2 ?? '',
    city: entry.city ?? '',
    // The country object's id is the ISO-2 code; its name is in the company's language.
    countryCode: entry.country?.id ?? entry.country?.name ?? '',
    isMain: true,
    postCode: entry.postalCode ?? '',
    type,
  }
}

const filled = (entry: z.output<typeof address>) => Boolean(entry && (entry.addressLine1 || entry.city))

/** The canonical customer: mainAddress is its own (Invoice) address, deliveryAddress its one Delivery address. */
export function toCanonicalCustomer(entry: VismaCustomer): CanonicalCustomer {
  const addresses: CanonicalAddress[] = []
  if (entry.mainAddress && filled(entry.mainAddress)) addresses.push(toAddress(entry.mainAddress, 'Invoice'))
  if (entry.deliveryAddress && filled(entry.deliveryAddress))
    addresses.push(toAddress(entry.deliveryAddress, 'Delivery'))
  return {
    addresses,
    blocked: null,
    code: entry.number,
    email: entry.mainContact?.email ?? null,
    isPrivate: null,
    name: entry.name,
    phone: entry.mainContact?.phone1 ?? null,
    priceListCode: entry.priceClass?.id ?? null,
    salesRepCodes: null,
  }
}

export const customerList = z.array(customer)

export const inventoryStatuses = [
  'Active',
  'Inactive',
  'NoSales',
  'NoPurchases',
  'NoRequest',
  'MarkedForDeletion',
] as const

export const inventory = z.looseObject({
  baseUnit: optionalText,
  defaultPrice: optionalNumber,
  description: optionalText,
  inventoryId: z.union([z.number(), z.string()]).nullish(),
  inventoryNumber: text,
  lastModifiedDateTime: vismaTime,
  salesUnit: optionalText,
  status: z.enum(inventoryStatuses).nullish(),
  warehouseDetails: z
    .array(
      z.looseObject({
        available: optionalNumber,
        lastModifiedDateTime: vismaTime,
        quantityOnHand: optionalNumber,
        warehouse: optionalText,
      }),
    )
    .nullish(),
})

export type VismaInventory = z.output<typeof inventory>

/**
 * The canonical item. Stock is what the warehouses the platform reads hold available (all of them when
 * none is configured); the change time is the latest of the item's and its warehouse rows', since a stock
 * movement changes only the warehouse row. The stock's own change time is the latest of the rows it is read
 * from (null when one of them has none).
 */
export function toCanonicalItem(
  entry: VismaInventory,
  warehouses: readonly string[],
): {item: CanonicalItem; modifiedAt: Date | null; stockModifiedAt: Date | null} {
  const rows = (entry.warehouseDetails ?? []).filter(
    (row) => warehouses.length === 0 || (row.warehouse !== null && warehouses.includes(row.warehouse)),
  )
  const stocks = rows
    .map((row) => row.available ?? row.quantityOnHand)
    .filter((value): value is number => value !== null)
  const times = [
    entry.lastModifiedDateTime,
    ...(entry.warehouseDetails ?? []).map((row) => row.lastModifiedDateTime),
  ].filter((time): time is Date => time !== null)
  return {
    item: {
      // Sales are possible only for an Active item; NoSales, Inactive and MarkedForDeletion are not sold.
      active:
        entry.status === null || entry.status === undefined
          ? null
          : entry.status === 'Active' || entry.status === 'NoPurchases' || entry.status === 'NoRequest',
      code: entry.inventoryNumber,
      currency: null,
      description: entry.description,
      price: entry.defaultPrice,
      stock:
        entry.warehouseDetails === null || entry.warehouseDetails === undefined
          ? null
          : Math.round(stocks.reduce((sum, value) => sum + value, 0) * 1000) / 1000,
      unit: entry.salesUnit ?? entry.baseUnit,
      webshop: null,
    },
    modifiedAt: times.length === 0 ? null : new Date(Math.max(...times.map((time) => time.getTime()))),
    stockModifiedAt:
      rows.length === 0 || rows.some((row) => row.lastModifiedDateTime === null)
        ? null
        : new Date(Math.max(...rows.map((row) => (row.lastModifiedDateTime as Date).getTime()))),
  }
}

export const inventoryList = z.array(inventory)

export const salesOrder = z
  .looseObject({
    customer: z.looseObject({number: optionalText}).nullish(),
    customerOrder: optionalText,
    customerRefNo: optionalText,
    hold: z.boolean().nullish(),
    lastModifiedDateTime: vismaTime,
    orderNo: text,
    orderType: optionalText,
    status: optionalText,
  })
  .transform((order) => ({
    customerCode: order.customer?.number ?? null,
    documentNumber: order.orderNo,
    externalReference: order.customerOrder,
    modifiedAt: order.lastModifiedDateTime,
    orderType: order.orderType,
    status: order.hold ? 'Hold' : order.status,
  }))

export const salesOrderList = z.array(
  z.looseObject({customerOrder: optionalText, orderNo: text, orderType: optionalText}),
)

/** The Visma Connect token endpoint's answer. */
export const tokenAnswer = z.looseObject({access_token: z.string().min(1), expires_in: z.number().nullish()})

/** `GET /v1/branch` (the ERP service API's `BranchDto`): the company's branches, its main one first among equals. */
export const branches = z.array(
  z.looseObject({isMainBranch: z.boolean().nullish(), name: optionalText, number: optionalText}),
)

/** One page of a list: a bare array of DTOs. */
export const listPage = z.array(z.looseObject({}))

/** A page's `metadata` (`totalCount`, `maxPageSize`), read from its first entry; null where the API gives none. */
export function pageMetadata(page: ReadonlyArray<Record<string, unknown>>): {
  maxPageSize: number | null
  totalCount: number | null
} {
  const metadata = page[0]?.metadata
  const field = (name: string) => {
    const value = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[name] : undefined
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null
  }
  return {maxPageSize: field('maxPageSize'), totalCount: field('totalCount')}
}
