// npm run bench:reconcile: reconcile of N customers per side (Business Central → CMS) through the scale
// sandbox over loopback, for N = 10 000, 100 000 and 1 000 000 (or the sizes given: --sizes 10000,100000).
// The sandbox runs in its own process; the measured process is the synctrace CLI alone. For each size:
// wall time, records per second (both sides), the CLI's peak RSS (GNU time's maximum resident set), and the
// same for a read-only pass that only pages and parses both sides. Targets (docs/performance.md): 1M per
// side within 30 s, peak RSS within 500 MB, reconcile within 1.5 × the read-only pass.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const binRun = join(root, 'bin', 'run.js')
const sizesFlag = process.argv.indexOf('--sizes')
const sizes = sizesFlag > 0 ? process.argv[sizesFlag + 1].split(',').map(Number) : [10_000, 100_000, 1_000_000]
const pair = process.argv.includes('--between') ? process.argv[process.argv.indexOf('--between') + 1] : 'erp,cms'

function startSandbox(records, dir) {
  const configPath = join(dir, 'config.json')
  const child = spawn(
    process.execPath,
    [binRun, 'sandbox', '--scale', String(records), '--installation', 'scale', '--write-config', configPath, '--json'],
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
      if (out.includes('\n')) resolve({child, configPath, description: JSON.parse(out.split('\n')[0])})
    })
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)))
  })
}

/** Runs a node script under GNU time: wall seconds, peak RSS in MB, stdout. */
function measured(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn('/usr/bin/time', ['-f', 'BENCH-RSS-KB %M BENCH-CPU %U %S', process.execPath, ...args], {
      cwd: root,
      env: {...process.env, ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const wall = (performance.now() - started) / 1000
      const rss = Number(/BENCH-RSS-KB (\d+)/.exec(stderr)?.[1] ?? 0) / 1024
      const cpu = /BENCH-CPU ([\d.]+) ([\d.]+)/.exec(stderr)
      resolve({code, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, rssMb: rss, stderr, stdout, wall})
    })
  })
}

const rows = []
for (const records of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'synctrace-bench-'))
  const sandbox = await startSandbox(records, dir)
  const env = {
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
  }
  try {
    const read = await measured(
      [join(root, 'test', 'bench', 'read-only-pass.mjs'), sandbox.configPath, 'sandbox-scale', 'customers', pair],
      env,
    )
    const sides = JSON.parse(read.stdout)
    const run = await measured(
      [
        binRun,
        'reconcile',
        'customers',
        '--between',
        pair,
        '--config',
        sandbox.configPath,
        '--profile',
        'sandbox-scale',
        '--json',
        '--output',
        join(dir, 'records.jsonl'),
      ],
      env,
    )
    const report = JSON.parse(run.stdout)
    const both = report.read.upstream + report.read.downstream
    rows.push({
      findings: report.classes.reduce((sum, entry) => sum + entry.count, 0),
      readOnly: {
        cpuSeconds: read.cpu,
        recordsPerSecond: Math.round((sides.upstream + sides.downstream) / read.wall),
        rssMb: Math.round(read.rssMb),
        wallSeconds: Number(read.wall.toFixed(2)),
      },
      loadAverage: (await import('node:os')).loadavg()[0],
      records,
      reconcile: {
        cpuSeconds: run.cpu,
        recordsPerSecond: Math.round(both / run.wall),
        rssMb: Math.round(run.rssMb),
        wallSeconds: Number(run.wall.toFixed(2)),
      },
      ratio: Number((run.wall / read.wall).toFixed(2)),
      sides: report.read,
    })
    const row = rows.at(-1)
    console.error(
      `${records} per side: reconcile ${row.reconcile.wallSeconds} s (CPU ${row.reconcile.cpuSeconds} s), ${row.reconcile.recordsPerSecond} records/s, peak RSS ${row.reconcile.rssMb} MB; read-only ${row.readOnly.wallSeconds} s (CPU ${row.readOnly.cpuSeconds} s), ${row.readOnly.recordsPerSecond} records/s, ${row.readOnly.rssMb} MB; ratio ${row.ratio}; load average ${row.loadAverage.toFixed(1)}`,
    )
  } finally {
    sandbox.child.kill('SIGINT')
    await new Promise((resolve) => sandbox.child.once('exit', resolve))
    rmSync(dir, {force: true, recursive: true})
  }
}
console.log(JSON.stringify({between: pair, entity: 'customers', rows}, null, 2))
