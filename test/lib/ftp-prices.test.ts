import {appendFileSync, utimesSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {FtpSettings} from '../../src/connectors/ftp/connector.js'
import {exportPrices as builtExportPrices} from '../../dist/connectors/ftp/price.js'
import type {ExportPriceRow} from '../../src/connectors/ftp/price-rows.js'
import type {Listed} from '../../src/connectors/listing.js'
import type {EmulatedPrices} from '../../src/emulation/erp-emulator.js'
import {loadInstallationState} from '../../dist/sandbox/load.js'
import type {InstallationState} from '../../src/sandbox/state.js'
import {type RunningSandbox, startTestSandbox} from '../helpers/sandbox.js'

/** The built resource, typed as its source. */
const exportPrices = builtExportPrices as typeof import('../../src/connectors/ftp/price.js').exportPrices

// The file server's price resource against the sandbox's real FTP and SFTP servers on loopback: the
// customer's pricing from the customer export, the item's rows on its lists, the discount group, the
// rows the CMS would skip by file and line, and every row for reconcile.

const changed = '2026-11-19T08:00:00.000Z'
const fileTime = '2026-11-20T06:00:00.000Z'
const zone = 'Europe/Stockholm'

function row(fields: Partial<EmulatedPrices['rows'][number]>): EmulatedPrices['rows'][number] {
  return {
    currency: 'SEK',
    fromQuantity: 0,
    itemCode: 'N-100',
    modifiedAt: changed,
    price: 129,
    priceListCode: 'STD',
    unit: 'st',
    validFrom: null,
    validTo: null,
    ...fields,
  }
}

function exported(customerCode: string, itemCode: string): EmulatedPrices {
  return {
    discountGroups: [
      {
        description: null,
        discountGroupCode: 'DG1',
        modifiedAt: changed,
        rules: [
          {fromQuantity: 0, itemCode: null, percent: 10, validFrom: null, validTo: null},
          {fromQuantity: 5, itemCode, percent: 12.5, validFrom: null, validTo: '2026-12-31'},
        ],
      },
    ],
    lists: [
      {
        active: true,
        currency: null,
        description: 'Standard',
        kind: 'standard',
        priceListCode: 'STD',
        pricesIncludeVat: false,
      },
    ],
    pricing: [
      {
        actionPriceListCode: 'CAMP',
        currency: null,
        customerCode,
        discountGroupCode: 'DG1',
        discountPercent: 5,
        effectivePriceListCode: 'STD',
        hidePrices: false,
        modifiedAt: changed,
        priceListCode: 'STD',
      },
    ],
    rows: [
      row({itemCode, price: 130}),
      row({fromQuantity: 10, itemCode, price: 119, validFrom: '2026-11-01', validTo: '2026-12-31'}),
      row({itemCode: 'OTHER-1', price: 5}),
      row({itemCode, price: 129}),
    ],
  }
}

/** The seeds' own price files left out: each test lists the ones it puts on the server. */
function withoutPriceFiles(files: Record<string, unknown>) {
  for (const name of Object.keys(files)) if (/price|discount/i.test(name)) delete files[name]
}

function withPrices(id: string, customerCode: string, itemCode: string, files: string[]) {
  const state = loadInstallationState(id) as InstallationState
  const exports = state.exports as NonNullable<typeof state.exports>
  exports.prices = exported(customerCode, itemCode)
  withoutPriceFiles(exports.files)
  for (const file of files) exports.files[file] = {modified: fileTime}
  return state
}

async function listed(settings: FtpSettings): Promise<Array<Listed<ExportPriceRow>>> {
  const entries: Array<Listed<ExportPriceRow>> = []
  const listing = exportPrices(settings, {timeZone: zone}).listRows?.()
  for await (const entry of listing?.entries ?? []) entries.push(entry as Listed<ExportPriceRow>)
  return entries
}

describe('prices in the export files, read over FTP and SFTP', () => {
  let running: RunningSandbox
  beforeAll(async () => {
    running = await startTestSandbox(['nordic', 'monitor'])
  })
  afterAll(async () => {
    await running.stop()
  })

  describe('generic layout over FTP: pricelists.csv, discountgroups.csv, customers.csv pricing columns', () => {
    let settings: FtpSettings
    beforeAll(async () => {
      const installation = running.sandbox.installation('nordic')
      await installation.replaceState(withPrices('nordic', '20001', 'N-100', ['pricelists.csv', 'discountgroups.csv']))
      // A row the ERP exported without a price (line 6): the CMS skips it, it is never 0.
      const file = join(installation.folder as string, 'a4s', 'pricelists.csv')
      appendFileSync(file, '"STD";"";"";"N-100";"st";"SEK";"50";"";"";"";""\r\n')
      utimesSync(file, new Date(fileTime), new Date(fileTime))
      settings = installation.profile('admin', 'ftp').ftp as FtpSettings
    })

    it("finds the customer's pricing, the item's rows on its list (last duplicate wins) and its discount group", async () => {
      const found = await exportPrices(settings, {timeZone: zone}).find('20001', 'N-100', {
        date: '2026-11-20',
        quantity: 1,
      })
      expect(found.pricing).toMatchObject({
        actionPriceListCode: 'CAMP',
        discountGroupCode: 'DG1',
        discountPercent: 5,
        priceListCode: 'STD',
      })
      expect(found.rows.map((entry) => [entry.line, entry.fromQuantity, entry.price])).toEqual([
        [3, 10, 119],
        [5, 0, 129],
      ])
      expect(found.rows[0]?.modifiedAt?.toISOString()).toBe(changed)
      expect(found.lists).toEqual({STD: expect.objectContaining({description: 'Standard', kind: 'standard'})})
      expect(found.discountGroup?.rules).toHaveLength(2)
      expect(found.discountGroup?.modifiedAt?.toISOString()).toBe(changed)
      expect(found.notSupplied).toEqual([])
    })

    it('names the action list the file lacks, and the rows the CMS skips by file and line', async () => {
      const found = await exportPrices(settings, {timeZone: zone}).find('20001', 'N-100', {
        date: '2026-11-20',
        quantity: 1,
      })
      expect(found.missingLists).toEqual(['CAMP'])
      expect(found.lists.CAMP).toBeUndefined()
      expect(found.skipped).toEqual([
        {file: 'pricelists.csv', itemCode: 'N-100', line: 2, priceListCode: 'STD', reason: 'duplicate of line 5'},
        {
          file: 'pricelists.csv',
          itemCode: 'N-100',
          line: 6,
          priceListCode: 'STD',
          reason: 'Price is empty (an empty price is not 0)',
        },
      ])
    })

    it("gives the price-list file's modification time: when the ERP last exported prices", async () => {
      const found = await exportPrices(settings, {timeZone: zone}).find('20001', 'N-100', {
        date: '2026-11-20',
        quantity: 1,
      })
      expect(found.files.priceLists).toEqual([
        expect.objectContaining({exists: true, modifiedAt: new Date(fileTime), path: 'pricelists.csv'}),
        expect.objectContaining({exists: false, path: 'pricelists.xml'}),
      ])
      expect(found.files.discountGroups[0]).toMatchObject({exists: true, path: 'discountgroups.csv'})
    })

    it('lists every row for reconcile, each skipped one as an error with its file and line', async () => {
      const entries = await listed(settings)
      expect(entries.filter((entry) => entry.value).map((entry) => [entry.value?.itemCode, entry.value?.line])).toEqual(
        [
          ['N-100', 3],
          ['OTHER-1', 4],
          ['N-100', 5],
        ],
      )
      expect(entries.find((entry) => entry.value?.line === 3)?.value?.fileModifiedAt).toEqual(new Date(fileTime))
      expect(entries.filter((entry) => entry.error).map((entry) => entry.error)).toEqual([
        'pricelists.csv line 2: duplicate of line 5',
        'pricelists.csv line 6: Price is empty (an empty price is not 0)',
      ])
    })
    it("reads the pricing elements of the generic customers.xml (windows-1252) as the CSV's columns", async () => {
      const installation = running.sandbox.installation('nordic')
      await installation.replaceState(withPrices('nordic', '20080', 'N-100', ['pricelists.csv']))
      const found = await exportPrices(settings, {timeZone: zone}).find('20080', 'N-100', {
        date: '2026-11-20',
        quantity: 1,
      })
      expect(found.customerRow).toMatchObject({file: 'customers.xml', skippedBecause: null})
      expect(found.pricing).toMatchObject({
        actionPriceListCode: 'CAMP',
        customerCode: '20080',
        discountGroupCode: 'DG1',
        discountPercent: 5,
        priceListCode: 'STD',
      })
      expect(found.missingDiscountGroup).toBe('DG1')
    })

    it('a new state without a price export leaves no price file and no pricing columns behind', async () => {
      const installation = running.sandbox.installation('nordic')
      const next = loadInstallationState('nordic') as InstallationState
      const exports = next.exports as NonNullable<typeof next.exports>
      exports.prices = undefined
      withoutPriceFiles(exports.files)
      exports.files['pricelists.csv'] = {modified: fileTime}
      await installation.replaceState(next)
      const found = await exportPrices(settings, {timeZone: zone}).find('20001', 'N-100', {
        date: '2026-11-20',
        quantity: 1,
      })
      expect(found.files.priceLists[0]).toMatchObject({exists: false, path: 'pricelists.csv'})
      expect(found.pricing).toMatchObject({discountGroupCode: null, discountPercent: 0, priceListCode: 'STD'})
      // customers.csv without the pricing columns: the customers run does not read them, nothing to compare.
      expect(found.notSupplied.map((entry) => entry.field)).toEqual([
        'pricing.discountPercent',
        'pricing.discountGroupCode',
        'pricing.actionPriceListCode',
        'pricing.hidePrices',
        'pricing.currency',
      ])
    })
  })

  describe('Monitor over SFTP: pricelists.xml and the customer elements usesprice, actionpricelist, discount', () => {
    let settings: FtpSettings
    beforeAll(async () => {
      const installation = running.sandbox.installation('monitor')
      await installation.replaceState(withPrices('monitor', 'C00110', 'MN-100', ['pricelists.xml']))
      settings = {...(installation.profile('admin').ftp as FtpSettings), erpSystem: 'monitor'}
    })

    it("reads the rows from Monitor's pricelists.xml and the pricing from customers.xml; no discount groups", async () => {
      const found = await exportPrices(settings, {timeZone: zone}).find('C00110', 'MN-100', {
        date: '2026-11-20',
        quantity: 1,
      })
      expect(found.pricing).toMatchObject({actionPriceListCode: 'CAMP', discountPercent: 5, priceListCode: 'STD'})
      expect(found.rows.map((entry) => [entry.line, entry.price])).toEqual([
        [16, 119],
        [42, 129],
      ])
      expect(found.skipped).toEqual([
        expect.objectContaining({file: 'pricelists.xml', line: 3, reason: 'duplicate of line 42'}),
      ])
      expect(found.discountGroup).toBeNull()
      expect(found.notSupplied.map((entry) => entry.field)).toContain('pricing.discountGroupCode')
    })

    it('fails a listing whose price-list file is not on the server: no rows is not an empty price list', async () => {
      const installation = running.sandbox.installation('monitor')
      await installation.replaceState(withPrices('monitor', 'C00110', 'MN-100', []))
      await expect(listed(settings)).rejects.toThrow(/pricelists\.xml not found/)
    })
  })
})
