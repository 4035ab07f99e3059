import type {DoctorAdvice, DoctorReport} from './doctor.js'
import type {FleetProblem, FleetProblemKind} from './fleet-types.js'
import {type HopHealth, type HopIssue, issuesOf} from './health.js'

const issueKinds: Record<HopIssue, FleetProblemKind> = {
  'clock-skew': 'clock-skew',
  'export-missing': 'export-stopped',
  'export-stale': 'export-stopped',
  'installation-unreadable': 'hop-error',
}

function requestKind(hop: HopHealth): FleetProblemKind {
  const kind = hop.problem?.kind
  if (kind === 'auth') return 'auth'
  if (kind === 'unreachable' || kind === 'timeout') return 'unreachable'
  return 'hop-error'
}

const warnings = new Set<FleetProblemKind>(['clock-skew', 'hop-error', 'sync-overdue', 'credentials-expiring'])

function problem(
  kind: FleetProblemKind,
  subject: string,
  what: string,
  advice: DoctorAdvice | undefined,
  since: string | null = null,
): FleetProblem {
  return {
    action: advice?.description ?? '',
    command: advice?.command ?? null,
    detail: null,
    kind,
    owner: advice?.owner ?? 'platform-support',
    severity: warnings.has(kind) ? 'warning' : 'critical',
    since,
    subject,
    summary: '',
    what,
  }
}

/**
 * Today's doctor findings as the fleet view's problems: each hop's failed request, its flagged notes (a
 * stopped export since its file's time, a skewed clock) and a profile pointing at another installation. Its sync lines are left
 * out: the fleet view reads the runs itself (failing streaks, overdue auto-syncs).
 */
export function doctorProblems(report: DoctorReport): FleetProblem[] {
  const found: FleetProblem[] = []
  let next = 0
  for (const hop of report.hops)
    if (hop.problem)
      found.push(problem(requestKind(hop), hop.hop, `${hop.hop}: ${hop.problem.message}`, report.advice[next++]))
  for (const hop of report.hops)
    for (const {issue, note, since} of issuesOf(hop)) {
      const kind = issueKinds[issue]
      const what = kind === 'export-stopped' ? 'export files stopped' : `${hop.hop}: ${note}`
      const entry = problem(kind, hop.hop, what, report.advice[next++], since?.toISOString() ?? null)
      if (kind === 'export-stopped') entry.detail = note
      found.push(entry)
    }
  const mismatch = report.advice.find((entry) => entry.problem.startsWith('cms: the CMS reports installation'))
  if (mismatch) found.push(problem('installation-mismatch', 'cms', mismatch.problem, mismatch))
  return found
}
