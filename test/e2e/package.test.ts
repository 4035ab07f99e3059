import {execFile} from 'node:child_process'
import {mkdtemp, readdir, readFile, readlink, realpath, rename, rm, writeFile} from 'node:fs/promises'
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

  let untrackedBeforePack: string
  let untrackedAfterPack: string
  let installOutput: string
  const untracked = async () =>
    (await run('git', ['status', '--porcelain', '--untracked-files=all'], {cwd: projectRoot})).stdout

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
    // dist/ is built by `npm test` before the tests run. Packed where a person packs it, in the checkout.
    untrackedBeforePack = await untracked()
    const tarball = (await npm(['pack', '--ignore-scripts'], projectRoot)).stdout.trim().split('\n').at(-1) as string
    untrackedAfterPack = await untracked()
    await rename(join(projectRoot, tarball), join(dir, tarball))
    await run('mkdir', [join(dir, 'app')])
    await writeFile(join(dir, 'app', 'package.json'), '{"name": "empty", "private": true}\n')
    // From the local npm cache; only what it lacks is fetched from the registry.
    const installed = await npm(
      ['install', '--offline', '--ignore-scripts', join(dir, tarball)],
      join(dir, 'app'),
    ).catch(() => npm(['install', '--prefer-offline', '--ignore-scripts', join(dir, tarball)], join(dir, 'app')))
    installOutput = installed.stdout + installed.stderr
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

  it('leaves no untracked file in the checkout when packed', () => {
    expect(untrackedAfterPack).toBe(untrackedBeforePack)
  })

  it('ships built code and declares no script that an install would run (no build, no warning in the consumer)', async () => {
    const installed = join(dir, 'app', 'node_modules', 'synctrace')
    expect((await readdir(join(installed, 'dist'))).length).toBeGreaterThan(0)
    const {scripts = {}} = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>
    }
    // What npm runs, or lists as "install scripts not yet covered by allowScripts", for a tarball or git dependency.
    expect(
      Object.keys(scripts).filter((name) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(name)),
    ).toEqual([])
    expect(installOutput).not.toMatch(/synctrace@/)
  })
})

/** The README's two commands: after `npm install` in a checkout, `npx synctrace …` runs the checkout's own bin. */
describe('npx in the checkout', () => {
  it("runs the README's main-job command from the checkout's bin, with no build on first use", async () => {
    const readme = await readFile(join(projectRoot, 'README.md'), 'utf8')
    const command = readme.match(/^npx (synctrace [^#\n]*?)\s*#/m)?.[1]?.split(' ') ?? []
    expect(command.slice(0, 2)).toEqual(['synctrace', 'trace'])
    // A fresh npx cache: the first `npx synctrace` after an install, when npx links the checkout into its cache.
    const cache = await mkdtemp(join(tmpdir(), 'synctrace-npx-'))
    try {
      const env = {...process.env, NO_COLOR: '1', npm_config_cache: cache, npm_config_update_notifier: 'false'}
      const result = await run('npx', ['--loglevel', 'info', ...command], {
        cwd: projectRoot,
        env,
        timeout: 120_000,
      }).catch((error: {code: number; stdout: string; stderr: string}) => error)
      expect((result as {code?: number}).code).toBe(3)
      expect(result.stdout).toContain('Verdict')
      // npm logs every lifecycle script it runs ("npm info run synctrace@0.1.0 prepare …"): none of the checkout's.
      expect(result.stderr).not.toMatch(/run synctrace@\S+ \w+/)
      const [hash] = await readdir(join(cache, '_npx'))
      const linked = join(cache, '_npx', hash as string, 'node_modules', 'synctrace')
      expect(await readlink(linked)).toBeTruthy()
      expect(await realpath(linked)).toBe(await realpath(projectRoot))
    } finally {
      await rm(cache, {force: true, recursive: true})
    }
  }, 180_000)
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
