// Benchmark (not part of npm test): finding the last row of a ~200 MB customers.csv must not hold the
// file in memory. Streams a generated export through the real reader and samples the heap while it runs.
import {Readable} from 'node:stream'

import {findRowInCsv} from '../../dist/connectors/ftp/csv-export.js'

const rows = 1_600_000
const header =
  'CustomerCode;CustomerName;Email;Phone;IsPrivate;Blocked;CustomerManager;PriceList;InvoiceAddress1;InvoiceCity;LastModified\n'
async function* exportFile() {
  yield Buffer.from(`\uFEFF${header}`)
  let chunk = ''
  for (let row = 0; row < rows; row++) {
    chunk += `${row};"Customer ${row} Aktiebolag; Filial";info${row}@example.invalid;+46 8 ${row};0;0;SR7;B2B-A;"Storgatan ${row % 500}";Stockholm;2026-11-20 09:14:00\n`
    if (chunk.length > 64 * 1024) {
      yield Buffer.from(chunk)
      chunk = ''
    }
  }
  yield Buffer.from(chunk)
}

let bytes = 0
let heapPeak = 0
const source = Readable.from(
  (async function* () {
    for await (const chunk of exportFile()) {
      bytes += chunk.length
      // Sampled as the reader pulls, so a busy event loop cannot hide the peak.
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
      yield chunk
    }
  })(),
)
globalThis.gc?.()
const heapBefore = process.memoryUsage().heapUsed
const started = performance.now()
const result = await findRowInCsv(
  source,
  'customers.csv',
  {delimiter: ';', encoding: 'utf-8'},
  (fields) => fields.CustomerCode === String(rows - 1),
  String(rows - 1),
)
const seconds = (performance.now() - started) / 1000
console.log(
  `found row ${result.row?.line} of a ${(bytes / 1048576).toFixed(0)} MiB export in ${seconds.toFixed(1)} s (${(bytes / 1048576 / seconds).toFixed(0)} MiB/s); heap grew at most ${((heapPeak - heapBefore) / 1048576).toFixed(1)} MiB`,
)
