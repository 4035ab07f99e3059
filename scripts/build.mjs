// Compiles src/ to dist/, copies the sandbox's seed data and writes oclif.manifest.json,
// so that `--help` and `--version` never have to import every command.
import {execFileSync} from 'node:child_process'
import {cpSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

rmSync(join(root, 'dist'), {force: true, recursive: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {
  cwd: root,
  stdio: 'inherit',
})
cpSync(join(root, 'src', 'sandbox', 'seed'), join(root, 'dist', 'sandbox', 'seed'), {recursive: true})

const {Plugin} = await import('@oclif/core')
const plugin = new Plugin({errorOnManifestCreate: true, ignoreManifest: true, isRoot: true, root, type: 'core'})
await plugin.load()
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest, null, 2) + '\n')
// The top-level help, rendered once for 80 columns: bin/run.js prints it without loading oclif.
const help = execFileSync(process.execPath, [join(root, 'bin', 'run.js'), '--help'], {
  cwd: root,
  env: {...process.env, FORCE_COLOR: '0', NO_COLOR: '1', OCLIF_COLUMNS: '80'},
})
writeFileSync(join(root, 'dist', 'help.txt'), help)
console.log(`built dist/ and oclif.manifest.json (${Object.keys(plugin.manifest.commands).length} commands)`)
