import {createHash} from 'node:crypto'

import type {PlatformCustomerJson, PlatformItemJson} from '../emulation/records.js'
import type {ErpProfile} from '../config/profile.js'
import type {BusinessCentralState} from './state.js'

/** The platform's records in Business Central's and Fortnox's wire forms, as their sandbox emulators serve them. */

type Json = Record<string, unknown>

const swedishCountryNames: Record<string, string> = {DK: 'Danmark', FI: 'Finland', IE: 'Irland', NO: 'Norge', SE: 'Sverige'}

/** The platform's customer as Fortnox holds it: `{"Customer": …}` fields, empty ones null, the country by name and code. */
export function toFortnoxCustomer(record: PlatformCustomerJson): Json {
  const address = (type: string) => record.addresses.find((entry) => entry.addressType === type && entry.isMain)
  const invoice = address('Invoice')
  const delivery = address('Delivery')
  const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value)
  return {
    '@url': `https://api.fortnox.se/3/customers/${encodeURIComponent(record.customerCode)}`,
    Active: !record.blocked,
    Address1: orNull(invoice?.addressLine1),
    Address2: orNull(invoice?.addressLine2),
    City: orNull(invoice?.city),
    Comments: null,
    Country: invoice ? (swedishCountryNames[invoice.countryCode] ?? invoice.countryCode) : null,
    CountryCode: orNull(invoice?.countryCode),
    Currency: 'SEK',
    CustomerNumber: record.customerCode,
    DeliveryAddress1: orNull(delivery?.addressLine1),
    DeliveryAddress2: orNull(delivery?.addressLine2),
    DeliveryCity: orNull(delivery?.city),
    DeliveryCountry: delivery ? (swedishCountryNames[delivery.countryCode] ?? delivery.countryCode) : null,
    DeliveryCountryCode: orNull(delivery?.countryCode),
    DeliveryName: delivery ? record.name : null,
    DeliveryZipCode: orNull(delivery?.postCode),
    Email: orNull(record.email),
    Name: record.name,
    OrganisationNumber: null,
    OurReference: record.salesRepCodes[0] ?? null,
    Phone1: orNull(record.phone),
    PriceList: record.priceListCode,
    TermsOfPayment: '30',
    Type: record.isPrivate ? 'PRIVATE' : 'COMPANY',
    VATType: 'SEVAT',
    WWW: null,
    YourReference: null,
    ZipCode: orNull(invoice?.postCode),
  }
}

/** A GUID that is the same for the same input, as BC's `id`s stay the same across restarts. */
export function stableGuid(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The platform's customer shape as Business Central holds it: a customer entity plus ship-to addresses. */
export function toBusinessCentral(record: PlatformCustomerJson, modifiedAt: string, state: BusinessCentralState): {customer: Json; shipTos: Json[]} {
  const invoice = record.addresses.find((address) => address.addressType === 'Invoice') ?? record.addresses[0]
  const customer: Json = {
    '@odata.etag': `W/"JzE5OzE${createHash('md5')
      .update(record.customerCode + modifiedAt)
      .digest('hex')
      .slice(0, 12)}Jw=="`,
    addressLine1: invoice?.addressLine1 ?? '',
    addressLine2: invoice?.addressLine2 ?? '',
    balanceDue: 0,
    blocked: record.blocked ? 'All' : ' ',
    city: invoice?.city ?? '',
    country: invoice?.countryCode ?? '',
    creditLimit: 0,
    currencyCode: 'SEK',
    currencyId: '00000000-0000-0000-0000-000000000000',
    displayName: record.name,
    email: record.email,
    id: stableGuid(state.companyId, 'customer', record.customerCode),
    lastModifiedDateTime: modifiedAt,
    number: record.customerCode,
    paymentMethodId: '00000000-0000-0000-0000-000000000000',
    paymentTermsId: stableGuid(state.companyId, 'paymentTerms', '30 DAYS'),
    phoneNumber: record.phone,
    postalCode: invoice?.postCode ?? '',
    salespersonCode: record.salesRepCodes[0] ?? '',
    shipmentMethodId: '00000000-0000-0000-0000-000000000000',
    state: '',
    taxAreaDisplayName: '',
    taxAreaId: '00000000-0000-0000-0000-000000000000',
    taxLiable: !record.isPrivate,
    taxRegistrationNumber: '',
    type: record.isPrivate ? 'Person' : 'Company',
    website: '',
  }
  const shipTos = record.addresses
    .filter((address) => address.addressType === 'Delivery')
    .map((address, index) => ({
      addressLine1: address.addressLine1,
      addressLine2: address.addressLine2,
      city: address.city,
      code: index === 0 ? 'MAIN' : `DEL${index}`,
      countryRegionCode: address.countryCode,
      customerNumber: record.customerCode,
      id: stableGuid(state.companyId, 'shipTo', record.customerCode, String(index)),
      isDefault: address.isMain,
      lastModifiedDateTime: modifiedAt,
      name: record.name,
      postalCode: address.postCode,
    }))
  return {customer, shipTos}
}

/** An item as Business Central's `items` entity. */
export function toBusinessCentralItem(item: PlatformItemJson, modifiedAt: string | null, companyId: string): Json {
  return {
    baseUnitOfMeasureCode: item.unit,
    blocked: !item.active,
    displayName: item.description,
    gtin: '',
    id: stableGuid(companyId, 'item', item.itemCode),
    inventory: item.stock,
    itemCategoryCode: '',
    lastModifiedDateTime: modifiedAt,
    number: item.itemCode,
    priceIncludesTax: false,
    type: 'Inventory',
    unitCost: 0,
    unitPrice: item.price,
  }
}

/** An item as a Fortnox `Article`. */
export function toFortnoxArticle(item: PlatformItemJson): Json {
  return {
    '@url': `https://api.fortnox.se/3/articles/${encodeURIComponent(item.itemCode)}`,
    Active: item.active,
    ArticleNumber: item.itemCode,
    Description: item.description,
    DisposableQuantity: item.stock,
    EAN: null,
    QuantityInStock: item.stock,
    ReservedQuantity: 0,
    SalesPrice: item.price,
    StockGoods: true,
    Type: 'STOCK',
    Unit: item.unit,
    VAT: 25,
    WebshopArticle: item.webshop,
  }
}

/** The profile's `erp` section that reaches a sandbox Business Central at `url` (its token endpoint there too). */
export function businessCentralProfile(bc: Pick<BusinessCentralState, 'clientId' | 'clientSecret' | 'companyId' | 'environment' | 'tenant'>, url: string): ErpProfile {
  return {
    clientId: bc.clientId,
    clientSecret: bc.clientSecret,
    companyId: bc.companyId,
    environment: bc.environment,
    system: 'businesscentral',
    tenant: bc.tenant,
    tokenUrl: `${url}/${bc.tenant}/oauth2/v2.0/token`,
    url,
  }
}
