// The fleet view's cost (issue 25): `doctor --all` over 20, 200 and 1000 sandbox installations, exactly one
// of them hanging (its CMS never answers). The fleet runs in this process (one shared CMS, app backend and
// webshop, an ERP or file server per installation); the spawned CLI reads a config of its profiles and is
// measured alone under GNU time: wall time, CPU seconds, peak RSS, and the requests it made (its --debug
// lines) per second. At each size the run is repeated without the hanging installation: the difference is
// what the hanging one cost, to set beside its deadline. Not a test: figures to read.
//   npm run bench:fleet     (BENCH_SIZES=20,200,1000, BENCH_DEADLINE=5 s, BENCH_CONCURRENCY=8)
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describeFleet} from '../../dist/cli/sandbox-fleet.js'
import {plantedAt, startFleet} from '../../dist/sandbox/fleet.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = join(root, 'bin', 'run.js')
const sizes = (process.env.BENCH_SIZES ?? '20,200,1000').split(',').map(Number)
const deadlineS = Number(process.env.BENCH_DEADLINE ?? 5)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8)
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')

/** The fleet's size to generate so that, keeping only its first hanging installation, `size` remain. */
function generatedSize(size) {
  let hanging = 0
  let kept = 0
  let generated = 0
  while (kept < size) {
    const hangs = plantedAt(generated) === 'hanging'
    if (hangs) hanging += 1
    if (!hangs || hanging === 1) kept += 1
    generated += 1
  }
  return generated
}

/** The spawned `doctor --all` under GNU time: wall, CPU, peak RSS, requests made, exit code, entries. */
function doctorAll(configPath) {
  return new Promise((resolve, reject) => {
    const args = ['-f', 'TIME %e %U %S %M', process.execPath, bin, 'doctor', '--all', '--config', configPath]
    const flags = ['--deadline', String(deadlineS), '--concurrency', String(concurrency), '--json', '--debug']
    const child = spawn('/usr/bin/time', [...args, ...flags], {stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      const time = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr)
      if (!time) return reject(new Error(`no GNU time line (exit ${code}):\n${stderr.slice(-2000)}`))
      const [wall, user, system, peakKb] = time.slice(1).map(Number)
      const requests = stderr.split('\n').filter((line) => /\[debug\] (GET|POST|PUT|PATCH|DELETE) .* → /.test(line))
      resolve({
        code,
        cpu: user + system,
        entries: JSON.parse(stdout),
        peakMb: peakKb / 1024,
        requests: requests.length,
        wall,
      })
    })
  })
}

function writeConfig(dir, fleet, keep) {
  const {config} = describeFleet(fleet)
  const profiles = Object.fromEntries(Object.entries(config.profiles).filter(([name]) => keep(name)))
  const path = join(dir, `fleet-${Object.keys(profiles).length}.json`)
  writeFileSync(path, `${JSON.stringify({profiles}, null, 2)}\n`, {mode: 0o600})
  return path
}

const dir = mkdtempSync(join(tmpdir(), 'synctrace-fleet-bench-'))
console.log(
  `doctor --all, --deadline ${deadlineS} s, --concurrency ${concurrency}, ${cpus().length} cores, Node ${process.version}`,
)
const rows = []
try {
  for (const size of sizes) {
    const generated = generatedSize(size)
    let firstHanging = null
    const only = (id) => {
      const index = Number(id.replace('fleet-', '')) - 1
      if (plantedAt(index) !== 'hanging') return true
      firstHanging ??= id
      return id === firstHanging
    }
    const loadBefore = load()
    const started = performance.now()
    const fleet = await startFleet({only, size: generated})
    const startMs = performance.now() - started
    try {
      const withHang = await doctorAll(writeConfig(dir, fleet, () => true))
      const without = await doctorAll(writeConfig(dir, fleet, (name) => name !== firstHanging))
      const notChecked = withHang.entries
        .filter((entry) => entry.status === 'not-checked')
        .map((entry) => entry.profile)
      const row = {
        cpu: withHang.cpu,
        exit: withHang.code,
        hangCost: withHang.wall - without.wall,
        installations: withHang.entries.length,
        load: `${loadBefore} → ${load()}`,
        notChecked: notChecked.join(','),
        peakMb: withHang.peakMb,
        peakMbWithout: without.peakMb,
        requests: withHang.requests,
        rps: withHang.requests / withHang.wall,
        sandboxStart: startMs / 1000,
        wall: withHang.wall,
        wallWithout: without.wall,
      }
      rows.push(row)
      console.log(
        `${String(row.installations).padStart(5)} installations: wall ${row.wall.toFixed(1)} s, CPU ${row.cpu.toFixed(1)} s, ` +
          `peak RSS ${row.peakMb.toFixed(0)} MB, ${row.requests} requests (${row.rps.toFixed(0)}/s), exit ${row.exit}, ` +
          `not checked: ${row.notChecked || 'none'}; without the hanging one: wall ${row.wallWithout.toFixed(1)} s ` +
          `(it cost ${row.hangCost.toFixed(1)} s, deadline ${deadlineS} s), peak RSS ${row.peakMbWithout.toFixed(0)} MB; ` +
          `sandbox fleet started in ${row.sandboxStart.toFixed(1)} s; load average ${row.load}`,
      )
    } finally {
      await fleet.stop()
    }
  }
} finally {
  rmSync(dir, {force: true, recursive: true})
}
const first = rows[0]
for (const row of rows.slice(1))
  console.log(
    `${first.installations} → ${row.installations}: ×${(row.installations / first.installations).toFixed(0)} installations, ` +
      `wall ×${(row.wall / first.wall).toFixed(1)}, CPU ×${(row.cpu / first.cpu).toFixed(1)}, peak RSS ×${(row.peakMb / first.peakMb).toFixed(2)}`,
  )
