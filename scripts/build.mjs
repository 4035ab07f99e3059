// Compiles src/ to dist/, copies the sandbox's seed data and writes oclif.manifest.json,
// so that `--help` and `--version` never have to import every command.
//
// Incremental: tsc keeps its build info in tsconfig.tsbuildinfo and re-emits only what changed (deleting
// dist/ gives a full build). A dist file whose source is gone is deleted, so no test can import a stale module;
// a source whose dist file is missing forces a full compile. The manifest and the rendered help are
// written again only when something was emitted (or they are missing).
import {execFileSync} from 'node:child_process'
import {cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const dist = join(root, 'dist')
const src = join(root, 'src')
// Outside dist/, so the package never ships it.
const buildInfo = join(root, 'tsconfig.tsbuildinfo')
const seed = join('sandbox', 'seed')
const manifest = join(root, 'oclif.manifest.json')
const help = join(dist, 'help.txt')

/** Every file under a folder, as paths relative to it (the seed copy aside). */
function files(folder, under = '') {
  if (!existsSync(join(folder, under))) return []
  return readdirSync(join(folder, under), {withFileTypes: true}).flatMap((entry) => {
    const path = join(under, entry.name)
    if (path === seed) return []
    return entry.isDirectory() ? files(folder, path) : [path]
  })
}

const sources = new Set(files(src).filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts')))
const compiled = (path) => path.replace(/\.ts$/, '.js')

// Stale output: a dist module without its source (renamed or removed) goes.
for (const path of files(dist)) {
  if (!path.endsWith('.js')) continue
  if (!sources.has(path.replace(/\.js$/, '.ts'))) rmSync(join(dist, path))
}
// tsc's build info does not notice a deleted output file: compile everything again if one is missing.
if ([...sources].some((path) => !existsSync(join(dist, compiled(path))))) rmSync(buildInfo, {force: true})

const modified = (path) => statSync(path).mtimeMs
const newest = () =>
  Math.max(
    0,
    ...files(dist)
      .filter((path) => path.endsWith('.js'))
      .map((path) => modified(join(dist, path))),
  )
const before = newest()
execFileSync(
  process.execPath,
  [
    require.resolve('typescript/bin/tsc'),
    '-p',
    join(root, 'tsconfig.json'),
    '--incremental',
    '--tsBuildInfoFile',
    buildInfo,
  ],
  {cwd: root, stdio: 'inherit'},
)
rmSync(join(dist, seed), {force: true, recursive: true})
cpSync(join(src, seed), join(dist, seed), {recursive: true})

// package.json names the commands, hooks and topics the manifest is built from.
const current =
  newest() === before &&
  existsSync(manifest) &&
  existsSync(help) &&
  modified(join(root, 'package.json')) < modified(manifest)
if (current) {
  console.log('dist/ and oclif.manifest.json are up to date')
} else {
  const {Plugin} = await import('@oclif/core')
  const plugin = new Plugin({errorOnManifestCreate: true, ignoreManifest: true, isRoot: true, root, type: 'core'})
  await plugin.load()
  writeFileSync(manifest, JSON.stringify(plugin.manifest, null, 2) + '\n')
  // The top-level help, rendered once for 80 columns: bin/run.js prints it without loading oclif (the old
  // one goes first, or bin/run.js would print it back).
  rmSync(help, {force: true})
  const text = execFileSync(process.execPath, [join(root, 'bin', 'run.js'), '--help'], {
    cwd: root,
    env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1', OCLIF_COLUMNS: '80'},
  })
  writeFileSync(help, text)
  console.log(`built dist/ and oclif.manifest.json (${Object.keys(plugin.manifest.commands).length} commands)`)
}
