import type {CanonicalCustomer} from '../../../model/customer.js'
import type {CanonicalItem} from '../../../model/item.js'
import type {NotSupplied} from '../../../model/mapping.js'

/** One export row (a CSV row or an XML element, its names mapped by `xmlRename`) as a canonical record. */
export interface ExportRecord<T> {
  value: T
  /** Marked inactive in the export (`~` before the code, `active` 0). */
  inactive: boolean
  /** The row's own change time, as the ERP writes it (local time); null when the layout has none. */
  lastModified: string | null
  /** Canonical fields the platform's connector for this layout never reads from the file: never compared. */
  notSupplied: NotSupplied[]
  /** Why the platform's connector skips the row (Monitor: an item without `vatincluded`); null when it reads it. */
  skippedBecause: string | null
}

/** The export of one kind of record (customers, items) in a layout. */
export interface ExportKind<T> {
  /** The file names the CMS reads when the profile names none (relative to the base folder). */
  defaultFiles: readonly string[]
  /** The key's name after `xmlRename` (the CSV column, or the XML element it is mapped to). */
  keyColumn: string
  /** The XML element of one record (`Customer`, `item`). */
  xmlElement: string
  /** XML element names mapped to the names `map` reads. */
  xmlRename: Readonly<Record<string, string>>
  map(fields: Record<string, string>, options: {decimal: string}): ExportRecord<T>
}

/**
 * The price export of a layout (ftp-layouts.md "Prices"): the files and the names in them, mapped onto the
 * contract's `pricelists.csv` columns and the pricing columns of `customers.csv`. Data only: the reading is
 * `src/connectors/ftp/price*.ts`.
 */
export interface PriceExport {
  /** The price-list file names the CMS reads when no run names one (CSV or XML, by the name). */
  priceListFiles: readonly string[]
  /** The discount-group files (`discountgroups.csv`); empty: the layout exports none. */
  discountGroupFiles: readonly string[]
  /** The XML element of one price row (`Price`), and its children mapped to the `pricelists.csv` columns. */
  xmlElement: string
  xmlRename: Readonly<Record<string, string>>
  /** The customer export's price fields mapped to the `customers.csv` pricing columns (Monitor `usesprice` → `PriceList`). */
  customerRename: Readonly<Record<string, string>>
  /** Pricing inputs the layout's connector never reads (`PriceInputs` names): never compared. */
  notSupplied: readonly NotSupplied[]
}

/** An outbound folder the ERP polls (orders, new customers), and where its import leaves a file. */
export interface OutboundFolder {
  /** `Orders`, `orders`, `Customers`, `customers`. */
  folder: string
  /** The file's extension, with the dot: `.csv`, `.xml`, `.txt`. */
  extension: string
  /** Where the ERP's import moves a file it has imported, and one it rejected (with `{key}.err.txt` beside it). */
  processed: string
  error: string
}

/** The layout ids a profile's `ftp.layout` may name. */
export const ftpLayoutIds = ['generic', 'winbas', 'monitor'] as const
export type FtpLayoutId = (typeof ftpLayoutIds)[number]

/**
 * How one ERP (or the platform's generic connector) lays out its files on the installation's file server:
 * the export files the CMS reads, their encodings and element names, and the outbound folders the CMS
 * writes orders and new customers to. `layouts/registry.ts` lists them.
 */
export interface FtpLayout {
  id: FtpLayoutId
  /** "Winbas (XML over FTP)". */
  description: string
  customers: ExportKind<CanonicalCustomer>
  items: ExportKind<CanonicalItem>
  prices: PriceExport
  /** Encodings when the profile names none. */
  csvEncoding: string
  xmlEncoding: string
  orders: OutboundFolder
  newCustomers: OutboundFolder
}

/** The outbound folder under its root, with the import's `processed/` and `error/` beside the waiting files. */
export function outboundFolder(folder: string, extension: string): OutboundFolder {
  return {error: `${folder}/error`, extension, folder, processed: `${folder}/processed`}
}

/** `1`/`0`, `true`/`false`; anything else is no value. */
export function exportFlag(value: string | undefined): boolean | null {
  const text = (value ?? '').trim().toLowerCase()
  if (text === '1' || text === 'true') return true
  if (text === '0' || text === 'false') return false
  return null
}

/** A number as the export writes it: invariant (`123.45`) unless the profile says the decimal is `,`. */
export function exportNumber(value: string | undefined, decimal: string): number | null {
  const text = (value ?? '').trim()
  if (text === '') return null
  const normalized = decimal === ',' ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '')
  const parsed = Number(normalized)
  return Number.isFinite(parsed) ? parsed : null
}

/** A text field, trimmed; null when the element or column is absent. */
export function exportText(value: string | undefined): string | null {
  return value === undefined ? null : value.trim()
}

/** The same reason for every field a layout's connector never reads. */
export function notRead(fields: readonly string[], reason: string): NotSupplied[] {
  return fields.map((field) => ({field, reason}))
}
