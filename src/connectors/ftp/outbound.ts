import {redactUrl} from '../../http/redact.js'
import type {ExportFile, FtpSettings} from './connector.js'
import type {FileInfo, FileServer} from './file-server.js'
import type {OutboundFolder} from './layouts/types.js'
import {isSafeListedName, parseFileServerUrl, pathInBase} from './location.js'

/** The outbound folders the ERP polls (orders, new customers): where the CMS's file for a key is now. */
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

/** The layouts and the file server: loaded when an ftp installation's files are looked up, not by every trace. */
const fileServerParts = () => Promise.all([import('./connector.js'), import('./file-server.js')])

/**
 * Finds the file of an order (`Orders/`) or of a customer created in the app (`Customers/`) in the outbound
 * folders the ERP polls, reading the listings (names never leave the base folder).
 */
export async function findOutboundFile(
  settings: FtpSettings,
  root: 'Orders' | 'Customers',
  orderNr: string,
): Promise<OrderFileLookup> {
  const [{layoutOf, sideFilesOf, statSideFiles}, {openFileServer}] = await fileServerParts()
  const layout = layoutOf(settings)
  const folders = root === 'Orders' ? layout.orders : layout.newCustomers
  const fileName = `${orderNr}${folders.extension}`
  if (!isSafeListedName(fileName))
    throw new Error(`refused key "${orderNr.slice(0, 60)}" as a file name: it would leave the ${folders.folder} folder`)
  const location = parseFileServerUrl(settings.url)
  const server = await openFileServer(
    location,
    settings,
    settings.remainingMs?.() ?? settings.timeoutMs,
    settings.signal,
    settings.debug,
  )
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
      const reasonName =
        state === 'rejected'
          ? files.find((entry) => entry.name.toLowerCase() === `${orderNr}.err.txt`.toLowerCase())?.name
          : undefined
      if (reasonName)
        lookup.errorReason = await firstLine(
          server,
          inBase(`${folder}/${reasonName}`),
          settings.csvEncoding ?? layout.csvEncoding,
        )
    }
    lookup.exportFiles = await statSideFiles(server, location.basePath, [
      ...sideFilesOf(settings, 'customers'),
      ...sideFilesOf(settings, 'items'),
    ])
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
  const {decodedLines} = await import('./csv-export.js')
  const stream = await server.read(path)
  try {
    for await (const line of await decodedLines(stream, encoding))
      if (line.trim() !== '') return line.trim().slice(0, 300)
    return null
  } finally {
    // Only the first line is needed: stop the transfer before the connection closes.
    stream.destroy()
  }
}
