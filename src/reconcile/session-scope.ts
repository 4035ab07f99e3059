import type {Profile} from '../config/profile.js'
import type {InstallationClients} from '../connectors/installation.js'
import type {Installation} from '../connectors/platform/types.js'
import type {HttpClient} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import type {ReconcileProgress} from './run.js'
import type {HopPair, ReconcileTarget} from './types.js'

export interface ReconcileRequest {
  /** The run's HTTP client: pages are asked over its connections, each page with its own deadline. */
  http: HttpClient
  profile: Profile
  entity: ReconcileTarget
  /** Null: the first pair of the installation's chain (ERP → CMS, or the export → CMS). */
  between: HopPair | null
  resume: boolean
  /** Seconds one page request may take, retries included (--timeout). */
  timeoutSeconds?: number
  onlyKeys?: Set<string>
  signal?: AbortSignal
  debug?: (line: string) => void
  progress?: (progress: ReconcileProgress) => void
  version: string
  commandSuffix: string
  /** Records per page asked of the platform's lists (1–1000, default 1000). */
  pageSize?: number
  env?: NodeJS.ProcessEnv
}

/** What a run knows before it merges: the installation, the two hops, and the folder of its work. */
export interface RunScope {
  request: ReconcileRequest
  http: HttpClient
  clients: InstallationClients
  installation: Installation
  between: HopPair
  folder: string
}

export function problemText(error: unknown): string {
  return error instanceof RequestProblem ? error.problem.message : String((error as Error).message ?? error)
}
