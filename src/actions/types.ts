import type {HttpClient} from '../http/client.js'
import type {Profile} from '../config/profile.js'
import type {EntityName, TraceReport} from '../report/types.js'
import type {Clock} from '../util/clock.js'
import type {AuditEntry} from './audit.js'
import type {ActionTarget, PlannedRequest, RecordToVerify} from './target.js'

/** What performing an action takes and gives (re-exported by perform.ts). */

export interface Progress {
  text: string
  done?: number
  total?: number
}

export interface PerformOptions {
  /** The run's HTTP client. */
  http: HttpClient
  profile: Profile
  commandSuffix: string
  version: string
  /** --yes: confirmed on the command line. */
  yes: boolean
  dryRun: boolean
  /** May a prompt be shown (stdin and stdout are TTYs, no --json, no --no-input)? */
  interactive: boolean
  confirm: (message: string) => Promise<boolean>
  progress: (progress: Progress) => void
  /** How long to wait for the job before giving up waiting (the job goes on): `--wait`. */
  waitTimeoutMs: number
  /** How long one request may take, retries included (`--timeout`); else the profile's `timeoutMs` or the default. */
  requestTimeoutMs?: number
  /** Reuse the Idempotency-Key of an earlier attempt whose answer was lost. */
  idempotencyKey?: string
  /** Records to re-trace afterwards, besides those the action names (from `trace --fix`). */
  verify?: RecordToVerify[]
  /** The app user a verification trace checks (from `trace --fix --user`). */
  verifyUser?: string
  /** Traces just made of records to verify (`trace --fix`): used as "before" instead of tracing again. */
  tracedBefore?: TraceReport[]
  signal?: AbortSignal
  /** The clock the wait for the job polls on; the wall clock by default. */
  clock?: Clock
  debug?: (line: string) => void
  /** Flags an admin would type for this installation (`--profile <installation>`): the hand-off command. */
  adminCommandSuffix?: string
  /** `retransfer --force`: send the order although the ERP already has it. */
  force?: boolean
  /** Receives the traces made after the action (one per record verified), for `trace --fix` to carry on. */
  onTraced?: (after: TraceReport[]) => void
  /** Receives the installation's time zone once its CMS has said it, to show the result's times in. */
  onTimeZone?: (timeZone: string) => void
  /** The caller verifies the records itself (`reconcile --fix` compares them again in bulk): no trace per record. */
  verifiedByCaller?: boolean
}

export interface VerificationResult {
  entity: EntityName
  key: string
  before: {cause: string; headline: string; brokenLink: TraceReport['verdict']['brokenLink']}
  after: {cause: string; headline: string; brokenLink: TraceReport['verdict']['brokenLink']; summary: string}
  /** The break the action was for is gone (another one may remain downstream). */
  breakGone: boolean
  /** The record is consistent at every hop after the action: only then is it fixed. */
  consistent: boolean
  /** It was consistent before the action already: nothing was broken. */
  alreadyConsistent: boolean
  /** What remains when not consistent: the next action and who takes it. */
  remaining: RemainingBreak | null
}

export interface RemainingBreak {
  headline: string
  cause: string
  summary: string
  action: TraceReport['action']
}

export interface ActionResult {
  action: string
  description: string
  command: string
  scope: ActionTarget
  installation: string | null
  cmsUser: string | null
  role: string | null
  outcome: AuditEntry['outcome']
  reason: string | null
  request: PlannedRequest & {idempotencyKey: string}
  job: {id: string; status: string; attached: boolean; doneAt: string | null} | null
  verification: VerificationResult[]
  /** After an app refresh: has every device of the user run it? */
  devices: Array<{deviceId: string; lastFullRefreshAt: string | null; refreshed: boolean}> | null
  /** After a targeted `prices` run: each list named, as the CMS holds it now (absent for every other action). */
  priceLists?: ListVerification[]
  exitCode: number
}

/** A price list after a targeted `prices` run (src/actions/verify-lists.ts). */
export interface ListVerification {
  priceListCode: string
  /** The CMS knows the list (GET /pricelists/{code} answered 200). */
  found: boolean
  /** null when not found. */
  active: boolean | null
  /** When the CMS's copy of the list last changed. */
  syncedAt: string | null
  /** Found and active. */
  consistent: boolean
  /** What the newest run did with the list itself (`/sync/records?entity=prices&key=`), and why. */
  outcome: string | null
  reason: string | null
}
