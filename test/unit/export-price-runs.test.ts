import {describe, expect, it} from 'vitest'

import type {EmulatedPrices} from '../../src/emulation/erp-emulator.js'
import {exportSourcePrices, exportSourcePricing} from '../../src/sandbox/export-prices.js'
import {loadInstallationState} from '../../src/sandbox/load.js'

// What the CMS's `prices` and `customers` runs read from an ftp installation's price export, as
// ftp-layouts.md "How the CMS reads pricelists.csv" says: a complete snapshot, skipped rows by file and line.

const at = '2026-11-20T10:00:00Z'
const changed = '2026-11-19T08:00:00.000Z'

function prices(rows: Array<Partial<EmulatedPrices['rows'][number]>>): EmulatedPrices {
  return {
    discountGroups: [
      {
        description: null,
        discountGroupCode: 'DG1',
        modifiedAt: changed,
        rules: [{fromQuantity: 0, itemCode: null, percent: 12.5, validFrom: null, validTo: null}],
      },
    ],
    lists: [
      {
        active: true,
        currency: null,
        description: 'Wholesale A',
        kind: 'standard',
        priceListCode: 'B2B-A',
        pricesIncludeVat: false,
      },
      {
        active: true,
        currency: null,
        description: 'Campaign',
        kind: 'action',
        priceListCode: 'CAMP',
        pricesIncludeVat: false,
      },
    ],
    pricing: [
      {
        actionPriceListCode: 'CAMP',
        currency: null,
        customerCode: '20001',
        discountGroupCode: 'DG1',
        discountPercent: 5,
        effectivePriceListCode: 'STD',
        hidePrices: true,
        modifiedAt: changed,
        priceListCode: 'STD',
      },
    ],
    rows: rows.map((row) => ({
      currency: 'SEK',
      fromQuantity: 0,
      itemCode: 'N-100',
      modifiedAt: changed,
      price: 129,
      priceListCode: 'B2B-A',
      unit: 'st',
      validFrom: null,
      validTo: null,
      ...row,
    })),
  }
}

/** A seeded ftp installation whose ERP exports these prices in `file` (listed: on the file server). */
function installation(id: string, exported: EmulatedPrices, files: string[]) {
  const state = loadInstallationState(id)
  const exports = state.exports as NonNullable<typeof state.exports>
  exports.prices = exported
  // the seed's own price files left out: each test lists the ones on the server
  for (const name of Object.keys(exports.files)) if (/price|discount/i.test(name)) delete exports.files[name]
  for (const file of files) exports.files[file] = {modified: '2026-11-20T06:00:00.000Z'}
  return state
}

