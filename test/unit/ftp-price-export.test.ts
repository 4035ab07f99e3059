import {Readable} from 'node:stream'

import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'

import type {FtpSettings} from '../../src/connectors/ftp/connector.js'
import type {FileServer} from '../../src/connectors/ftp/file-server.js'
import {ftpLayoutFor} from '../../src/connectors/ftp/layouts/registry.js'
import {readPriceFile} from '../../src/connectors/ftp/price-files.js'
import {
  DuplicateRows,
  discountRuleFromExport,
  priceRowFromExport,
  pricingFromExport,
} from '../../src/connectors/ftp/price-rows.js'

const generic = ftpLayoutFor(undefined, null)
const winbas = ftpLayoutFor(undefined, 'winbas')
const monitor = ftpLayoutFor(undefined, 'monitor')
const settings: FtpSettings = {password: 'p', url: 'sftp://127.0.0.1/a4s', user: 'u'}

/** A file server holding one file in memory. */
function serverWith(bytes: Buffer | string): FileServer {
  return {
    close: async () => undefined,
    list: async () => [],
    read: async () => Readable.from([typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes]),
    stat: async () => null,
  }
}

/** Every row of one price file with its line, and the rows that cannot be read. */
async function rowsOf(bytes: Buffer | string, file: string, layout = generic) {
  const rows: Array<{fields: Record<string, string>; line: number}> = []
  const problems = await readPriceFile(
    serverWith(bytes),
    '/a4s',
    file,
    {keyColumn: 'PriceList', layout, settings},
    (fields, line) => void rows.push({fields, line}),
  )
  return {problems, rows}
}

describe('reading pricelists.csv (the dialect of customers.csv)', () => {
  const header = 'PriceList;Description;Kind;ItemCode;Unit;Currency;FromQuantity;Price;ValidFrom;ValidTo;LastModified'

  it('reads a BOM, CRLF, quoted fields holding ; and "" and a line break, a trailing ; and blank lines at the end', async () => {
    const text = `\uFEFF${header}\r\nB2B-A;"Wholesale; ""A""";;P-100;st;SEK;0;129.00;;;2026-11-20 09:14:00;\r\nB2B-A;"Two\r\nlines";;P-100;st;SEK;10;119.00;2026-11-01;2026-12-31;\r\n\r\n\r\n`
    const {problems, rows} = await rowsOf(text, 'pricelists.csv')
    expect(problems).toEqual([])
    expect(rows.map((row) => row.line)).toEqual([2, 3])
    expect(rows[0]?.fields).toMatchObject({Description: 'Wholesale; "A"', PriceList: 'B2B-A', Price: '129.00'})
    expect(rows[1]?.fields).toMatchObject({Description: 'Two\nlines', FromQuantity: '10', ValidTo: '2026-12-31'})
  })

  it('reads windows-1252 where the profile says so', async () => {
    const text = `${header}\r\nSTÖRRE;Återförsäljare;;P-100;st;SEK;0;99.50;;;\r\n`
    const {rows} = await rowsOf(iconv.encode(text, 'windows-1252'), 'pricelists.csv', winbas)
    expect(rows[0]?.fields).toMatchObject({Description: 'Återförsäljare', PriceList: 'STÖRRE'})
  })

  it('reports a row it cannot parse by file and line, and the rest of the file still counts', async () => {
    const text = `${header}\r\nB2B-A;"Broken;;P-100;st;SEK;0;1;;;\r\nB2B-A;;;P-200;st;SEK;0;2.00;;;\r\n`
    const {problems, rows} = await rowsOf(text, 'pricelists.csv')
    expect(problems).toEqual([expect.objectContaining({file: 'pricelists.csv', key: 'B2B-A', line: 2})])
    expect(rows).toEqual([expect.objectContaining({fields: expect.objectContaining({ItemCode: 'P-200'}), line: 3})])
  })
})

