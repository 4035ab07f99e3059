import {appendFileSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {type AuditEntry, appendAudit, readAudit} from '../../src/actions/audit.js'

const entry = (outcome: AuditEntry['outcome']): AuditEntry => ({
  action: 'sync-targeted',
  cmsUser: 'admin@platform.example',
  command: 'synctrace sync customer 10042',
  idempotencyKey: null,
  installation: 'acme',
  jobId: null,
  outcome,
  profile: 'acme',
  reason: null,
  role: 'admin',
  scope: {keys: ['10042']},
  time: new Date().toISOString(),
  verification: null,
})

describe('the audit log', () => {
  it('keeps an entry whole after a line that a killed process left unfinished', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl')
    appendAudit(entry('dry-run'), path)
    appendFileSync(path, '{"time":"2026-11-22T10:00:00Z","action":"sync-tar')
    appendAudit(entry('succeeded'), path)
    expect(readAudit({path}).map((line) => line.outcome)).toEqual(['dry-run', 'succeeded'])
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true)
  })

  it('is created readable only by its owner', async () => {
    const {statSync} = await import('node:fs')
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'sub', 'audit.jsonl')
    appendAudit(entry('refused'), path)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })
})
