import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {clientsForProfile} from '../../dist/config/clients.js'
import {ftpLayoutFor} from '../../dist/connectors/ftp/layouts/registry.js'
import {runDoctor} from '../../dist/doctor/doctor.js'
import {diagnoseCustomer} from '../../dist/entities/customer/diagnose.js'
import {diagnoseItem} from '../../dist/entities/item/diagnose.js'
import {HttpClient} from '../../dist/http/client.js'
import {observeCustomer} from '../../dist/entities/customer/observe.js'
import {observeItem} from '../../dist/entities/item/observe.js'
import {runReconcile} from '../../dist/reconcile/session.js'
import type {Evidence, HopReport} from '../../src/report/types.js'
import {loadInstallationState} from '../../dist/sandbox/load.js'
import {type RunningSandbox, startTestSandbox, testHttp} from '../helpers/sandbox.js'

// A layout's default file name is a fallback: the CMS's own runs say which file they read (`sourceFile`).
// Each installation here has its export files under the names its connector's settings give, the layout's
// defaults absent, and the CMS's runs naming the files they read: trace, reconcile and doctor read those.

type Json = Record<string, unknown>
type Names = {customers: string; items: string}

interface Case {
  installation: string
  names: Names
  customer: string
  item: string
}

const cases: Case[] = [
  {
    customer: '20001',
    installation: 'nordic',
    item: 'N-100',
    names: {customers: 'export/customers.csv', items: 'export/items.csv'},
  },
  {customer: '10010', installation: 'winbas', item: 'WB-100', names: {customers: 'kunder.xml', items: 'artiklar.xml'}},
  {
    customer: 'C00110',
    installation: 'monitor',
    item: 'MN-100',
    names: {customers: 'Monitor/customers.xml', items: 'Monitor/items.xml'},
  },
]

/** The seeded installation, its ERP writing the exports under `names` and the CMS's runs reporting them. */
function withNamedFiles(
  id: string,
  names: Names,
  sourceFile?: (entity: 'customers' | 'items', named: string) => string,
) {
  const state = loadInstallationState(id)
  const exports = state.exports as NonNullable<typeof state.exports>
  const layout = ftpLayoutFor(exports.layout, null)
  for (const kind of ['customers', 'items'] as const) {
    const fallback = layout[kind].defaultFiles[0] as string
    exports.files[names[kind]] = exports.files[fallback] as {modified: string}
    // None of the layout's default files is on the server (the generic layout's customers.xml neither).
    for (const name of layout[kind].defaultFiles) delete exports.files[name]
  }
  exports.fileNames = names
  for (const run of state.cms.runs as Json[]) {
    const kind = run.entity === 'customers' ? 'customers' : 'items'
    if (typeof run.sourceFile === 'string') run.sourceFile = sourceFile ? sourceFile(kind, names[kind]) : names[kind]
  }
  return state
}

