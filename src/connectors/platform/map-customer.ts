import {addressTypeFrom, type CanonicalAddress, type CanonicalCustomer} from '../../model/customer.js'
import {asObject, type JsonObject, optionalBoolean, optionalString, requiredString, stringList} from '../validate.js'

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
