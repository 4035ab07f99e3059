/** The platform contract's JSON for customers and items, as the sandbox's CMS, app and webshop hold them. */

type Json = Record<string, unknown>

export interface PlatformAddressJson {
  addressType: string
  isMain: boolean
  addressLine1: string
  addressLine2: string
  postCode: string
  city: string
  countryCode: string
}

export interface PlatformCustomerJson extends Json {
  customerCode: string
  name: string
  email: string
  phone: string
  isPrivate: boolean
  blocked: boolean
  salesRepCodes: string[]
  priceListCode: string
  addresses: PlatformAddressJson[]
}

export interface PlatformItemJson extends Json {
  itemCode: string
  description: string
  unit: string
  price: number
  currency: string
  stock: number
  active: boolean
  webshop: boolean
}

type Address = PlatformCustomerJson['addresses'][number]

/**
 * The contract's address mapping ("How the CMS maps ERP records"), the same for every source: the
 * customer's own address is the main Invoice address; each delivery address the source has is a Delivery
 * address (the default one isMain); a customer without any also gets its own address as main Delivery.
 */
export function mapAddresses(
  own: Omit<Address, 'addressType' | 'isMain'>,
  deliveries: Array<Omit<Address, 'addressType'>>,
): Address[] {
  const invoice: Address = {...own, addressType: 'Invoice', isMain: true}
  if (deliveries.length === 0) return [invoice, {...own, addressType: 'Delivery', isMain: true}]
  return [invoice, ...deliveries.map((delivery) => ({...delivery, addressType: 'Delivery'}))]
}
