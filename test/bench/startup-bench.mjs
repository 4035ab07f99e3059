// Startup: `synctrace --version` and `--help` against a bare `node -e 0` on the same machine (target:
// within 2×). Median of several runs each, after one warm-up run.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = join(root, 'bin', 'run.js')
const runs = Number(process.env.BENCH_RUNS ?? 15)
const cache = mkdtempSync(join(tmpdir(), 'synctrace-bench-'))
const env = {...process.env, XDG_CACHE_HOME: cache}

function median(args) {
  spawnSync(process.execPath, args, {env, stdio: 'ignore'})
  const times = []
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint()
    const result = spawnSync(process.execPath, args, {env, stdio: 'ignore'})
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`)
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

const bare = median(['-e', '0'])
const rows = [
  ['node -e 0', bare],
  ['synctrace --version', median([bin, '--version'])],
  ['synctrace --help', median([bin, '--help'])],
  ['synctrace trace customer --help', median([bin, 'trace', 'customer', '--help'])],
]
rmSync(cache, {force: true, recursive: true})
console.log(`startup, median of ${runs} runs (Node ${process.version}):`)
for (const [name, ms] of rows)
  console.log(`  ${name.padEnd(34)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / bare).toFixed(2)}× node -e 0`)
const worst = Math.max(...rows.slice(1).map(([, ms]) => ms / bare))
console.log(
  worst <= 2
    ? `within 2× a bare node (worst ${worst.toFixed(2)}×)`
    : `NOT within 2× a bare node (worst ${worst.toFixed(2)}×)`,
)
