import type {z} from 'zod'

import type {CanonicalAddress, CanonicalCustomer} from '../../model/customer.js'
import type {ErpCustomerRecord} from '../erp.js'
import {type PlainKind, plainFlat} from '../plain.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import * as schemas from './schemas.js'

/** A Business Central customer and its ship-to addresses as one canonical record (lookups and listings alike). */

const system = 'Business Central'
type Customer = z.output<typeof schemas.customer>
type ShipTo = z.output<typeof schemas.shipTo>

const noPriceGroup = {
  field: 'priceListCode',
  reason: "Business Central's standard API v2.0 has no customer price group; the CMS keeps its own setting",
}
const noShipToRoute = {
  field: 'addresses.Delivery',
  from: 'addresses.Invoice',
  reason:
    "this Business Central has no ship-to route (the platform's AL extension answered 404), so the CMS writes the customer's own address as its main Delivery address",
}

/** The fields of a customer and a ship-to address as their schemas read them, for the plain reader of listings. */
const plainCustomerFields: Record<string, PlainKind> = {
  addressLine1: 'text',
  addressLine2: 'text',
  blocked: 'text',
  city: 'text',
  country: 'text',
  displayName: 'text',
  email: 'text',
  id: 'text',
  lastModifiedDateTime: 'time',
  number: 'key',
  phoneNumber: 'text',
  postalCode: 'text',
  salespersonCode: 'text',
  type: 'text',
}
const plainShipToFields: Record<string, PlainKind> = {
  addressLine1: 'text',
  addressLine2: 'text',
  city: 'text',
  country: 'text',
  countryRegionCode: 'text',
  customerNumber: 'text',
  isDefault: 'flag',
  lastModifiedDateTime: 'time',
  postalCode: 'text',
}

function isBlocked(value: string | null): boolean | null {
  if (value === null) return null
  const text = value.trim()
  return text !== '' && text !== '_x0020_'
}

function invoiceAddress(entity: Customer): CanonicalAddress {
  return {
    addressLine1: entity.addressLine1 ?? '',
    addressLine2: entity.addressLine2 ?? '',
    city: entity.city ?? '',
    countryCode: entity.country ?? '',
    isMain: true,
    postCode: entity.postalCode ?? '',
    type: 'Invoice',
  }
}

/** The customer's own ship-tos as Delivery addresses; the only one is the main one unless BC says which is. */
function deliveryAddresses(ownShipTos: ShipTo[]): CanonicalAddress[] {
  return ownShipTos.map((shipTo) => ({
    addressLine1: shipTo.addressLine1 ?? '',
    addressLine2: shipTo.addressLine2 ?? '',
    city: shipTo.city ?? '',
    countryCode: shipTo.countryRegionCode ?? shipTo.country ?? '',
    isMain: shipTo.isDefault ?? ownShipTos.length === 1,
    postCode: shipTo.postalCode ?? '',
    type: 'Delivery',
  }))
}

function canonicalCustomer(entity: Customer, ownShipTos: ShipTo[]): CanonicalCustomer {
  const salesperson = entity.salespersonCode
  return {
    addresses: [invoiceAddress(entity), ...deliveryAddresses(ownShipTos)],
    blocked: isBlocked(entity.blocked),
    code: entity.number,
    email: entity.email,
    isPrivate: entity.type === null ? null : entity.type === 'Person',
    name: entity.displayName,
    phone: entity.phoneNumber,
    // Standard API v2.0 exposes no customer price group: not compared.
    priceListCode: null,
    salesRepCodes: salesperson === null ? null : salesperson.trim() === '' ? [] : [salesperson.trim()],
  }
}

/** The latest change of the customer or one of its ship-tos. */
function latestChange(entity: Customer, ownShipTos: ShipTo[]): Date | null {
  const times = [entity.lastModifiedDateTime, ...ownShipTos.map((shipTo) => shipTo.lastModifiedDateTime)].filter(
    (time): time is Date => time !== null,
  )
  return times.length > 0 ? new Date(Math.max(...times.map((time) => time.getTime()))) : null
}

/** `rawShipTos` is null when this Business Central has no ship-to route (no platform extension). */
export function toRecord(raw: JsonObject, rawShipTos: JsonObject[] | null): ErpCustomerRecord {
  const entity =
    plainFlat<Customer>(raw, plainCustomerFields) ?? parseAnswer(schemas.customer, raw, system, 'the customer')
  const shipTos =
    rawShipTos?.map(
      (shipTo) =>
        plainFlat<ShipTo>(shipTo, plainShipToFields) ??
        parseAnswer(schemas.shipTo, shipTo, system, 'a ship-to address'),
    ) ?? null
  const ownShipTos = (shipTos ?? []).filter((shipTo) => shipTo.customerNumber === entity.number)
  return {
    customer: canonicalCustomer(entity, ownShipTos),
    derived: shipTos ? [] : [noShipToRoute],
    erpId: entity.id,
    modifiedAt: latestChange(entity, ownShipTos),
    notSupplied: [noPriceGroup],
  }
}
