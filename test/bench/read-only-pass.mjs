// The read-only pass of the reconcile benchmark: pages and parses both sides exactly as reconcile does
// (the same connectors, schemas and side streams), without merging, classifying or writing anything.
// Usage: node test/bench/read-only-pass.mjs <config> <profile> <entity> <pair>
import {loadProfile} from '../../dist/config/config-file.js'
import {clientsForProfile} from '../../dist/config/clients.js'
import {HttpClient} from '../../dist/http/client.js'
import {erpSide, platformSide} from '../../dist/reconcile/sides.js'

const [configPath, profileName, entity = 'customers', pair = 'erp,cms'] = process.argv.slice(2)
const profile = await loadProfile({configPath, profileName})
const http = new HttpClient({timeouts: {totalMs: 60_000}})
const clients = await clientsForProfile(profile, http)
const [up, down] = pair.split(',')
const side = (hop) => (hop === 'erp' ? erpSide(clients.erp, entity) : platformSide(http, profile[hop], hop, entity))
const count = async (stream) => {
  let records = 0
  for await (const batch of stream.open(null)) records += batch.length
  return records
}
const [upstream, downstream] = await Promise.all([count(side(up)), count(side(down))])
await http.close()
console.log(JSON.stringify({downstream, upstream}))
