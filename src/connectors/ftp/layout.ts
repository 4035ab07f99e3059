import type {CanonicalAddress, CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {exportFlag, exportNumber, type PriceExport} from './layouts/types.js'

/**
 * The platform's default export layout (shared/contracts/ftp-layouts.md): `customers.csv` columns, and
 * the element names of Winbas-style `customers.xml`, mapped to those columns.
 */
export const defaultCustomerFiles = ['customers.csv', 'customers.xml']
export const defaultItemFiles = ['items.csv', 'items.xml']

/** The contract's price export: `pricelists.csv` (or `pricelists.xml`, element names as the columns), `discountgroups.csv`. */
export const genericPriceExport: PriceExport = {
  customerRename: {},
  discountGroupFiles: ['discountgroups.csv'],
  notSupplied: [],
  priceListFiles: ['pricelists.csv', 'pricelists.xml'],
  xmlElement: 'Price',
  xmlRename: {},
}

/** `<Items><Item><ItemCode>…`: the other element names are the items.csv column names. */
export const xmlItemElementNames: Record<string, string> = {
  Active: 'active',
  Currency: 'currency',
  Description: 'description',
  ItemCode: 'itemcode',
  LastAvailableStock: 'lastavailablestock',
  LastModified: 'lastmodified',
  SalesPrice: 'salesprice',
  Unit: 'unit',
  Webshop: 'webshop',
}

export const xmlCustomerElementNames: Record<string, string> = {
  Name: 'CustomerName',
  Number: 'CustomerCode',
  SalesmanCode: 'CustomerManager',
}

/**
 * Why the CMS never reads an export row, as the row shows it: the layout's own reason (Monitor: no
 * `vatincluded`), else its inactive mark (`~` before the code, an item's `active` 0). A trace's lookup and
 * reconcile's listing both say it this way.
 */
export function exportRowSkippedBecause(
  row: {inactive: boolean; skippedBecause: string | null},
  file: string,
): string | null {
  return (
    row.skippedBecause ??
    (row.inactive
      ? `marked inactive in ${file} (a ~ before its code, or active 0): the CMS reads only active rows`
      : null)
  )
}

/** `~10042` is customer 10042, marked inactive. */
export function exportKeyMatches(value: string | undefined, key: string): boolean {
  const code = (value ?? '').trim()
  return code === key || code === `~${key}`
}

const flag = exportFlag

function address(fields: Record<string, string>, prefix: 'Invoice' | 'Delivery'): CanonicalAddress | null {
  const value = (name: string) => (fields[`${prefix}${name}`] ?? '').trim()
  if (!value('Address1') && !value('City') && !value('PostCode')) return null
  return {
    addressLine1: value('Address1'),
    addressLine2: value('Address2'),
    city: value('City'),
    countryCode: value('Country'),
    isMain: true,
    postCode: value('PostCode'),
    type: prefix,
  }
}

/** A `customers.csv` row (or a mapped XML element) as the canonical customer. */
export function customerFromExport(fields: Record<string, string>): {
  customer: CanonicalCustomer
  inactive: boolean
  lastModified: string | null
} {
  const rawCode = (fields.CustomerCode ?? '').trim()
  const rep = (fields.CustomerManager ?? '').trim()
  return {
    customer: {
      addresses: [address(fields, 'Invoice'), address(fields, 'Delivery')].filter(
        (entry): entry is CanonicalAddress => entry !== null,
      ),
      blocked: flag(fields.Blocked),
      code: rawCode.replace(/^~/, ''),
      email: fields.Email?.trim() ?? null,
      isPrivate: flag(fields.IsPrivate),
      name: fields.CustomerName?.trim() ?? null,
      phone: fields.Phone?.trim() ?? null,
      priceListCode: fields.PriceList === undefined ? null : fields.PriceList.trim(),
      salesRepCodes: rep === '' ? [] : [rep],
    },
    inactive: rawCode.startsWith('~'),
    lastModified: fields.LastModified?.trim() || null,
  }
}

/** An `items.csv` row (or a mapped XML element) as the canonical item; an empty currency is EUR. */
export function itemFromExport(
  fields: Record<string, string>,
  decimal: string,
): {value: CanonicalItem; inactive: boolean; lastModified: string | null} {
  const rawCode = (fields.itemcode ?? '').trim()
  const active = flag(fields.active)
  return {
    inactive: rawCode.startsWith('~') || active === false,
    lastModified: fields.lastmodified?.trim() || null,
    value: {
      active,
      code: rawCode.replace(/^~/, ''),
      currency: (fields.currency ?? '').trim() || 'EUR',
      description: fields.description?.trim() ?? null,
      price: exportNumber(fields.salesprice, decimal),
      stock: exportNumber(fields.lastavailablestock, decimal),
      unit: fields.unit?.trim() ?? null,
      webshop: flag(fields.webshop),
    },
  }
}
