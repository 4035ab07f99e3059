import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type HostileBattery, startHostileBattery} from '../helpers/hostile-battery.js'
import type {HostileMode} from '../helpers/hostile-http.js'
import {runCommand} from '../helpers/run-command.js'

/**
 * The hostile battery: every command × every output format against hostile HTTP servers (a proxy that
 * keeps the sandbox's contract but poisons every answer, mode by mode) and hostile file servers (a
 * trickler, a PASV bouncer). It asserts no raw control byte in terminal or Markdown output, no secret
 * in any output or in the audit log, no request to another address, no exit 1, completion within the
 * timeout, and that every POST left its audit line. The commands run in process, one after another;
 * kill -9 mid-POST needs a process of its own (test/e2e/hostile-battery.test.ts).
 */
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/

/** What one command printed and ended with; null exit code: it never finished. */
interface Result {
  exitCode: number | null
  stdout: string
  stderr: string
}

interface Figures {
  inputs: number
  crashes: string[]
  leaks: string[]
  hangs: string[]
  rawControlBytes: string[]
  offOriginRequests: number
  auditLinesLost: number
}

/** Runs one command in process; one that has not finished after `limitMs` twice over is a hang (null). */
async function runGuarded(args: string[], env: Record<string, string>, limitMs: number): Promise<Result | null> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), limitMs * 2)
  })
  try {
    return await Promise.race([runCommand(args, {env}), hang])
  } catch (error) {
    // A command that throws out of oclif's run is what a crash of the CLI is: exit 1 with a stack.
    return {exitCode: 1, stderr: String((error as Error).stack ?? error), stdout: ''}
  } finally {
    clearTimeout(timer)
  }
}

