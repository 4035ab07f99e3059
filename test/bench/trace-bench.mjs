// Benchmarks (not part of npm test): run with `npm run bench`.
// 1. A trace costs about its slowest hop, not the sum: every hop of the sandbox is slowed down and the
//    trace's wall time is compared with the sum of all delays.
// 2. --help and --version cost little more than starting Node.
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describeSandbox, writeSandboxConfig} from '../../dist/sandbox/describe.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(root, 'bin', 'run.js')
const runs = 5

const run = promisify(execFile)

// Asynchronous on purpose: the sandbox serves from this process and must keep its event loop free.
async function timeCommand(args) {
  const started = performance.now()
  try {
    await run(process.execPath, args, {env: {...process.env, NO_COLOR: '1'}})
  } catch (error) {
    if (error.code !== 3) throw new Error(`${args.join(' ')} exited ${error.code}: ${error.stdout}`)
  }
  return performance.now() - started
}

async function medianOf(args) {
  const times = []
  for (let index = 0; index < runs; index++) times.push(await timeCommand(args))
  return median(times)
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const sandbox = await startSandbox({installations: ['acme']})
const dir = mkdtempSync(join(tmpdir(), 'synctrace-bench-'))
const config = join(dir, 'config.json')
await writeSandboxConfig(config, describeSandbox(sandbox))
const traceArgs = [bin, 'trace', 'customer', '10042', '--config', config, '--json']

const baseline = await medianOf(traceArgs)
const delays = {app: 250, cms: 300, erp: 400, webshop: 350}
for (const [hop, delayMs] of Object.entries(delays)) await sandbox.setFault('acme', hop, {delayMs, kind: 'slow'})
const countsBefore = Object.fromEntries(Object.keys(delays).map((hop) => [hop, sandbox.requests('acme', hop).length]))
const slowed = await medianOf(traceArgs)
const requestsByHop = Object.fromEntries(
  Object.keys(delays).map((hop) => [hop, (sandbox.requests('acme', hop).length - countsBefore[hop]) / runs]),
)
const perTrace = Object.values(requestsByHop).reduce((sum, count) => sum + count, 0)
await sandbox.stop()
rmSync(dir, {force: true, recursive: true})

// If every request were made one after another, the trace would cost the sum of all delays.
const sequentialMs = Object.entries(delays).reduce(
  (sum, [hop, delayMs]) => sum + delayMs * (requestsByHop[hop] ?? 0),
  0,
)
console.log(
  `trace 10042, median of ${runs}: ${baseline.toFixed(0)} ms unslowed; ${slowed.toFixed(0)} ms with every hop slowed (${JSON.stringify(delays)} per request)`,
)
console.log(
  `  the same ${Math.round(perTrace)} requests one after another would add ${sequentialMs} ms; concurrency added ${(slowed - baseline).toFixed(0)} ms`,
)

const node = await medianOf(['-e', ''])
const version = await medianOf([bin, '--version'])
const help = await medianOf([bin, 'trace', 'customer', '--help'])
console.log(
  `startup, median of ${runs}: node ${node.toFixed(0)} ms, --version ${version.toFixed(0)} ms, trace customer --help ${help.toFixed(0)} ms`,
)
