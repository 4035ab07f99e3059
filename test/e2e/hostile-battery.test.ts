import {spawn} from 'node:child_process'
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binRun, type CliResult, projectRoot, runCli} from '../helpers/cli.js'
import {type Bouncer, startPasvBouncer, startTrickler, type Trickler} from '../helpers/hostile-ftp.js'
import {
  type HostileMode,
  type HostileProxy,
  type HostileWorld,
  startHostileProxy,
  startOtherAddress,
} from '../helpers/hostile-http.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/**
 * The hostile battery: every command × every output format against hostile HTTP servers (a proxy that
 * keeps the sandbox's contract but poisons every answer, mode by mode) and hostile file servers (a
 * trickler, a PASV bouncer). It asserts no raw control byte in terminal or Markdown output, no secret
 * in any output or in the audit log, no request to another address, no exit 1, completion within the
 * timeout, and that every POST left its audit line.
 */
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/
const urlPassword = 'url-pass-Q7x9-hostile'

interface Figures {
  inputs: number
  crashes: string[]
  leaks: string[]
  hangs: string[]
  rawControlBytes: string[]
  offOriginRequests: number
  auditLinesLost: number
}

describe('hostile battery', () => {
  let running: RunningSandbox
  let dir: string
  let configPath: string
  let auditLog: string
  const proxies: HostileProxy[] = []
  const world: HostileWorld = {mode: 'strings', otherOrigin: '', secrets: []}
  let other: Awaited<ReturnType<typeof startOtherAddress>>
  let trickler: Trickler
  let bouncer: Bouncer
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
    running = await startTestSandbox(['acme', 'nordic'])
    dir = await mkdtemp(join(tmpdir(), 'synctrace-hostile-'))
    configPath = join(dir, 'config.json')
    auditLog = join(dir, 'audit.jsonl')
    other = await startOtherAddress()
    world.otherOrigin = other.origin
    trickler = await startTrickler()
    bouncer = await startPasvBouncer({'customers.csv': 'CustomerCode;Name;Active\r\n20001;Bounce AB;1\r\n'})
    const description = JSON.parse(await readFile(running.configPath, 'utf8')) as {
      profiles: Record<string, Record<string, unknown>>
    }
    const sandboxDescription = (await import('../../dist/sandbox/describe.js')).describeSandbox(running.sandbox)
    for (const installation of sandboxDescription.installations) {
      world.secrets.push(installation.tokens.admin, installation.tokens.support)
      if (installation.erp?.clientSecret) world.secrets.push(String(installation.erp.clientSecret))
      if (installation.fileServer) world.secrets.push(installation.fileServer.password)
    }
    world.secrets.push(urlPassword)
    // Every HTTP origin of the sandbox gets a hostile proxy in front of it.
    let text = JSON.stringify(description)
    const origins = [...new Set([...text.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((match) => match[0]))]
    for (const origin of origins) {
      const proxy = await startHostileProxy(origin, world)
      proxies.push(proxy)
      text = text.split(origin).join(proxy.origin)
    }
    const profiles = (JSON.parse(text) as typeof description).profiles
    const acme = profiles['sandbox-acme'] as Record<string, {url: string}>
    // A password in URL user info: registered as a secret, never printed.
    const withUserInfo = {
      ...acme,
      cms: {...acme.cms, url: (acme.cms as {url: string}).url.replace('http://', `http://agent:${urlPassword}@`)},
    }
    const nordic = profiles['sandbox-nordic'] as Record<string, unknown> & {ftp: Record<string, unknown>}
    const fileServer = (url: string) => ({...nordic, ftp: {...nordic.ftp, url}, timeoutMs: 3000})
    await writeFile(
      configPath,
      JSON.stringify({
        defaultProfile: 'acme',
        profiles: {
          acme: withUserInfo,
          'acme-support': profiles['sandbox-acme-support'],
          'nordic-support': profiles['sandbox-nordic-support'],
          bounce: {...nordic, ftp: {...nordic.ftp, url: `ftp://127.0.0.1:${bouncer.port}/a4s`}},
          nordic,
          'trickle-ftp': fileServer(`ftp://127.0.0.1:${trickler.port}/a4s`),
          'trickle-ftps': fileServer(`ftps://127.0.0.1:${trickler.port}/a4s`),
          'trickle-sftp': fileServer(`sftp://127.0.0.1:${trickler.port}/a4s`),
        },
      }),
      {mode: 0o600},
    )
  }, 60_000)

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `hostile battery: ${JSON.stringify({...figures, hostileAnswers: proxies.reduce((sum, proxy) => sum + proxy.answers, 0), crashes: figures.crashes.length, hangs: figures.hangs.length, leaks: figures.leaks.length, rawControlBytes: figures.rawControlBytes.length})}`,
    )
    if (process.env.SYNCTRACE_BATTERY_DETAILS)
      await writeFile(process.env.SYNCTRACE_BATTERY_DETAILS, JSON.stringify(figures, null, 2))
    await Promise.all([...proxies.map((proxy) => proxy.close()), other?.close(), trickler?.close(), bouncer?.close()])
    await running?.stop()
    await rm(dir, {force: true, recursive: true})
  })

  /** The secrets of the run, including every token a hostile server saw in an Authorization header. */
  async function allSecrets(): Promise<string[]> {
    return world.secrets.filter((secret) => secret.length >= 6)
  }

  function check(
    label: string,
    args: string[],
    result: CliResult | null,
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

  async function runAll(
    mode: HostileMode,
    runs: Array<{args: string[]; limitMs?: number}>,
    workers = 4,
  ): Promise<void> {
    world.mode = mode
    const queue = [...runs]
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const args = [...next.args, '--config', configPath]
        const started = Date.now()
        let result: CliResult | null = null
        try {
          // Hostile answers are a hop's error or a finding, never a report that breaks its own invariants.
          result = await runCli(args, {env: {SYNCTRACE_AUDIT_LOG: auditLog}, timeoutMs: 40_000})
        } catch {
          result = null
        }
        check(
          `[${mode}] ${next.args.join(' ')}`,
          args,
          result,
          Date.now() - started,
          next.limitMs ?? 30_000,
          await allSecrets(),
        )
      }
    }
    await Promise.all(Array.from({length: workers}, worker))
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
    figures.offOriginRequests = other.requests.length
    expect(figures.crashes).toEqual([])
    expect(figures.leaks).toEqual([])
    expect(figures.rawControlBytes).toEqual([])
    expect(figures.hangs).toEqual([])
    expect(other.requests).toEqual([])
  }, 240_000)

  it('a server dying mid-POST leaves the attempt in the audit log with its Idempotency-Key, and never exits 1', async () => {
    await runAll('die-post', [
      {args: ['sync', 'customer', '10042', '--profile', 'acme', '--yes', '--wait', '3', '--json']},
      {args: ['retransfer', 'order', 'A-2004', '--profile', 'acme', '--yes', '--wait', '3', '--json']},
    ])
    expect(figures.crashes).toEqual([])
    expect(figures.hangs).toEqual([])
  }, 120_000)

  it('kill -9 while the POST is in flight leaves a started entry whose key resumes it', async () => {
    world.mode = 'hang-post'
    const postsBefore = proxies.reduce((sum, proxy) => sum + proxy.posts.length, 0)
    const child = spawn(
      process.execPath,
      [binRun, 'sync', 'customer', '10050', '--profile', 'acme', '--yes', '--config', configPath],
      {
        cwd: projectRoot,
        env: {...process.env, NO_COLOR: '1', SYNCTRACE_AUDIT_LOG: auditLog},
        stdio: 'ignore',
      },
    )
    const deadline = Date.now() + 20_000
    while (proxies.reduce((sum, proxy) => sum + proxy.posts.length, 0) === postsBefore && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    child.kill('SIGKILL')
    await new Promise((resolve) => child.on('exit', resolve))
    const key = proxies.flatMap((proxy) => proxy.posts).at(-1)?.idempotencyKey
    expect(key).toBeTruthy()
    world.mode = 'strings'
    const listed = await runCli(['audit', '--json'], {env: {SYNCTRACE_AUDIT_LOG: auditLog}})
    const entries = JSON.parse(listed.stdout).entries as Array<{outcome: string; idempotencyKey: string | null}>
    expect(entries).toContainEqual(expect.objectContaining({idempotencyKey: key, outcome: 'started'}))
  }, 60_000)

  it('every POST a server saw has its line in the audit log, and the log holds no secret', async () => {
    const lines = (await readFile(auditLog, 'utf8')).split('\n').filter(Boolean)
    const journal = await readdir(`${auditLog}.pending`).catch(() => [] as string[])
    const pending = await Promise.all(journal.map((name) => readFile(join(`${auditLog}.pending`, name), 'utf8')))
    const keys = new Set(
      [...lines, ...pending].map((line) => (JSON.parse(line) as {idempotencyKey: string | null}).idempotencyKey),
    )
    const posted = [...new Set(proxies.flatMap((proxy) => proxy.posts).map((post) => post.idempotencyKey))]
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
    await runAll(
      'strings',
      [
        ...['trickle-ftp', 'trickle-ftps', 'trickle-sftp'].map((profile) => ({
          args: ['trace', 'customer', '20001', '--profile', profile, '--timeout', '3', '--json'],
          limitMs: 9000,
        })),
        {args: ['doctor', '--profile', 'trickle-ftp', '--timeout', '3', '--json'], limitMs: 9000},
        {args: ['trace', 'customer', '20001', '--profile', 'bounce', '--json']},
        // Two at a time: the limits measure synctrace's deadline, not four CLIs starting at once on two cores.
      ],
      2,
    )
    expect(trickler.connections).toBeGreaterThanOrEqual(4)
    expect(figures.hangs.slice(before)).toEqual([])
    expect(figures.crashes).toEqual([])
    expect(bouncer.bounced).toBe(0)
    expect(bouncer.dataConnections).toBeGreaterThan(0)
    figures.offOriginRequests = other.requests.length + bouncer.bounced
  }, 120_000)
})
