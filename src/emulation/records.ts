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
