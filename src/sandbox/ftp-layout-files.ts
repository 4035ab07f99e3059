import iconv from 'iconv-lite'

import type {FtpLayoutId} from '../connectors/ftp/layouts/types.js'
import {pricingFields} from './export-price-files.js'
import {localTime} from './export-time.js'
import type {ExportsState} from './state.js'

type Json = Record<string, unknown>

/**
 * The files the Winbas and Monitor layouts put on the file server, as the ERP (exports) and the CMS
 * (orders, new customers) write them (connectors.md §4.1, §4.2; the readings in docs/contract-readings.md).
 * The generic layout's are in export-files.ts.
 */

const xmlEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** One record element: `<Customer>` with its children, one per line; a malformed one never closes. */
function element(name: string, children: Array<[string, string]>, malformed = false): string {
  const body = children.map(([child, value]) => `    <${child}>${xmlEscape(value)}</${child}>`).join('\r\n')
  return `  <${name}>\r\n${body}${malformed ? '' : `\r\n  </${name}>`}`
}

function document(root: string, encoding: string, elements: string[]): string {
  return `<?xml version="1.0" encoding="${encoding}"?>\r\n<${root}>\r\n${elements.join('\r\n')}\r\n</${root}>\r\n`
}

/** "2026-11-20T09:14:00" in the installation's timezone (Monitor's `lastmodified`): the exports' local time, ISO-spelled. */
function localIso(iso: string, timeZone: string): string {
  return localTime(iso, timeZone).replace(' ', 'T')
}

/** Winbas `_customers.xml`: the elements its customer sync reads (no change time per customer). */
function winbasCustomers(exports: ExportsState): string {
  return document(
    'Customers',
    'windows-1252',
    exports.customers.map((customer) => {
      const {code, malformed, record} = customer
      const pricing = pricingFields(customer, exports.prices)
      return element(
        'Customer',
        [
          ['Number', code],
          ['Name', record.name],
          ['SearchName', record.name.toUpperCase().slice(0, 20)],
          ['GeneralDiscount', pricing.Discount || '0'],
          ...(exports.prices ? ([['PriceList', record.priceListCode]] as Array<[string, string]>) : []),
          ['SalesmanCode', record.salesRepCodes[0] ?? ''],
          ['LanguageCode', 'SV'],
          ['PaymentConditionCode', '30'],
          ['Phone', record.phone],
          ['VatCode', '1'],
        ],
        malformed,
      )
    }),
  )
}

/** Winbas `_items.xml`, in the contract's Winbas-style item elements (the items.csv names). */
function winbasItems(exports: ExportsState, timeZone: string): string {
  return document(
    'Items',
    'windows-1252',
    exports.items.map(({emptyCurrency, lastModified, record}) =>
      element('Item', [
        ['ItemCode', record.itemCode],
        ['Description', record.description],
        ['Unit', record.unit],
        ['Currency', emptyCurrency ? '' : record.currency],
        ['SalesPrice', record.price.toFixed(2)],
        ['LastAvailableStock', String(record.stock)],
        ['Active', record.active ? '1' : '0'],
        ['Webshop', record.webshop ? '1' : '0'],
        ['LastModified', localIso(lastModified, timeZone).replace('T', ' ')],
      ]),
    ),
  )
}

/** Monitor `customers.xml`: lower-case elements, `lastmodified` the customer's change time. */
function monitorCustomers(exports: ExportsState, timeZone: string): string {
  return document(
    'Customers',
    'utf-8',
    exports.customers.map((customer) => {
      const {code, lastModified, malformed, record} = customer
      const pricing = pricingFields(customer, exports.prices)
      const prices: Array<[string, string]> = exports.prices
        ? [
            ['usesprice', record.priceListCode],
            ['actionpricelist', pricing.ActionPriceList ?? ''],
            ['hideprices', pricing.HidePrices ?? '0'],
          ]
        : []
      return element(
        'Customer',
        [
          ['customercode', code],
          ['customername', record.name],
          ['isvatliable', 'true'],
          ['discount', pricing.Discount || '0'],
          ...prices,
          ['languagecode', 'SV'],
          ['customermanager', record.salesRepCodes[0] ?? ''],
          ['lastmodified', localIso(lastModified, timeZone)],
        ],
        malformed,
      )
    }),
  )
}

/** Monitor `items.xml`: `ID`, `salespackageprice`; an item whose `vatincluded` is left out is skipped by the CMS. */
function monitorItems(exports: ExportsState): string {
  return document(
    'items',
    'utf-8',
    exports.items.map(({record, vatIncluded}) =>
      element('item', [
        ['ID', record.itemCode],
        ['description', record.description],
        ['salespackageprice', record.price.toFixed(2)],
        ['eancode', ''],
        ['unit', record.unit],
        ...(vatIncluded === false ? [] : ([['vatincluded', 'E']] as Array<[string, string]>)),
        ['vatpercentage', '25'],
      ]),
    ),
  )
}

