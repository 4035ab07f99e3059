import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runReconcile} from '../../dist/reconcile/session.js'
import {writeExportFiles} from '../../dist/sandbox/export-files.js'
import {traceCustomer, traceItem} from '../../dist/trace/run.js'
import {type RunningSandbox, startTestSandbox, testHttp} from '../helpers/sandbox.js'

// Every exclusion a trace knows gives the same class in bulk: `trace` and `reconcile --between erp,cms`
// (or ftp,cms) through the library, against the sandbox's emulated ERPs and export files in this process.

type Json = Record<string, unknown>
type Entity = 'customers' | 'items'

const installations = ['acme', 'fjord', 'viking', 'vnet', 'nimbus', 'nordic', 'winbas', 'monitor']
const modified = () => new Date(Date.now() - 40 * 86_400_000).toISOString()

const customer = (code: string, changes: Json = {}): Json => ({
  addresses: [
    {
      addressLine1: 'Storgatan 1',
      addressLine2: '',
      addressType: 'Invoice',
      city: 'Umeå',
      countryCode: 'SE',
      isMain: true,
      postCode: '903 25',
    },
  ],
  blocked: false,
  customerCode: code,
  email: 'info@left-out.example',
  isPrivate: false,
  name: `Utelämnad ${code} AB`,
  phone: '+46 90 12 34 56',
  priceListCode: 'STD',
  salesRepCodes: ['SR1'],
  ...changes,
})

const item = (code: string, changes: Json = {}): Json => ({
  active: true,
  currency: 'SEK',
  description: `Artikel ${code}`,
  itemCode: code,
  price: 100,
  stock: 5,
  unit: 'st',
  webshop: true,
  ...changes,
})

/** The cases: installation, entity, key, and the class both must give. */
const cases: Array<{installation: string; entity: Entity; key: string; expected: string; what: string}> = [
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'acme',
    key: 'X-BLOCKED',
    what: 'Business Central: a blocked item',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'acme',
    key: '10060',
    what: 'Business Central: a private customer under skipPrivateCustomers',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'acme',
    key: '19001',
    what: 'Business Central: a blocked customer under skipBlockedCustomers',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'acme',
    key: '19002',
    what: 'Business Central: a customer without a name',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'fjord',
    key: 'X-NOSHOP',
    what: 'Fortnox: not a webshop article under onlyWebshopItems',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'fjord',
    key: 'X-INACTIVE',
    what: 'Fortnox: an inactive article (its list has no Active field)',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'fjord',
    key: '30060',
    what: 'Fortnox: an inactive customer (filter=active)',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'viking',
    key: 'X-INACTIVE',
    what: 'Visma eAccounting: an inactive article',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'viking',
    key: 'X-NOSHOP',
    what: 'Visma eAccounting: not a webshop article under onlyWebshopItems',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'viking',
    key: '40060',
    what: 'Visma eAccounting: an inactive customer',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'viking',
    key: '40090',
    what: 'Visma eAccounting: a private person under skipPrivateCustomers',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'vnet',
    key: 'X-INACTIVE',
    what: 'Visma.net: an inactive item',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'vnet',
    key: '50060',
    what: 'Visma.net: an inactive customer',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'nimbus',
    key: 'X-INACTIVE',
    what: 'NetSuite: an inactive item',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'nimbus',
    key: '50060',
    what: 'NetSuite: an inactive customer',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'nimbus',
    key: '50070',
    what: 'NetSuite: a person under skipPrivateCustomers',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'nordic',
    key: '29001',
    what: 'generic export: a customer marked ~',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'nordic',
    key: 'X-TILDE',
    what: 'generic export: an item marked ~',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'nordic',
    key: 'X-NOSHOP',
    what: 'generic export: not a webshop item under onlyWebshopItems',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'nordic',
    key: 'X-ZERO',
    what: 'generic export: an item with active 0',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'winbas',
    key: '19099',
    what: 'Winbas: a customer marked ~',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'winbas',
    key: '10040',
    what: 'Winbas: a private customer under skipPrivateCustomers',
  },
  {
    entity: 'customers',
    expected: 'excluded-by-filter',
    installation: 'monitor',
    key: 'C00140',
    what: 'Monitor: a blocked customer under skipBlockedCustomers',
  },
  {
    entity: 'items',
    expected: 'item-excluded',
    installation: 'monitor',
    key: 'MN-300',
    what: 'Monitor: an item without vatincluded',
  },
]

