import {mkdtemp, rm, stat, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** The seeded customers of the ftp installation nordic and the verdict for each. */
const scenarios = [
  {
    code: '20001',
    exitCode: 0,
    cause: 'consistent',
    brokenLink: null,
    action: 'none',
    statuses: {erp: 'not-checked', ftp: 'present', cms: 'present'},
  },
  {
    code: '20050',
    exitCode: 3,
    cause: 'created-after-sync',
    brokenLink: {from: 'ftp', to: 'cms'},
    action: 'targeted-sync',
    statuses: {ftp: 'present', cms: 'missing'},
  },
  {
    code: '20060',
    exitCode: 3,
    cause: 'export-row-unreadable',
    brokenLink: {from: 'erp', to: 'ftp'},
    action: 'contact-it-partner',
    statuses: {ftp: 'error'},
  },
  {
    code: '20070',
    exitCode: 3,
    cause: 'not-in-export',
    brokenLink: {from: 'erp', to: 'ftp'},
    action: 'contact-it-partner',
    statuses: {erp: 'not-checked', ftp: 'missing'},
  },
  {
    code: '20080',
    exitCode: 0,
    cause: 'consistent',
    brokenLink: null,
    action: 'none',
    statuses: {ftp: 'present', cms: 'present'},
  },
] as const

const profileFor = {ftp: 'sandbox-nordic-ftp', ftps: 'sandbox-nordic-ftps', sftp: 'sandbox-nordic'} as const

describe('trace customer on an ftp installation (nordic)', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['nordic', 'nordic-stale'])
  })
  afterAll(async () => {
    await running.stop()
  })

  for (const protocol of ['sftp', 'ftp', 'ftps'] as const)
    describe(`over ${protocol.toUpperCase()}`, () => {
      for (const scenario of scenarios)
        it(`gives ${scenario.code} the verdict ${scenario.cause} (exit ${scenario.exitCode})`, async () => {
          const result = await runCommand([
            'trace',
            'customer',
            scenario.code,
            '--config',
            running.configPath,
            '--profile',
            profileFor[protocol],
            '--json',
          ])
          const report = parseJson(result)
          expect(result.exitCode).toBe(scenario.exitCode)
          expect(report.chain).toEqual(['erp', 'ftp', 'cms', 'app', 'webshop'])
          expect(report.fileServer).toMatch(new RegExp(`^${protocol}://127\\.0\\.0\\.1:\\d+/a4s$`))
          expect(report.verdict).toMatchObject({brokenLink: scenario.brokenLink, cause: scenario.cause})
          expect(report.action.kind).toBe(scenario.action)
          expect(
            Object.fromEntries(report.hops.map((hop: {hop: string; status: string}) => [hop.hop, hop.status])),
          ).toMatchObject(scenario.statuses)
        })
    })

  // Orders/ and Customers/ over every protocol: reading the first line of B-3002.err.txt and closing the
  // connection early must end the transfer quietly (it used to crash FTP and FTPS with an unhandled error).
  for (const protocol of ['sftp', 'ftp', 'ftps'] as const)
    describe(`outbound folders over ${protocol.toUpperCase()}`, () => {
      const flags = () => ['--config', running.configPath, '--profile', profileFor[protocol]]
      it('B-3002: the order rejected by the ERP, with the first line of its .err.txt, in every format', async () => {
        const json = await runCommand(['trace', 'order', 'B-3002', ...flags(), '--json'])
        const report = parseJson(json)
        expect(json.exitCode).toBe(3)
        expect(json.stderr).not.toMatch(/Unhandled|User closed client/)
        expect(report.fileServer).toMatch(new RegExp(`^${protocol}://`))
        expect(report.verdict).toMatchObject({brokenLink: {from: 'ftp', to: 'erp'}, cause: 'order-rejected-by-erp'})
        expect(report.verdict.evidence).toContainEqual(
          expect.objectContaining({name: 'orderErrorReason', text: 'Unknown customer 20077'}),
        )
        for (const format of ['terminal', 'markdown']) {
          const result = await runCommand(['trace', 'order', 'B-3002', ...flags(), '--format', format])
          expect(result.exitCode).toBe(3)
          expect(result.stdout).toContain('Unknown customer 20077')
          expect(result.stderr).not.toMatch(/Unhandled|User closed client/)
        }
      })

      it('B-3001 waits in Orders/ and B-3003 was imported', async () => {
        const waiting = await runCommand(['trace', 'order', 'B-3001', ...flags(), '--json'])
        expect(waiting.exitCode).toBe(3)
        expect(parseJson(waiting).verdict).toMatchObject({cause: 'order-file-waiting'})
        const imported = await runCommand(['trace', 'order', 'B-3003', ...flags(), '--json'])
        expect(imported.exitCode).toBe(0)
        expect(parseJson(imported).verdict.cause).toBe('consistent')
      })

      it('N-6001: the customer file waiting in Customers/', async () => {
        const result = await runCommand(['trace', 'customer', 'N-6001', ...flags(), '--json'])
        expect(result.exitCode).toBe(3)
        expect(parseJson(result).verdict).toMatchObject({
          brokenLink: {from: 'ftp', to: 'erp'},
          cause: 'customer-file-waiting',
        })
      })
    })

  it('names the unreadable row of 20060 by file and line, in JSON and Markdown', async () => {
    const json = parseJson(await runCommand(['trace', 'customer', '20060', ...running.flags('nordic'), '--json']))
    const ftp = json.hops.find((hop: {hop: string}) => hop.hop === 'ftp')
    expect(ftp.evidence).toContainEqual(
      expect.objectContaining({name: 'exportUnreadableRow', text: 'customers.csv line 4: unbalanced quote (")'}),
    )
    expect(json.verdict.summary).toContain('customers.csv, line 4')
    const markdown = await runCommand([
      'trace',
      'customer',
      '20060',
      ...running.flags('nordic'),
      '--format',
      'markdown',
    ])
    expect(markdown.stdout).toContain('customers.csv line 4: unbalanced quote (")')
    expect(markdown.stdout).toContain('`contact-it-partner`, by it-partner')
  })

  it('shows the file, its time and the line for 20050, and the older file the last sync read', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '20050', ...running.flags('nordic'), '--json']))
    const names = report.verdict.evidence.map((entry: {name: string}) => entry.name)
    expect(names).toEqual(
      expect.arrayContaining(['exportRowModified', 'exportFileModified', 'lastCustomerSync', 'syncReadFileModified']),
    )
    const fileTime = Date.parse(
      report.verdict.evidence.find((entry: {name: string}) => entry.name === 'exportFileModified').at,
    )
    const readTime = Date.parse(
      report.verdict.evidence.find((entry: {name: string}) => entry.name === 'syncReadFileModified').at,
    )
    expect(fileTime).toBeGreaterThan(readTime)
    const ftp = report.hops.find((hop: {hop: string}) => hop.hop === 'ftp')
    expect(ftp.evidence).toContainEqual(expect.objectContaining({name: 'exportRow', text: 'customers.csv line 3'}))
    expect(report.action.command).toBe(
      `synctrace sync customer 20050 --config ${running.configPath} --profile sandbox-nordic`,
    )
  })

  it('shows the non-ASCII name of 20080 from the windows-1252 XML correctly', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', '20080', ...running.flags('nordic'), '--json']))
    expect(report.hops.find((hop: {hop: string}) => hop.hop === 'ftp').record.name).toBe(
      'Großhandel Åkesson & Öberg AB',
    )
    const terminal = await runCommand(['trace', 'customer', '20080', ...running.flags('nordic')])
    expect(terminal.stdout).toContain('In customers.xml, line 3.')
  })

  it('warns on every trace of an installation whose export job stopped, with the file time', async () => {
    for (const code of ['20001', '20080']) {
      const report = parseJson(
        await runCommand(['trace', 'customer', code, ...running.flags('nordic-stale'), '--json']),
      )
      expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'ftp'}, cause: 'export-stale'})
      expect(report.verdict.summary).toMatch(
        /customers\.csv was last written .* 3 days ago, although the CMS syncs every 24 h/,
      )
      expect(report.action).toMatchObject({kind: 'contact-it-partner', owner: 'it-partner'})
      expect(report.hops.find((hop: {hop: string}) => hop.hop === 'ftp').status).toBe('stale')
    }
  })

  it('names the stopped customer export beside an item verdict on nordic-stale, without changing the item cause', async () => {
    const json = await runCommand(['trace', 'item', 'N-100', ...running.flags('nordic-stale'), '--json'])
    const report = parseJson(json)
    expect(json.exitCode).toBe(0)
    expect(report.verdict).toMatchObject({cause: 'consistent', ok: true})
    expect(report.verdict.otherFindings).toContainEqual(
      expect.stringMatching(
        /^The ERP's export job has stopped: customers\.csv was last written .* 3 days ago, although the CMS syncs every 24 h\. .*the item export is current/,
      ),
    )
    const ftp = report.hops.find((hop: {hop: string}) => hop.hop === 'ftp')
    expect(ftp.evidence).toContainEqual(
      expect.objectContaining({at: expect.any(String), file: 'customers.csv', name: 'exportFile'}),
    )
    for (const format of ['terminal', 'markdown']) {
      const result = await runCommand(['trace', 'item', 'N-100', ...running.flags('nordic-stale'), '--format', format])
      expect(result.stdout).toMatch(/The ERP's export job has stopped: customers\.csv was last written/)
    }
    // The same item on nordic, whose exports are current, says nothing of the kind.
    const current = parseJson(await runCommand(['trace', 'item', 'N-100', ...running.flags('nordic'), '--json']))
    expect(current.verdict.otherFindings.join(' ')).not.toMatch(/export job has stopped/)
  })

  it('names the stopped export beside an order file waiting in Orders/ on nordic-stale, the order cause unchanged', async () => {
    const json = await runCommand(['trace', 'order', 'B-3001', ...running.flags('nordic-stale'), '--json'])
    const report = parseJson(json)
    expect(json.exitCode).toBe(3)
    expect(report.verdict).toMatchObject({brokenLink: {from: 'ftp', to: 'erp'}, cause: 'order-file-waiting'})
    expect(report.action.kind).toBe('contact-it-partner')
    expect(report.verdict.evidence).toContainEqual(
      expect.objectContaining({at: expect.any(String), file: 'customers.csv', name: 'exportFile'}),
    )
    expect(report.verdict.otherFindings).toContainEqual(
      expect.stringMatching(
        /^The ERP's export job has stopped: customers\.csv was last written .* 3 days ago, .*import of Orders\//,
      ),
    )
    const terminal = await runCommand(['trace', 'order', 'B-3001', ...running.flags('nordic-stale')])
    expect(terminal.stdout).toMatch(/Also: The ERP's export job has stopped: customers\.csv/)
    const current = parseJson(await runCommand(['trace', 'order', 'B-3001', ...running.flags('nordic'), '--json']))
    expect(current.verdict.cause).toBe('order-file-waiting')
    expect(current.verdict.otherFindings.join(' ')).not.toMatch(/export job has stopped/)
    expect(current.verdict.evidence.map((entry: {name: string}) => entry.name)).not.toContain('exportFile')
  })

  it('calls an item export that stopped export-stale, as for customers', async () => {
    const itemsFile = join(running.sandbox.installation('nordic-stale').folder as string, 'a4s', 'items.csv')
    const before = await stat(itemsFile)
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3_600_000)
    await utimes(itemsFile, threeDaysAgo, threeDaysAgo)
    try {
      for (const protocol of ['sftp', 'ftp'] as const) {
        const flags =
          protocol === 'sftp'
            ? running.flags('nordic-stale')
            : ['--config', running.configPath, '--profile', 'sandbox-nordic-stale-ftp']
        const report = parseJson(await runCommand(['trace', 'item', 'N-100', ...flags, '--json']))
        expect(report.verdict).toMatchObject({brokenLink: {from: 'erp', to: 'ftp'}, cause: 'export-stale'})
        expect(report.verdict.summary).toMatch(
          /^The ERP's export job has stopped: items\.csv was last written .* 3 days ago, although the CMS syncs every 24 h\./,
        )
        expect(report.verdict.evidence).toContainEqual(expect.objectContaining({file: 'items.csv', name: 'exportFile'}))
        expect(report.action).toMatchObject({kind: 'contact-it-partner', owner: 'it-partner'})
        expect(report.hops.find((hop: {hop: string}) => hop.hop === 'ftp').status).toBe('stale')
      }
    } finally {
      await utimes(itemsFile, before.atime, before.mtime)
    }
  })

  it('traces N-6001, created in the app, to its file waiting in Customers/', async () => {
    const report = parseJson(await runCommand(['trace', 'customer', 'N-6001', ...running.flags('nordic'), '--json']))
    expect(report).toMatchObject({chain: ['app', 'cms', 'ftp', 'erp'], direction: 'outbound'})
    expect(report.verdict).toMatchObject({brokenLink: {from: 'ftp', to: 'erp'}, cause: 'customer-file-waiting'})
    expect(report.verdict.summary).toContain('Customers/N-6001.csv has waited in the FTP folder for 2 h')
    expect(report.action.kind).toBe('contact-it-partner')
  })

  it('reports a refused login as an error of the FTP hop, never as a missing customer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synctrace-ftp-'))
    const profile = running.sandbox.installation('nordic').profile('admin')
    for (const protocol of ['ftp', 'sftp'] as const) {
      const base = running.sandbox.installation('nordic').profile('admin', protocol)
      await writeFile(
        join(dir, 'config.json'),
        JSON.stringify({profiles: {bad: {...base, ftp: {...base.ftp, password: 'wrong-password'}, name: undefined}}}),
      )
      const report = parseJson(
        await runCommand(['trace', 'customer', '20001', '--config', join(dir, 'config.json'), '--json']),
      )
      const ftp = report.hops.find((hop: {hop: string}) => hop.hop === 'ftp')
      expect(ftp.status).toBe('error')
      expect(ftp.problem.kind).toBe('auth')
      expect(report.verdict.cause).toBe('hop-error')
      expect(report.exitCode).toBe(4)
    }
    void profile
    await rm(dir, {force: true, recursive: true})
  })

  it('refuses an export file name that would leave the base folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synctrace-ftp-'))
    const base = running.sandbox.installation('nordic').profile('admin')
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        profiles: {bad: {...base, ftp: {...base.ftp, customerFiles: ['../../etc/passwd']}, name: undefined}},
      }),
    )
    const report = parseJson(
      await runCommand(['trace', 'customer', '20001', '--config', join(dir, 'config.json'), '--json']),
    )
    const ftp = report.hops.find((hop: {hop: string}) => hop.hop === 'ftp')
    expect(ftp.status).toBe('error')
    expect(ftp.problem.message).toContain('would leave the base folder')
    await rm(dir, {force: true, recursive: true})
  })

  it('reports a file server that is down as unreachable, and the other hops still report', async () => {
    await running.sandbox.setFault('nordic', 'ftp', {kind: 'down'})
    try {
      const report = parseJson(await runCommand(['trace', 'customer', '20001', ...running.flags('nordic'), '--json']))
      expect(report.hops.find((hop: {hop: string}) => hop.hop === 'ftp')).toMatchObject({
        problem: {kind: 'unreachable'},
        status: 'unreachable',
      })
      expect(report.hops.find((hop: {hop: string}) => hop.hop === 'cms').status).toBe('present')
      expect(report.verdict.cause).toBe('hop-unreachable')
      expect(report.exitCode).toBe(4)
    } finally {
      await running.sandbox.setFault('nordic', 'ftp', null)
    }
  })

  it('fixes 20050 with a targeted sync read from the export, and the re-trace shows the FTP → CMS break gone', async () => {
    const result = await runCommand(
      ['trace', 'customer', '20050', ...running.flags('nordic'), '--fix', '--yes', '--json'],
      {
        env: {SYNCTRACE_AUDIT_LOG: join(tmpdir(), `audit-${Date.now()}.jsonl`)},
      },
    )
    const report = parseJson(result)
    const [sync, refresh] = report.fix.steps
    expect(sync.outcome).toBe('succeeded')
    // The CMS has it now; what was left was the app refresh, which the fix loop then did.
    expect(sync.verification[0]).toMatchObject({
      after: {brokenLink: {from: 'cms', to: 'app'}, cause: 'device-not-refreshed'},
      breakGone: true,
      before: {cause: 'created-after-sync'},
      consistent: false,
    })
    expect(refresh).toMatchObject({action: 'app-refresh', outcome: 'succeeded'})
    expect(report.fix).toMatchObject({consistent: true, exitCode: 0})
    expect(result.exitCode).toBe(0)
  })
})
