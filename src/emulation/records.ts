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

/** A price list as the CMS stores it (platform contract, "CMS: price lists and rows"), without its sync times. */
export interface PlatformPriceListJson {
  priceListCode: string
  description: string | null
  kind: 'standard' | 'action'
  currency: string | null
  pricesIncludeVat: boolean
  active: boolean
}

/** One price row as the CMS stores it, without its sync time. */
export interface PlatformPriceRowJson {
  priceListCode: string
  itemCode: string
  unit: string
  currency: string
  fromQuantity: number
  price: number
  validFrom: string | null
  validTo: string | null
}

/** A customer's pricing profile as the `customers` run writes it, without its times. */
export interface PlatformPricingJson {
  customerCode: string
  priceListCode: string | null
  effectivePriceListCode: string | null
  actionPriceListCode: string | null
  discountPercent: number
  discountGroupCode: string | null
  currency: string | null
  hidePrices: boolean
}

export interface PlatformDiscountGroupJson {
  discountGroupCode: string
  description: string | null
  rules: Array<{
    itemCode: string | null
    fromQuantity: number
    percent: number
    validFrom: string | null
    validTo: string | null
  }>
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
