import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

const bin = join(import.meta.dirname, '..', '..', 'bin', 'run.js')

/**
 * A trace's own cost is mostly what it loads (docs/performance.md, "A trace's own cost"). The built CLI traces a
 * consistent customer in a process of its own, which records every module it loads: ES modules through a load
 * hook, CommonJS files through the loader's extensions.
 */
async function modulesLoadedByTrace(sandbox: RunningSandbox, dir: string, extra: string[] = []): Promise<string[]> {
  const log = join(dir, `loaded-${extra.join('') || 'terminal'}.txt`)
  const hooks = join(dir, 'hooks.mjs')
  const register = join(dir, 'register.mjs')
  const commonjs = join(dir, 'commonjs.cjs')
  await writeFile(
    hooks,
    `import {appendFileSync} from 'node:fs'
export async function load(url, context, next) {
  appendFileSync(process.env.LOADED_LOG, url + '\\n')
  return next(url, context)
}
`,
  )
  await writeFile(
    register,
    `import {register} from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hooks).href)})\n`,
  )
  await writeFile(
    commonjs,
    `const Module = require('node:module')
const {appendFileSync} = require('node:fs')
for (const extension of ['.js', '.json']) {
  const load = Module._extensions[extension]
  Module._extensions[extension] = function (module, filename) {
    appendFileSync(process.env.LOADED_LOG, filename + '\\n')
    return load.call(this, module, filename)
  }
}
`,
  )
  // Asynchronous: the sandbox answers from this process.
  await promisify(execFile)(
    process.execPath,
    ['--require', commonjs, '--import', register, bin, 'trace', 'customer', '10001', ...sandbox.flags(), ...extra],
    {env: {...process.env, LOADED_LOG: log, NO_COLOR: '1'}},
  )
  return (await readFile(log, 'utf8')).split('\n').filter(Boolean)
}

const loading = (modules: string[], part: string) => modules.filter((module) => module.includes(part))

describe('what a trace loads (the built CLI, a consistent customer of a Business Central installation)', () => {
  let sandbox: RunningSandbox
  let dir: string
  let terminal: string[]
  let json: string[]

  beforeAll(async () => {
    sandbox = await startTestSandbox(['acme'])
    dir = await mkdtemp(join(tmpdir(), 'synctrace-loads-'))
    terminal = await modulesLoadedByTrace(sandbox, dir)
    json = await modulesLoadedByTrace(sandbox, dir, ['--json'])
  })
  afterAll(async () => {
    await sandbox?.stop()
    if (dir) await rm(dir, {force: true, recursive: true})
  })

  it('loads its own ERP connector and the platform clients (the recording works)', () => {
    for (const modules of [terminal, json]) {
      expect(loading(modules, '/dist/connectors/businesscentral/connector.js')).toHaveLength(1)
      expect(loading(modules, '/dist/connectors/platform/cms.js')).toHaveLength(1)
    }
  })

  it("loads no other ERP's connector and no helpdesk connector: of those, only their descriptors (data)", () => {
    const folders = [
      ...['fortnox', 'netsuite', 'visma-eaccounting', 'visma-net'].map((erp) => `/dist/connectors/${erp}/`),
      ...['zendesk', 'freshdesk', 'jira'].map((helpdesk) => `/dist/connectors/helpdesk/${helpdesk}/`),
    ]
    // A descriptor, and NetSuite's account addresses (its profile section's default URL is the account's).
    const descriptor = (module: string, folder: string) =>
      module.endsWith(`${folder}system.js`) || module.endsWith('/dist/connectors/netsuite/account.js')
    for (const modules of [terminal, json]) {
      const others = modules.filter((module) =>
        folders.some((folder) => module.includes(folder) && !descriptor(module, folder)),
      )
      expect(others).toEqual([])
      expect(loading(modules, '/dist/connectors/helpdesk/http.js')).toEqual([])
    }
  })

  it('never loads the sandbox or the emulation code', () => {
    for (const modules of [terminal, json]) {
      expect(loading(modules, '/dist/sandbox/')).toEqual([])
      expect(loading(modules, '/dist/emulation/')).toEqual([])
    }
  })

  it('loads no helpdesk Markdown converter: those are for posting a note', () => {
    for (const part of ['/markdown-it/', '/marklassian/', '/marked/', '/dist/connectors/helpdesk/markdown.js'])
      expect(loading(terminal, part)).toEqual([])
  })

  it('loads no file-server or export-file code on an installation without export files', () => {
    for (const part of ['/csv-parse/', '/basic-ftp/', '/ssh2/', '/dist/connectors/ftp/connector.js'])
      expect(loading(terminal, part)).toEqual([])
  })

  it("loads undici's agent, not its index (fetch, WebSocket, mocks, caches), and not semver", () => {
    expect(loading(terminal, '/undici/lib/dispatcher/agent.js')).toHaveLength(1)
    expect(loading(terminal, '/undici/index.js')).toEqual([])
    expect(loading(terminal, '/node_modules/semver/')).toEqual([])
  })

  it('draws its tables without cli-table3', () => {
    expect(loading(terminal, '/cli-table3/src/table.js')).toEqual([])
  })
})
