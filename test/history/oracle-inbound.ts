import {after, broken, type Held, hours, same, type Sync} from './oracle-rules.js'
import {graceMinutes, type Knobs, type OracleAnswer} from './types.js'

/** The rules customers and items share on their way in: the export's age, the file the last sync read, the app's and the webshop's copies. */

/** ftp: an export older than two sync intervals means the export job has stopped; near that boundary the rules leave it open. */
export function exportAgeRule(exportedAgo: number, names: {file: string; written: string}): OracleAnswer | null {
  const ageHours = hours(exportedAgo)
  if (ageHours > 40 && ageHours < 60) return {ambiguous: `${names.file} is near the export-stale boundary`}
  if (ageHours >= 60)
    return broken('erp', 'ftp', 'export-stale', `${names.written} was last written ${Math.round(ageHours)} h ago`)
  return null
}

/**
 * ftp, export files named by the connector's settings: only a run of the CMS says which file it reads
 * (platform-api.md `sourceFile`; the layout's names are defaults). Before any run, or with the CMS down,
 * nothing names it, and the layout's default is not on the server.
 */
export function unnamedExportRule(
  knobs: Knobs,
  runs: number,
  cmsDown: boolean,
  exported: {ago: number} | null,
): OracleAnswer | null {
  if (!knobs.filesFromSettings || !exported) return null
  return runs === 0 || cmsDown
    ? {ambiguous: "no readable CMS run names the export file, and the layout's default is not there"}
    : null
}

/** ftp: the last sync ran when there was no export file yet, and there is one now. */
export function syncedBeforeExport(
  ftp: boolean,
  last: Sync | undefined,
  exported: {ago: number} | null,
): OracleAnswer | null {
  return ftp && last && last.readFileAgo === null && exported
    ? {ambiguous: 'a sync ran when there was no export file yet'}
    : null
}

/** ftp: the export file was written again after the version the last sync read. */
export function fileNewerThanLastSync(ftp: boolean, last: Sync | undefined, exported: {ago: number} | null): boolean {
  return ftp && last !== undefined && exported !== null && after(exported.ago, last.readFileAgo)
}

/** CMS → app: the app never got the record, or got an older version than the CMS holds. */
export function appCopyRule<V>(app: Held<V> | null, cmsValues: V): OracleAnswer | null {
  if (!app) return broken('cms', 'app', 'not-published-to-app', 'never published to the app')
  if (!same(app.values, cmsValues))
    return broken('cms', 'app', 'app-publish-behind', 'the app was published an older version')
  return null
}

/** CMS → webshop: the webshop lacks the CMS's version, pending while the CMS wrote it within the push grace. */
export function webshopCopyRule<V>(cmsAt: number, webshop: Held<V> | null, cmsVersion: V): OracleAnswer | null {
  if (webshop && same(webshop.values, cmsVersion)) return null
  if (cmsAt < graceMinutes.webshopPush)
    return broken('cms', 'webshop', 'webshop-push-pending', 'the CMS wrote it minutes ago')
  return broken(
    'cms',
    'webshop',
    webshop ? 'webshop-behind' : 'not-published-to-webshop',
    'the webshop lacks the CMS version',
  )
}
