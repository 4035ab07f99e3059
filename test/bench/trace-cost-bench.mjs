// npm run bench:trace: a trace's own cost. The seeded sandbox (installation acme, Business Central) runs in its own
// process and answers at once; the measured process is the synctrace CLI alone, tracing a consistent customer
// (10001) with the sandbox's profile (--config), under GNU time: wall time, CPU seconds (user + system), peak RSS
// (maximum resident set). A bare `node -e 0` is measured the same way beside it. Each row gives the median and the
// best of --runs runs (default 10, after one warm-up that also keeps the ERP's token), with the load average
// (1 minute) before and after: on a shared machine CPU and RSS move little with the load, wall time does.
// Target (issue 22, docs/performance.md): within 0.25 s wall and 80 MiB peak on the project's 2-core machine.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const binRun = join(root, 'bin', 'run.js')
const option = (name, fallback) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback
const runs = Number(option('--runs', 10))
const customer = option('--customer', '10001')

function startSandbox(dir) {
  const configPath = join(dir, 'config.json')
  const child = spawn(
    process.execPath,
    [binRun, 'sandbox', '--installation', 'acme', '--write-config', configPath, '--json'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk) => {
      out += chunk
      if (out.includes('\n')) resolve({child, configPath})
    })
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)))
  })
}

/** One run under GNU time: wall seconds, CPU seconds, peak RSS in MiB. */
function timed(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn('/usr/bin/time', ['-f', 'BENCH %M %U %S', process.execPath, ...args], {
      cwd: root,
      env: {...process.env, NO_COLOR: '1', ...env},
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let err = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk) => {
      err += chunk
    })
    child.on('exit', (code) => {
      const wall = (performance.now() - started) / 1000
      const match = err.match(/BENCH (\d+) ([\d.]+) ([\d.]+)/)
      // A trace exits 0 when the record is consistent; any other code means the bench measured something else.
      if (!match || code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-400)}`))
      resolve({cpu: Number(match[2]) + Number(match[3]), rss: Number(match[1]) / 1024, wall})
    })
  })
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const best = (values) => Math.min(...values)

async function measure(name, args, env = {}) {
  await timed(args, env)
  const load = loadavg()[0]
  const samples = []
  for (let run = 0; run < runs; run++) samples.push(await timed(args, env))
  const of = (key) => samples.map((sample) => sample[key])
  return {
    best: {cpu: best(of('cpu')), rss: best(of('rss')), wall: best(of('wall'))},
    load: [load, loadavg()[0]],
    median: {cpu: median(of('cpu')), rss: median(of('rss')), wall: median(of('wall'))},
    name,
  }
}

const dir = mkdtempSync(join(tmpdir(), 'synctrace-trace-bench-'))
const sandbox = await startSandbox(dir)
try {
  const trace = ['trace', 'customer', customer, '--config', sandbox.configPath]
  const rows = [
    await measure('node -e 0', ['-e', '0']),
    await measure(`trace customer ${customer} (terminal view, piped)`, [binRun, ...trace]),
    await measure(`trace customer ${customer} --json`, [binRun, ...trace, '--json']),
  ]
  console.log(`a trace's own cost against an instant sandbox, ${runs} runs each (Node ${process.version}):`)
  console.log('| run | wall median (best) | CPU median (best) | peak RSS median | load average |')
  console.log('|---|---:|---:|---:|---:|')
  for (const row of rows)
    console.log(
      `| ${row.name} | ${row.median.wall.toFixed(2)} s (${row.best.wall.toFixed(2)} s) | ${row.median.cpu.toFixed(2)} s (${row.best.cpu.toFixed(2)} s) | ${row.median.rss.toFixed(0)} MiB | ${row.load.map((load) => load.toFixed(1)).join(' → ')} |`,
    )
  const traced = rows[1]
  console.log(
    `target 0.25 s wall and 80 MiB peak: wall ${traced.median.wall <= 0.25 ? 'met' : 'NOT met'} (${traced.median.wall.toFixed(2)} s), peak ${traced.median.rss <= 80 ? 'met' : 'NOT met'} (${traced.median.rss.toFixed(0)} MiB)`,
  )
} finally {
  sandbox.child.kill('SIGINT')
  rmSync(dir, {force: true, recursive: true})
}