/** The export files of a Winbas or Monitor installation, by name, with their encodings. */
export function layoutExportFiles(
  layout: Exclude<FtpLayoutId, 'generic'>,
  exports: ExportsState,
  timeZone: string,
): Record<string, Buffer> {
  if (layout === 'monitor')
    return {
      'customers.xml': Buffer.from(monitorCustomers(exports, timeZone), 'utf8'),
      'items.xml': Buffer.from(monitorItems(exports), 'utf8'),
    }
  return {
    '_customers.xml': iconv.encode(winbasCustomers(exports), 'windows-1252'),
    '_items.xml': iconv.encode(winbasItems(exports, timeZone), 'windows-1252'),
  }
}

/** The Winbas order XML the CMS uploads: UID, LastSync, Version, then the order (connectors.md §4.1). */
function winbasOrder(order: Json, now: string): string {
  const lines = (order.lines as Json[]).map((line) =>
    element('OrderLine', [
      ['ItemNumber', String(line.itemCode)],
      ['Quantity', String(line.quantity)],
      ['Price', String(line.price)],
      ['Discount', String(line.discount ?? 0)],
    ]).replace(/^/gm, '    '),
  )
  const head = [
    ['Number', String(order.orderNr)],
    ['YourOrderNumber', String(order.orderNr)],
    ['VATCode', '2'],
    ['Type', '1'],
    ['SalesmanCode', ''],
    ['Reference', String(order.yourReference ?? '')],
    ['OrderDate', String(order.orderDate ?? '')],
    ['ImportStatus', '1'],
    ['CustomerNumber', String(order.customerCode)],
  ].map(([name, value]) => `      <${name}>${xmlEscape(value as string)}</${name}>`)
  return document('WinbasOrder', 'windows-1252', [
    `  <UID>synctrace-sandbox</UID>\r\n  <LastSync>${now}</LastSync>\r\n  <Version>1.8.5366.26707</Version>\r\n  <OrderItems>\r\n    <OrderItem>\r\n${head.join('\r\n')}\r\n      <OrderLines>\r\n${lines.join('\r\n')}\r\n      </OrderLines>\r\n    </OrderItem>\r\n  </OrderItems>`,
  ])
}

/** Notes up to 70 characters stay in Monitor's header; longer notes become extra text lines. */
const monitorNotesLimit = 70

/** Monitor's tab-delimited `{OrderNr}.txt`: one `H` header record, then one `L` record per line (and `T` text lines for long notes). */
export function monitorOrder(order: Json): string {
  const notes = String(order.notes ?? '').replace(/[\t\r\n]+/g, ' ')
  const header = [
    'H',
    order.customerCode,
    order.orderNr,
    order.yourReference ?? '',
    notes.length <= monitorNotesLimit ? notes : '',
    order.customerName ?? '',
    '',
    '',
    '',
    '',
  ]
  const lines = (order.lines as Json[]).map((line) => [
    'L',
    line.itemCode,
    line.quantity,
    line.price,
    line.discount ?? 0,
    line.unit ?? 'st',
  ])
  const texts =
    notes.length > monitorNotesLimit
      ? (notes.match(new RegExp(`.{1,${monitorNotesLimit}}`, 'g')) ?? []).map((part) => ['T', part])
      : []
  return (
    [header, ...lines, ...texts].map((record) => record.map((value) => String(value)).join('\t')).join('\r\n') + '\r\n'
  )
}

/** An order file's content in a layout (the generic one's is export-files.ts's `orderFileContent`). */
export function layoutOrderFile(layout: Exclude<FtpLayoutId, 'generic'>, order: Json, now: string): Buffer {
  return layout === 'monitor'
    ? Buffer.from(monitorOrder(order), 'utf8')
    : iconv.encode(winbasOrder(order, now), 'windows-1252')
}

/** A new customer's file: Monitor saves the CMS customer as-is under `NewCustomers/Customer`; Winbas gets Name, SalesmanCode, TermsOfPayment. */
export function layoutCustomerFile(layout: Exclude<FtpLayoutId, 'generic'>, record: Json): Buffer {
  const salesRep = (record.salesRepCodes as string[] | undefined)?.[0] ?? ''
  if (layout === 'monitor')
    return Buffer.from(
      document('NewCustomers', 'utf-8', [
        element('Customer', [
          ['CustomerCode', String(record.customerCode)],
          ['CustomerName', String(record.name)],
          ['Email', String(record.email ?? '')],
          ['Phone', String(record.phone ?? '')],
          ['CustomerManager', salesRep],
        ]),
      ]),
      'utf8',
    )
  return iconv.encode(
    document('Customers', 'windows-1252', [
      element('Customer', [
        ['Name', String(record.name).replace(/ - SN: .*$/, '')],
        ['SalesmanCode', salesRep],
        ['TermsOfPayment', ''],
        ['CustomerReference', ''],
      ]),
    ]),
    'windows-1252',
  )
}
