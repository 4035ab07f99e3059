import {exportNumber, exportText, type FtpLayout, notRead, outboundFolder, type PriceExport} from './types.js'

/**
 * Monitor (connectors.md §4.2): `customers.xml` and `items.xml` with Monitor's lower-case element names;
 * orders as tab-delimited `orders/{OrderNr}.txt`, new customers as `customers/{CustomerCode}.xml`.
 */
const customerElements: Readonly<Record<string, string>> = {
  customercode: 'CustomerCode',
  customermanager: 'CustomerManager',
  customername: 'CustomerName',
  lastmodified: 'LastModified',
}

const itemElements: Readonly<Record<string, string>> = {ID: 'itemcode'}

const customersNotRead = notRead(
  ['email', 'phone', 'isPrivate', 'blocked', 'priceListCode', 'addresses'],
  "the CMS's Monitor customer sync does not read it from customers.xml",
)

const itemsNotRead = [
  ...notRead(['currency'], "the CMS's Monitor item sync takes the administration's currency, not a field of items.xml"),
  ...notRead(['stock', 'active', 'webshop'], "the CMS's Monitor item sync does not read it from items.xml"),
]

/**
 * Monitor prices: `customers.xml`'s `usesprice`, `actionpricelist`, `discount`, `hideprices` (connectors.md
 * §4.2) are the customer's pricing; the reference names no price-list file: read as `pricelists.xml`
 * (`<pricelists><price>`, the contract's columns in Monitor's lower case). No discount groups, no currency
 * per customer (the administration's).
 */
const monitorPrices: PriceExport = {
  customerRename: {
    actionpricelist: 'ActionPriceList',
    discount: 'Discount',
    hideprices: 'HidePrices',
    usesprice: 'PriceList',
  },
  discountGroupFiles: [],
  notSupplied: notRead(
    ['pricing.discountGroupCode', 'pricing.currency', 'discountGroup'],
    "the CMS's Monitor customer sync reads usesprice, actionpricelist, discount and hideprices only",
  ),
  priceListFiles: ['pricelists.xml'],
  xmlElement: 'price',
  xmlRename: {
    currency: 'Currency',
    description: 'Description',
    fromquantity: 'FromQuantity',
    itemcode: 'ItemCode',
    kind: 'Kind',
    lastmodified: 'LastModified',
    price: 'Price',
    pricelist: 'PriceList',
    unit: 'Unit',
    validfrom: 'ValidFrom',
    validto: 'ValidTo',
  },
}

export const monitorLayout: FtpLayout = {
  csvEncoding: 'utf-8',
  customers: {
    defaultFiles: ['customers.xml'],
    keyColumn: 'CustomerCode',
    map: (fields) => {
      const code = (fields.CustomerCode ?? '').trim()
      const rep = (fields.CustomerManager ?? '').trim()
      return {
        inactive: false,
        lastModified: fields.LastModified?.trim() || null,
        notSupplied: customersNotRead,
        skippedBecause: null,
        value: {
          addresses: null,
          blocked: null,
          code,
          email: null,
          isPrivate: null,
          name: exportText(fields.CustomerName),
          phone: null,
          priceListCode: null,
          salesRepCodes: rep === '' ? [] : [rep],
        },
      }
    },
    xmlElement: 'Customer',
    xmlRename: customerElements,
  },
  description: 'Monitor (customers.xml, items.xml; orders/{OrderNr}.txt tab-delimited, customers/{CustomerCode}.xml)',
  id: 'monitor',
  items: {
    defaultFiles: ['items.xml'],
    keyColumn: 'itemcode',
    map: (fields, {decimal}) => {
      return {
        inactive: false,
        lastModified: null,
        notSupplied: itemsNotRead,
        skippedBecause:
          fields.vatincluded === undefined || fields.vatincluded.trim() === ''
            ? "it has no vatincluded in items.xml: the CMS's Monitor item sync skips items without it"
            : null,
        value: {
          active: null,
          code: (fields.itemcode ?? '').trim(),
          currency: null,
          description: exportText(fields.description),
          price: exportNumber(fields.salespackageprice, decimal),
          stock: null,
          unit: exportText(fields.unit),
          webshop: null,
        },
      }
    },
    xmlElement: 'item',
    xmlRename: itemElements,
  },
  newCustomers: outboundFolder('customers', '.xml'),
  orders: outboundFolder('orders', '.txt'),
  prices: monitorPrices,
  xmlEncoding: 'utf-8',
}
