// Round trips under delay (issue 22, point 3): with every request answered 1 s late, a trace must cost at most
// 2 s more than with instant answers, for every ERP. Starts the sandbox in this process, traces one customer per
// installation through the library (no process start in the figures), first undelayed, then with the `slow`
// fault on every HTTP hop (the ERP with its token endpoint, the CMS, the app backend, the webshop; the file
// server of an ftp installation is not delayed), and prints both wall times. Not a test: figures to read.
//   npm run bench:latency             (BENCH_DELAY_MS=1000, BENCH_RUNS=2: the best of them)
import {loadavg} from 'node:os'

import {HttpClient} from '../../dist/http/client.js'
import {startSandbox} from '../../dist/sandbox/sandbox.js'
import {traceRecord} from '../../dist/trace/run.js'

const delayMs = Number(process.env.BENCH_DELAY_MS ?? 1000)
const runs = Number(process.env.BENCH_RUNS ?? 2)
const cases = [
  ['acme', '10042', 'Business Central'],
  ['fjord', '30042', 'Fortnox'],
  ['viking', '40042', 'Visma eAccounting'],
  ['vnet', '50042', 'Visma.net'],
  ['nimbus', '50042', 'NetSuite'],
  ['nordic', '20001', 'FTP exports'],
]
const hops = ['erp', 'cms', 'app', 'webshop']

async function bestOf(sandbox, installation, key) {
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < runs; run++) {
    // A new client per trace: no connection kept from the run before, as a new process has none.
    const http = new HttpClient({timeouts: {totalMs: 60_000}})
    const started = performance.now()
    await traceRecord('customer', sandbox.installation(installation).profile(), key, {
      commandSuffix: '',
      http,
      timeoutMs: 60_000,
      version: 'bench',
    })
    best = Math.min(best, performance.now() - started)
    await http.close()
  }
  return best
}

async function delayAll(sandbox, installation, fault) {
  for (const hop of hops)
    if (sandbox.installation(installation).services[hop]) await sandbox.setFault(installation, hop, fault)
}

const sandbox = await startSandbox({helpdesks: false, installations: cases.map(([installation]) => installation)})
try {
  console.log(
    `round trips: every request ${delayMs} ms late, best of ${runs} (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  )
  let worst = 0
  for (const [installation, key, erp] of cases) {
    const undelayed = await bestOf(sandbox, installation, key)
    await delayAll(sandbox, installation, {delayMs, kind: 'slow'})
    const delayed = await bestOf(sandbox, installation, key)
    await delayAll(sandbox, installation, null)
    const extra = delayed - undelayed
    worst = Math.max(worst, extra)
    console.log(
      `  ${`${installation} (${erp})`.padEnd(28)} customer ${key}  undelayed ${undelayed.toFixed(0).padStart(5)} ms  delayed ${delayed.toFixed(0).padStart(5)} ms  +${(extra / 1000).toFixed(2)} s (${(extra / delayMs).toFixed(1)} round trips)`,
    )
  }
  console.log(
    `  worst +${(worst / 1000).toFixed(2)} s: ${worst <= 2 * delayMs ? 'within' : 'NOT within'} 2 × the delay`,
  )
} finally {
  await sandbox.stop()
}
