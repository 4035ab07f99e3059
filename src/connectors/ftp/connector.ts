import type {Readable} from 'node:stream'

import {redactUrl} from '../../http/redact.js'
import type {CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import type {NotSupplied} from '../../model/mapping.js'
import {type ExportSearch, findRowInCsv, type RowProblem} from './csv-export.js'
import {type FileServer, type FileServerCredentials, openFileServer} from './file-server.js'
import {exportKeyMatches, exportRowSkippedBecause} from './layout.js'
import {ftpLayoutFor} from './layouts/registry.js'
import type {ExportKind, FtpLayout} from './layouts/types.js'
import {parseFileServerUrl, pathInBase} from './location.js'
import {chooseExportFiles, type ExportEntity, type ExportFileChoice, type ReadByCms} from './source-file.js'
import {findElementInXml} from './xml-export.js'

export interface FtpSettings extends FileServerCredentials {
  /** ftp://, ftps:// or sftp://host[:port]/base-folder */
  url: string
  /** The profile's `ftp.layout`; else the layout of the ERP the CMS reports (`erpSystem`), else the generic one. */
  layout?: string
  /** What the CMS reports as the installation's `erp.system` (filled in from `/installation`). */
  erpSystem?: string | null
  /** The export file names the profile gives; else the CMS's runs' (`readByCms`), else the layout's (`customers.csv`, Winbas `_customers.xml`, Monitor `customers.xml`). */
  customerFiles?: string[]
  itemFiles?: string[]
  /** The price-list files (`pricelists.csv`); else the CMS's last `prices` run's, else the layout's. */
  priceListFiles?: string[]
  /** The file the CMS's latest run of each entity read (`sourceFile` in `/sync/runs`), filled in from the CMS. */
  readByCms?: Partial<Record<ExportEntity, ReadByCms | null>>
  /** The CMS's runs could not be read: the layout's defaults are a guess. */
  runsUnread?: boolean
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
  /** Why this file is the one read: "the file the CMS's last customers run r-8812 read (its sourceFile)". */
  because?: string
}

export interface ExportLookup<T> {
  /** The file server and base folder, without credentials. */
  location: string
  files: ExportFile[]
  /** The layout the files were read as (`generic`, `winbas`, `monitor`). */
  layout: string
  /** Which files were read, and why those (the profile's, the CMS's last run's, the layout's defaults). */
  chosen: ExportFileChoice
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
  chosen: ExportFileChoice
  /** Stated, never read: the other kind's export files. */
  otherFiles: string[]
  kind: ExportKind<T>
  layout: FtpLayout
}

export type ExportCustomerLookup = ExportLookup<CanonicalCustomer>
export type ExportItemLookup = ExportLookup<CanonicalItem>

/** When the ERP last wrote each of these files (relative to the base folder). */
export async function statFiles(server: FileServer, basePath: string, paths: string[]): Promise<ExportFile[]> {
  const files: ExportFile[] = []
  for (const path of paths) {
    const info = await server.stat(pathInBase(basePath, path))
    files.push({exists: info !== null, modifiedAt: info?.modifiedAt ?? null, path, size: info?.size ?? null})
  }
  return files
}

/** The same for files only looked at on the side (another kind's exports): one that cannot be asked about is left out, never the trace's error. */
export async function statSideFiles(server: FileServer, basePath: string, paths: string[]): Promise<ExportFile[]> {
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

/** The export files of one kind the CMS reads (source-file.ts); a hostile `sourceFile` throws: the hop's error. */
export function exportFilesOf(settings: FtpSettings, entity: ExportEntity): ExportFileChoice {
  const layout = layoutOf(settings)
  return chooseExportFiles({
    basePath: parseFileServerUrl(settings.url).basePath,
    entity,
    kind: entity === 'prices' ? {defaultFiles: layout.prices.priceListFiles} : layout[entity],
    layoutName: layout.id,
    profileFiles: {customers: settings.customerFiles, items: settings.itemFiles, prices: settings.priceListFiles}[
      entity
    ],
    readByCms: settings.readByCms?.[entity],
    runsUnread: settings.runsUnread,
  })
}

/** The other kind's files, only looked at on the side: a hostile name there leaves them out, never fails the lookup. */
export const sideFilesOf = (settings: FtpSettings, entity: ExportEntity): string[] => {
  try {
    return exportFilesOf(settings, entity).files
  } catch {
    return []
  }
}

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
    ? findElementInXml(
        stream,
        file,
        {
          element: kind.xmlElement,
          encoding: settings.xmlEncoding ?? layout.xmlEncoding,
          keyColumn: kind.keyColumn,
          rename: kind.xmlRename,
        },
        matches,
      )
    : findRowInCsv(
        stream,
        file,
        {delimiter: settings.delimiter ?? ';', encoding: settings.csvEncoding ?? layout.csvEncoding},
        matches,
        code.includes('"') ? undefined : code,
      )
}

/** A session on the file server with what is left of the run's deadline. */
export function openSession(
  settings: FtpSettings,
  location: ReturnType<typeof parseFileServerUrl>,
): Promise<FileServer> {
  return openFileServer(
    location,
    settings,
    settings.remainingMs?.() ?? settings.timeoutMs,
    settings.signal,
    settings.debug,
  )
}

/**
 * Finds one record in the ERP's export files on the installation's FTP, FTPS or SFTP server: stats every
 * file of the kind (its time says when the ERP last exported), then streams them in order and stops at
 * the match, so a large export never sits in memory.
 */
export async function findInExports<T>(
  settings: FtpSettings,
  code: string,
  spec: ExportSpec<T>,
): Promise<ExportLookup<T>> {
  const location = parseFileServerUrl(settings.url)
  const server = await openSession(settings, location)
  const lookup: ExportLookup<T> = {
    chosen: spec.chosen,
    files: [],
    layout: spec.layout.id,
    location: redactUrl(settings.url),
    otherExports: [],
    otherProblems: [],
    record: null,
    unreadable: null,
  }
  const {kind} = spec
  try {
    lookup.files = (await statFiles(server, location.basePath, spec.chosen.files)).map((file) => ({
      ...file,
      because: spec.chosen.because,
    }))
    lookup.otherExports = await statSideFiles(server, location.basePath, spec.otherFiles)
    for (const file of lookup.files.filter((entry) => entry.exists)) {
      const search = await searchExport(
        await server.read(pathInBase(location.basePath, file.path)),
        file.path,
        code,
        spec.layout,
        kind,
        settings,
      )
      const own = search.problems.find((problem) => problem.key !== null && exportKeyMatches(problem.key, code))
      if (own && !lookup.unreadable) lookup.unreadable = own
      lookup.otherProblems.push(...search.problems.filter((problem) => problem !== own))
      if (search.row) {
        const row = kind.map(search.row.fields, {decimal: settings.decimal ?? '.'})
        const {inactive, lastModified, notSupplied, value} = row
        const skippedBecause = exportRowSkippedBecause(row, search.row.file)
        lookup.record = {
          file: search.row.file,
          inactive,
          lastModifiedLocal: lastModified,
          line: search.row.line,
          notSupplied,
          skippedBecause,
          value,
        }
        break
      }
    }
    return lookup
  } finally {
    await server.close()
  }
}

/** When the ERP last wrote each export file (for `doctor`): customers, items, the files the CMS reads (each with why). */
export async function exportFileTimes(settings: FtpSettings): Promise<ExportFile[]> {
  const location = parseFileServerUrl(settings.url)
  const chosen = (['customers', 'items'] as const).map((entity) => exportFilesOf(settings, entity))
  const server = await openSession(settings, location)
  try {
    const files: ExportFile[] = []
    for (const choice of chosen)
      files.push(
        ...(await statFiles(server, location.basePath, choice.files)).map((file) => ({
          ...file,
          because: choice.because,
        })),
      )
    return files
  } finally {
    await server.close()
  }
}