describe('hostile battery', () => {
  let battery: HostileBattery
  const figures: Figures = {
    auditLinesLost: 0,
    crashes: [],
    hangs: [],
    inputs: 0,
    leaks: [],
    offOriginRequests: 0,
    rawControlBytes: [],
  }

  beforeAll(async () => {
    battery = await startHostileBattery()
  }, 60_000)

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `hostile battery: ${JSON.stringify({...figures, hostileAnswers: battery.proxies.reduce((sum, proxy) => sum + proxy.answers, 0), crashes: figures.crashes.length, hangs: figures.hangs.length, leaks: figures.leaks.length, rawControlBytes: figures.rawControlBytes.length})}`,
    )
    if (process.env.SYNCTRACE_BATTERY_DETAILS)
      await writeFile(process.env.SYNCTRACE_BATTERY_DETAILS, JSON.stringify(figures, null, 2))
    await battery?.stop()
  })

  /** The secrets of the run, including every token a hostile server saw in an Authorization header. */
  async function allSecrets(): Promise<string[]> {
    return battery.world.secrets.filter((secret) => secret.length >= 6)
  }

  function check(
    label: string,
    args: string[],
    result: Result | null,
    elapsedMs: number,
    limitMs: number,
    secrets: string[],
  ): void {
    figures.inputs++
    if (!result) {
      figures.hangs.push(label)
      return
    }
    if (elapsedMs > limitMs) figures.hangs.push(`${label} (${elapsedMs} ms)`)
    if (
      result.exitCode === 1 ||
      result.exitCode === null ||
      /synctrace failed|Unhandled|at .*\.js:\d+:\d+/.test(result.stderr)
    )
      figures.crashes.push(`${label}: exit ${result.exitCode} ${result.stderr.slice(0, 300)}`)
    const json = args.includes('--json') || args.includes('json')
    const streams = json ? [result.stderr] : [result.stdout, result.stderr]
    for (const stream of streams)
      if (unsafe.test(stream)) figures.rawControlBytes.push(`${label}: ${JSON.stringify(stream.match(unsafe)?.[0])}`)
    if (json) {
      if (unsafe.test(result.stdout))
        figures.rawControlBytes.push(`${label} (json): ${JSON.stringify(result.stdout.match(unsafe)?.[0])}`)
      try {
        JSON.parse(result.stdout)
      } catch {
        figures.crashes.push(`${label}: stdout is not JSON`)
      }
    }
    for (const secret of secrets)
      if (result.stdout.includes(secret) || result.stderr.includes(secret))
        figures.leaks.push(`${label}: ${secret.slice(0, 10)}…`)
  }

  async function runAll(mode: HostileMode, runs: Array<{args: string[]; limitMs?: number}>): Promise<void> {
    battery.world.mode = mode
    for (const next of runs) {
      const args = [...next.args, '--config', battery.configPath]
      const started = Date.now()
      const limitMs = next.limitMs ?? 30_000
      // Hostile answers are a hop's error or a finding, never a report that breaks its own invariants.
      const result = await runGuarded(args, {SYNCTRACE_AUDIT_LOG: battery.auditLog}, limitMs)
      check(`[${mode}] ${next.args.join(' ')}`, args, result, Date.now() - started, limitMs, await allSecrets())
    }
  }

  const formats = (args: string[], which: Array<'terminal' | 'markdown' | 'json'> = ['terminal', 'markdown', 'json']) =>
    which.map((format) => ({
      args: format === 'json' ? [...args, '--json'] : format === 'markdown' ? [...args, '--format', 'markdown'] : args,
    }))

  it('every command × every format against answers full of escapes, bidi, zero-width characters and echoed secrets', async () => {
    await runAll('strings', [
      ...formats(['trace', 'customer', '10042', '--profile', 'acme']),
      ...formats(['trace', 'item', 'P-200', '--profile', 'acme'], ['json']),
      ...formats(['trace', 'order', 'A-2004', '--profile', 'acme'], ['markdown']),
      ...formats(['trace', 'customer', '20050', '--profile', 'nordic'], ['terminal']),
      ...formats(['trace', 'order', 'B-3002', '--profile', 'nordic'], ['json']),
      ...formats(['doctor', '--profile', 'acme']),
      ...formats(['trace', 'customer', '10090', '--profile', 'acme', '--fix', '--yes'], ['markdown']),
      ...formats(['sync', 'customer', '10042', '--profile', 'acme', '--yes', '--wait', '8'], ['terminal', 'json']),
      ...formats(['sync', 'status', 'j-1', '--profile', 'acme'], ['json']),
      ...formats(['refresh', 'app', '--user', 'u-17', '--profile', 'acme', '--yes', '--wait', '3'], ['terminal']),
      ...formats(['refresh', 'webshop', 'customer', '10090', '--profile', 'acme', '--yes', '--wait', '8'], ['json']),
      ...formats(['retransfer', 'order', 'A-2004', '--profile', 'acme', '--dry-run'], ['terminal', 'json']),
      ...formats(['sync', 'customer', '10042', '--profile', 'acme-support', '--yes'], ['terminal']),
      ...formats(['profile', 'list'], ['terminal']),
      ...formats(['profile', 'show', 'acme'], ['json']),
    ])
    await runAll('strings', formats(['audit'], ['terminal', 'json']))
    expect(figures.crashes).toEqual([])
    expect(figures.leaks).toEqual([])
    expect(figures.rawControlBytes).toEqual([])
    expect(figures.hangs).toEqual([])
  }, 240_000)

  it("odd types, deep JSON, malformed schedules and off-origin links are a hop's error, never a crash or a request elsewhere", async () => {
    const probe = (withSync: boolean) => [
      ...formats(['trace', 'customer', '10042', '--profile', 'acme'], ['json']),
      ...formats(['doctor', '--profile', 'acme'], ['terminal']),
      ...(withSync
        ? [{args: ['sync', 'customer', '10042', '--profile', 'acme', '--yes', '--wait', '3', '--json']}]
        : []),
    ]
    await runAll('types', probe(true))
    await runAll('deep', probe(true))
    for (const mode of ['schedule:timezone', 'schedule:at', 'schedule:every'] as const)
      await runAll(mode, probe(mode === 'schedule:timezone'))
    await runAll('off-origin', [
      ...formats(['trace', 'customer', '10042', '--profile', 'acme'], ['json']),
      ...formats(['doctor', '--profile', 'acme'], ['json']),
      {args: ['sync', 'customer', '10042', '--profile', 'acme', '--yes', '--wait', '3', '--json']},
    ])
    figures.offOriginRequests = battery.other.requests.length
    expect(figures.crashes).toEqual([])
    expect(figures.leaks).toEqual([])
    expect(figures.rawControlBytes).toEqual([])
    expect(figures.hangs).toEqual([])
    expect(battery.other.requests).toEqual([])
  }, 240_000)

  it('a server dying mid-POST leaves the attempt in the audit log with its Idempotency-Key, and never exits 1', async () => {
    await runAll('die-post', [
      {args: ['sync', 'customer', '10042', '--profile', 'acme', '--yes', '--wait', '3', '--json']},
      {args: ['retransfer', 'order', 'A-2004', '--profile', 'acme', '--yes', '--wait', '3', '--json']},
    ])
    expect(figures.crashes).toEqual([])
    expect(figures.hangs).toEqual([])
  }, 120_000)

  it('every POST a server saw has its line in the audit log, and the log holds no secret', async () => {
    const lines = (await readFile(battery.auditLog, 'utf8')).split('\n').filter(Boolean)
    const journal = await readdir(`${battery.auditLog}.pending`).catch(() => [] as string[])
    const pending = await Promise.all(
      journal.map((name) => readFile(join(`${battery.auditLog}.pending`, name), 'utf8')),
    )
    const keys = new Set(
      [...lines, ...pending].map((line) => (JSON.parse(line) as {idempotencyKey: string | null}).idempotencyKey),
    )
    const posted = [...new Set(battery.posts().map((post) => post.idempotencyKey))]
    figures.auditLinesLost = posted.filter((key) => !keys.has(key ?? null)).length
    expect(posted.length).toBeGreaterThan(0)
    expect(figures.auditLinesLost).toBe(0)
    const everything = [...lines, ...pending].join('\n')
    for (const secret of await allSecrets())
      expect(everything.includes(secret), `audit log holds ${secret.slice(0, 10)}…`).toBe(false)
    expect(everything).not.toMatch(/\u001B/)
  })

  it('file servers that trickle are given up at --timeout over FTP, FTPS and SFTP; a PASV answer naming another address is not followed', async () => {
    const before = figures.hangs.length
    await runAll('strings', [
      ...['trickle-ftp', 'trickle-ftps', 'trickle-sftp'].map((profile) => ({
        args: ['trace', 'customer', '20001', '--profile', profile, '--timeout', '3', '--json'],
        limitMs: 9000,
      })),
      {args: ['doctor', '--profile', 'trickle-ftp', '--timeout', '3', '--json'], limitMs: 9000},
      {args: ['trace', 'customer', '20001', '--profile', 'bounce', '--json']},
    ])
    expect(battery.trickler.connections).toBeGreaterThanOrEqual(4)
    expect(figures.hangs.slice(before)).toEqual([])
    expect(figures.crashes).toEqual([])
    expect(battery.bouncer.bounced).toBe(0)
    expect(battery.bouncer.dataConnections).toBeGreaterThan(0)
    figures.offOriginRequests = battery.other.requests.length + battery.bouncer.bounced
  }, 120_000)
})
