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
): Promise<S & {url: string; erpSystem: string | null}> {
  // The layout follows the ERP the CMS reports unless the profile names one.
  const reported = settings.url && settings.layout ? undefined : answerOf(await installation)
  const url = settings.url ?? reported?.ftpUrl
  if (!url) throw new Error('no file-server URL: the CMS reports none and the profile gives no ftp.url')
  return {...settings, erpSystem: reported?.erpSystem ?? null, url}
}
