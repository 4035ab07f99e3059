import {z} from 'zod'

import type {CanonicalAddress, CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {optionalFlag, optionalNumber, optionalText, text} from '../schema.js'

/**
 * Fortnox API v3 answers as zod schemas (field names from the official OpenAPI spec), mapped to the
 * canonical records. Empty Fortnox fields are `null` although the spec types them as strings.
 */

const customer = z.looseObject({
  Active: optionalFlag,
  Address1: optionalText,
  Address2: optionalText,
  City: optionalText,
  Country: optionalText,
  CountryCode: optionalText,
  CustomerNumber: text,
  DeliveryAddress1: optionalText,
  DeliveryAddress2: optionalText,
  DeliveryCity: optionalText,
  DeliveryCountry: optionalText,
  DeliveryCountryCode: optionalText,
  DeliveryZipCode: optionalText,
  Email: optionalText,
  Name: optionalText,
  OurReference: optionalText,
  Phone1: optionalText,
  PriceList: optionalText,
  Type: optionalText,
  ZipCode: optionalText,
})

function toCanonicalCustomer(entry: z.output<typeof customer>): CanonicalCustomer {
  const value = (field: string | null) => field ?? ''
  const addresses: CanonicalAddress[] = []
  if (entry.Address1 || entry.City)
    addresses.push({
      addressLine1: value(entry.Address1),
      addressLine2: value(entry.Address2),
      city: value(entry.City),
      countryCode: entry.CountryCode || value(entry.Country),
      isMain: true,
      postCode: value(entry.ZipCode),
      type: 'Invoice',
    })
  if (entry.DeliveryAddress1 || entry.DeliveryCity)
    addresses.push({
      addressLine1: value(entry.DeliveryAddress1),
      addressLine2: value(entry.DeliveryAddress2),
      city: value(entry.DeliveryCity),
      // Compare on the code: Country holds the name in Swedish ("Sverige").
      countryCode: entry.DeliveryCountryCode || value(entry.DeliveryCountry),
      isMain: true,
      postCode: value(entry.DeliveryZipCode),
      type: 'Delivery',
    })
  const rep = value(entry.OurReference)
  return {
    addresses,
    blocked: null,
    code: entry.CustomerNumber,
    // Fortnox's text fields are strings, "" when empty: no value, as null.
    email: entry.Email || null,
    isPrivate: entry.Type ? entry.Type.toUpperCase() === 'PRIVATE' : null,
    name: entry.Name,
    phone: entry.Phone1 || null,
    priceListCode: entry.PriceList || null,
    // The platform reads the customer manager from OurReference (one of its settings).
    salesRepCodes: rep === '' ? [] : [rep],
  }
}

/** `GET /3/customers/{CustomerNumber}` → `{"Customer": …}`, with whether Fortnox marks it inactive. */
export const customerAnswer = z
  .looseObject({Customer: customer})
  .transform((body) => ({active: body.Customer.Active, customer: toCanonicalCustomer(body.Customer)}))

/** `GET /3/articles/{ArticleNumber}` → `{"Article": …}`. */
export const articleAnswer = z
  .looseObject({
    Article: z.looseObject({
      Active: optionalFlag,
      ArticleNumber: text,
      Description: optionalText,
      DisposableQuantity: optionalNumber,
      QuantityInStock: optionalNumber,
      SalesPrice: optionalNumber,
      Unit: optionalText,
      WebshopArticle: optionalFlag,
    }),
  })
  .transform(
    ({Article: article}): CanonicalItem => ({
      active: article.Active,
      code: article.ArticleNumber,
      currency: null,
      description: article.Description,
      price: article.SalesPrice,
      // The platform's connector shows DisposableQuantity when no warehouse is set up.
      stock: article.DisposableQuantity ?? article.QuantityInStock,
      unit: article.Unit,
      webshop: article.WebshopArticle,
    }),
  )

/** A list answer (`{"Customers": […], "MetaInformation": …}`): the key of every entry. */
export function listKeys(envelope: string, keyField: string) {
  return z
    .looseObject({[envelope]: z.array(z.looseObject({[keyField]: text}))})
    .transform((body) => (body[envelope] as Array<Record<string, string>>).map((entry) => entry[keyField] as string))
}

export const orderList = z
  .looseObject({Orders: z.array(z.looseObject({DocumentNumber: optionalText}))})
  .transform((body) => body.Orders.map((order) => order.DocumentNumber))

export const orderAnswer = z
  .looseObject({
    Order: z.looseObject({
      Cancelled: optionalFlag,
      CustomerNumber: optionalText,
      DocumentNumber: text,
      ExternalInvoiceReference1: optionalText,
      Sent: optionalFlag,
      YourOrderNumber: optionalText,
    }),
  })
  .transform(({Order: order}) => ({
    customerCode: order.CustomerNumber,
    documentNumber: order.DocumentNumber,
    externalReference: order.ExternalInvoiceReference1 || order.YourOrderNumber,
    modifiedAt: null,
    status: order.Cancelled ? 'Cancelled' : order.Sent ? 'Sent' : 'Open',
  }))

export const companyAnswer = z
  .looseObject({CompanyInformation: z.looseObject({CompanyName: optionalText, OrganizationNumber: optionalText})})
  .transform((body) => body.CompanyInformation)
