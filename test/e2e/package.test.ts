import {execFile} from 'node:child_process'
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {projectRoot} from '../helpers/cli.js'

const run = promisify(execFile)

/** Packaged like a real CLI: `npm pack`, installed from the tarball into an empty folder, run from there. */
describe('the npm package', () => {
  let dir: string
  let env: NodeJS.ProcessEnv
  const npm = (args: string[], cwd: string) =>
    run('npm', [...args, '--no-audit', '--no-fund', '--logs-dir', join(dir, 'npm-logs')], {cwd, env, timeout: 240_000})
  const synctrace = (args: string[]) =>
    run(join(dir, 'app', 'node_modules', '.bin', 'synctrace'), args, {cwd: join(dir, 'app'), env, timeout: 60_000})

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synctrace-pack-'))
    // Everything the installed CLI writes (oclif's cache, audit log, config) stays in the temp folder.
    env = {
      ...process.env,
      HOME: dir,
      SYNCTRACE_AUDIT_LOG: join(dir, 'audit.jsonl'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      npm_config_cache: join(process.env.HOME ?? dir, '.npm'),
    }
    // dist/ is built by `npm test` before the tests run.
    await npm(['pack', '--ignore-scripts', '--pack-destination', dir], projectRoot)
    const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz')) as string
    await run('mkdir', [join(dir, 'app')])
    await writeFile(join(dir, 'app', 'package.json'), '{"name": "empty", "private": true}\n')
    // From the local npm cache; only what it lacks is fetched from the registry.
    await npm(['install', '--offline', '--ignore-scripts', join(dir, tarball)], join(dir, 'app')).catch(() =>
      npm(['install', '--prefer-offline', '--ignore-scripts', join(dir, tarball)], join(dir, 'app')),
    )
  }, 300_000)
  afterAll(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('installs from its tarball and runs --version, a sandbox trace and shell completion', async () => {
    const version = await synctrace(['--version'])
    expect(version.stdout).toMatch(/^synctrace\/0\.1\.0 /)
    const trace = await synctrace(['trace', 'customer', '10042', '--sandbox']).catch(
      (error: {code: number; stdout: string}) => error,
    )
    expect((trace as {code?: number}).code).toBe(3)
    expect((trace as {stdout: string}).stdout).toContain('Verdict')
    expect((trace as {stdout: string}).stdout).toContain('$ synctrace sync customer 10042 --sandbox')
    const completion = await synctrace(['autocomplete', 'bash'])
    expect(completion.stdout).toContain('complete -F _synctrace_complete synctrace')
    const words = await synctrace(['__complete', 'trace', 'customer', '10042', '--format', ''])
    expect(words.stdout).toBe('terminal\nmarkdown\njson\n')
  }, 120_000)
})

/** What `npm pack` would put in the tarball: quick, since it neither builds nor writes anything. */
describe('the files of the npm package', () => {
  it('ship the CLI and the sandbox with its emulators beside it, not in the connectors, and no history generator, player or oracle', async () => {
    const {stdout} = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: projectRoot,
      timeout: 120_000,
    })
    const files = (JSON.parse(stdout) as Array<{files: Array<{path: string}>}>)[0]?.files.map((file) => file.path) ?? []
    expect(files).toContain('bin/run.js')
    expect(files).toContain('dist/sandbox/sandbox.js')
    expect(files).toContain('dist/sandbox/erp/fortnox/emulator.js')
    expect(
      files.filter((path) => /(^|\/)(test|history)\/|(^|\/)(generate|oracle[-\w]*|play[-\w]*)\.js$/.test(path)),
    ).toEqual([])
    expect(files.filter((path) => /^dist\/connectors\/.*emulator/.test(path))).toEqual([])
  }, 120_000)
})
