import {itemFromExport, xmlItemElementNames} from '../layout.js'
import {exportText, type FtpLayout, notRead, outboundFolder, type PriceExport} from './types.js'

/**
 * Winbas (connectors.md §4.1): one windows-1252 XML file of customers and one of items, their names the
 * connector's settings "Customer filename" (`_customers.xml`) and "Item filename"; orders and new customers
 * as Winbas XML files the CMS uploads for Winbas to import.
 */
const customerElements: Readonly<Record<string, string>> = {
  Name: 'CustomerName',
  Number: 'CustomerCode',
  Phone: 'Phone',
  SalesmanCode: 'CustomerManager',
}

/** What the CMS's Winbas customer sync reads: Number, Name, SalesmanCode, Phone (and fields synctrace does not compare). */
const notReadFromWinbas = notRead(
  ['email', 'isPrivate', 'blocked', 'priceListCode', 'addresses'],
  "the CMS's Winbas customer sync does not read it from the customer file (its UsesPriceField is a hash of the price-list codes, not a code)",
)

/**
 * Winbas prices: the reference names no price file (connectors.md §4.1 is truncated there). Read as
 * `_pricelists.xml` beside `_customers.xml`, windows-1252, the contract's Winbas-style elements; a customer's
 * default price-list code in `PriceList` and its discount in `GeneralDiscount` (the CMS's `Discount`).
 */
const winbasPrices: PriceExport = {
  customerRename: {GeneralDiscount: 'Discount'},
  discountGroupFiles: [],
  notSupplied: notRead(
    [
      'pricing.actionPriceListCode',
      'pricing.discountGroupCode',
      'pricing.currency',
      'pricing.hidePrices',
      'discountGroup',
    ],
    "the CMS's Winbas customer sync reads the price list and GeneralDiscount only (item class discounts are not per item)",
  ),
  priceListFiles: ['_pricelists.xml'],
  xmlElement: 'Price',
  xmlRename: {},
}

export const winbasLayout: FtpLayout = {
  csvEncoding: 'windows-1252',
  customers: {
    defaultFiles: ['_customers.xml'],
    keyColumn: 'CustomerCode',
    map: (fields) => {
      const rawCode = (fields.CustomerCode ?? '').trim()
      const rep = (fields.CustomerManager ?? '').trim()
      return {
        inactive: rawCode.startsWith('~'),
        // Winbas writes no change time per customer: only the file's time tells when it exported.
        lastModified: null,
        notSupplied: notReadFromWinbas,
        skippedBecause: null,
        value: {
          addresses: null,
          blocked: null,
          code: rawCode.replace(/^~/, ''),
          email: null,
          isPrivate: null,
          name: exportText(fields.CustomerName),
          phone: exportText(fields.Phone),
          priceListCode: null,
          salesRepCodes: rep === '' ? [] : [rep],
        },
      }
    },
    xmlElement: 'Customer',
    xmlRename: customerElements,
  },
  description: 'Winbas (_customers.xml, _items.xml in windows-1252; Orders/{OrderNr}.xml)',
  id: 'winbas',
  items: {
    defaultFiles: ['_items.xml'],
    keyColumn: 'itemcode',
    // The item file's element names are the contract's Winbas-style ones (the items.csv names).
    map: (fields, {decimal}) => ({...itemFromExport(fields, decimal), notSupplied: [], skippedBecause: null}),
    xmlElement: 'Item',
    xmlRename: xmlItemElementNames,
  },
  newCustomers: outboundFolder('Customers', '.xml'),
  orders: outboundFolder('Orders', '.xml'),
  prices: winbasPrices,
  xmlEncoding: 'windows-1252',
}
