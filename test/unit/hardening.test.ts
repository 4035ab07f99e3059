import {mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {type AuditEntry, auditJournalPath, beginAudit, finishAudit, readAudit} from '../../src/actions/audit.js'
import {parseInstallation, parseMe} from '../../src/connectors/platform/cms.js'
import {RequestProblem} from '../../src/http/problem.js'

const entry = (outcome: AuditEntry['outcome']): AuditEntry => ({
  action: 'sync-targeted',
  cmsUser: 'admin@platform.example',
  command: 'synctrace sync customer 10042',
  idempotencyKey: 'key-1',
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

describe('write-ahead audit', () => {
  it('lists an attempt as started with its key until its outcome is logged, then only the outcome', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl')
    const attempt = beginAudit(entry('started'), path)
    // A kill here: the log has no line, the journal has the attempt and its key.
    expect(readAudit({path})).toEqual([expect.objectContaining({attempt, idempotencyKey: 'key-1', outcome: 'started'})])
    finishAudit(attempt, entry('succeeded'), path)
    expect(readAudit({path}).map((line) => line.outcome)).toEqual(['succeeded'])
    expect(readdirSync(auditJournalPath(path))).toEqual([])
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1)
  })
})

const base = {
  autoSync: {at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'},
  connection: 'direct',
  erp: {system: 'businesscentral'},
  id: 'acme',
  name: 'Acme',
}
const problemOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(RequestProblem)
    return (error as RequestProblem).problem.message
  }
  throw new Error('no problem')
}

describe('/installation and /me are checked before use', () => {
  it('accepts the contract', () => {
    expect(parseInstallation(base).autoSync).toEqual({at: '02:00', everyHours: 24, timezone: 'Europe/Stockholm'})
  })

  it.each([
    [{timezone: 'Mars/Olympus_Mons'}, 'autoSync.timezone'],
    [{timezone: 42}, 'autoSync.timezone'],
    [{at: 'xx'}, 'autoSync.at'],
    [{at: '25:00'}, 'autoSync.at'],
    [{everyHours: 1e10}, 'autoSync.everyHours'],
    [{everyHours: -1}, 'autoSync.everyHours'],
    [{everyHours: 'often'}, 'autoSync.everyHours'],
    [{everyHours: [1]}, 'autoSync.everyHours'],
  ])('names the bad field %j', (autoSync, field) => {
    expect(problemOf(() => parseInstallation({...base, autoSync: {...base.autoSync, ...autoSync}}))).toContain(field)
  })

  it('names odd types anywhere in it', () => {
    expect(problemOf(() => parseInstallation({...base, id: {x: 1}}))).toContain('"id"')
    expect(problemOf(() => parseInstallation({...base, autoSync: [1]}))).toContain('autoSync')
    expect(problemOf(() => parseInstallation({...base, erp: {system: 'constructor'}}))).toContain('erp.system')
    expect(problemOf(() => parseInstallation(null))).toContain('/installation')
  })

  it('refuses a /me whose user is an object or a deep list', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(problemOf(() => parseMe({role: 'admin', user: deep}))).toContain('"user"')
    expect(problemOf(() => parseMe({role: 'admin', user: {name: 'x'}}))).toContain('"user"')
    expect(problemOf(() => parseMe([]))).toContain('/me')
  })
})
