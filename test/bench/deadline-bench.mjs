// The hang bound (issue 22, point 4): a hop that never answers must end the trace within --timeout + 0.3 s,
// with the output and the exit at once after it, on a quiet machine and under load (CPU burners on every
// core). Spawns the built CLI against a sandbox started in this process, one hop hanging at a time, and
// prints per case: the trace's own time (its `--debug` start line to its last output), the overshoot past
// --timeout, and how long the process took to exit after its last output. Not a test: figures to read.
//   npm run bench:deadline            (BENCH_RUNS=3 runs per case, BENCH_TIMEOUT=1 s)
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describeSandbox, writeSandboxConfig} from '../../dist/sandbox/describe.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = join(root, 'bin', 'run.js')
const runs = Number(process.env.BENCH_RUNS ?? 3)
const timeoutS = Number(process.env.BENCH_TIMEOUT ?? 1)
const cases = [
  ['acme', 'erp'],
  ['acme', 'cms'],
  ['acme', 'app'],
  ['acme', 'webshop'],
  ['nordic', 'cms'],
]

/** One spawned trace: ms from its trace-start debug line to its last output, and from that to its exit. */
function traceOnce(configPath, installation) {
  return new Promise((resolve, reject) => {
    const args = [bin, 'trace', 'customer', '10042', '--config', configPath, '--profile', `sandbox-${installation}`]
    const child = spawn(process.execPath, [...args, '--timeout', String(timeoutS), '--json', '--debug'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let started = null
    let last = 0
    let stderr = ''
    child.stdout.on('data', () => {
      last = performance.now()
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      if (started === null && /\[debug\] trace customer .*deadline/.test(stderr)) started = performance.now()
      last = performance.now()
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      const exited = performance.now()
      if (started === null) return reject(new Error(`no trace-start debug line (exit ${code}):\n${stderr}`))
      resolve({code, exitAfterOutput: exited - last, trace: last - started})
    })
  })
}

/** Busy loops on every core, in child processes, until stopped. */
function burners() {
  const children = cpus().map(() =>
    spawn(process.execPath, ['-e', 'for (;;) Math.sqrt(Math.random())'], {stdio: 'ignore'}),
  )
  return () => {
    for (const child of children) child.kill()
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function measure(sandbox, configPath, label) {
  console.log(
    `\n${label} (load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}):`,
  )
  let worst = 0
  for (const [installation, hop] of cases) {
    await sandbox.setFault(installation, hop, {kind: 'hang'})
    const results = []
    for (let run = 0; run < runs; run++) results.push(await traceOnce(configPath, installation))
    await sandbox.setFault(installation, hop, null)
    const overshoot = results.map((result) => result.trace - timeoutS * 1000)
    worst = Math.max(worst, ...overshoot)
    console.log(
      `  ${`${installation}.${hop}=hang`.padEnd(20)} trace ${median(results.map((r) => r.trace))
        .toFixed(0)
        .padStart(5)} ms` +
        `  overshoot median ${median(overshoot).toFixed(0).padStart(4)} ms, worst ${Math.max(...overshoot)
          .toFixed(0)
          .padStart(4)} ms` +
        `  exit after output worst ${Math.max(...results.map((r) => r.exitAfterOutput))
          .toFixed(0)
          .padStart(3)} ms` +
        `  (exit ${[...new Set(results.map((r) => r.code))].join(',')})`,
    )
  }
  console.log(`  worst overshoot ${worst.toFixed(0)} ms: ${worst <= 300 ? 'within' : 'NOT within'} --timeout + 300 ms`)
}

const dir = mkdtempSync(join(tmpdir(), 'synctrace-deadline-'))
const sandbox = await startSandbox({installations: ['acme', 'nordic'], helpdesks: false})
try {
  const configPath = join(dir, 'config.json')
  await writeSandboxConfig(configPath, describeSandbox(sandbox))
  console.log(
    `hang bound, --timeout ${timeoutS} s, ${runs} runs per case, ${cpus().length} cores, Node ${process.version}`,
  )
  await measure(sandbox, configPath, 'quiet')
  const stop = burners()
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await measure(sandbox, configPath, `loaded (${cpus().length} CPU burners)`)
  } finally {
    stop()
  }
} finally {
  await sandbox.stop()
  rmSync(dir, {force: true, recursive: true})
}
