import {type FtpSettings, layoutOf} from './connector.js'
import {openFileServer} from './file-server.js'
import {isSafeListedName, parseFileServerUrl, pathInBase} from './location.js'

/** An order file the ERP's import rejected: in the layout's `error/` folder (`Orders/error/A-2001.csv`). */
export interface RejectedOrderFile {
  path: string
  modifiedAt: Date | null
}

/** The order files in the layout's error folder (names that would leave the folder are left out). */
export async function rejectedOrderFiles(settings: FtpSettings): Promise<RejectedOrderFile[]> {
  const {orders} = layoutOf(settings)
  const location = parseFileServerUrl(settings.url)
  const server = await openFileServer(
    location,
    settings,
    settings.remainingMs?.() ?? settings.timeoutMs,
    settings.signal,
    settings.debug,
  )
  try {
    const files = await server.list(pathInBase(location.basePath, orders.error)).catch(() => [])
    return files
      .filter(
        (file) =>
          !file.isDirectory &&
          isSafeListedName(file.name) &&
          // The import's reason beside a rejected file (`A-2001.err.txt`) is not an order.
          !file.name.toLowerCase().endsWith('.err.txt') &&
          file.name.toLowerCase().endsWith(orders.extension.toLowerCase()),
      )
      .map((file) => ({modifiedAt: file.modifiedAt, path: `${orders.error}/${file.name}`}))
  } finally {
    await server.close()
  }
}