describe("the CMS's prices run on an ftp installation", () => {
  it('fails without a price-list file, and on a header-only file unless the profile allows an empty one', () => {
    expect(exportSourcePrices(installation('nordic', prices([]), []), {at})).toEqual({
      failure: 'pricelists.csv not found',
    })
    const empty = installation('nordic', prices([]), ['pricelists.csv'])
    expect(exportSourcePrices(empty, {at})).toEqual({failure: 'pricelists.csv has no rows'})
    expect(exportSourcePrices(empty, {allowEmptyPriceFile: true, at})).toMatchObject({lists: [], rows: [], skipped: []})
  })

  it('skips unknown items, another unit, expired and reversed rows and earlier duplicates, each by file and line', () => {
    const state = installation(
      'nordic',
      prices([
        {price: 130},
        {itemCode: 'P-404'},
        {unit: 'kg'},
        {fromQuantity: 10, validTo: '2026-10-31'},
        {fromQuantity: 20, validFrom: '2026-12-01', validTo: '2026-11-30'},
        {price: 129},
        {fromQuantity: 5, priceListCode: 'CAMP', price: 99},
      ]),
      ['pricelists.csv', 'discountgroups.csv'],
    )
    const read = exportSourcePrices(state, {at})
    if ('failure' in read) throw new Error(read.failure)
    expect(read.skipped).toEqual([
      {file: 'pricelists.csv', itemCode: 'N-100', line: 2, priceListCode: 'B2B-A', reason: 'duplicate of line 7'},
      {file: 'pricelists.csv', itemCode: 'P-404', line: 3, priceListCode: 'B2B-A', reason: 'unknown item P-404'},
      {
        file: 'pricelists.csv',
        itemCode: 'N-100',
        line: 4,
        priceListCode: 'B2B-A',
        reason: 'unit kg differs from item unit st',
      },
      {
        file: 'pricelists.csv',
        itemCode: 'N-100',
        line: 5,
        priceListCode: 'B2B-A',
        reason: 'row expired (validTo 2026-10-31)',
      },
      {
        file: 'pricelists.csv',
        itemCode: 'N-100',
        line: 6,
        priceListCode: 'B2B-A',
        reason: 'ValidTo 2026-11-30 before ValidFrom 2026-12-01',
      },
    ])
    expect(read.rows).toEqual([
      expect.objectContaining({fromQuantity: 0, price: 129, priceListCode: 'B2B-A'}),
      expect.objectContaining({fromQuantity: 5, price: 99, priceListCode: 'CAMP', modifiedAt: changed}),
    ])
    expect(read.lists).toEqual([
      expect.objectContaining({description: 'Wholesale A', kind: 'standard', priceListCode: 'B2B-A'}),
      expect.objectContaining({kind: 'action', priceListCode: 'CAMP'}),
    ])
    expect(read.discountGroups).toEqual([expect.objectContaining({discountGroupCode: 'DG1', modifiedAt: changed})])
    expect(read).toMatchObject({sourceFile: 'pricelists.csv', sourceFileModifiedAt: '2026-11-20T06:00:00.000Z'})
  })

  it("reads Winbas's _pricelists.xml with the lines of its elements", () => {
    const read = exportSourcePrices(
      installation('winbas', prices([{itemCode: 'WB-100'}, {itemCode: 'WB-404'}]), ['_pricelists.xml']),
      {at},
    )
    if ('failure' in read) throw new Error(read.failure)
    expect(read.skipped).toEqual([
      expect.objectContaining({file: '_pricelists.xml', line: 16, reason: 'unknown item WB-404'}),
    ])
    expect(read.discountGroups).toEqual([])
  })
})

describe("the CMS's customers run reads the pricing fields the layout exports", () => {
  it('generic: every pricing column of customers.csv, the row time as its change time', () => {
    const pricing = exportSourcePricing(installation('nordic', prices([]), []))
    expect(pricing.find((entry) => entry.customerCode === '20001')).toEqual({
      actionPriceListCode: 'CAMP',
      currency: null,
      customerCode: '20001',
      discountGroupCode: 'DG1',
      discountPercent: 5,
      effectivePriceListCode: 'STD',
      hidePrices: true,
      modifiedAt: '2026-11-16T01:00:00.000Z',
      priceListCode: 'STD',
    })
  })

  it('Monitor: no discount group or currency; Winbas: the list and GeneralDiscount only, and no change time', () => {
    const monitor = prices([])
    for (const entry of monitor.pricing) entry.customerCode = 'C00110'
    expect(
      exportSourcePricing(installation('monitor', monitor, [])).find((entry) => entry.customerCode === 'C00110'),
    ).toMatchObject({
      actionPriceListCode: 'CAMP',
      discountGroupCode: null,
      discountPercent: 5,
      hidePrices: true,
      priceListCode: 'STD',
    })
    const winbas = prices([])
    for (const entry of winbas.pricing) entry.customerCode = '10010'
    expect(
      exportSourcePricing(installation('winbas', winbas, [])).find((entry) => entry.customerCode === '10010'),
    ).toEqual({
      actionPriceListCode: null,
      currency: null,
      customerCode: '10010',
      discountGroupCode: null,
      discountPercent: 5,
      effectivePriceListCode: 'STD',
      hidePrices: false,
      modifiedAt: null,
      priceListCode: 'STD',
    })
  })
})
