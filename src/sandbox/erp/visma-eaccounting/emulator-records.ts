import {createHash} from 'node:crypto'

import type {BookedOrder, SourceCustomer, SourceItem} from '../../../emulation/erp-emulator.js'
import type {PlatformAddressJson, PlatformCustomerJson, PlatformItemJson} from '../../../emulation/records.js'
import type {Json} from './emulator-state.js'

/** The platform's records in eAccounting's wire form, and what the platform's connector reads back from them. */

const statuses: Record<string, number> = {Draft: 1, Invoiced: 4, Ongoing: 2, Open: 2, Shipped: 3}

export function guid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function main(addresses: PlatformAddressJson[], type: string): PlatformAddressJson | undefined {
  return (
    addresses.find((address) => address.addressType === type && address.isMain) ??
    addresses.find((address) => address.addressType === type)
  )
}

/** A platform-shaped customer in eAccounting's `CustomerApi` form: one invoice and at most one delivery address. */
export function toWireCustomer(customer: PlatformCustomerJson, modifiedAt: string): Json {
  const invoice = main(customer.addresses, 'Invoice')
  const given = main(customer.addresses, 'Delivery')
  // eAccounting keeps the Delivery* fields only when they differ from the invoice address.
  const sameAsInvoice = (address: PlatformAddressJson) =>
    invoice !== undefined &&
    (['addressLine1', 'addressLine2', 'postCode', 'city', 'countryCode'] as const).every(
      (field) => address[field] === invoice[field],
    )
  const delivery = given && !sameAsInvoice(given) ? given : undefined
  return {
    ChangedUtc: modifiedAt,
    ContactPersonName: null,
    CorporateIdentityNumber: null,
    CurrencyCode: 'SEK',
    CustomerNumber: customer.customerCode,
    DeliveryAddress1: delivery?.addressLine1 ?? null,
    DeliveryAddress2: delivery?.addressLine2 || null,
    DeliveryCity: delivery?.city ?? null,
    DeliveryCountryCode: delivery?.countryCode ?? null,
    DeliveryCustomerName: delivery ? customer.name : null,
    DeliveryPostalCode: delivery?.postCode ?? null,
    EmailAddress: customer.email || null,
    Id: guid('customer', customer.customerCode),
    InvoiceAddress1: invoice?.addressLine1 ?? null,
    InvoiceAddress2: invoice?.addressLine2 || null,
    InvoiceCity: invoice?.city ?? '',
    InvoiceCountryCode: invoice?.countryCode ?? null,
    InvoicePostalCode: invoice?.postCode ?? '',
    IsActive: !customer.blocked,
    IsPrivatePerson: customer.isPrivate,
    MobilePhone: null,
    Name: customer.name,
    Telephone: customer.phone || null,
    TermsOfPaymentId: guid('terms', '30'),
  }
}

/** What the platform's eAccounting connector writes to the CMS for a customer it read. */
function toPlatform(entry: Json, previous: Json | undefined): PlatformCustomerJson {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const own = {
    addressLine1: text(entry.InvoiceAddress1),
    addressLine2: text(entry.InvoiceAddress2),
    city: text(entry.InvoiceCity),
    countryCode: text(entry.InvoiceCountryCode),
    postCode: text(entry.InvoicePostalCode),
  }
  const hasDelivery = Boolean(entry.DeliveryAddress1 || entry.DeliveryCity || entry.DeliveryPostalCode)
  const delivery = hasDelivery
    ? {
        addressLine1: text(entry.DeliveryAddress1),
        addressLine2: text(entry.DeliveryAddress2),
        city: text(entry.DeliveryCity),
        countryCode: text(entry.DeliveryCountryCode),
        postCode: text(entry.DeliveryPostalCode),
      }
    : own
  const previousReps = previous?.salesRepCodes
  return {
    addresses: [
      {...own, addressType: 'Invoice', isMain: true},
      {...delivery, addressType: 'Delivery', isMain: true},
    ],
    // eAccounting has no blocked flag, sales rep or price list code: the CMS keeps its own settings.
    blocked: previous?.blocked === true,
    customerCode: text(entry.CustomerNumber),
    email: text(entry.EmailAddress),
    isPrivate: entry.IsPrivatePerson === true,
    name: text(entry.Name),
    phone: text(entry.Telephone),
    priceListCode: typeof previous?.priceListCode === 'string' ? previous.priceListCode : '',
    salesRepCodes: Array.isArray(previousReps)
      ? previousReps.filter((rep): rep is string => typeof rep === 'string')
      : [],
  }
}

