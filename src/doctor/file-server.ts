import type {Installation, SyncRun} from '../connectors/platform/types.js'
import {type ExportFile, exportFileTimes, layoutOf} from '../connectors/ftp/connector.js'
import type {InstallationClients} from '../connectors/installation.js'
import {staleExportFiles, syncEveryHours} from '../connectors/platform/schedule.js'
import {RequestProblem} from '../http/problem.js'
import {displayUrl} from '../http/redact.js'
import {fileServerSettings, settle} from '../observe/fetched.js'
import {formatDuration} from '../util/time.js'
import {emptyHealth, failure, flagIssue, type HopHealth} from './health.js'

/** The file server of an ftp installation: reachable, the login accepted, and how old each export file is. */
export async function checkFileServer(
  settings: InstallationClients['ftp'],
  installation: Installation | null,
  now: Date,
  runs: SyncRun[] = [],
): Promise<HopHealth> {
  const health = emptyHealth('ftp', 'ftp', null)
  if (!settings)
    return {
      ...health,
      notes: ['no file-server credentials in this profile: export files are not read'],
      status: 'not-configured',
    }
  const reported = {
    durationMs: 0,
    ok: true as const,
    value: {erpSystem: installation?.erpSystem, ftpUrl: installation?.ftpUrl ?? null},
  }
  // The files the CMS's runs read, never a layout default it does not read.
  const knownRuns = [Promise.resolve({durationMs: 0, ok: true as const, value: runs})]
  const fetched = await settle(async () =>
    exportFileTimes(await fileServerSettings(settings, Promise.resolve(reported), knownRuns)),
  )
  const layout = layoutOf({...settings, erpSystem: installation?.erpSystem ?? null, url: ''})
  const printedUrl = settings.url ?? installation?.ftpUrl ?? null
  if (!fetched.ok)
    return failure(
      {...health, url: printedUrl === null ? null : displayUrl(printedUrl)},
      new RequestProblem(fetched.problem),
    )
  const everyHours = syncEveryHours(installation)
  // Which files the CMS reads (and how often) comes from the CMS or the profile's ftp.layout: without
  // either, a layout default missing or old says nothing about the ERP's export job.
  const judged = installation !== null || Boolean(settings.layout)
  const stale = new Set<ExportFile>(judged ? staleExportFiles(fetched.value, installation, now) : [])
  const result: HopHealth = {
    ...health,
    authenticated: true,
    latencyMs: fetched.durationMs,
    reachable: true,
    url: displayUrl(printedUrl ?? ''),
  }
  reportFileAges(result, fetched.value, {everyHours, now, stale})
  if (layout.id !== 'generic') result.notes.push(`file layout: ${layout.description}`)
  result.notes.push(...whyTheseFiles(fetched.value))
  if (!judged)
    result.notes.push(
      'which export files the CMS reads is not known (the CMS could not be read and the profile names no ftp.layout): their ages are not judged',
    )
  else if (Object.keys(result.reports).length === 0) {
    flagIssue(
      result,
      'export-missing',
      `none of the export files is in the base folder (${fetched.value.map((file) => `${file.path}: ${file.because ?? 'read by the CMS'}`).join('; ')})`,
    )
  }
  return result
}

/** Each export file's age, and a problem for each one older than the sync schedule allows (its job has stopped). */
function reportFileAges(
  result: HopHealth,
  files: ExportFile[],
  schedule: {everyHours: number; now: Date; stale: Set<ExportFile>},
): void {
  const {everyHours, now, stale} = schedule
  for (const file of files) {
    if (!file.exists) continue
    const ageMs = file.modifiedAt ? now.getTime() - file.modifiedAt.getTime() : null
    result.reports[file.path] = ageMs === null ? 'time unknown' : `written ${formatDuration(ageMs)} ago`
    if (ageMs !== null && stale.has(file)) {
      flagIssue(
        result,
        'export-stale',
        `${file.path} was last written ${formatDuration(ageMs)} ago although the CMS syncs every ${everyHours} h: the ERP's export job has stopped`,
        file.modifiedAt ?? undefined,
      )
    }
  }
}

/** Which files were read, and why those: the CMS's own runs name them, the layout's names are only a fallback. */
function whyTheseFiles(files: ExportFile[]): string[] {
  const reasons = new Set(files.map((file) => file.because).filter((why): why is string => why !== undefined))
  return [...reasons].map(
    (because) =>
      `${files
        .filter((file) => file.because === because)
        .map((file) => file.path)
        .join(', ')}: ${because}`,
  )
}
