import {describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {describeLayoutInstallation} from '../helpers/layout-installation.js'

describe("Monitor: an ftp installation in Monitor's own layout (customers.xml, items.xml, orders/{OrderNr}.txt)", () => {
  describeLayoutInstallation(
    'monitor',
    'monitor',
    [
      {
        action: 'none',
        brokenLink: null,
        cause: 'consistent',
        entity: 'customer',
        exitCode: 0,
        key: 'C00110',
        shows: ['customers.xml'],
        statuses: {cms: 'present', erp: 'not-checked', ftp: 'present'},
      },
      {
        action: 'targeted-sync',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'erp-changed-after-sync',
        entity: 'customer',
        evidence: ['erpModifiedAt', 'lastCustomerSync'],
        exitCode: 3,
        key: 'C00120',
        shows: ['name', 'customers.xml'],
        statuses: {cms: 'stale', ftp: 'present'},
      },
      {
        action: 'targeted-sync',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'created-after-sync',
        entity: 'customer',
        evidence: ['exportRowModified', 'lastCustomerSync'],
        exitCode: 3,
        key: 'C00130',
        shows: ['LastModified in customers.xml'],
        statuses: {cms: 'missing', ftp: 'present'},
      },
      {
        action: 'change-filter-or-erp-flag',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'excluded-by-filter',
        entity: 'customer',
        exitCode: 3,
        key: 'C00140',
        shows: ['skipBlockedCustomers'],
        statuses: {cms: 'excluded'},
      },
      {
        action: 'contact-it-partner',
        brokenLink: {from: 'ftp', to: 'erp'},
        cause: 'customer-file-waiting',
        entity: 'customer',
        evidence: ['customerFile'],
        exitCode: 3,
        key: 'C09001',
        shows: ['customers/C09001.xml'],
        statuses: {erp: 'missing', ftp: 'present'},
      },
      {
        action: 'none',
        brokenLink: null,
        cause: 'consistent',
        entity: 'item',
        exitCode: 0,
        key: 'MN-100',
        shows: ['items.xml'],
        statuses: {cms: 'present', ftp: 'present'},
      },
      {
        action: 'targeted-sync',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'erp-changed-after-sync',
        entity: 'item',
        evidence: ['exportFileModified', 'syncReadFileModified'],
        exitCode: 3,
        key: 'MN-200',
        shows: ['124', '112'],
        statuses: {cms: 'stale'},
      },
      {
        action: 'change-filter-or-erp-flag',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'item-excluded',
        entity: 'item',
        exitCode: 3,
        key: 'MN-300',
        shows: ['vatincluded'],
        statuses: {cms: 'excluded', ftp: 'present'},
      },
      {
        action: 'none',
        brokenLink: null,
        cause: 'consistent',
        entity: 'order',
        exitCode: 0,
        key: 'M-6001',
        shows: ['orders/processed/M-6001.txt'],
        statuses: {ftp: 'present'},
      },
      {
        action: 'fix-in-erp-then-retransfer',
        brokenLink: {from: 'ftp', to: 'erp'},
        cause: 'order-rejected-by-erp',
        entity: 'order',
        evidence: ['orderErrorReason', 'orderFile'],
        exitCode: 3,
        key: 'M-6002',
        shows: ['Part MN-999 does not exist', 'orders/error/M-6002.txt'],
        statuses: {erp: 'missing', ftp: 'present'},
      },
    ],
    (running) => {
      it('never compares the currency, stock or flags items.xml does not carry, and says why', async () => {
        const report = parseJson(await runCommand(['trace', 'item', 'MN-100', ...running().flags(), '--json']))
        const cms = report.hops.find((hop: {hop: string}) => hop.hop === 'cms')
        expect(cms.notCompared.map((entry: {field: string}) => entry.field)).toEqual(
          expect.arrayContaining(['currency', 'active', 'webshop']),
        )
        expect(cms.notCompared.find((entry: {field: string}) => entry.field === 'currency').reason).toContain(
          "administration's currency",
        )
      })

      it('a retransfer of M-6002 writes a tab-delimited orders/M-6002.txt', async () => {
        const retransfer = await runCommand(['retransfer', 'order', 'M-6002', ...running().flags(), '--yes', '--json'])
        expect(retransfer.stderr).not.toMatch(/Unhandled/)
        const after = parseJson(await runCommand(['trace', 'order', 'M-6002', ...running().flags(), '--json']))
        expect(after.hops.find((hop: {hop: string}) => hop.hop === 'ftp').evidence).toContainEqual(
          expect.objectContaining({file: 'orders/M-6002.txt', name: 'orderFile'}),
        )
        const {readFile} = await import('node:fs/promises')
        const {join} = await import('node:path')
        const folder = running().sandbox.installation('monitor').folder as string
        const text = await readFile(join(folder, 'monitor', 'orders', 'M-6002.txt'), 'utf8')
        expect(text.split('\r\n')[0]?.split('\t').slice(0, 3)).toEqual(['H', 'C00110', 'M-6002'])
      })
    },
  )
})