/** An item as eAccounting's `ArticleApi`: net and gross price (25 % VAT), the stock balance. */
export function toWireArticle(item: PlatformItemJson, modifiedAt: string): Json {
  return {
    ChangedUtc: modifiedAt,
    CodingId: guid('coding', 'goods-25'),
    CreatedUtc: modifiedAt,
    GrossPrice: Math.round(item.price * 125) / 100,
    Id: guid('article', item.itemCode),
    IsActive: item.active,
    IsStock: true,
    Name: item.description,
    NetPrice: item.price,
    Number: item.itemCode,
    SendToWebshop: item.webshop,
    StockBalance: item.stock,
    StockBalanceAvailable: item.stock,
    StockBalanceManuallyChangedUtc: null,
    StockBalanceReserved: 0,
    UnitAbbreviation: item.unit,
    UnitId: guid('unit', item.unit),
    UnitName: item.unit,
  }
}

/** `GET /v2/companysettings` as the 2026 specification's `CompanySettingsApi`, its required address included. */
export function companySettings(state: {companyName: string; organisationNumber: string}): Json {
  return {
    Address1: 'Storgatan 1',
    Address2: null,
    City: 'Stockholm',
    CorporateIdentityNumber: state.organisationNumber,
    CountryCode: 'SE',
    CurrencyCode: 'SEK',
    Name: state.companyName,
    PostalCode: '111 22',
  }
}

/** A booked order as eAccounting's `OrderApi`, naming its customer by eAccounting's id. */
export function toWireOrder(order: BookedOrder, customer: Json | undefined): Json {
  return {
    Amount: Math.round(order.total * 100) / 100,
    CreatedUtc: order.modifiedAt,
    CurrencyCode: 'SEK',
    CustomerId: customer?.Id ?? guid('customer', order.customerCode),
    EuThirdParty: false,
    Id: guid('order', order.documentNumber),
    InvoiceCustomerName: order.customerName ?? customer?.Name ?? null,
    ModifiedUtc: order.modifiedAt,
    Number: Number(order.documentNumber),
    // The 2026 specification: a date-time (eAccounting answers the day at midnight).
    OrderDate: /^\d{4}-\d{2}-\d{2}$/.test(order.orderDate) ? `${order.orderDate}T00:00:00Z` : order.orderDate,
    // The platform's connector writes its order number where eAccounting keeps "our reference".
    OurReference: order.orderNr,
    ReverseChargeOnConstructionServices: false,
    RotReducedInvoicingType: 0,
    Rows: [],
    Status: statuses[order.status] ?? 2,
    YourReference: order.yourReference,
  }
}

/** What a customer sync reads of an active customer: CustomerCode and CustomerName are mandatory. */
export function sourceCustomer(entry: Json, previous: (code: string) => Json | undefined): SourceCustomer {
  const code = String(entry.CustomerNumber ?? '')
  if (!entry.Name)
    return {
      code,
      modifiedAt: entry.ChangedUtc,
      problem: 'CustomerCode and CustomerName are mandatory: the record was logged as invalid and skipped',
      record: null,
    }
  return {code, modifiedAt: entry.ChangedUtc, problem: null, record: toPlatform(entry, previous(code))}
}

/** What an item sync reads of an article. An article has no currency: the CMS keeps its own. */
export function sourceItem(entry: Json, previous: Json | undefined): SourceItem {
  const code = String(entry.Number)
  return {
    code,
    modifiedAt: entry.ChangedUtc,
    record: {
      active: entry.IsActive === true,
      currency: previous?.currency ?? 'SEK',
      description: entry.Name,
      itemCode: code,
      price: entry.NetPrice,
      stock: entry.StockBalanceAvailable,
      unit: entry.UnitAbbreviation,
      webshop: entry.SendToWebshop === true,
    },
  }
}
