import type {BookedOrder, SourceCustomer, SourceItem} from '../../../emulation/erp-emulator.js'
import {mapAddresses, type PlatformCustomerJson, type PlatformItemJson} from '../../../emulation/records.js'
import type {FortnoxState, Json} from './emulator-state.js'

/** The platform's records in Fortnox's wire form (`Customer`, `Article`, `Order`), and back as the CMS's connector reads them. */

const swedishCountryNames: Record<string, string> = {
  DK: 'Danmark',
  FI: 'Finland',
  IE: 'Irland',
  NO: 'Norge',
  SE: 'Sverige',
}

/**
 * The platform's customer as Fortnox holds it: `{"Customer": …}` fields, the country by name and code. Text
 * fields are strings, empty ones `""`, as Fortnox's specification declares them (never null).
 */
export function toFortnoxCustomer(record: PlatformCustomerJson): Json {
  const address = (type: string) => record.addresses.find((entry) => entry.addressType === type && entry.isMain)
  const invoice = address('Invoice')
  const delivery = address('Delivery')
  const orEmpty = (value: string | null | undefined) => value ?? ''
  // Fields the specification gives a minimum length are left out when empty (no address, no country).
  return withoutEmpty(['Address1', 'CountryCode', 'DeliveryCountryCode'], {
    '@url': `https://api.fortnox.se/3/customers/${encodeURIComponent(record.customerCode)}`,
    Active: !record.blocked,
    Address1: orEmpty(invoice?.addressLine1),
    Address2: orEmpty(invoice?.addressLine2),
    City: orEmpty(invoice?.city),
    Comments: '',
    Country: invoice ? (swedishCountryNames[invoice.countryCode] ?? invoice.countryCode) : '',
    CountryCode: orEmpty(invoice?.countryCode),
    Currency: 'SEK',
    CustomerNumber: record.customerCode,
    DeliveryAddress1: orEmpty(delivery?.addressLine1),
    DeliveryAddress2: orEmpty(delivery?.addressLine2),
    DeliveryCity: orEmpty(delivery?.city),
    DeliveryCountry: delivery ? (swedishCountryNames[delivery.countryCode] ?? delivery.countryCode) : '',
    DeliveryCountryCode: orEmpty(delivery?.countryCode),
    DeliveryName: delivery ? record.name : '',
    DeliveryZipCode: orEmpty(delivery?.postCode),
    Email: orEmpty(record.email),
    Name: record.name,
    OrganisationNumber: '',
    OurReference: record.salesRepCodes[0] ?? '',
    Phone1: orEmpty(record.phone),
    PriceList: orEmpty(record.priceListCode),
    TermsOfPayment: '30',
    Type: record.isPrivate ? 'PRIVATE' : 'COMPANY',
    VATType: 'SEVAT',
    WWW: '',
    YourReference: '',
    ZipCode: orEmpty(invoice?.postCode),
  })
}

function withoutEmpty(fields: string[], record: Json): Json {
  return Object.fromEntries(
    Object.entries(record).filter(([field, value]) => !(fields.includes(field) && value === '')),
  )
}

/** An item as a Fortnox `Article`. */
export function toFortnoxArticle(item: PlatformItemJson): Json {
  return {
    '@url': `https://api.fortnox.se/3/articles/${encodeURIComponent(item.itemCode)}`,
    Active: item.active,
    ArticleNumber: item.itemCode,
    Description: item.description,
    DisposableQuantity: item.stock,
    EAN: '',
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

/** A booked order as a Fortnox `Order` (the platform's order number in ExternalInvoiceReference1). */
export function toFortnoxOrder(order: BookedOrder): Json {
  return {
    Cancelled: false,
    CustomerName: order.customerName,
    CustomerNumber: order.customerCode,
    DocumentNumber: order.documentNumber,
    ExternalInvoiceReference1: order.orderNr,
    OrderDate: order.orderDate,
    Sent: false,
    Total: order.total,
    YourOrderNumber: order.yourReference,
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** The platform's customer from a Fortnox `Customer`. */
function customerFromFortnox(customer: Json, previous: Json | undefined): PlatformCustomerJson {
  const hasDelivery = Boolean(customer.DeliveryAddress1 || customer.DeliveryCity)
  return {
    addresses: mapAddresses(
      {
        addressLine1: text(customer.Address1),
        addressLine2: text(customer.Address2),
        city: text(customer.City),
        countryCode: text(customer.CountryCode),
        postCode: text(customer.ZipCode),
      },
      hasDelivery
        ? [
            {
              addressLine1: text(customer.DeliveryAddress1),
              addressLine2: text(customer.DeliveryAddress2),
              city: text(customer.DeliveryCity),
              countryCode: text(customer.DeliveryCountryCode),
              isMain: true,
              postCode: text(customer.DeliveryZipCode),
            },
          ]
        : [],
    ),
    blocked: customer.Active === false,
    customerCode: text(customer.CustomerNumber),
    email: text(customer.Email),
    isPrivate: customer.Type === 'PRIVATE',
    name: text(customer.Name),
    phone: text(customer.Phone1),
    priceListCode:
      text(customer.PriceList) || (typeof previous?.priceListCode === 'string' ? previous.priceListCode : 'A'),
    salesRepCodes: text(customer.OurReference) ? [text(customer.OurReference)] : [],
  }
}

/**
 * Fortnox records carry no change time (the sandbox keeps one only for the lastmodified filter). The
 * platform lists Fortnox customers with filter=active: an inactive one is never read.
 */
export function sourceCustomers(fortnox: FortnoxState, previous: (code: string) => Json | undefined): SourceCustomer[] {
  return fortnox.customers
    .filter(({record}) => record.Active !== false)
    .map(({record}) => {
      const code = String(record.CustomerNumber)
      return {code, modifiedAt: null, problem: null, record: customerFromFortnox(record, previous(code))}
    })
}

export function sourceItems(fortnox: FortnoxState, previous: (code: string) => Json | undefined): SourceItem[] {
  return fortnox.articles.map(({record}) => {
    const before = previous(String(record.ArticleNumber))
    return {
      code: String(record.ArticleNumber),
      modifiedAt: null,
      record: {
        active: record.Active === true,
        currency: before?.currency ?? 'SEK',
        description: record.Description,
        itemCode: String(record.ArticleNumber),
        price: record.SalesPrice,
        stock: record.DisposableQuantity,
        unit: record.Unit,
        webshop: record.WebshopArticle === true,
      },
    }
  })
}
