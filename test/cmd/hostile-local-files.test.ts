import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {runCommand} from '../helpers/run-command.js'

/**
 * What a reconcile finds on the local disk may be hostile too: a tampered checkpoint, a findings file
 * replaced by a link, an --output that is no file. Each is a usage error (exit 2) naming the path, with one
 * line of cause and one of what to do, never a crash (exit 1) or a hang.
 */
const cache = mkdtempSync(join(tmpdir(), 'synctrace-local-'))
const folder = join(cache, 'synctrace', 'reconcile', 'acme-customers-erp-cms')
const env = {XDG_CACHE_HOME: cache}
afterAll(() => rmSync(cache, {force: true, recursive: true}))

const valid = {
  between: 'erp,cms',
  compared: 0,
  consistent: 0,
  counts: {},
  entity: 'customers',
  installation: 'acme',
  lastKey: null,
  publishedPerUser: {},
  read: {downstream: 0, upstream: 0},
  recordsBytes: 0,
  savedAt: '2026-11-20T09:00:00.000Z',
  startedAt: '2026-11-20T09:00:00.000Z',
  version: 1,
}

function plantCheckpoint(fields: Record<string, unknown>): string {
  rmSync(folder, {force: true, recursive: true})
  mkdirSync(folder, {recursive: true})
  const path = join(folder, 'checkpoint.json')
  writeFileSync(path, JSON.stringify({...valid, ...fields}))
  return path
}

function expectUsageError(result: {exitCode: number | null; stderr: string}, path: string): void {
  expect(result.exitCode, result.stderr).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines).toHaveLength(2)
  expect(lines[0]).toContain(path)
  expect(lines[1]).toMatch(/^ › {3}Try this: /)
}

describe('a tampered reconcile checkpoint is a usage error naming the file', () => {
  it.each([
    ['null counts and read', {counts: null, read: null}, 'counts'],
    ['a negative recordsBytes', {recordsBytes: -1}, 'recordsBytes'],
    ['a huge recordsBytes', {recordsBytes: 1e300}, 'recordsBytes'],
    ['a lastKey of the wrong type', {lastKey: {toString: 1}}, 'lastKey'],
  ])('%s', async (_label, fields, field) => {
    const path = plantCheckpoint(fields)
    const result = await runCommand(['reconcile', 'customers', '--sandbox', '--resume'], {env})
    expectUsageError(result, path)
    expect(result.stderr).toContain(`${field} is not as a checkpoint writes it`)
  })

  it('never writes through a findings file replaced by a symbolic link', async () => {
    plantCheckpoint({})
    const victim = join(cache, 'victim.txt')
    writeFileSync(victim, 'keep me\n')
    symlinkSync(victim, join(folder, 'records.jsonl'))
    const result = await runCommand(['reconcile', 'customers', '--sandbox', '--resume'], {env})
    expectUsageError(result, join(folder, 'records.jsonl'))
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
  })
})

describe('--output is a regular file or a new path', () => {
  const fifo = join(cache, 'records.fifo')
  execFileSync('mkfifo', [fifo])
  it.each([
    ['a FIFO', fifo, 'is a FIFO'],
    ['a device', '/dev/full', 'is a device'],
    ['/proc/self/mem', '/proc/self/mem', 'is a file of the kernel'],
  ])('refuses %s before any work, without blocking', async (_label, path, what) => {
    const result = await runCommand(['reconcile', 'customers', '--sandbox', '--output', path], {env})
    expectUsageError(result, path)
    expect(result.stderr).toContain(what)
  })
})

describe('synctrace audit neutralises what servers put in the log, and reads damaged entries', () => {
  it('shows C1 controls, bidi overrides and U+2028 from a CMS as U+FFFD, and fields of the wrong kind as text, exit 0', async () => {
    const hostile = 'X\u009B31m\u202Eevil\u2066\u2028next\u001B]52;c;ZXZpbA==\u0007\u0085end'
    const log = join(cache, 'audit.jsonl')
    const entries = [
      {
        action: 'sync-targeted',
        cmsUser: `admin${hostile}`,
        command: 'synctrace sync customer 10042',
        idempotencyKey: 'key-1',
        installation: 'acme',
        jobId: `j-1${hostile}`,
      },
      {
        action: 'sync-targeted',
        outcome: 'failed',
        reason: `the CMS said: ${hostile}`,
        role: 'admin',
        scope: {entity: 'customers', keys: [hostile], kind: 'sync'},
      },
      {action: 'webshop-republish', outcome: 5, profile: {name: 1}, scope: null, command: ['x'], verification: 'yes'},
    ].map((entry) => JSON.stringify({outcome: 'succeeded', profile: 'acme', time: '2026-11-20T10:00:00Z', ...entry}))
    writeFileSync(log, `${entries.join('\n')}\n`, {mode: 0o600})
    const result = await runCommand(['audit'], {env: {SYNCTRACE_AUDIT_LOG: log}})
    expect(result.exitCode, result.stderr).toBe(0)
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(
      /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/,
    )
    expect(result.stdout).toContain('job j-1X\uFFFD31m\uFFFDevil\uFFFD\uFFFDnext\uFFFD\uFFFDend')
    expect(result.stdout).toContain('start a targeted CMS sync of customer X\uFFFD31m')
    expect(result.stdout).toContain('profile {"name":1}')
  })
})
