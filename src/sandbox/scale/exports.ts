import {mkdirSync, utimesSync} from 'node:fs'
import {join} from 'node:path'

import {writeTextFileSync} from '../../util/line-file.js'
import type {ScaleModel} from './model.js'
import {residue} from './planted.js'

type Json = Record<string, unknown>

const localTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`

const customerColumns =
  'CustomerCode;CustomerName;Email;Phone;IsPrivate;Blocked;CustomerManager;PriceList;InvoiceAddress1;InvoiceAddress2;InvoicePostCode;InvoiceCity;InvoiceCountry;DeliveryAddress1;DeliveryAddress2;DeliveryPostCode;DeliveryCity;DeliveryCountry;LastModified'
const itemColumns = 'itemcode;description;unit;currency;salesprice;lastavailablestock;active;webshop;lastmodified'

/** The export files of `scale-ftp`, written from the generator a chunk at a time (UTC: the installation's zone). */
export function writeScaleExports(model: ScaleModel, folder: string): void {
  mkdirSync(folder, {recursive: true})
  writeExportFile(model, join(folder, 'customers.csv'), customerColumns, (index) => customerRow(model, index))
  writeExportFile(model, join(folder, 'items.csv'), itemColumns, (index) => itemRow(model, index))
}

/** One CSV file (BOM, CRLF), a row per generated index that has one, written in chunks of about a megabyte. */
function writeExportFile(model: ScaleModel, path: string, header: string, row: (index: number) => string | null): void {
  writeTextFileSync(path, csvLines(model.records, header, row))
  const written = new Date(model.clock.exportFileWritten)
  utimesSync(path, written, written)
}

function* csvLines(records: number, header: string, row: (index: number) => string | null): Generator<string> {
  yield `\uFEFF${header}\r\n`
  for (let index = 0; index < records; index++) {
    const line = row(index)
    if (line !== null) yield `${line}\r\n`
  }
}

function customerRow(model: ScaleModel, index: number): string | null {
  const source = model.source('customers', index)
  if (!source) return null
  const record = source.record
  const [invoice, delivery] = record.addresses as Json[] as [Json, Json]
  // What a broken export job writes: a quote opened and never closed.
  const name = index % 100 === residue.unreadableRow ? `"${record.name}` : quoted(String(record.name))
  return [
    quoted(String(record.customerCode)),
    name,
    quoted(String(record.email)),
    quoted(String(record.phone)),
    record.isPrivate ? '1' : '0',
    record.blocked ? '1' : '0',
    quoted((record.salesRepCodes as string[])[0] ?? ''),
    quoted(String(record.priceListCode)),
    ...[invoice, delivery].flatMap((address) =>
      [address.addressLine1, address.addressLine2, address.postCode, address.city, address.countryCode].map((value) =>
        quoted(String(value)),
      ),
    ),
    quoted(localTime(source.modified)),
  ].join(';')
}

function itemRow(model: ScaleModel, index: number): string | null {
  const source = model.source('items', index)
  if (!source) return null
  const record = source.record
  const description =
    index % 100 === residue.unreadableRow ? `"${record.description}` : quoted(String(record.description))
  return [
    record.itemCode,
    description,
    record.unit,
    record.currency,
    (record.price as number).toFixed(2),
    String(record.stock),
    record.active ? '1' : '0',
    record.webshop ? '1' : '0',
    localTime(source.modified),
  ].join(';')
}
