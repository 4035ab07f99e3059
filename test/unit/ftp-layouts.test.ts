import {Readable} from 'node:stream'

import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'

import {searchExport} from '../../src/connectors/ftp/connector.js'
import {ftpLayoutFor} from '../../src/connectors/ftp/layouts/registry.js'
import {monitorOrder} from '../../src/sandbox/ftp-layout-files.js'

const streamOf = (bytes: Buffer) => Readable.from([bytes])
const winbas = ftpLayoutFor(undefined, 'winbas')
const monitor = ftpLayoutFor(undefined, 'monitor')

describe('choosing the layout', () => {
  it("follows the CMS's erp.system, and the profile's ftp.layout wins", () => {
    expect(ftpLayoutFor(undefined, 'winbas').id).toBe('winbas')
    expect(ftpLayoutFor(undefined, 'monitor').id).toBe('monitor')
    expect(ftpLayoutFor(undefined, 'generic-ftp').id).toBe('generic')
    expect(ftpLayoutFor(undefined, null).id).toBe('generic')
    expect(ftpLayoutFor('generic', 'winbas').id).toBe('generic')
    expect(ftpLayoutFor('monitor', 'winbas').id).toBe('monitor')
  })

  it("names each layout's files and outbound folders", () => {
    expect(winbas.customers.defaultFiles).toEqual(['_customers.xml'])
    expect(winbas.items.defaultFiles).toEqual(['_items.xml'])
    expect(winbas.orders).toEqual({
      error: 'Orders/error',
      extension: '.xml',
      folder: 'Orders',
      processed: 'Orders/processed',
    })
    expect(monitor.customers.defaultFiles).toEqual(['customers.xml'])
    expect(monitor.orders).toEqual({
      error: 'orders/error',
      extension: '.txt',
      folder: 'orders',
      processed: 'orders/processed',
    })
    expect(monitor.newCustomers.folder).toBe('customers')
  })
})

describe("reading Winbas's _customers.xml (windows-1252, CRLF)", () => {
  const xml = [
    '<?xml version="1.0" encoding="windows-1252"?>',
    '<Customers>',
    '  <Customer><Number>10010</Number><Name>Örebro Bygg &amp; Färg AB</Name><SearchName>OREBRO</SearchName><SalesmanCode>SR5</SalesmanCode><Phone>+46 19 10 20 30</Phone></Customer>',
    '  <Customer><Number>10011</Number><Name>Trasig',
    '  <Customer><Number>10012</Number><Name>Åhus Järn</Name><SalesmanCode></SalesmanCode></Customer>',
    '</Customers>',
    '',
  ].join('\r\n')
  const bytes = iconv.encode(xml, 'windows-1252')

  it('maps Number, Name, SalesmanCode and Phone, and declares what the CMS never reads', async () => {
    const search = await searchExport(streamOf(bytes), '_customers.xml', '10010', winbas, winbas.customers)
    expect(search.row?.line).toBe(3)
    const record = winbas.customers.map(search.row?.fields ?? {}, {decimal: '.'})
    expect(record.value).toMatchObject({
      code: '10010',
      name: 'Örebro Bygg & Färg AB',
      phone: '+46 19 10 20 30',
      salesRepCodes: ['SR5'],
      email: null,
      addresses: null,
    })
    expect(record.lastModified).toBeNull()
    expect(record.notSupplied.map((entry) => entry.field)).toEqual([
      'email',
      'isPrivate',
      'blocked',
      'priceListCode',
      'addresses',
    ])
  })

  it('reports an element that never closes by its line and key, and still reads the one after it', async () => {
    const search = await searchExport(streamOf(bytes), '_customers.xml', '10012', winbas, winbas.customers)
    expect(search.problems).toEqual([expect.objectContaining({file: '_customers.xml', key: '10011', line: 4})])
    expect(winbas.customers.map(search.row?.fields ?? {}, {decimal: '.'}).value).toMatchObject({
      name: 'Åhus Järn',
      salesRepCodes: [],
    })
  })
})

