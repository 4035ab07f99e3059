import {z} from 'zod'

import type {CanonicalAddress, CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {optionalFlag, optionalNumber, optionalText, optionalTime, text} from '../schema.js'

/**
 * NetSuite SuiteTalk REST answers (record API v1 and SuiteQL) as zod schemas, mapped to the canonical
 * records. Record fields are camelCase; SuiteQL columns come back lower-case, booleans as 'T'/'F'.
 */

const link = z.looseObject({href: z.string(), rel: z.string()})

/** A collection or SuiteQL page: `links`, `count`, `hasMore`, `offset`, `totalResults`, `items`. */
export const page = z.looseObject({
  count: optionalNumber,
  hasMore: optionalFlag,
  items: z.array(z.looseObject({})),
  links: z.array(link).nullish(),
  offset: optionalNumber,
  totalResults: optionalNumber,
})

/** A record collection's entry: `{"links": [...], "id": "107"}`. */
export const collectionEntry = z.looseObject({id: text})

/** A reference to another record: `{"links": [...], "id": "8", "refName": "Base Price"}`. */
const reference = z
  .looseObject({id: optionalText, refName: optionalText})
  .nullish()
  .transform((value) => value ?? null)

/** An enumeration: `"SE"`, or `{"id": "SE", "refName": "Sweden"}`. */
const enumeration = z
  .union([text, z.looseObject({id: optionalText, refName: optionalText})])
  .nullish()
  .transform((value) =>
    value === null || value === undefined ? null : typeof value === 'string' ? value : (value.id ?? value.refName),
  )

/** SuiteQL's booleans: 'T' / 'F' (and true / false). */
export const suiteqlFlag = z
  .union([z.enum(['T', 'F']), z.boolean()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : value === true || value === 'T'))

const addressFields = z.looseObject({
  addr1: optionalText,
  addr2: optionalText,
  city: optionalText,
  country: enumeration,
  zip: optionalText,
})

/** One line of the address book: the address subrecord under `addressbookaddress` or `addressBookAddress`. */
const addressBookLine = z
  .looseObject({
    addressBookAddress: addressFields.nullish(),
    addressbookaddress: addressFields.nullish(),
    defaultBilling: optionalFlag,
    defaultShipping: optionalFlag,
  })
  .transform((line) => ({
    address: line.addressbookaddress ?? line.addressBookAddress ?? null,
    defaultBilling: line.defaultBilling === true,
    defaultShipping: line.defaultShipping === true,
  }))

/** The address book sublist, expanded (`{"items": [...]}`); without `expandSubResources` only its links. */
const addressBook = z
  .looseObject({items: z.array(addressBookLine).nullish()})
  .nullish()
  .transform((value) => value?.items ?? null)

const customerRecord = z.looseObject({
  addressBook,
  addressbook: addressBook,
  companyName: optionalText,
  email: optionalText,
  entityId: text,
  firstName: optionalText,
  id: optionalText,
  isInactive: optionalFlag,
  isPerson: optionalFlag,
  lastModifiedDate: optionalTime,
  lastName: optionalText,
  phone: optionalText,
  priceLevel: reference,
  salesRep: reference,
})

function canonicalAddress(
  fields: z.output<typeof addressFields>,
  type: CanonicalAddress['type'],
  isMain: boolean,
): CanonicalAddress {
  return {
    addressLine1: fields.addr1 ?? '',
    addressLine2: fields.addr2 ?? '',
    city: fields.city ?? '',
    countryCode: fields.country ?? '',
    isMain,
    postCode: fields.zip ?? '',
    type,
  }
}

/**
 * `GET /record/v1/customer/{id}?expandSubResources=true`. The default billing address is the customer's own
 * (main Invoice) address; every address book line that is the default shipping address or no default at all
 * is a Delivery address, the default shipping one main. A line that is only the default billing address is
 * not a delivery address: the CMS then derives the main Delivery address from the own address.
 */
export const customer = customerRecord.transform((record) => {
  const lines = (record.addressbook ?? record.addressBook ?? []).filter((line) => line.address !== null)
  const billing = lines.find((line) => line.defaultBilling) ?? lines[0]
  const addresses: CanonicalAddress[] = []
  if (billing?.address) addresses.push(canonicalAddress(billing.address, 'Invoice', true))
  for (const line of lines)
    if (line.address && (line.defaultShipping || (!line.defaultBilling && line !== billing)))
      addresses.push(canonicalAddress(line.address, 'Delivery', line.defaultShipping))
  const personName = [record.firstName, record.lastName].filter((part) => part && part.trim() !== '').join(' ')
  const rep = record.salesRep?.refName?.trim() ?? ''
  const canonical: CanonicalCustomer = {
    addresses,
    // NetSuite customers have no blocked flag (an inactive one is never read by the platform).
    blocked: null,
    code: record.entityId,
    email: record.email,
    isPrivate: record.isPerson,
    name: record.companyName?.trim() || personName || null,
    phone: record.phone,
    // A customer without a price level keeps the CMS's own setting.
    priceListCode: record.priceLevel?.refName ?? null,
    salesRepCodes: record.salesRep === null ? [] : rep === '' ? [] : [rep],
  }
  return {customer: canonical, id: record.id, inactive: record.isInactive === true, modifiedAt: record.lastModifiedDate}
})

/** SuiteQL `SELECT item.id, item.itemid, item.itemtype ... FROM item`: the record type of each item. */
export const itemRow = z.looseObject({id: text, itemid: text, itemtype: optionalText})

/** SuiteQL `... FROM customer`: the internal id and entity id. */
export const customerRow = z.looseObject({entityid: text, id: text})

const priceLine = z.looseObject({
  price: optionalNumber,
  priceLevel: reference,
  quantity: z
    .union([optionalNumber, z.looseObject({value: optionalNumber})])
    .nullish()
    .transform((value) =>
      value === null || value === undefined ? 0 : typeof value === 'number' ? value : (value.value ?? 0),
    ),
})

/** `GET /record/v1/{inventoryItem|nonInventorySaleItem|...}/{id}?expandSubResources=true`. */
export function item(basePriceLevel: string) {
  return z
    .looseObject({
      displayName: optionalText,
      id: optionalText,
      isInactive: optionalFlag,
      isOnline: optionalFlag,
      itemId: text,
      lastModifiedDate: optionalTime,
      locations: z
        .looseObject({items: z.array(z.looseObject({quantityAvailable: optionalNumber})).nullish()})
        .nullish(),
      price: z.looseObject({items: z.array(priceLine).nullish()}).nullish(),
      saleUnit: reference,
      salesDescription: optionalText,
    })
    .transform((record) => {
      // The base price level's price for the smallest quantity (the pricing matrix's first column).
      const base = (record.price?.items ?? [])
        .filter((line) => line.priceLevel?.refName === basePriceLevel && line.price !== null)
        .sort((a, b) => a.quantity - b.quantity)[0]
      const locations = record.locations?.items ?? null
      const canonical: CanonicalItem = {
        active: record.isInactive === null ? null : !record.isInactive,
        code: record.itemId,
        // The pricing matrix is in the company's base currency, which the item does not name.
        currency: null,
        description: record.displayName ?? record.salesDescription,
        price: base?.price ?? null,
        stock: locations ? locations.reduce((sum, location) => sum + (location.quantityAvailable ?? 0), 0) : null,
        unit: record.saleUnit?.refName ?? null,
        webshop: record.isOnline,
      }
      return {
        erpId: record.id,
        hasPrice: base !== undefined,
        hasStock: locations !== null,
        item: canonical,
        modifiedAt: record.lastModifiedDate,
      }
    })
}

/** `GET /record/v1/salesOrder/{id}`: the number, the platform's reference, the customer, the status. */
export const salesOrder = z
  .looseObject({
    entity: reference,
    externalId: optionalText,
    lastModifiedDate: optionalTime,
    otherRefNum: optionalText,
    status: enumeration,
    tranId: text,
  })
  .transform((record) => ({
    customerId: record.entity?.id ?? null,
    documentNumber: record.tranId,
    externalReference: record.externalId,
    modifiedAt: record.lastModifiedDate,
    status: record.status,
  }))

/** `GET /record/v1/subsidiary/{id}`: the company's name. */
export const subsidiary = z.looseObject({legalName: optionalText, name: optionalText})

/** The OAuth 2.0 token endpoint's answer. */
export const tokenAnswer = z
  .looseObject({access_token: z.string().min(1), expires_in: optionalNumber})
  .transform((body) => ({accessToken: body.access_token, expiresInSeconds: body.expires_in ?? 3600}))

/** An error body: `{"type", "title", "status", "o:errorDetails": [{"detail", "o:errorCode", ...}]}`. */
export const errorBody = z.looseObject({
  'o:errorDetails': z.array(z.looseObject({detail: optionalText, 'o:errorCode': optionalText})).nullish(),
  title: optionalText,
})