describe('the export file the CMS really reads', () => {
  let running: RunningSandbox
  let cache: string
  const http = new HttpClient({maxRetries: 0})

  beforeAll(async () => {
    running = await startTestSandbox(cases.map((entry) => entry.installation))
    cache = await mkdtemp(join(tmpdir(), 'synctrace-files-'))
  })
  afterAll(async () => {
    await http.close()
    await running.stop()
    await rm(cache, {force: true, recursive: true})
  })

  const context = {commandSuffix: '', traceCommand: 'synctrace trace'}

  for (const entry of cases) {
    describe(`${entry.installation}: the default files absent, the CMS's runs naming ${entry.names.customers} and ${entry.names.items}`, () => {
      const installation = () => running.sandbox.installation(entry.installation)
      beforeAll(async () => {
        await installation().replaceState(withNamedFiles(entry.installation, entry.names))
      })

      it('traces the customer in the file the CMS reads, names it and why, and finds it consistent (no export-missing)', async () => {
        const observations = await observeCustomer(
          await clientsForProfile(installation().profile('admin'), http),
          entry.customer,
        )
        const diagnosis = diagnoseCustomer(observations, context)
        expect(diagnosis.verdict.cause).toBe('consistent')
        const ftp = diagnosis.hops.find((hop: HopReport) => hop.hop === 'ftp')
        expect(ftp?.status).toBe('present')
        const source = ftp?.evidence.find((evidence: Evidence) => evidence.name === 'exportFileSource')
        expect(source).toMatchObject({file: entry.names.customers, runId: expect.any(String)})
        expect(source?.text).toContain(`the file the CMS's last customers run ${source?.runId} read`)
      })

      it('traces the item in the file the CMS reads, and finds it consistent', async () => {
        const observations = await observeItem(
          await clientsForProfile(installation().profile('admin'), http),
          entry.item,
        )
        const diagnosis = diagnoseItem(observations, context)
        expect(diagnosis.verdict.cause).toBe('consistent')
        const ftp = diagnosis.hops.find((hop: HopReport) => hop.hop === 'ftp')
        expect(ftp?.evidence.find((evidence: Evidence) => evidence.name === 'exportFileSource')).toMatchObject({
          file: entry.names.items,
        })
      })

      it('reconciles --between ftp,cms from the file the CMS reads: the consistent customer is no finding', async () => {
        const result = await runReconcile({
          http: testHttp,
          between: 'ftp,cms',
          commandSuffix: '',
          entity: 'customers',
          env: {XDG_CACHE_HOME: cache},
          profile: installation().profile('admin'),
          resume: false,
          version: 'test',
        })
        const findings = (await readFile(result.recordsPath, 'utf8'))
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as {key: string; class: string})
        result.finish()
        expect(findings.filter((finding) => finding.key === entry.customer)).toEqual([])
        expect(result.summary.read.upstream).toBeGreaterThan(0)
        expect(result.summary.consistent).toBeGreaterThan(0)
      })

      it('doctor reads the files the CMS reads and says why, with no stopped or missing export', async () => {
        const report = await runDoctor(installation().profile('admin'), {http: testHttp})
        const ftp = report.hops.find((hop) => hop.hop === 'ftp')
        expect(Object.keys(ftp?.reports ?? {}).sort()).toEqual([entry.names.customers, entry.names.items].sort())
        expect(ftp?.notes.join(' ')).toContain(`${entry.names.customers}: the file the CMS's last customers run`)
        expect(report.problems.filter((problem) => problem.startsWith('ftp'))).toEqual([])
      })
    })
  }

  describe('a hostile sourceFile from the CMS', () => {
    const hostile = ['../../etc/passwd', '/etc/passwd', 'export/\u0007customers.csv']
    for (const name of hostile) {
      it(`${JSON.stringify(name)} is the FTP hop's error in a trace, in reconcile and in doctor, never a crash or a file outside the folder`, async () => {
        const installation = running.sandbox.installation('winbas')
        await installation.replaceState(withNamedFiles('winbas', cases[1]?.names as Names, () => name))
        const observations = await observeCustomer(
          await clientsForProfile(installation.profile('admin'), http),
          '10010',
        )
        expect(observations.ftp?.ok).toBe(false)
        const diagnosis = diagnoseCustomer(observations, context)
        const ftp = diagnosis.hops.find((hop: HopReport) => hop.hop === 'ftp')
        expect(ftp?.problem?.message).toMatch(/refused the file the CMS's run r-\d+ names as its sourceFile/)
        expect(diagnosis.verdict.cause).not.toBe('export-missing')
        await expect(
          runReconcile({
            http: testHttp,
            between: 'ftp,cms',
            commandSuffix: '',
            entity: 'customers',
            env: {XDG_CACHE_HOME: cache},
            profile: installation.profile('admin'),
            resume: false,
            version: 'test',
          }),
        ).rejects.toThrow(/refused the file the CMS's run/)
        const report = await runDoctor(installation.profile('admin'), {http: testHttp})
        expect(report.hops.find((hop) => hop.hop === 'ftp')?.problem?.message).toMatch(/refused the file the CMS's run/)
      })
    }
  })
})
