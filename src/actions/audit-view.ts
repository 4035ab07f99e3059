import type {AuditEntry} from './audit.js'
import {describeTarget} from './target.js'
import {sanitizeForTerminal} from '../util/sanitize.js'
import {formatInZone, isTimeZone, localTimeZone} from '../util/time.js'

/**
 * `synctrace audit` on a terminal: each entry in a few lines. The log holds what servers answered (the CMS
 * user, a job id, a refusal's reason) and may have been edited by hand, so every field is read as unknown
 * and shown as neutralised text: no field of the wrong kind crashes the listing, no control, escape,
 * bidi override or line separator reaches the terminal, and no value breaks out of its line.
 */
function text(value: unknown, missing = '?'): string {
  if (value === null || value === undefined) return missing
  return sanitizeForTerminal(typeof value === 'string' ? value : JSON.stringify(value))
}

/**
 * The entry's time in its installation's zone (logged with it), named after the offset since entries of
 * several installations share the log; an entry without one (written before synctrace logged the zone, or
 * whose CMS did not say it) in this machine's zone, which the listing's header names.
 */
function timeOf(value: unknown, zone: unknown): string {
  const time = typeof value === 'string' ? new Date(value) : null
  if (!time || Number.isNaN(time.getTime())) return text(value)
  return isTimeZone(zone)
    ? `${formatInZone(time, zone)} ${sanitizeForTerminal(zone)}`
    : formatInZone(time, localTimeZone())
}

function scopeOf(scope: unknown): string {
  try {
    const described = describeTarget(scope as never)
    if (typeof described === 'string') return sanitizeForTerminal(described)
  } catch {
    // Not a target this version knows: shown as it is.
  }
  return text(scope)
}

function verificationOf(verification: unknown): string | null {
  if (!verification || typeof verification !== 'object') return null
  const {breakGone, consistent} = verification as {breakGone?: unknown; consistent?: unknown}
  return (consistent ?? breakGone) === true ? 'verified: consistent at every hop' : 'verified: a break remains'
}

/** Outcomes of an action that sent nothing to the CMS. */
const notSent = new Set(['declined', 'dry-run', 'refused', 'interrupted'])

/**
 * The CMS user it acted as, with the role. An action that sent nothing may never have asked the CMS who the
 * user is: "not sent to the CMS" then, never a "?" that reads like a corrupt entry.
 */
function userOf(raw: Record<string, unknown>): string {
  if (raw.cmsUser !== null && raw.cmsUser !== undefined) return `${text(raw.cmsUser)} (${text(raw.role)})`
  return notSent.has(String(raw.outcome)) && !raw.jobId
    ? `not sent to the CMS (role ${text(raw.role)})`
    : `CMS user unknown (${text(raw.role)})`
}

export function renderAuditEntry(entry: AuditEntry): string {
  const raw = entry as unknown as Record<string, unknown>
  const key = raw.idempotencyKey ? text(raw.idempotencyKey) : null
  const verified = verificationOf(raw.verification)
  return [
    `${timeOf(raw.time, raw.timeZone)}  ${text(raw.outcome).padEnd(11)} ${text(raw.action)}: ${scopeOf(raw.scope)}`,
    `    profile ${text(raw.profile)} · installation ${text(raw.installation)} · ${userOf(raw)}${raw.jobId ? ` · job ${text(raw.jobId)}` : ''}`,
    `    command: ${text(raw.command)}`,
    ...(key
      ? [
          `    Idempotency-Key: ${key}${raw.outcome === 'started' ? ` · no outcome logged: resume with --idempotency-key ${key}` : ''}`,
        ]
      : []),
    ...(verified ? [`    ${verified}`] : []),
    ...(raw.reason ? [`    reason: ${text(raw.reason)}`] : []),
  ].join('\n')
}
