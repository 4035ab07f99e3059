import {
  customerFromExport,
  defaultCustomerFiles,
  defaultItemFiles,
  genericPriceExport,
  itemFromExport,
  xmlCustomerElementNames,
  xmlItemElementNames,
} from '../layout.js'
import {type FtpLayout, outboundFolder} from './types.js'

/** The platform's generic layout (shared/contracts/ftp-layouts.md): `customers.csv`, `items.csv`, `pricelists.csv`, Winbas-style XML, `Orders/{OrderNr}.csv`. */
export const genericLayout: FtpLayout = {
  csvEncoding: 'utf-8',
  customers: {
    defaultFiles: defaultCustomerFiles,
    keyColumn: 'CustomerCode',
    map: (fields) => {
      const {customer, inactive, lastModified} = customerFromExport(fields)
      return {inactive, lastModified, notSupplied: [], skippedBecause: null, value: customer}
    },
    xmlElement: 'Customer',
    xmlRename: xmlCustomerElementNames,
  },
  description: 'the generic layout (customers.csv, items.csv, Orders/{OrderNr}.csv)',
  id: 'generic',
  items: {
    defaultFiles: defaultItemFiles,
    keyColumn: 'itemcode',
    map: (fields, {decimal}) => {
      const {inactive, lastModified, value} = itemFromExport(fields, decimal)
      return {inactive, lastModified, notSupplied: [], skippedBecause: null, value}
    },
    xmlElement: 'Item',
    xmlRename: xmlItemElementNames,
  },
  newCustomers: outboundFolder('Customers', '.csv'),
  orders: outboundFolder('Orders', '.csv'),
  prices: genericPriceExport,
  xmlEncoding: 'windows-1252',
}
