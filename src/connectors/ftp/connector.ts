import {redactUrl} from '../../http/redact.js'
import type {CanonicalCustomer} from '../../model/customer.js'
import {type ExportSearch, findRowInCsv, type RowProblem} from './csv-export.js'
import {type FileServer, type FileServerCredentials, openFileServer} from './file-server.js'
import {customerFromExport, defaultCustomerFiles, exportKeyMatches, xmlCustomerElementNames} from './layout.js'
import {parseFileServerUrl, pathInBase} from './location.js'
import {findElementInXml} from './xml-export.js'

export interface FtpSettings extends FileServerCredentials {
  /** ftp://, ftps:// or sftp://host[:port]/base-folder */
  url: string
  customerFiles?: string[]
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

export interface ExportCustomerLookup {
  /** The file server and base folder, without credentials. */
  location: string
  files: ExportFile[]
  record: {customer: CanonicalCustomer; inactive: boolean; file: string; line: number; lastModifiedLocal: string | null} | null
  /** The searched customer's own row, when it could not be read. */
  unreadable: RowProblem | null
  /** Other rows that could not be read on the way. */
  otherProblems: RowProblem[]
}

/**
 * Finds one customer in the ERP's export files on the installation's FTP, FTPS or SFTP server: stats
 * every customer file (its time says when the ERP last exported), then streams them in order and stops
 * at the match, so a large export never sits in memory.
 */
export async function findCustomerInExports(settings: FtpSettings, code: string): Promise<ExportCustomerLookup> {
  const location = parseFileServerUrl(settings.url)
  const files = settings.customerFiles ?? defaultCustomerFiles
  const server: FileServer = await openFileServer(location, settings, settings.timeoutMs)
  const lookup: ExportCustomerLookup = {files: [], location: redactUrl(settings.url), otherProblems: [], record: null, unreadable: null}
  try {
    for (const file of files) {
      const info = await server.stat(pathInBase(location.basePath, file))
      lookup.files.push({exists: info !== null, modifiedAt: info?.modifiedAt ?? null, path: file, size: info?.size ?? null})
    }
    for (const file of lookup.files.filter((entry) => entry.exists)) {
      const stream = await server.read(pathInBase(location.basePath, file.path))
      const matches = (fields: Record<string, string>) => exportKeyMatches(fields.CustomerCode, code)
      const search: ExportSearch = file.path.toLowerCase().endsWith('.xml')
        ? await findElementInXml(stream, file.path, {element: 'Customer', encoding: settings.xmlEncoding ?? 'windows-1252', rename: xmlCustomerElementNames}, matches)
        : await findRowInCsv(stream, file.path, {delimiter: settings.delimiter ?? ';', encoding: settings.csvEncoding ?? 'utf-8'}, matches)
      const own = search.problems.find((problem) => problem.key !== null && exportKeyMatches(problem.key, code))
      if (own && !lookup.unreadable) lookup.unreadable = own
      lookup.otherProblems.push(...search.problems.filter((problem) => problem !== own))
      if (search.row) {
        const {customer, inactive, lastModified} = customerFromExport(search.row.fields)
        lookup.record = {customer, file: search.row.file, inactive, lastModifiedLocal: lastModified, line: search.row.line}
        break
      }
    }
    return lookup
  } finally {
    await server.close()
  }
}
