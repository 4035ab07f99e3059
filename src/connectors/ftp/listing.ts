import type {CanonicalCustomer} from '../../model/customer.js'
import type {CanonicalItem} from '../../model/item.js'
import {redactUrl} from '../../http/redact.js'
import type {NotSupplied} from '../../model/mapping.js'
import {type ExportFile, exportFilesOf, type ExportLookup, type FtpSettings, layoutOf} from './connector.js'
import type {ExportFileChoice} from './source-file.js'
import type {ExportKind} from './layouts/types.js'
import {exportRowSkippedBecause} from './layout.js'
import {findRowInCsv, type RowProblem} from './csv-export.js'
import {type FileServer, openFileServer} from './file-server.js'
import {parseFileServerUrl, pathInBase} from './location.js'
import {findElementInXml} from './xml-export.js'

/** One row of an export file read in full (`reconcile`): the record, or the row's problem. */
export interface ExportRecord<T> {
  key: string
  value: T
  /** The row's `LastModified` as written (local time of the installation). */
  lastModifiedLocal: string | null
  file: string
  /** When the ERP last wrote the file (the server's modification time). */
  fileModifiedAt: Date | null
  /** Fields the layout's connector never reads (never compared), and why it skips the row, if it does. */
  notSupplied: NotSupplied[]
  skippedBecause: string | null
}

/**
 * One entity in the ERP's export files on the installation's file server, as an ERP connector's
 * `entities.<entity>`: one record by its key (`find`), every row for `reconcile` (`list`).
 */
export interface ExportResource<T> {
  find(settings: FtpSettings, code: string): Promise<ExportLookup<T>>
  list(
    settings: FtpSettings,
    onRow: (record: ExportRecord<T>) => void,
    onProblem: (problem: RowProblem) => void,
  ): Promise<ExportReadResult>
}

export interface ExportReadResult {
  location: string
  /** The files read (the profile's, else the file the CMS's last run read, else the layout's), each with why. */
  files: ExportFile[]
}

/**
 * Reads every row of an installation's export files of one kind (customers.csv and customers.xml, or
 * items.csv/.xml), streaming: each row goes to `onRow` as it is read and each unreadable one to `onProblem`
 * (by file and line), so a large export never sits in memory. The session has the settings' deadline.
 */
export async function readExportRows<T extends CanonicalCustomer | CanonicalItem>(
  settings: FtpSettings,
  entity: 'customers' | 'items',
  onRow: (record: ExportRecord<T>) => void,
  onProblem: (problem: RowProblem) => void,
): Promise<ExportReadResult> {
  const location = parseFileServerUrl(settings.url)
  const chosen = exportFilesOf(settings, entity)
  const server = await openFileServer(
    location,
    settings,
    settings.remainingMs?.() ?? settings.timeoutMs,
    settings.signal,
    settings.debug,
  )
  const layout = layoutOf(settings)
  const kind = (entity === 'customers' ? layout.customers : layout.items) as unknown as ExportKind<T>
  const result: ExportReadResult = {files: [], location: redactUrl(settings.url)}
  try {
    result.files.push(...(await statFiles(server, location.basePath, chosen)))
    // No file is no rows: every record would look removed from the ERP. The export is missing where the CMS reads it.
    if (!result.files.some((file) => file.exists))
      throw new Error(
        `none of the export files is on the server (${chosen.files.join(', ')}: ${chosen.because}): the ERP's export is not where the CMS reads it`,
      )
    for (const file of result.files.filter((entry) => entry.exists))
      await readFileRows(server, location.basePath, file, {kind, layout, onProblem, onRow, settings})
    return result
  } finally {
    await server.close()
  }
}

/** Each chosen file on the server: whether it is there, its time and size, and why it was chosen. */
async function statFiles(server: FileServer, basePath: string, chosen: ExportFileChoice): Promise<ExportFile[]> {
  const files: ExportFile[] = []
  for (const path of chosen.files) {
    const info = await server.stat(pathInBase(basePath, path))
    files.push({
      because: chosen.because,
      exists: info !== null,
      modifiedAt: info?.modifiedAt ?? null,
      path,
      size: info?.size ?? null,
    })
  }
  return files
}

/** Every row of one export file (CSV or XML) to `onRow`, each unreadable one to `onProblem`. */
async function readFileRows<T extends CanonicalCustomer | CanonicalItem>(
  server: FileServer,
  basePath: string,
  file: ExportFile,
  reading: {
    settings: FtpSettings
    layout: ReturnType<typeof layoutOf>
    kind: ExportKind<T>
    onRow: (record: ExportRecord<T>) => void
    onProblem: (problem: RowProblem) => void
  },
): Promise<void> {
  const {kind, layout, onProblem, onRow, settings} = reading
  const stream = await server.read(pathInBase(basePath, file.path))
  // Every row through the layout's own mapping, as a trace reads one (searchExport): names, encoding, what it never reads.
  const take = (fields: Record<string, string>) => {
    const row = kind.map(fields, {decimal: settings.decimal ?? '.'})
    const {lastModified, notSupplied, value} = row
    const skippedBecause = exportRowSkippedBecause(row, file.path)
    if (value.code !== '')
      onRow({
        file: file.path,
        fileModifiedAt: file.modifiedAt,
        key: value.code,
        lastModifiedLocal: lastModified,
        notSupplied,
        skippedBecause,
        value,
      })
    return false
  }
  const search = file.path.toLowerCase().endsWith('.xml')
    ? await findElementInXml(
        stream,
        file.path,
        {
          element: kind.xmlElement,
          encoding: settings.xmlEncoding ?? layout.xmlEncoding,
          keyColumn: kind.keyColumn,
          rename: kind.xmlRename,
        },
        take,
      )
    : await findRowInCsv(
        stream,
        file.path,
        {delimiter: settings.delimiter ?? ';', encoding: settings.csvEncoding ?? layout.csvEncoding},
        take,
        undefined,
        onProblem,
      )
  for (const problem of search.problems) onProblem(problem)
}
