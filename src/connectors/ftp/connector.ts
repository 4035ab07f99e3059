import type {Readable} from 'node:stream'

import {redactUrl} from '../../http/redact.js'
import type {CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import type {NotSupplied} from '../../model/mapping.js'
import {decodedLines, type ExportSearch, findRowInCsv, type RowProblem} from './csv-export.js'
import {type FileInfo, type FileServer, type FileServerCredentials, openFileServer} from './file-server.js'
import {exportKeyMatches, exportRowSkippedBecause} from './layout.js'
import {ftpLayoutFor} from './layouts/registry.js'
import type {ExportKind, FtpLayout, OutboundFolder} from './layouts/types.js'
import {isSafeListedName, parseFileServerUrl, pathInBase} from './location.js'
import {findElementInXml} from './xml-export.js'

export interface FtpSettings extends FileServerCredentials {
  /** ftp://, ftps:// or sftp://host[:port]/base-folder */
  url: string
  /** The profile's `ftp.layout`; else the layout of the ERP the CMS reports (`erpSystem`), else the generic one. */
  layout?: string
  /** What the CMS reports as the installation's `erp.system` (filled in from `/installation`). */
  erpSystem?: string | null
  /** The export file names; default: the layout's (`customers.csv`, Winbas `_customers.xml`, Monitor `customers.xml`). */
  customerFiles?: string[]
  itemFiles?: string[]
  /** Decimal separator of prices in item exports (default "."). */
  decimal?: string
  delimiter?: string
  /** Encoding of CSV exports (default utf-8). */
  csvEncoding?: string
  /** Encoding of XML exports (default windows-1252). */
  xmlEncoding?: string
  /** The whole session's deadline, connect to last byte (--timeout). */
  timeoutMs?: number
  /** What is left of the run's budget when a session opens (the trace's one deadline); else timeoutMs. */
  remainingMs?: () => number
  /** Ctrl-C: ends the session at once. */
  signal?: AbortSignal
  /** --debug: one line per file-server operation (secrets are removed at the output boundary). */
  debug?: (line: string) => void
}

export interface ExportFile {
  /** Relative to the base folder. */
  path: string
  exists: boolean
  modifiedAt: Date | null
  size: number | null
}

export interface ExportLookup<T> {
  /** The file server and base folder, without credentials. */
  location: string
  files: ExportFile[]
  /** The layout the files were read as (`generic`, `winbas`, `monitor`). */
  layout: string
  record: {
    value: T
    inactive: boolean
    file: string
    line: number
    lastModifiedLocal: string | null
    /** Fields the layout's platform connector never reads from the file: never compared. */
    notSupplied: NotSupplied[]
    /** Why the platform's connector skips the row, when the row itself shows it. */
    skippedBecause: string | null
  } | null
  /** The searched customer's own row, when it could not be read. */
  unreadable: RowProblem | null
  /** Other rows that could not be read on the way. */
  otherProblems: RowProblem[]
  /** The installation's other export files (items for a customer, customers for an item): is the export job running at all? */
  otherExports: ExportFile[]
}

interface ExportSpec<T> {
  files: string[]
  /** Stated, never read: the other kind's export files. */
  otherFiles: string[]
  kind: ExportKind<T>
  layout: FtpLayout
}

export type ExportCustomerLookup = ExportLookup<CanonicalCustomer>
export type ExportItemLookup = ExportLookup<CanonicalItem>

/** When the ERP last wrote each of these files (relative to the base folder). */
async function statFiles(server: FileServer, basePath: string, paths: string[]): Promise<ExportFile[]> {
  const files: ExportFile[] = []
  for (const path of paths) {
    const info = await server.stat(pathInBase(basePath, path))
    files.push({exists: info !== null, modifiedAt: info?.modifiedAt ?? null, path, size: info?.size ?? null})
  }
  return files
}

/** The same for files only looked at on the side (another kind's exports): one that cannot be asked about is left out, never the trace's error. */
async function statSideFiles(server: FileServer, basePath: string, paths: string[]): Promise<ExportFile[]> {
  const files: ExportFile[] = []
  for (const path of paths) {
    try {
      files.push(...(await statFiles(server, basePath, [path])))
    } catch {
      // A name that would leave the base folder, or a server that refuses the one request.
    }
  }
  return files
}

/** The installation's layout: the profile's `ftp.layout`, else the reported ERP's, else the generic one. */
export const layoutOf = (settings: FtpSettings): FtpLayout => ftpLayoutFor(settings.layout, settings.erpSystem)
const customerFilesOf = (settings: FtpSettings) => settings.customerFiles ?? [...layoutOf(settings).customers.defaultFiles]
const itemFilesOf = (settings: FtpSettings) => settings.itemFiles ?? [...layoutOf(settings).items.defaultFiles]

/** Streams one export file (XML or delimited, by its name) of a layout and stops at the row of `code`. */
export async function searchExport<T>(
  stream: Readable,
  file: string,
  code: string,
  layout: FtpLayout,
  kind: ExportKind<T>,
  settings: Pick<FtpSettings, 'xmlEncoding' | 'csvEncoding' | 'delimiter'> = {},
): Promise<ExportSearch> {
  const matches = (fields: Record<string, string>) => exportKeyMatches(fields[kind.keyColumn], code)
  return file.toLowerCase().endsWith('.xml')
    ? findElementInXml(stream, file, {element: kind.xmlElement, encoding: settings.xmlEncoding ?? layout.xmlEncoding, keyColumn: kind.keyColumn, rename: kind.xmlRename}, matches)
    : findRowInCsv(stream, file, {delimiter: settings.delimiter ?? ';', encoding: settings.csvEncoding ?? layout.csvEncoding}, matches, code.includes('"') ? undefined : code)
}

/**
 * Finds one record in the ERP's export files on the installation's FTP, FTPS or SFTP server: stats every
 * file of the kind (its time says when the ERP last exported), then streams them in order and stops at
 * the match, so a large export never sits in memory.
 */
async function findInExports<T>(settings: FtpSettings, code: string, spec: ExportSpec<T>): Promise<ExportLookup<T>> {
  const location = parseFileServerUrl(settings.url)
  const server: FileServer = await openFileServer(location, settings, settings.remainingMs?.() ?? settings.timeoutMs, settings.signal, settings.debug)
  const lookup: ExportLookup<T> = {files: [], layout: spec.layout.id, location: redactUrl(settings.url), otherExports: [], otherProblems: [], record: null, unreadable: null}
  const {kind} = spec
  try {
    lookup.files = await statFiles(server, location.basePath, spec.files)
    lookup.otherExports = await statSideFiles(server, location.basePath, spec.otherFiles)
    for (const file of lookup.files.filter((entry) => entry.exists)) {
      const search = await searchExport(await server.read(pathInBase(location.basePath, file.path)), file.path, code, spec.layout, kind, settings)
      const own = search.problems.find((problem) => problem.key !== null && exportKeyMatches(problem.key, code))
      if (own && !lookup.unreadable) lookup.unreadable = own
      lookup.otherProblems.push(...search.problems.filter((problem) => problem !== own))
      if (search.row) {
        const row = kind.map(search.row.fields, {decimal: settings.decimal ?? '.'})
        const {inactive, lastModified, notSupplied, value} = row
        const skippedBecause = exportRowSkippedBecause(row, search.row.file)
        lookup.record = {file: search.row.file, inactive, lastModifiedLocal: lastModified, line: search.row.line, notSupplied, skippedBecause, value}
        break
      }
    }
    return lookup
  } finally {
    await server.close()
  }
}

export function findCustomerInExports(settings: FtpSettings, code: string): Promise<ExportCustomerLookup> {
  const layout = layoutOf(settings)
  return findInExports(settings, code, {files: customerFilesOf(settings), kind: layout.customers, layout, otherFiles: itemFilesOf(settings)})
}

export function findItemInExports(settings: FtpSettings, code: string): Promise<ExportItemLookup> {
  const layout = layoutOf(settings)
  return findInExports(settings, code, {files: itemFilesOf(settings), kind: layout.items, layout, otherFiles: customerFilesOf(settings)})
}

export interface OrderFileLocation {
  /** `Orders`, `Orders/processed`, `Orders/error` (or the same under `Customers`; Monitor: `orders`, `customers`). */
  folder: string
  /** Waiting for the ERP's import, imported by it (processed), or rejected (error). */
  state: 'waiting' | 'imported' | 'rejected'
  path: string
  modifiedAt: Date | null
}

export interface OrderFileLookup {
  location: string
  /** The layout's outbound folder that was searched, with its processed and error folders. */
  folders: OutboundFolder
  /** Where the order's file is now: waiting in Orders/, imported (processed/) or rejected (error/). */
  file: OrderFileLocation | null
  /** The first line of `{orderNr}.err.txt` beside a rejected file. */
  errorReason: string | null
  /** Files waiting in Orders/ in all, and the oldest one's time: is the ERP's import running at all? */
  waitingCount: number
  oldestWaitingAt: Date | null
  /** Names in the listings that were ignored because they could leave the folder. */
  refusedNames: string[]
  /** The ERP's export files (customers, items): its jobs on the file server, is the export still running? */
  exportFiles: ExportFile[]
}

/**
 * Finds the file of an order (`Orders/`) or of a customer created in the app (`Customers/`) in the outbound
 * folders the ERP polls, reading the listings (names never leave the base folder).
 */
export async function findOutboundFile(settings: FtpSettings, root: 'Orders' | 'Customers', orderNr: string): Promise<OrderFileLookup> {
  const layout = layoutOf(settings)
  const folders = root === 'Orders' ? layout.orders : layout.newCustomers
  const fileName = `${orderNr}${folders.extension}`
  if (!isSafeListedName(fileName)) throw new Error(`refused key "${orderNr.slice(0, 60)}" as a file name: it would leave the ${folders.folder} folder`)
  const location = parseFileServerUrl(settings.url)
  const server = await openFileServer(location, settings, settings.remainingMs?.() ?? settings.timeoutMs, settings.signal, settings.debug)
  const lookup: OrderFileLookup = {
    errorReason: null,
    exportFiles: [],
    file: null,
    folders,
    location: redactUrl(settings.url),
    oldestWaitingAt: null,
    refusedNames: [],
    waitingCount: 0,
  }
  const inBase = (path: string) => pathInBase(location.basePath, path)
  try {
    for (const folder of [folders.folder, folders.processed, folders.error]) {
      const files = safeFiles(await server.list(inBase(folder)).catch(() => []), lookup.refusedNames)
      if (folder === folders.folder) Object.assign(lookup, waitingFiles(files, folders.extension))
      const match = files.find((entry) => entry.name.toLowerCase() === fileName.toLowerCase())
      if (!match || lookup.file) continue
      // Listings give minute precision at best over FTP: ask for the exact time.
      const stat = await server.stat(inBase(`${folder}/${match.name}`))
      const state = folder === folders.error ? 'rejected' : folder === folders.processed ? 'imported' : 'waiting'
      lookup.file = {folder, modifiedAt: stat?.modifiedAt ?? match.modifiedAt, path: `${folder}/${match.name}`, state}
      const reasonName = state === 'rejected' ? files.find((entry) => entry.name.toLowerCase() === `${orderNr}.err.txt`.toLowerCase())?.name : undefined
      if (reasonName) lookup.errorReason = await firstLine(server, inBase(`${folder}/${reasonName}`), settings.csvEncoding ?? layout.csvEncoding)
    }
    lookup.exportFiles = await statSideFiles(server, location.basePath, [...customerFilesOf(settings), ...itemFilesOf(settings)])
    return lookup
  } finally {
    await server.close()
  }
}

/** The files of a listing whose names stay in the folder; the others are named in `refused`. */
function safeFiles(entries: FileInfo[], refused: string[]): FileInfo[] {
  const safe = entries.filter((entry) => {
    if (isSafeListedName(entry.name)) return true
    refused.push(entry.name)
    return false
  })
  return safe.filter((entry) => !entry.isDirectory)
}

/** How many files wait for the ERP's import, and since when the oldest one. */
function waitingFiles(files: FileInfo[], extension: string): Pick<OrderFileLookup, 'waitingCount' | 'oldestWaitingAt'> {
  const waiting = files.filter((entry) => entry.name.toLowerCase().endsWith(extension))
  const times = waiting.map((entry) => entry.modifiedAt?.getTime()).filter((time): time is number => time !== undefined)
  return {oldestWaitingAt: times.length > 0 ? new Date(Math.min(...times)) : null, waitingCount: waiting.length}
}

/** The first non-empty line of a file (the reason in `.err.txt`), at most 300 characters; null when it has none. */
async function firstLine(server: FileServer, path: string, encoding: string): Promise<string | null> {
  const stream = await server.read(path)
  try {
    for await (const line of await decodedLines(stream, encoding)) if (line.trim() !== '') return line.trim().slice(0, 300)
    return null
  } finally {
    // Only the first line is needed: stop the transfer before the connection closes.
    stream.destroy()
  }
}

/** When the ERP last wrote each export file (for `doctor`): customers, items, as the profile names them. */
export async function exportFileTimes(settings: FtpSettings): Promise<ExportFile[]> {
  const location = parseFileServerUrl(settings.url)
  const server = await openFileServer(location, settings, settings.remainingMs?.() ?? settings.timeoutMs, settings.signal, settings.debug)
  try {
    return await statFiles(server, location.basePath, [...customerFilesOf(settings), ...itemFilesOf(settings)])
  } finally {
    await server.close()
  }
}

export function findOrderFile(settings: FtpSettings, orderNr: string): Promise<OrderFileLookup> {
  return findOutboundFile(settings, 'Orders', orderNr)
}
