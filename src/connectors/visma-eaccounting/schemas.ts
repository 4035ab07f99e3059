import {z} from 'zod'

import type {CanonicalAddress, CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {optionalFlag, optionalNumber, optionalText, text} from '../schema.js'

/**
 * Visma eAccounting API v2 answers as zod schemas (PascalCase field names of its swagger `CustomerApi`,
 * `ArticleApi`, `OrderApi`), mapped to the canonical records. Lists come in the `{"Meta", "Data"}` envelope.
 */

/**
 * A `…Utc` time. eAccounting writes them in UTC, with or without the `Z` (and with fractions of a second):
 * a time without an offset is read as UTC, as its name says.
 */
export const utcTime = z
  .string()
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined || value.trim() === '') return null
    const withOffset = /(Z|[+-]\d\d:?\d\d)$/i.test(value.trim()) ? value.trim() : `${value.trim()}Z`
    const parsed = new Date(withOffset)
    if (!/^\d{4}-\d\d-\d\dT/.test(value.trim()) || Number.isNaN(parsed.getTime())) {
      context.addIssue({code: 'custom', message: `"${value.slice(0, 40)}" is not a time`})
      return z.NEVER
    }
    return parsed
  })

/** `Meta` of a paginated answer (`PaginationMetadata`). */
const meta = z.looseObject({
  CurrentPage: z.number().int().nonnegative(),
  PageSize: z.number().int().nonnegative().nullish(),
  ServerTimeUtc: z.string().nullish(),
  TotalNumberOfPages: z.number().int().nonnegative(),
  TotalNumberOfResults: z.number().int().nonnegative().nullish(),
})

/** `{"Meta": {...}, "Data": [...]}`: the entries stay raw, each is checked by its own schema. */
export const page = z.looseObject({Data: z.array(z.looseObject({})), Meta: meta})

export const customer = z.looseObject({
  CustomerNumber: text,
  DeliveryAddress1: optionalText,
  DeliveryAddress2: optionalText,
  DeliveryCity: optionalText,
  DeliveryCountryCode: optionalText,
  DeliveryPostalCode: optionalText,
  EmailAddress: optionalText,
  Id: optionalText,
  InvoiceAddress1: optionalText,
  InvoiceAddress2: optionalText,
  InvoiceCity: optionalText,
  InvoiceCountryCode: optionalText,
  InvoicePostalCode: optionalText,
  IsActive: optionalFlag,
  IsPrivatePerson: optionalFlag,
  Name: optionalText,
  Telephone: optionalText,
  ChangedUtc: utcTime,
})

export type VismaCustomer = z.output<typeof customer>

const value = (field: string | null) => field ?? ''

/**
 * The invoice address is the customer's own (main Invoice) address; the one `Delivery*` set, when the
 * customer has one ("only used if it differs from the invoice address"), its main Delivery address.
 */
export function toCanonicalCustomer(entry: VismaCustomer): CanonicalCustomer {
  const addresses: CanonicalAddress[] = []
  if (entry.InvoiceAddress1 || entry.InvoiceCity || entry.InvoicePostalCode)
    addresses.push({
      addressLine1: value(entry.InvoiceAddress1),
      addressLine2: value(entry.InvoiceAddress2),
      city: value(entry.InvoiceCity),
      countryCode: value(entry.InvoiceCountryCode),
      isMain: true,
      postCode: value(entry.InvoicePostalCode),
      type: 'Invoice',
    })
  if (entry.DeliveryAddress1 || entry.DeliveryCity || entry.DeliveryPostalCode)
    addresses.push({
      addressLine1: value(entry.DeliveryAddress1),
      addressLine2: value(entry.DeliveryAddress2),
      city: value(entry.DeliveryCity),
      countryCode: value(entry.DeliveryCountryCode),
      isMain: true,
      postCode: value(entry.DeliveryPostalCode),
      type: 'Delivery',
    })
  return {
    addresses,
    // eAccounting has no blocked flag, no sales rep and no price list code on a customer: see notSupplied.
    blocked: null,
    code: entry.CustomerNumber,
    email: entry.EmailAddress,
    isPrivate: entry.IsPrivatePerson,
    name: entry.Name,
    phone: entry.Telephone,
    priceListCode: null,
    salesRepCodes: null,
  }
}

export const article = z.looseObject({
  ChangedUtc: utcTime,
  Id: optionalText,
  IsActive: optionalFlag,
  Name: optionalText,
  NetPrice: optionalNumber,
  Number: text,
  SendToWebshop: optionalFlag,
  StockBalance: optionalNumber,
  StockBalanceAvailable: optionalNumber,
  StockBalanceManuallyChangedUtc: utcTime,
  UnitAbbreviation: optionalText,
  UnitName: optionalText,
})

export type VismaArticle = z.output<typeof article>

export function toCanonicalItem(entry: VismaArticle): CanonicalItem {
  return {
    active: entry.IsActive,
    code: entry.Number,
    // An article has no currency: its prices are in the company's currency.
    currency: null,
    description: entry.Name,
    // The sales price before VAT; GrossPrice includes it.
    price: entry.NetPrice,
    // What can be sold: the balance less what open orders reserve.
    stock: entry.StockBalanceAvailable ?? entry.StockBalance,
    unit: entry.UnitAbbreviation ?? entry.UnitName,
    webshop: entry.SendToWebshop,
  }
}

/** The article's last change: its own, or a manual stock change (kept apart by eAccounting), whichever is newer. */
export function articleModifiedAt(entry: VismaArticle): Date | null {
  const times = [entry.ChangedUtc, entry.StockBalanceManuallyChangedUtc].filter((time): time is Date => time !== null)
  return times.length === 0 ? null : new Date(Math.max(...times.map((time) => time.getTime())))
}

const orderStatuses: Record<number, string> = {1: 'Draft', 2: 'Ongoing', 3: 'Shipped', 4: 'Invoiced'}

export const order = z
  .looseObject({
    CustomerId: optionalText,
    Id: optionalText,
    ModifiedUtc: utcTime,
    Number: z.number().int(),
    OurReference: optionalText,
    Status: z.number().int().nullish(),
    YourReference: optionalText,
  })
  .transform((entry) => ({
    ...entry,
    status:
      entry.Status === null || entry.Status === undefined
        ? null
        : (orderStatuses[entry.Status] ?? `status ${entry.Status}`),
  }))

export type VismaOrder = z.output<typeof order>

/** `GET /v2/companysettings`. */
export const companySettings = z.looseObject({
  CorporateIdentityNumber: optionalText,
  CurrencyCode: optionalText,
  Name: optionalText,
})

/** Visma Connect's token answer; the refresh token is a new one each time (the old one is spent). */
export const tokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().nullish(),
  refresh_token: z.string().min(1).nullish(),
  token_type: z.string().nullish(),
})
