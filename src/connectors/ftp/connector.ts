import {redactUrl} from '../../http/redact.js'
import type {CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {type ExportSearch, findRowInCsv, type RowProblem} from './csv-export.js'
import {type FileServer, type FileServerCredentials, openFileServer} from './file-server.js'
import {customerFromExport, defaultCustomerFiles, defaultItemFiles, exportKeyMatches, itemFromExport, xmlCustomerElementNames, xmlItemElementNames} from './layout.js'
import {parseFileServerUrl, pathInBase} from './location.js'
import {findElementInXml} from './xml-export.js'

export interface FtpSettings extends FileServerCredentials {
  /** ftp://, ftps:// or sftp://host[:port]/base-folder */
  url: string
  customerFiles?: string[]
  itemFiles?: string[]
  /** Decimal separator of prices in item exports (default "."). */
  decimal?: string
  delimiter?: string
  /** Encoding of CSV exports (default utf-8). */
  csvEncoding?: string
  /** Encoding of XML exports (default windows-1252). */
  xmlEncoding?: string
  timeoutMs?: number
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
  record: {value: T; inactive: boolean; file: string; line: number; lastModifiedLocal: string | null} | null
  /** The searched customer's own row, when it could not be read. */
  unreadable: RowProblem | null
  /** Other rows that could not be read on the way. */
  otherProblems: RowProblem[]
}

interface ExportSpec<T> {
  files: string[]
  keyColumn: string
  xmlElement: string
  xmlRename: Record<string, string>
  map: (fields: Record<string, string>) => {value: T; inactive: boolean; lastModified: string | null}
}

export type ExportCustomerLookup = ExportLookup<CanonicalCustomer>
export type ExportItemLookup = ExportLookup<CanonicalItem>

/**
 * Finds one record in the ERP's export files on the installation's FTP, FTPS or SFTP server: stats every
 * file of the kind (its time says when the ERP last exported), then streams them in order and stops at
 * the match, so a large export never sits in memory.
 */
async function findInExports<T>(settings: FtpSettings, code: string, spec: ExportSpec<T>): Promise<ExportLookup<T>> {
  const location = parseFileServerUrl(settings.url)
  const server: FileServer = await openFileServer(location, settings, settings.timeoutMs)
  const lookup: ExportLookup<T> = {files: [], location: redactUrl(settings.url), otherProblems: [], record: null, unreadable: null}
  try {
    for (const file of spec.files) {
      const info = await server.stat(pathInBase(location.basePath, file))
      lookup.files.push({exists: info !== null, modifiedAt: info?.modifiedAt ?? null, path: file, size: info?.size ?? null})
    }
    for (const file of lookup.files.filter((entry) => entry.exists)) {
      const stream = await server.read(pathInBase(location.basePath, file.path))
      const matches = (fields: Record<string, string>) => exportKeyMatches(fields[spec.keyColumn], code)
      const search: ExportSearch = file.path.toLowerCase().endsWith('.xml')
        ? await findElementInXml(stream, file.path, {element: spec.xmlElement, encoding: settings.xmlEncoding ?? 'windows-1252', rename: spec.xmlRename}, matches)
        : await findRowInCsv(stream, file.path, {delimiter: settings.delimiter ?? ';', encoding: settings.csvEncoding ?? 'utf-8'}, matches)
      const own = search.problems.find((problem) => problem.key !== null && exportKeyMatches(problem.key, code))
      if (own && !lookup.unreadable) lookup.unreadable = own
      lookup.otherProblems.push(...search.problems.filter((problem) => problem !== own))
      if (search.row) {
        const {inactive, lastModified, value} = spec.map(search.row.fields)
        lookup.record = {file: search.row.file, inactive, lastModifiedLocal: lastModified, line: search.row.line, value}
        break
      }
    }
    return lookup
  } finally {
    await server.close()
  }
}

export function findCustomerInExports(settings: FtpSettings, code: string): Promise<ExportCustomerLookup> {
  return findInExports(settings, code, {
    files: settings.customerFiles ?? defaultCustomerFiles,
    keyColumn: 'CustomerCode',
    map: (fields) => {
      const {customer, inactive, lastModified} = customerFromExport(fields)
      return {inactive, lastModified, value: customer}
    },
    xmlElement: 'Customer',
    xmlRename: xmlCustomerElementNames,
  })
}

export function findItemInExports(settings: FtpSettings, code: string): Promise<ExportItemLookup> {
  return findInExports(settings, code, {
    files: settings.itemFiles ?? defaultItemFiles,
    keyColumn: 'itemcode',
    map: (fields) => itemFromExport(fields, settings.decimal ?? '.'),
    xmlElement: 'Item',
    xmlRename: xmlItemElementNames,
  })
}
