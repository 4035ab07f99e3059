import {randomUUID} from 'node:crypto'
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

import {redactSecrets} from '../http/redact.js'
import {UserError} from '../util/errors.js'
import {warnUser} from '../util/warnings.js'

/** One line of the audit log: every action attempt, including refused, declined and dry-run ones. */
export interface AuditEntry {
  time: string
  cmsUser: string | null
  role: string | null
  profile: string
  installation: string | null
  action: string
  scope: Record<string, unknown>
  command: string
  idempotencyKey: string | null
  jobId: string | null
  outcome: 'started' | 'dry-run' | 'refused' | 'declined' | 'succeeded' | 'failed' | 'timed-out' | 'interrupted'
  reason: string | null
  verification: {breakGone: boolean; consistent?: boolean; details: string[]} | null
  /** Ties an attempt's write-ahead `started` entry to its outcome. */
  attempt?: string
  /** The installation's time zone as its CMS said it when the entry was written: `audit` shows `time` in it. */
  timeZone?: string
}

export function auditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SYNCTRACE_AUDIT_LOG) return env.SYNCTRACE_AUDIT_LOG
  const base =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.trim() !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share')
  return join(base, 'synctrace', 'audit.jsonl')
}

/**
 * Appends one entry as one line with a single write to a file opened for appending. If the write is cut
 * short, the file is truncated back to where it was: a line is complete or absent, never torn.
 */
export function appendAudit(entry: AuditEntry, path = auditLogPath()): void {
  mkdirSync(dirname(path), {mode: 0o700, recursive: true})
  // Never through a symlink planted at the log's path.
  const fd = openSync(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600)
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new Error(`the audit log ${path} is not a regular file`)
    if ((stat.mode & 0o044) !== 0)
      warnUser(
        `the audit log ${path} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${path}.`,
      )
    const sizeBefore = stat.size
    // A line left unfinished by a killed process is closed first, so it cannot swallow this entry.
    const lastByte = Buffer.alloc(1)
    const unfinished = sizeBefore > 0 && readSync(fd, lastByte, 0, 1, sizeBefore - 1) === 1 && lastByte[0] !== 0x0a
    const line = Buffer.from(`${unfinished ? '\n' : ''}${redactSecrets(JSON.stringify(entry))}\n`, 'utf8')
    const written = writeSync(fd, line)
    if (written !== line.length) {
      ftruncateSync(fd, sizeBefore)
      throw new Error(`the audit log ${path} could not be written completely`)
    }
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The write-ahead journal beside the log: one file per attempt in flight. */
export function auditJournalPath(path = auditLogPath()): string {
  return `${path}.pending`
}

/**
 * Write-ahead: before a request that may change a system is sent, the attempt (action, scope,
 * Idempotency-Key, outcome `started`) is on disk, so a kill at any instant leaves the key to resume with.
 * It is kept in the journal beside the log (written to a temporary file, synced, renamed: whole or
 * absent) and `readAudit` lists it until the attempt's outcome is appended to the log. Returns the
 * attempt's id, which the outcome entry carries.
 */
export function beginAudit(entry: AuditEntry, path = auditLogPath()): string {
  const attempt = randomUUID()
  const journal = auditJournalPath(path)
  mkdirSync(journal, {mode: 0o700, recursive: true})
  const file = join(journal, `${attempt}.json`)
  const temporary = `${file}.tmp`
  const fd = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  )
  try {
    writeSync(fd, `${redactSecrets(JSON.stringify({...entry, attempt, outcome: 'started'}))}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, file)
  return attempt
}

/** The attempt's outcome: appended to the log first, then its journal entry removed. */
export function finishAudit(attempt: string, entry: AuditEntry, path = auditLogPath()): void {
  appendAudit({...entry, attempt}, path)
  rmSync(join(auditJournalPath(path), `${attempt}.json`), {force: true})
}

function journalEntries(path: string, finished: Set<string>): AuditEntry[] {
  let names: string[]
  try {
    names = readdirSync(auditJournalPath(path))
  } catch {
    return []
  }
  const entries: AuditEntry[] = []
  for (const name of names) {
    if (!name.endsWith('.json')) continue
    try {
      const entry = JSON.parse(readFileSync(join(auditJournalPath(path), name), 'utf8')) as AuditEntry
      if (typeof entry.time !== 'string' || typeof entry.action !== 'string') continue
      if (entry.attempt && finished.has(entry.attempt)) continue
      entries.push(entry)
    } catch {
      // Not an entry.
    }
  }
  return entries
}

/** Entries at or after `since`, oldest first; a line that is not a complete entry is skipped. */
export function readAudit(options: {since?: Date; path?: string} = {}): AuditEntry[] {
  let text = ''
  const path = options.path ?? auditLogPath()
  try {
    // Only a regular file is read (a FIFO at the path must not hang the command).
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
    try {
      const stat = fstatSync(fd)
      if (!stat.isFile())
        throw new UserError(
          `The audit log ${path} is not a regular file.`,
          'Point $SYNCTRACE_AUDIT_LOG at a regular file.',
        )
      if ((stat.mode & 0o044) !== 0)
        warnUser(
          `the audit log ${path} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${path}.`,
        )
      text = readFileSync(fd, 'utf8')
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    if ((error as {code?: string}).code !== 'ENOENT') throw error
  }
  const entries: AuditEntry[] = []
  const finished = new Set<string>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const entry = JSON.parse(line) as AuditEntry
      if (typeof entry.time !== 'string' || typeof entry.action !== 'string') continue
      if (typeof entry.attempt === 'string') finished.add(entry.attempt)
      entries.push(entry)
    } catch {
      // A foreign or damaged line: not an entry.
    }
  }
  // Attempts whose outcome never came (the process was killed): listed as `started`, with their key.
  entries.push(...journalEntries(options.path ?? auditLogPath(), finished))
  return entries
    .filter((entry) => !options.since || Date.parse(entry.time) >= (options.since as Date).getTime())
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
}
