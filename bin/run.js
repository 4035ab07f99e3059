#!/usr/bin/env node
// `--version` and the top-level `--help` are answered without loading oclif (it alone costs more than
// starting Node): the version from package.json, the help as rendered at build time (dist/help.txt).
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '--help' || argv[0] === 'help')) {
  const {readFileSync} = await import('node:fs')
  if (argv[0] === '--version' || argv[0] === '-v') {
    const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    process.stdout.write(`synctrace/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
    process.exit(0)
  }
  try {
    const help = readFileSync(new URL('../dist/help.txt', import.meta.url), 'utf8')
    process.stdout.write(
      help
        .replace(/node-v[\d.]+/, `node-${process.version}`)
        .replace(/(synctrace\/\S+ )\S+-\S+/, `$1${process.platform}-${process.arch}`),
    )
    process.exit(0)
  } catch {
    // Not built with a rendered help: oclif renders it below.
  }
}

// Shell completion asks at every TAB (synctrace autocomplete bash|zsh): answered from the manifest, without oclif.
if (argv[0] === '__complete') {
  const {printCompletions} = await import('../dist/cli/completion.js')
  process.stdout.write(
    await printCompletions(argv.slice(1), new URL('../oclif.manifest.json', import.meta.url), process.env),
  )
  process.exit(0)
}
// undici parses HTTP with llhttp, a WebAssembly module. V8 compiles it with its baseline compiler and then, once a
// function has used up a budget of work (V8's default: 1 800 000), again with its optimising one in the background:
// for the few answers of a trace that second compile cost about 35 MiB of peak memory and 0.05–0.1 CPU-seconds,
// more than all the parsing it would speed up. A larger budget keeps the baseline code for runs of a few dozen
// requests; a run that parses far more (reconcile's pages) can still use it up and be optimised as before.
const v8 = await import('node:v8')
v8.setFlagsFromString('--wasm-tiering-budget=100000000')

// On import oclif checks Node against its own engines (>=18) with the whole of semver (about fifty modules, 25 ms
// of CPU at a trace's start); synctrace's own engines (package.json) are stricter, so that check can never warn here.
// Set only around the import: nothing this run starts inherits it.
const engineWarning = process.env.OCLIF_DISABLE_ENGINE_WARNING
process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
const {execute} = await import('@oclif/core')
if (engineWarning === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING
else process.env.OCLIF_DISABLE_ENGINE_WARNING = engineWarning
await execute({dir: import.meta.url})
// The run is over and its output written: exit once the streams have taken it, not when the last socket
// (a hung server's, a file server's goodbye) closes.
const flushed = (stream) =>
  new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve()
    stream.write('', () => resolve())
  })
await Promise.all([flushed(process.stdout), flushed(process.stderr)])
process.exit()
