/**
 * The canonical customer: what every hop's record is mapped to before comparison. A field that a hop does
 * not provide is `null` and is left out of the comparison for that hop (Business Central's standard API
 * has no price list, for example), so "not provided" is never reported as "different".
 */
export type AddressType = 'Invoice' | 'Delivery' | 'Visit'

export interface CanonicalAddress {
  type: AddressType
  isMain: boolean
  addressLine1: string
  addressLine2: string
  postCode: string
  city: string
  countryCode: string
}

export interface CanonicalCustomer {
  code: string
  name: string | null
  email: string | null
  phone: string | null
  isPrivate: boolean | null
  blocked: boolean | null
  salesRepCodes: string[] | null
  priceListCode: string | null
  addresses: CanonicalAddress[] | null
}

/** The main address of a type, or the first of that type when none is flagged main. */
export function mainAddressIn(addresses: CanonicalAddress[], type: AddressType): CanonicalAddress | undefined {
  const ofType = addresses.filter((address) => address.type === type)
  return ofType.find((address) => address.isMain) ?? ofType[0]
}

export function mainAddress(customer: CanonicalCustomer, type: AddressType): CanonicalAddress | undefined {
  return mainAddressIn(customer.addresses ?? [], type)
}

export function formatAddress(address: CanonicalAddress): string {
  return [address.addressLine1, address.addressLine2, `${address.postCode} ${address.city}`.trim(), address.countryCode]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(', ')
}

export function addressTypeFrom(value: unknown): AddressType | undefined {
  const text = String(value ?? '')
    .trim()
    .toLowerCase()
  if (['delivery', 'del', 'shipto', 'ship-to'].includes(text)) return 'Delivery'
  if (['invoice', 'inv', 'billing', 'postal'].includes(text)) return 'Invoice'
  if (['visit', 'vis', 'visiting'].includes(text)) return 'Visit'
  return undefined
}
