import type {ActionOwner} from '../report/types.js'

/** What kind of problem the fleet view found on an installation (the JSON's `kind`). */
export type FleetProblemKind =
  | 'not-checked'
  | 'unreachable'
  | 'auth'
  | 'credentials-expired'
  | 'sync-failing'
  | 'export-stopped'
  | 'orders-stuck'
  | 'orders-rejected'
  | 'installation-mismatch'
  | 'hop-error'
  | 'sync-overdue'
  | 'clock-skew'
  | 'credentials-expiring'

/** Worst first: the order the table sorts by. */
export const fleetKindOrder: readonly FleetProblemKind[] = [
  'not-checked',
  'unreachable',
  'auth',
  'credentials-expired',
  'sync-failing',
  'export-stopped',
  'orders-stuck',
  'orders-rejected',
  'installation-mismatch',
  'hop-error',
  'sync-overdue',
  'clock-skew',
  'credentials-expiring',
]

export type FleetSeverity = 'critical' | 'warning'

export interface FleetProblem {
  kind: FleetProblemKind
  severity: FleetSeverity
  /** The entity (customers, items, ...) or hop (cms, ftp, ...) it concerns, where one does. */
  subject: string | null
  /** What is wrong, short: "customers sync failing". */
  what: string
  /** Counts and the error: "3 runs: ERP login refused"; null when nothing to add. */
  detail: string | null
  /** The line a person reads: what, since when in the installation's zone, the detail. */
  summary: string
  /** Since when (ISO 8601), where the sources say. */
  since: string | null
  owner: ActionOwner
  /** What the owner does. */
  action: string
  command: string | null
}

/** One installation's line of the fleet view (the `--json` object, schemas/doctor-fleet.schema.json). */
export interface FleetEntry {
  profile: string
  installation: string | null
  name: string | null
  erp: string | null
  connection: string | null
  /** The installation's time zone (its auto-sync's), in which times are shown. */
  timeZone: string
  status: 'healthy' | 'problems' | 'not-checked'
  /** Worst first. */
  problems: FleetProblem[]
  checkedAt: string
}

/** The rank of a problem: lower is worse. */
export const kindRank = (kind: FleetProblemKind): number => fleetKindOrder.indexOf(kind)
