import {addressTypeFrom, type CanonicalAddress, type CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {asObject, type JsonObject, optionalBoolean, optionalNumber, optionalString, requiredString, stringList} from '../validate.js'

/** The platform's customer shape (CMS, and the `record` the app and webshop were published) to canonical. */
export function platformCustomerToCanonical(body: unknown, system: string): CanonicalCustomer {
  const record = asObject(body, system, 'the customer')
  const addresses: CanonicalAddress[] = []
  const rawAddresses = record.addresses
  if (Array.isArray(rawAddresses)) {
    for (const raw of rawAddresses) {
      if (!raw || typeof raw !== 'object') continue
      const address = raw as JsonObject
      const type = addressTypeFrom(address.addressType)
      if (!type) continue
      addresses.push({
        addressLine1: optionalString(address, 'addressLine1') ?? '',
        addressLine2: optionalString(address, 'addressLine2') ?? '',
        city: optionalString(address, 'city') ?? '',
        countryCode: optionalString(address, 'countryCode') ?? '',
        isMain: optionalBoolean(address, 'isMain') ?? false,
        postCode: optionalString(address, 'postCode') ?? '',
        type,
      })
    }
  }
  return {
    addresses: Array.isArray(rawAddresses) ? addresses : null,
    blocked: optionalBoolean(record, 'blocked'),
    code: requiredString(record, 'customerCode', system, 'the customer'),
    email: optionalString(record, 'email'),
    isPrivate: optionalBoolean(record, 'isPrivate'),
    name: optionalString(record, 'name'),
    phone: optionalString(record, 'phone'),
    priceListCode: optionalString(record, 'priceListCode'),
    salesRepCodes: stringList(record, 'salesRepCodes'),
  }
}

/** The platform's item shape (CMS, and the `record` the app was published) to canonical. */
export function platformItemToCanonical(body: unknown, system: string): CanonicalItem {
  const record = asObject(body, system, 'the item')
  return {
    active: optionalBoolean(record, 'active'),
    code: requiredString(record, 'itemCode', system, 'the item'),
    currency: optionalString(record, 'currency'),
    description: optionalString(record, 'description'),
    price: optionalNumber(record, 'price'),
    stock: optionalNumber(record, 'stock'),
    unit: optionalString(record, 'unit'),
    webshop: optionalBoolean(record, 'webshop'),
  }
}
