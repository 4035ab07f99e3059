import {describe, expect, it} from 'vitest'

import {parseJson} from '../helpers/cli.js'
import {runCommand} from '../helpers/run-command.js'
import {describeLayoutInstallation} from '../helpers/layout-installation.js'

describe("Winbas: an ftp installation in Winbas's own layout (_customers.xml, _items.xml, Orders/{OrderNr}.xml)", () => {
  describeLayoutInstallation(
    'winbas',
    'winbas',
    [
      {
        action: 'none',
        brokenLink: null,
        cause: 'consistent',
        entity: 'customer',
        exitCode: 0,
        key: '10010',
        shows: ['_customers.xml'],
        statuses: {cms: 'present', erp: 'not-checked', ftp: 'present'},
      },
      {
        action: 'targeted-sync',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'erp-changed-after-sync',
        entity: 'customer',
        evidence: ['exportFileModified', 'syncReadFileModified', 'lastCustomerSync'],
        exitCode: 3,
        key: '10020',
        shows: ['phone', '_customers.xml'],
        statuses: {cms: 'stale', ftp: 'present'},
      },
      {
        action: 'targeted-sync',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'created-after-sync',
        entity: 'customer',
        evidence: ['exportFileModified', 'syncReadFileModified'],
        exitCode: 3,
        key: '10030',
        shows: ['whose rows carry no change time'],
        statuses: {cms: 'missing', ftp: 'present'},
      },
      {
        action: 'change-filter-or-erp-flag',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'excluded-by-filter',
        entity: 'customer',
        exitCode: 3,
        key: '10040',
        shows: ['skipPrivateCustomers'],
        statuses: {cms: 'excluded'},
      },
      {
        action: 'confirm-with-erp-consultant',
        brokenLink: {from: 'ftp', to: 'erp'},
        cause: 'customer-rejected-by-erp',
        entity: 'customer',
        exitCode: 3,
        key: 'W-7001',
        shows: ['Customers/error/W-7001.xml', 'SalesmanCode SR5 has no Winbas salesman'],
        statuses: {erp: 'missing', ftp: 'present'},
      },
      {
        action: 'none',
        brokenLink: null,
        cause: 'consistent',
        entity: 'item',
        exitCode: 0,
        key: 'WB-100',
        shows: ['_items.xml'],
        statuses: {cms: 'present', ftp: 'present'},
      },
      {
        action: 'targeted-sync',
        brokenLink: {from: 'ftp', to: 'cms'},
        cause: 'erp-changed-after-sync',
        entity: 'item',
        evidence: ['exportFileModified', 'syncReadFileModified'],
        exitCode: 3,
        key: 'WB-200',
        shows: ['99', '89'],
        statuses: {cms: 'stale'},
      },
      {
        action: 'none',
        brokenLink: null,
        cause: 'consistent',
        entity: 'order',
        exitCode: 0,
        key: 'W-5001',
        shows: ['Orders/processed/W-5001.xml'],
        statuses: {ftp: 'present'},
      },
      {
        action: 'fix-in-erp-then-retransfer',
        brokenLink: {from: 'ftp', to: 'erp'},
        cause: 'order-rejected-by-erp',
        entity: 'order',
        evidence: ['orderErrorReason', 'orderFile'],
        exitCode: 3,
        key: 'W-5002',
        shows: ['Unknown customer 10099', 'Orders/error/W-5002.xml'],
        statuses: {erp: 'missing', ftp: 'present'},
      },
    ],
    (running) => {
      it('compares only what the CMS reads from _customers.xml, and says what it left out', async () => {
        const report = parseJson(await runCommand(['trace', 'customer', '10010', ...running().flags(), '--json']))
        const cms = report.hops.find((hop: {hop: string}) => hop.hop === 'cms')
        expect(cms.notCompared.map((entry: {field: string}) => entry.field)).toEqual(
          expect.arrayContaining(['email', 'priceListCode', 'addresses']),
        )
        expect(cms.notCompared.find((entry: {field: string}) => entry.field === 'email').reason).toContain(
          'Winbas customer sync',
        )
      })

      it('a targeted sync of 10020 brings the changed phone into the CMS (the app then waits for the rep to refresh)', async () => {
        const fixed = parseJson(
          await runCommand(['sync', 'customer', '10020', ...running().flags(), '--yes', '--json']),
        )
        expect(fixed.results[0]).toMatchObject({job: {status: 'succeeded'}, outcome: 'succeeded'})
        const after = parseJson(await runCommand(['trace', 'customer', '10020', ...running().flags(), '--json']))
        expect(after.hops.find((hop: {hop: string}) => hop.hop === 'cms')).toMatchObject({diff: [], status: 'present'})
        expect(after.verdict.brokenLink).toEqual({from: 'cms', to: 'app'})
      })

      it('a retransfer of W-5002 writes Orders/W-5002.xml in Winbas XML', async () => {
        const retransfer = await runCommand(['retransfer', 'order', 'W-5002', ...running().flags(), '--yes', '--json'])
        expect(retransfer.stderr).not.toMatch(/Unhandled/)
        const after = parseJson(await runCommand(['trace', 'order', 'W-5002', ...running().flags(), '--json']))
        expect(after.hops.find((hop: {hop: string}) => hop.hop === 'ftp').evidence).toContainEqual(
          expect.objectContaining({file: 'Orders/W-5002.xml', name: 'orderFile'}),
        )
      })
    },
  )
})
