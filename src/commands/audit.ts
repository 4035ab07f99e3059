import {Flags} from '@oclif/core'

import type {AuditEntry} from '../actions/audit.js'
import {SynctraceCommand} from '../cli/base-command.js'

export default class Audit extends SynctraceCommand<typeof Audit> {
  static override summary = 'List the actions synctrace performed or refused on this machine.'

  static override description =
    `Reads the audit log (one JSON line per action attempt: $SYNCTRACE_AUDIT_LOG, else $XDG_DATA_HOME/synctrace/audit.jsonl, else ~/.local/share/synctrace/audit.jsonl). Every sync, refresh and retransfer is there, including refused, declined and dry-run attempts, with the CMS user, role, installation, scope, Idempotency-Key, job id, outcome and verification.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --since 24h --json',
  ]

  static override flags = {
    since: Flags.string({
      description: 'Only entries since this time: a duration back from now (30m, 24h, 7d) or an ISO date.',
    }),
  }

  public async run(): Promise<{entries: AuditEntry[]; path: string}> {
    const {flags} = await this.parse(Audit)
    const {auditLogPath, readAudit} = await import('../actions/audit.js')
    const {UserError} = await import('../util/errors.js')
    let since: Date | undefined
    if (flags.since) {
      const duration = /^(\d+)([mhd])$/.exec(flags.since.trim())
      const units: Record<string, number> = {d: 86_400_000, h: 3_600_000, m: 60_000}
      since = duration
        ? new Date(Date.now() - Number(duration[1]) * (units[duration[2] as string] as number))
        : new Date(flags.since)
      if (Number.isNaN(since.getTime()))
        throw new UserError(
          `--since "${flags.since}" is neither a duration nor a date.`,
          'Use e.g. --since 24h, --since 7d or --since 2026-11-20.',
        )
    }
    const path = auditLogPath()
    const entries = readAudit({path, since})
    if (!this.jsonEnabled()) {
      const {localTimeZone} = await import('../util/time.js')
      const {renderAuditEntry} = await import('../actions/audit-view.js')
      if (entries.length === 0) this.log(`No actions logged${since ? ' in that period' : ''} (${path}).`)
      else
        this.log(
          `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} in ${path} (times in the zone named after each; without one, this machine's: ${localTimeZone()})`,
        )
      for (const entry of entries) this.log(renderAuditEntry(entry))
      const note = throwawaySandboxNote(entries)
      if (note) this.log(`\n${note}`)
    }
    return {entries, path}
  }
}

/**
 * Jobs started with --sandbox ran in a sandbox that lived for that one command: `synctrace status` cannot
 * find them afterwards (a new --sandbox is a fresh installation). Said once, under the listing.
 */
function throwawaySandboxNote(entries: AuditEntry[]): string | null {
  const jobs = entries
    .filter((entry) => typeof entry.command === 'string' && /(^|\s)--sandbox(\s|$)/.test(entry.command))
    .map((entry) => entry.jobId)
    .filter((jobId): jobId is string => typeof jobId === 'string' && jobId !== '')
  if (jobs.length === 0) return null
  const named = jobs.length > 3 ? `${jobs.slice(0, 3).join(', ')} and ${jobs.length - 3} more` : jobs.join(', ')
  return `Note: ${named} ran on a --sandbox installation, which lives for one command only: it is gone, so synctrace status cannot look ${jobs.length === 1 ? 'it' : 'them'} up; what ${jobs.length === 1 ? 'it' : 'they'} did is above. For a sandbox that lives across commands: synctrace sandbox --write-config <path>, then --config <path> --profile sandbox-<installation>.`
}
