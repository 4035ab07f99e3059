import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ctrlC, runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

// reconcile on a terminal, in process: the sandbox's acme (ERP → CMS: 10 customers, 3 that a targeted sync
// fixes: 10042, 10050 and O), every stream a terminal, the answers scripted.
const tty = {stderr: true, stdin: true, stdout: true}

async function auditEntries(path: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
}

describe('reconcile on a terminal: the plan, then the fix', () => {
  let running: RunningSandbox
  let dir: string
  const env = () => ({SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'), XDG_CACHE_HOME: join(dir, 'cache')})
  const posts = () =>
    running.sandbox.requests('acme', 'cms').filter((request: {method: string}) => request.method === 'POST')
  beforeEach(async () => {
    running = await startTestSandbox()
    dir = await mkdtemp(join(tmpdir(), 'synctrace-reconcile-plan-'))
  })
  afterEach(async () => {
    await running.stop()
    await rm(dir, {force: true, recursive: true})
  })

  it('shows the summary and the records before it offers the fix; no is audited as declined and sends nothing', async () => {
    const result = await runCommand(['reconcile', 'customers', ...running.flags()], {answers: [false], env: env(), tty})
    expect(result.prompts).toEqual([
      'Fix them now? This will start a targeted CMS sync of 3 customers (one request of at most 500 keys) on installation acme. Continue?',
    ])
    const asked = result.screen.indexOf('? Fix them now?')
    for (const planned of ['class ', 'created-after-sync', '10050: Not in the CMS yet', 'not-read-by-sync (1):'])
      expect(result.screen.indexOf(planned), planned).toBeGreaterThan(-1)
    for (const planned of ['class ', '10050: Not in the CMS yet', 'not-read-by-sync (1):'])
      expect(result.screen.indexOf(planned), planned).toBeLessThan(asked)
    expect(result.screen.slice(asked)).toContain('Fix: declined at the prompt; nothing was sent.')
    expect(result.exitCode).toBe(3)
    expect(posts()).toHaveLength(0)
    expect(await auditEntries(env().SYNCTRACE_AUDIT_LOG)).toMatchObject([
      {
        action: 'sync-targeted',
        cmsUser: expect.any(String),
        idempotencyKey: null,
        installation: 'acme',
        jobId: null,
        outcome: 'declined',
        reason: 'declined at the prompt',
        role: 'admin',
      },
    ])
  })

  it('Ctrl-C at the reconcile prompt: exit 130, says nothing was sent, audited as interrupted', async () => {
    const result = await runCommand(['reconcile', 'customers', ...running.flags()], {answers: [ctrlC], env: env(), tty})
    expect(result.exitCode).toBe(130)
    expect(result.stdout).toContain('Fix: interrupted at the prompt (Ctrl-C); nothing was sent.')
    expect(result.stdout + result.stderr).not.toMatch(/Fix: 0 of|synctrace failed|force closed/)
    expect(posts()).toHaveLength(0)
    expect(await auditEntries(env().SYNCTRACE_AUDIT_LOG)).toMatchObject([
      {
        action: 'sync-targeted',
        jobId: null,
        outcome: 'interrupted',
        reason: 'interrupted at the prompt (Ctrl-C); nothing was sent',
        role: 'admin',
      },
    ])
  })

  it('--fix shows the findings first, then asks; yes syncs them and compares them again', async () => {
    const result = await runCommand(['reconcile', 'customers', ...running.flags(), '--fix'], {
      answers: [true],
      env: env(),
      tty,
    })
    const asked = result.screen.indexOf('? This will start a targeted CMS sync of 3 customers')
    expect(asked).toBeGreaterThan(result.screen.indexOf('10042: The CMS has an older version'))
    expect(result.screen.indexOf('10042: The CMS has an older version')).toBeGreaterThan(-1)
    expect(result.screen.slice(asked)).toContain('Fix: 3 of 3 customers consistent after it.')
    expect(posts()).toHaveLength(1)
  })
})

describe('reconcile output for people', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synctrace-reconcile-view-'))
  })
  afterEach(async () => {
    await rm(dir, {force: true, recursive: true})
  })
  const env = () => ({SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'), XDG_CACHE_HOME: join(dir, 'cache')})

  it('draws a progress bar with the rate and the time left on a terminal, and counts as 1,960 everywhere', async () => {
    const result = await runCommand(['reconcile', 'customers', '--sandbox', '--scale', '2000', '--no-input'], {
      env: env(),
      tty: {stderr: true},
    })
    expect(result.stderr).toMatch(
      /\[#{8,12}\.{8,12}\] \d+% · 1,0\d\d of ~2,000 customers · [\d,]+\/s · (about \d+ s left|finishing) · \d+ findings?/,
    )
    expect(result.stdout).toContain('1,960 customers compared, 1,840 consistent, 120 findings')
    expect(result.stdout).toContain('Read 1,940 upstream, 1,900 downstream')
    const markdown = await runCommand(['reconcile', 'customers', '--sandbox', '--scale', '2000', '-f', 'markdown'], {
      env: env(),
    })
    expect(markdown.stdout).toContain('1,960 customers compared')
    expect(markdown.stdout).toContain('read 1,940 / 1,900')
    // No progress where nobody watches: stderr is not a terminal.
    expect(markdown.stderr).not.toContain('customers compared ·')
  }, 60_000)

  it('puts the meaning of each class in the summary table, and times in the installation zone', async () => {
    const result = await runCommand(['reconcile', 'customers', '--sandbox'], {env: env(), columns: 200})
    expect(result.stdout).toMatch(/^class\s+count\s+meaning\s+action \(owner\)$/m)
    expect(result.stdout).toMatch(
      /^created-after-sync\s+1\s+not in the CMS: created or changed in the source after the last sync started\s+targeted-sync \(admin\) · --fix$/m,
    )
    expect(result.stdout).toMatch(/last sync r-8812 started \d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\)/)
    expect(result.stdout).toContain('Europe/Stockholm')
    expect(result.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/)
  }, 30_000)

  it('writes CSV with the headers a person reads, times in the installation zone', async () => {
    const result = await runCommand(['reconcile', 'customers', '--sandbox', '--format', 'csv'], {env: env()})
    const [header, ...rows] = result.stdout.trim().split('\n')
    expect(header).toBe(
      'Class,Customer code,Cause (as trace names it),Finding,Fields that differ,Changed in the source,Last sync started,Written to the CMS,Published,App users who do not see it,Side,Error,Export file,Line',
    )
    const changed = rows.find((row) => row.startsWith('erp-changed-after-sync,10042,'))
    expect(changed).toContain('"Delivery address line 1, Delivery address post code"')
    expect(changed).toMatch(/,\d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\),/)
    expect(result.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/)
  }, 30_000)

  it('ends the Markdown with the trace footer: time and zone, version, profile', async () => {
    const reconcile = await runCommand(['reconcile', 'customers', '--sandbox', '-f', 'markdown'], {env: env()})
    const trace = await runCommand(['trace', 'customer', '10042', '--sandbox', '-f', 'markdown'], {env: env()})
    const footer =
      /_Checked \d{4}-\d\d-\d\d \d\d:\d\d \(\+0[12]:00\) Europe\/Stockholm with synctrace \S+, profile (\S+)\._$/
    const [, reconcileProfile] = footer.exec(reconcile.stdout.trim()) ?? []
    const [, traceProfile] = footer.exec(trace.stdout.trim()) ?? []
    expect(reconcileProfile).toBeDefined()
    expect(reconcileProfile).toBe(traceProfile)
  }, 30_000)
})