describe("reading Monitor's customers.xml and items.xml (UTF-8 with a BOM)", () => {
  const customers = Buffer.from(
    '\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<Customers>\r\n  <Customer>\r\n    <customercode>C00120</customercode>\r\n    <customername>Alingsås Hydraulik AB</customername>\r\n    <customermanager>SR6</customermanager>\r\n    <lastmodified>2026-11-20T09:14:00</lastmodified>\r\n  </Customer>\r\n</Customers>\r\n',
    'utf8',
  )
  const items = Buffer.from(
    [
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>',
      '<items>',
      '  <item><ID>MN-100</ID><description>Kullager 6204</description><salespackageprice>58.50</salespackageprice><unit>st</unit><vatincluded>E</vatincluded></item>',
      '  <item><ID>MN-300</ID><description>Slang</description><salespackageprice>210.00</salespackageprice><unit>m</unit></item>',
      '  <item><ID>MN-400</ID><description>Bad & worse</description></item>',
      '</items>',
    ].join('\n'),
    'utf8',
  )

  it('maps the lower-case customer elements, with lastmodified as the row time', async () => {
    const search = await searchExport(streamOf(customers), 'customers.xml', 'C00120', monitor, monitor.customers)
    expect(search.row?.line).toBe(3)
    const record = monitor.customers.map(search.row?.fields ?? {}, {decimal: '.'})
    expect(record.value).toMatchObject({code: 'C00120', name: 'Alingsås Hydraulik AB', salesRepCodes: ['SR6']})
    expect(record.lastModified).toBe('2026-11-20T09:14:00')
  })

  it("reads ID and salespackageprice; the currency is the administration's, never compared", async () => {
    const search = await searchExport(streamOf(items), 'items.xml', 'MN-100', monitor, monitor.items)
    const record = monitor.items.map(search.row?.fields ?? {}, {decimal: '.'})
    expect(record.value).toMatchObject({
      code: 'MN-100',
      currency: null,
      description: 'Kullager 6204',
      price: 58.5,
      unit: 'st',
    })
    expect(record.skippedBecause).toBeNull()
    expect(record.notSupplied.map((entry) => entry.field)).toEqual(['currency', 'stock', 'active', 'webshop'])
  })

  it('says an item without vatincluded is skipped by the CMS', async () => {
    const search = await searchExport(streamOf(items), 'items.xml', 'MN-300', monitor, monitor.items)
    expect(monitor.items.map(search.row?.fields ?? {}, {decimal: '.'}).skippedBecause).toMatch(/no vatincluded/)
  })

  it('reports a malformed item by its line (an unescaped &)', async () => {
    const search = await searchExport(streamOf(items), 'items.xml', 'MN-999', monitor, monitor.items)
    expect(search.row).toBeNull()
    expect(search.problems).toEqual([expect.objectContaining({file: 'items.xml', key: 'MN-400', line: 5})])
  })
})

describe("Monitor's tab-delimited order file", () => {
  const order = {
    customerCode: 'C00110',
    customerName: 'Borås Mekaniska AB',
    lines: [{discount: 0, itemCode: 'MN-100', price: 58.5, quantity: 20, unit: 'st'}],
    orderNr: 'M-6001',
    yourReference: 'Inköp 77',
  }

  it('writes a header record, then one record per line, tab-delimited with CRLF', () => {
    const records = monitorOrder({...order, notes: 'Leverans till port 3'})
      .split('\r\n')
      .map((line) => line.split('\t'))
    expect(records[0]?.slice(0, 5)).toEqual(['H', 'C00110', 'M-6001', 'Inköp 77', 'Leverans till port 3'])
    expect(records[1]).toEqual(['L', 'MN-100', '20', '58.5', '0', 'st'])
  })

  it('keeps notes in the header only up to 70 characters; longer notes become text records', () => {
    const notes = 'x'.repeat(100)
    const records = monitorOrder({...order, notes})
      .trim()
      .split('\r\n')
      .map((line) => line.split('\t'))
    expect(records[0]?.[4]).toBe('')
    expect(records.filter((record) => record[0] === 'T').map((record) => record[1]?.length)).toEqual([70, 30])
  })
})

describe("the profile's ftp.layout", () => {
  const base = {
    app: {token: 't', url: 'https://app.example'},
    cms: {token: 't', url: 'https://cms.example'},
    webshop: {token: 't', url: 'https://shop.example'},
  }
  const source = {env: {}, stored: {}, storedPath: 'secrets.json'}

  it('keeps a known layout and the export file names', async () => {
    const {resolveProfile} = await import('../../src/config/profile.js')
    const profile = resolveProfile(
      'w',
      {
        ...base,
        ftp: {customerFiles: ['kunder.xml'], itemFiles: ['artiklar.xml'], layout: 'winbas', password: 'p', user: 'u'},
      },
      source,
    )
    expect(profile.ftp).toMatchObject({customerFiles: ['kunder.xml'], itemFiles: ['artiklar.xml'], layout: 'winbas'})
  })

  it('refuses an unknown layout, naming the ones there are', async () => {
    const {resolveProfile} = await import('../../src/config/profile.js')
    expect(() => resolveProfile('w', {...base, ftp: {layout: 'visma', password: 'p', user: 'u'}}, source)).toThrow(
      /generic, winbas, monitor/,
    )
  })
})