describe('bulk applies the same exclusions as a trace', () => {
  let running: RunningSandbox
  let cache: string
  const bulk = new Map<string, Map<string, string>>()

  /** Puts the excluded records the seeds lack into each ERP and export. */
  async function plant(): Promise<void> {
    const {sandbox} = running
    const acme = sandbox.installation('acme').state
    acme.installation.filters = {...(acme.installation.filters as Json), skipBlockedCustomers: true}
    for (const id of ['fjord', 'viking', 'nordic']) {
      const installation = sandbox.installation(id).state.installation
      installation.filters = {...(installation.filters as Json), onlyWebshopItems: true}
    }
    for (const id of ['fjord', 'viking']) {
      const {emulator, state} = sandbox.installation(id).state.erp
      emulator.putItem(state, item('X-NOSHOP', {webshop: false}), modified())
    }
    for (const id of ['acme', 'fjord', 'viking', 'vnet', 'nimbus']) {
      const {emulator, state} = sandbox.installation(id).state.erp
      emulator.putItem(state, item(id === 'acme' ? 'X-BLOCKED' : 'X-INACTIVE', {active: false}), modified())
    }
    const {emulator, state} = acme.erp
    emulator.putCustomer(state, customer('19001', {blocked: true}), modified())
    emulator.putCustomer(state, customer('19002', {name: ''}), modified())
    for (const [id, code] of [
      ['nordic', '29001'],
      ['winbas', '19099'],
    ]) {
      const installation = sandbox.installation(id).state
      const exports = installation.exports
      exports.customers.push({
        code: `~${code}`,
        file: exports.customers[0].file,
        lastModified: modified(),
        malformed: false,
        record: customer(code),
      })
      if (id === 'nordic')
        exports.items.push(
          {emptyCurrency: false, lastModified: modified(), record: item('~X-TILDE')},
          {emptyCurrency: false, lastModified: modified(), record: item('X-ZERO', {active: false})},
          {emptyCurrency: false, lastModified: modified(), record: item('X-NOSHOP', {webshop: false})},
        )
      await writeExportFiles(
        exports.root,
        exports,
        installation.installation.autoSync.timezone,
        installation.cms.orders,
      )
    }
  }

  async function reconciled(installation: string, entity: Entity): Promise<Map<string, string>> {
    const name = `${installation} ${entity}`
    const known = bulk.get(name)
    if (known) return known
    const profile = running.sandbox.installation(installation).profile('admin')
    const result = await runReconcile({
      http: testHttp,
      between: null,
      commandSuffix: '',
      entity,
      env: {XDG_CACHE_HOME: cache},
      profile,
      resume: false,
      version: 'test',
    })
    const lines = (await readFile(result.recordsPath, 'utf8')).split('\n').filter((line) => line !== '')
    result.finish()
    const classes = new Map(
      lines.map((line) => JSON.parse(line) as {key: string; class: string}).map((record) => [record.key, record.class]),
    )
    bulk.set(name, classes)
    return classes
  }

  beforeAll(async () => {
    running = await startTestSandbox(installations)
    cache = await mkdtemp(join(tmpdir(), 'synctrace-exclusions-'))
    await plant()
  }, 120_000)
  afterAll(async () => {
    await running?.stop()
    if (cache) await rm(cache, {force: true, recursive: true})
  })

  it.each(cases)(
    '$what: $expected in trace and reconcile',
    async ({entity, expected, installation, key}) => {
      const profile = running.sandbox.installation(installation).profile('admin')
      const trace = entity === 'items' ? traceItem : traceCustomer
      const report = await trace(profile, key, {commandSuffix: '', http: testHttp, version: 'test'})
      expect(report.verdict.cause).toBe(expected)
      expect((await reconciled(installation, entity)).get(key)).toBe(expected)
    },
    120_000,
  )
})
