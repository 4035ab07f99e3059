import {closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, writeSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'

import {redactSecrets} from '../http/redact.js'

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
  outcome: 'dry-run' | 'refused' | 'declined' | 'succeeded' | 'failed' | 'timed-out' | 'interrupted'
  reason: string | null
  verification: {breakGone: boolean; details: string[]} | null
}

export function auditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SYNCTRACE_AUDIT_LOG) return env.SYNCTRACE_AUDIT_LOG
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.trim() !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share')
  return join(base, 'synctrace', 'audit.jsonl')
}

/**
 * Appends one entry as one line with a single write to a file opened for appending. If the write is cut
 * short, the file is truncated back to where it was: a line is complete or absent, never torn.
 */
export function appendAudit(entry: AuditEntry, path = auditLogPath()): void {
  mkdirSync(dirname(path), {mode: 0o700, recursive: true})
  const fd = openSync(path, 'a+', 0o600)
  try {
    const sizeBefore = fstatSync(fd).size
    // A line left unfinished by a killed process is closed first, so it cannot swallow this entry.
    const lastByte = Buffer.alloc(1)
    const unfinished = sizeBefore > 0 && readSync(fd, lastByte, 0, 1, sizeBefore - 1) === 1 && lastByte[0] !== 0x0a
    const line = Buffer.from(`${unfinished ? '\n' : ''}${redactSecrets(JSON.stringify(entry))}\n`, 'utf8')
    const written = writeSync(fd, line)
    if (written !== line.length) {
      ftruncateSync(fd, sizeBefore)
      throw new Error(`the audit log ${path} could not be written completely`)
    }
  } finally {
    closeSync(fd)
  }
}

/** Entries at or after `since`, oldest first; a line that is not a complete entry is skipped. */
export function readAudit(options: {since?: Date; path?: string} = {}): AuditEntry[] {
  let text: string
  try {
    text = readFileSync(options.path ?? auditLogPath(), 'utf8')
  } catch (error) {
    if ((error as {code?: string}).code === 'ENOENT') return []
    throw error
  }
  const entries: AuditEntry[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const entry = JSON.parse(line) as AuditEntry
      if (typeof entry.time !== 'string' || typeof entry.action !== 'string') continue
      if (options.since && Date.parse(entry.time) < options.since.getTime()) continue
      entries.push(entry)
    } catch {
      // A foreign or damaged line: not an entry.
    }
  }
  return entries
}
