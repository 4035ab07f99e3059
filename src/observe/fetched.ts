import type {FtpSettings} from '../connectors/ftp/connector.js'
import {readByCmsOf} from '../connectors/ftp/source-file.js'
import type {SyncRun} from '../connectors/platform/types.js'
import {type HopProblem, RequestProblem} from '../http/problem.js'

/** The outcome of asking one hop: its answer, or why there is none. */
export type Fetched<T> = {ok: true; value: T; durationMs: number} | {ok: false; problem: HopProblem; durationMs: number}

/** Runs a hop's lookup and keeps its failure as data, so one failing hop never stops the others. */
export async function settle<T>(lookup: () => Promise<T>): Promise<Fetched<T>> {
  const started = performance.now()
  try {
    const value = await lookup()
    return {durationMs: Math.round(performance.now() - started), ok: true, value}
  } catch (error) {
    const durationMs = Math.round(performance.now() - started)
    if (error instanceof RequestProblem) return {durationMs, ok: false, problem: error.problem}
    if ((error as Error)?.name === 'AbortError') throw error
    return {durationMs, ok: false, problem: {kind: 'bad-response', message: (error as Error)?.message ?? String(error)}}
  }
}

export function answerOf<T>(fetched: Fetched<T> | null | undefined): T | undefined {
  return fetched && fetched.ok ? fetched.value : undefined
}

/**
 * The file-server settings of a lookup: the profile's, with the URL from the profile or else from the CMS's
 * `/installation` (so the lookup waits for it only when the profile gives no URL or no layout), and the
 * ERP the CMS reports, which picks the file layout when the profile names none.
 */
export async function fileServerSettings<S extends {url?: string; layout?: string}>(
  settings: S,
  installation: Promise<Fetched<{ftpUrl: string | null; erpSystem?: string}>>,
  runs: Array<Promise<Fetched<SyncRun[]>>> = [],
): Promise<S & {url: string; erpSystem: string | null; readByCms: FtpSettings['readByCms']; runsUnread: boolean}> {
  // The layout follows the ERP the CMS reports unless the profile names one.
  const reported = settings.url && settings.layout ? undefined : answerOf(await installation)
  const url = settings.url ?? reported?.ftpUrl
  if (!url) throw new Error('no file-server URL: the CMS reports none and the profile gives no ftp.url')
  // The files the CMS's own runs read: runs that cannot be read leave the profile's or the layout's names.
  const answers = await Promise.all(runs)
  const known = answers.flatMap((fetched) => answerOf(fetched) ?? [])
  const readByCms = {customers: readByCmsOf(known, 'customers'), items: readByCmsOf(known, 'items')}
  return {
    ...settings,
    erpSystem: reported?.erpSystem ?? null,
    readByCms,
    runsUnread: answers.some((fetched) => !fetched.ok),
    url,
  }
}

/** The customers and items runs an export lookup needs, asked only when the profile reaches the file server. */
export function exportRuns(
  cms: {syncRuns(entity: 'customers' | 'items', limit: number): Promise<SyncRun[]>},
  known: Partial<Record<'customers' | 'items', Promise<Fetched<SyncRun[]>>>> = {},
): Array<Promise<Fetched<SyncRun[]>>> {
  return (['customers', 'items'] as const).map((entity) => known[entity] ?? settle(() => cms.syncRuns(entity, 10)))
}

/** Awaits every named lookup at once (they already run): each answer under its name. */
export async function awaitAll<T extends Record<string, Promise<unknown>>>(
  lookups: T,
): Promise<{[K in keyof T]: Awaited<T[K]>}> {
  const names = Object.keys(lookups)
  const answers = await Promise.all(Object.values(lookups))
  return Object.fromEntries(names.map((name, index) => [name, answers[index]])) as {[K in keyof T]: Awaited<T[K]>}
}
