import {mkdirSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import type {FtpLayoutId} from '../connectors/ftp/layouts/types.js'
import {localTime} from './export-time.js'
import {layoutCustomerFile, layoutExportFiles, layoutOrderFile} from './ftp-layout-files.js'
import {priceExportFileNames, priceExportFiles, pricingColumns, pricingFields} from './export-price-files.js'
import type {ExportCustomer, ExportsState, OrderFile} from './state.js'

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`
const flag = (value: boolean) => (value ? '1' : '0')

const customerColumns = [
  'CustomerCode',
  'CustomerName',
  'Email',
  'Phone',
  'IsPrivate',
  'Blocked',
  'CustomerManager',
  'PriceList',
  'InvoiceAddress1',
  'InvoiceAddress2',
  'InvoicePostCode',
  'InvoiceCity',
  'InvoiceCountry',
  'DeliveryAddress1',
  'DeliveryAddress2',
  'DeliveryPostCode',
  'DeliveryCity',
  'DeliveryCountry',
  'LastModified',
]

function customerValues(customer: ExportsState['customers'][number], timeZone: string): Record<string, string> {
  const {record} = customer
  const address = (type: string) => record.addresses.find((entry) => entry.addressType === type && entry.isMain)
  const invoice = address('Invoice')
  const delivery = address('Delivery')
  return {
    Blocked: flag(record.blocked),
    CustomerCode: customer.code,
    CustomerManager: record.salesRepCodes[0] ?? '',
    CustomerName: record.name,
    DeliveryAddress1: delivery?.addressLine1 ?? '',
    DeliveryAddress2: delivery?.addressLine2 ?? '',
    DeliveryCity: delivery?.city ?? '',
    DeliveryCountry: delivery?.countryCode ?? '',
    DeliveryPostCode: delivery?.postCode ?? '',
    Email: record.email,
    InvoiceAddress1: invoice?.addressLine1 ?? '',
    InvoiceAddress2: invoice?.addressLine2 ?? '',
    InvoiceCity: invoice?.city ?? '',
    InvoiceCountry: invoice?.countryCode ?? '',
    InvoicePostCode: invoice?.postCode ?? '',
    IsPrivate: flag(record.isPrivate),
    LastModified: localTime(customer.lastModified, timeZone),
    Phone: record.phone,
    PriceList: record.priceListCode,
  }
}

/** The header of `customers.csv` (with the BOM the file starts with). */
export const customersCsvHeader = `\uFEFF${customerColumns.join(';')}`

/** One row of `customers.csv`: quoted text fields; a malformed row has an unbalanced quote. */
export function customerCsvLine(customer: ExportsState['customers'][number], timeZone: string): string {
  const values = customerValues(customer, timeZone)
  // What a broken export job writes: a quote opened and never closed.
  if (customer.malformed)
    return customerColumns
      .map((column) => (column === 'CustomerName' ? `"${values[column]?.replace(/"/g, '')}` : values[column]))
      .join(';')
  return customerColumns
    .map((column) => (column === 'IsPrivate' || column === 'Blocked' ? values[column] : quote(values[column] ?? '')))
    .join(';')
}

/** `customers.csv`: `;`, UTF-8 with BOM, CRLF, quoted text fields; a malformed row has an unbalanced quote. */
function customersCsv(exports: ExportsState, timeZone: string): string {
  const rows = exports.customers.filter((customer) => customer.file === 'customers.csv')
  // With a price export, the pricing columns follow the contract's (ftp-layouts.md "Prices").
  const pricing = exports.prices ? pricingColumns : []
  const line = (customer: ExportCustomer) =>
    [
      customerCsvLine(customer, timeZone),
      ...pricing.map((column) => quote(pricingFields(customer, exports.prices)[column] ?? '')),
    ].join(';')
  return `${[[customersCsvHeader, ...pricing].join(';'), ...rows.map(line)].join('\r\n')}\r\n`
}

const xmlEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Winbas-style `customers.xml` in windows-1252. */
function customersXml(exports: ExportsState, timeZone: string): string {
  const elementName: Record<string, string> = {
    CustomerCode: 'Number',
    CustomerManager: 'SalesmanCode',
    CustomerName: 'Name',
  }
  const customers = exports.customers
    .filter((customer) => customer.file === 'customers.xml')
    .map((customer) => {
      const values = {
        ...customerValues(customer, timeZone),
        ...(exports.prices ? pricingFields(customer, exports.prices) : {}),
      }
      const columns = exports.prices ? [...customerColumns, ...pricingColumns] : customerColumns
      return `  <Customer>\r\n${columns.map((column) => `    <${elementName[column] ?? column}>${xmlEscape(values[column] ?? '')}</${elementName[column] ?? column}>`).join('\r\n')}\r\n  </Customer>`
    })
  return `<?xml version="1.0" encoding="windows-1252"?>\r\n<Customers>\r\n${customers.join('\r\n')}\r\n</Customers>\r\n`
}

const itemColumns = [
  'itemcode',
  'description',
  'unit',
  'currency',
  'salesprice',
  'lastavailablestock',
  'active',
  'webshop',
  'lastmodified',
]

/** The header of `items.csv` (with the BOM the file starts with). */
export const itemsCsvHeader = `\uFEFF${itemColumns.join(';')}`

/** One row of `items.csv`: the description quoted (a malformed row's quote never closed), the currency empty when the export left it out. */
export function itemCsvLine(item: ExportsState['items'][number], timeZone: string): string {
  const {emptyCurrency, lastModified, malformed, record} = item
  const values: Record<string, string> = {
    active: record.active ? '1' : '0',
    currency: emptyCurrency ? '' : record.currency,
    description: malformed ? `"${record.description.replace(/"/g, '')}` : quote(record.description),
    itemcode: record.itemCode,
    lastavailablestock: String(record.stock),
    lastmodified: localTime(lastModified, timeZone),
    salesprice: record.price.toFixed(2),
    unit: record.unit,
    webshop: record.webshop ? '1' : '0',
  }
  return itemColumns.map((column) => values[column] ?? '').join(';')
}

function itemsCsv(exports: ExportsState, timeZone: string): string {
  return `${[itemsCsvHeader, ...exports.items.map((item) => itemCsvLine(item, timeZone))].join('\r\n')}\r\n`
}

/** `Orders/{OrderNr}.csv` as the CMS writes it: a HEAD record and one LINE record per line, no header. */
export function orderFileContent(order: Record<string, unknown>): string {
  const created = new Date(String(order.createdAt ?? Date.now()))
  const date = `${String(created.getUTCDate()).padStart(2, '0')}-${String(created.getUTCMonth() + 1).padStart(2, '0')}-${created.getUTCFullYear()}`
  const lines = (order.lines as Array<Record<string, unknown>>).map(
    (line, index) =>
      `LINE;${index};${line.itemCode};${line.quantity};${line.price};${line.unit ?? 'st'};${line.discount ?? 0};`,
  )
  return (
    [`HEAD;${order.orderNr};${order.customerCode};${date};${order.yourReference ?? ''};;;Order`, ...lines].join(
      '\r\n',
    ) + '\r\n'
  )
}

/** The layout's name of an order's (or new customer's) file in its outbound folder. */
export function outboundFileName(layout: FtpLayoutId, kind: 'orders' | 'newCustomers', key: string): string {
  return `${key}${ftpLayoutFor(layout, null)[kind].extension}`
}

/** Puts an order file where the ERP's import left it: waiting, processed, or rejected with its reason. */
export function writeOrderFile(
  base: string,
  file: OrderFile,
  order: Record<string, unknown>,
  layout: FtpLayoutId = 'generic',
): void {
  const path = join(base, file.folder, outboundFileName(layout, 'orders', file.orderNr))
  writeFileSync(path, layout === 'generic' ? orderFileContent(order) : layoutOrderFile(layout, order, file.modified))
  const modified = new Date(file.modified)
  utimesSync(path, modified, modified)
  if (file.error) {
    const reason = join(base, file.folder, `${file.orderNr}.err.txt`)
    writeFileSync(reason, `${file.error}\r\n`)
    utimesSync(reason, modified, modified)
  }
}

/** The name the ERP writes a layout's first default file under, when its settings name one (`fileNames`). */
export function namedFile(exports: ExportsState, file: string): string {
  const layout = ftpLayoutFor(exports.layout, null)
  const kind = (['customers', 'items'] as const).find((entry) => layout[entry].defaultFiles[0] === file)
  return (kind && exports.fileNames?.[kind]) || file
}

/** The export file names each layout writes (the sandbox removes those the state does not list). */
export const layoutExportFileNames = [
  'customers.csv',
  'customers.xml',
  'items.csv',
  '_customers.xml',
  '_items.xml',
  'items.xml',
  ...priceExportFileNames,
]

/** Writes the ERP's export files and the order folders into `root/<baseFolder>`, with the seeded file times. */
export async function writeExportFiles(
  root: string,
  exports: ExportsState,
  timeZone: string,
  orders: Map<string, Record<string, unknown>>,
): Promise<void> {
  const iconv = await import('iconv-lite')
  const base = join(root, exports.baseFolder)
  const layout = ftpLayoutFor(exports.layout, null)
  for (const outbound of [layout.orders, layout.newCustomers])
    for (const folder of [outbound.folder, outbound.processed, outbound.error])
      mkdirSync(join(base, folder), {recursive: true})
  const contents: Record<string, Buffer> =
    exports.layout === 'generic'
      ? {
          'customers.csv': Buffer.from(customersCsv(exports, timeZone), 'utf8'),
          'customers.xml': iconv.encode(customersXml(exports, timeZone), 'windows-1252'),
          'items.csv': Buffer.from(itemsCsv(exports, timeZone), 'utf8'),
        }
      : layoutExportFiles(exports.layout, exports, timeZone)
  Object.assign(contents, priceExportFiles(exports, timeZone))
  for (const [written, content] of Object.entries(contents)) {
    const name = namedFile(exports, written)
    const path = join(base, name)
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, content)
    const modified = new Date(exports.files[name]?.modified ?? Date.now())
    utimesSync(path, modified, modified)
  }
  // A customer created in the app: the customers.csv columns with a header row, one data row (or the layout's file).
  for (const file of exports.customerFiles) {
    const path = join(base, file.folder, outboundFileName(exports.layout, 'newCustomers', file.orderNr))
    const values = customerValues(
      {code: file.orderNr, file: 'Customers', lastModified: file.modified, malformed: false, record: file.record},
      timeZone,
    )
    writeFileSync(
      path,
      exports.layout === 'generic'
        ? `${customerColumns.join(';')}\r\n${customerColumns.map((column) => quote(values[column] ?? '')).join(';')}\r\n`
        : layoutCustomerFile(exports.layout, file.record),
    )
    utimesSync(path, new Date(file.modified), new Date(file.modified))
    if (file.error) {
      const reason = join(base, file.folder, `${file.orderNr}.err.txt`)
      writeFileSync(reason, `${file.error}\r\n`)
      utimesSync(reason, new Date(file.modified), new Date(file.modified))
    }
  }
  for (const file of exports.orderFiles) {
    const order = orders.get(file.orderNr)
    if (order) writeOrderFile(base, file, order, exports.layout)
  }
}

/** An export file the state does not list (the ERP never wrote it) is not on the file server. */
export function removeUnlistedExports(folder: string, exportsState: ExportsState): void {
  const named = Object.values(exportsState.fileNames ?? {})
  for (const name of [...layoutExportFileNames, ...named])
    if (!exportsState.files[name]) rmSync(join(folder, exportsState.baseFolder, name), {force: true})
}