describe('the rows the CMS skips, with the reason', () => {
  const row = (fields: Record<string, string>) =>
    priceRowFromExport({FromQuantity: '', ItemCode: 'P-100', Price: '129.00', PriceList: 'B2B-A', ...fields}, '.', {
      currency: 'SEK',
      unit: 'st',
    })

  it('an empty Price is not 0, a non-numeric one is not a price', () => {
    expect(row({Price: ''})).toEqual({skippedBecause: 'Price is empty (an empty price is not 0)'})
    expect(row({Price: 'n/a'})).toEqual({skippedBecause: 'Price n/a is not a number'})
  })

  it('ValidTo before ValidFrom, and a date that is not yyyy-MM-dd', () => {
    expect(row({ValidFrom: '2026-12-01', ValidTo: '2026-11-30'})).toEqual({
      skippedBecause: 'ValidTo 2026-11-30 before ValidFrom 2026-12-01',
    })
    expect(row({ValidFrom: '2026-02-30'})).toEqual({skippedBecause: 'ValidFrom 2026-02-30 is not a date (yyyy-MM-dd)'})
  })

  it("an empty Unit and Currency are the item's, an empty FromQuantity 0, Kind action marks the list", () => {
    expect(row({Kind: 'Action', LastModified: '2026-11-20 09:14:00'})).toEqual({
      row: {
        currency: 'SEK',
        description: null,
        fromQuantity: 0,
        itemCode: 'P-100',
        kind: 'action',
        lastModifiedLocal: '2026-11-20 09:14:00',
        price: 129,
        priceListCode: 'B2B-A',
        unit: 'st',
        validFrom: null,
        validTo: null,
      },
    })
    expect(priceRowFromExport({ItemCode: 'P-1', Price: '1.234,50', PriceList: 'L'}, ',', null)).toMatchObject({
      row: {currency: '', price: 1234.5, unit: ''},
    })
  })

  it('a duplicate key: the last row wins and the earlier one is "duplicate of line N"', () => {
    const rows = new DuplicateRows<{line: number}>()
    expect(rows.add('k', {line: 4})).toBeNull()
    expect(rows.add('k', {line: 17})).toEqual({reason: 'duplicate of line 17', replaced: {line: 4}})
    expect(rows.kept()).toEqual([{line: 17}])
  })

  it('a discount rule needs a Percent from 0 to 100; an empty ItemCode is a rule for every item', () => {
    expect(discountRuleFromExport({DiscountGroup: 'DG1', Percent: '120'}, '.')).toEqual({
      skippedBecause: 'Percent 120 is not a number from 0 to 100',
    })
    expect(discountRuleFromExport({DiscountGroup: 'DG1', ItemCode: '', Percent: '12.5'}, '.')).toMatchObject({
      group: 'DG1',
      rule: {fromQuantity: 0, itemCode: null, percent: 12.5},
    })
  })
})

describe('the XML variant and the layouts’ element names', () => {
  it('reads <PriceLists><Price> whose row holds a <Price> of its own, in windows-1252', async () => {
    const xml = [
      '<?xml version="1.0" encoding="windows-1252"?>',
      '<PriceLists>',
      '  <Price><PriceList>B2B-Å</PriceList><ItemCode>P-100</ItemCode><FromQuantity>10</FromQuantity><Price>119.00</Price></Price>',
      '  <Price>',
      '    <PriceList>B2B-A</PriceList><ItemCode>P-200</ItemCode><Price></Price>',
      '  </Price>',
      '</PriceLists>',
      '',
    ].join('\r\n')
    const {problems, rows} = await rowsOf(iconv.encode(xml, 'windows-1252'), 'pricelists.xml')
    expect(problems).toEqual([])
    expect(rows).toEqual([
      {fields: {FromQuantity: '10', ItemCode: 'P-100', Price: '119.00', PriceList: 'B2B-Å'}, line: 3},
      {fields: {ItemCode: 'P-200', Price: '', PriceList: 'B2B-A'}, line: 4},
    ])
  })

  it("maps Monitor's lower-case price elements onto the contract's columns", async () => {
    const xml =
      '<pricelists>\n<price><pricelist>M1</pricelist><itemcode>MN-100</itemcode><price>10.5</price><validfrom>2026-01-01</validfrom></price>\n</pricelists>'
    const {rows} = await rowsOf(xml, 'pricelists.xml', monitor)
    expect(rows[0]).toEqual({
      fields: {ItemCode: 'MN-100', Price: '10.5', PriceList: 'M1', ValidFrom: '2026-01-01'},
      line: 2,
    })
  })

  it("maps Monitor's usesprice, actionpricelist, discount, hideprices and Winbas's GeneralDiscount onto the pricing profile", () => {
    const renamed = (layout: typeof monitor, fields: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(fields).map(([name, value]) => [layout.prices.customerRename[name] ?? name, value]),
      )
    expect(
      pricingFromExport(
        renamed(monitor, {
          CustomerCode: 'C1',
          actionpricelist: 'CAMP',
          discount: '5',
          hideprices: '1',
          usesprice: 'M1',
        }),
        '.',
      ),
    ).toEqual({
      actionPriceListCode: 'CAMP',
      currency: null,
      customerCode: 'C1',
      discountGroupCode: null,
      discountPercent: 5,
      effectivePriceListCode: 'M1',
      hidePrices: true,
      priceListCode: 'M1',
    })
    expect(
      pricingFromExport(renamed(winbas, {CustomerCode: '~7', GeneralDiscount: '2.5', PriceList: ''}), '.'),
    ).toMatchObject({
      customerCode: '7',
      discountPercent: 2.5,
      priceListCode: null,
    })
    expect(monitor.prices.notSupplied.map((entry) => entry.field)).toContain('pricing.discountGroupCode')
    expect(generic.prices.priceListFiles).toEqual(['pricelists.csv', 'pricelists.xml'])
    expect(winbas.prices.priceListFiles).toEqual(['_pricelists.xml'])
  })
})
