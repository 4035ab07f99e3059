import {Readable} from 'node:stream'

import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'

import {findRowInCsv} from '../../src/connectors/ftp/csv-export.js'
import {
  customerFromExport,
  exportKeyMatches,
  xmlCustomerElementNames,
  xmlItemElementNames,
} from '../../src/connectors/ftp/layout.js'
import {isSafeListedName, parseFileServerUrl, pathInBase} from '../../src/connectors/ftp/location.js'
import {findElementInXml} from '../../src/connectors/ftp/xml-export.js'

const utf8 = {delimiter: ';', encoding: 'utf-8'}
const byKey = (key: string) => (fields: Record<string, string>) => exportKeyMatches(fields.CustomerCode, key)
const streamOf = (text: string | Buffer) => Readable.from([typeof text === 'string' ? Buffer.from(text, 'utf8') : text])

describe('reading customers.csv', () => {
  const file = [
    '\uFEFFCustomerCode;CustomerName;Email;DeliveryAddress1;LastModified',
    '"10001";"Semicolon; AB";"a@b.example";"Gatan 1";2026-11-20 09:14:00',
    '10002;"Quote ""Q"" AB";q@b.example;"Line one',
    'line two";2026-11-20 09:15:00;',
    '10003;"Broken AB;x@b.example;Road 3;2026-11-20 09:16:00',
    '~10004;Inactive AB;i@b.example;Road 4;2026-11-20 09:17:00',
    '',
    '',
  ].join('\r\n')

  it('reads a BOM, CRLF, quoted delimiters and doubled quotes', async () => {
    const result = await findRowInCsv(streamOf(file), 'customers.csv', utf8, byKey('10001'))
    expect(result.row).toEqual({
      fields: {
        CustomerCode: '10001',
        CustomerName: 'Semicolon; AB',
        DeliveryAddress1: 'Gatan 1',
        Email: 'a@b.example',
        LastModified: '2026-11-20 09:14:00',
      },
      file: 'customers.csv',
      line: 2,
    })
  })

  it('reads a quoted line break and a trailing delimiter, and reports the row by its first line', async () => {
    const result = await findRowInCsv(streamOf(file), 'customers.csv', utf8, byKey('10002'))
    expect(result.row?.line).toBe(3)
    expect(result.row?.fields.CustomerName).toBe('Quote "Q" AB')
    expect(result.row?.fields.DeliveryAddress1).toBe('Line one\nline two')
  })

  it('reports a row with an unbalanced quote by file and line, with whose row it is, and still reads the rows after it', async () => {
    const result = await findRowInCsv(streamOf(file), 'customers.csv', utf8, byKey('10004'))
    expect(result.problems).toEqual([{file: 'customers.csv', key: '10003', line: 5, message: 'unbalanced quote (")'}])
    expect(result.row?.line).toBe(6)
    const inactive = customerFromExport(result.row!.fields)
    expect(inactive.inactive).toBe(true)
    expect(inactive.customer.code).toBe('10004')
  })

  it('reads windows-1252 when the profile says so', async () => {
    const text = 'CustomerCode;CustomerName\r\n20080;Großhandel Åkesson & Öberg AB\r\n'
    const result = await findRowInCsv(
      streamOf(iconv.encode(text, 'windows-1252')),
      'customers.csv',
      {delimiter: ';', encoding: 'windows-1252'},
      byKey('20080'),
    )
    expect(result.row?.fields.CustomerName).toBe('Großhandel Åkesson & Öberg AB')
  })

  it('stops reading at the match instead of loading the whole export', async () => {
    let bytesPulled = 0
    const totalRows = 200_000
    async function* huge() {
      yield Buffer.from('CustomerCode;CustomerName\n')
      for (let row = 0; row < totalRows; row++) {
        const chunk = Buffer.from(`${row};Customer number ${row} with a fairly long name AB\n`)
        bytesPulled += chunk.length
        yield chunk
      }
    }
    const result = await findRowInCsv(Readable.from(huge()), 'customers.csv', utf8, byKey('1000'))
    expect(result.row?.fields.CustomerName).toBe('Customer number 1000 with a fairly long name AB')
    // Far less than the ~10 MB export was read: the stream was stopped at the match (plus read-ahead).
    expect(bytesPulled).toBeLessThan(1_000_000)
  })
})

describe('reading customers.xml', () => {
  it('decodes windows-1252 and maps Winbas element names to the CSV columns', async () => {
    const xml =
      '<?xml version="1.0" encoding="windows-1252"?>\r\n<Customers>\r\n  <Customer>\r\n    <Number>20080</Number>\r\n    <Name>Großhandel Åkesson &amp; Öberg AB</Name>\r\n    <SalesmanCode>SR3</SalesmanCode>\r\n  </Customer>\r\n</Customers>\r\n'
    const result = await findElementInXml(
      streamOf(iconv.encode(xml, 'windows-1252')),
      'customers.xml',
      {element: 'Customer', encoding: 'windows-1252', rename: xmlCustomerElementNames},
      byKey('20080'),
    )
    expect(result.row).toMatchObject({
      fields: {CustomerCode: '20080', CustomerManager: 'SR3', CustomerName: 'Großhandel Åkesson & Öberg AB'},
      line: 3,
    })
  })

  it('reports a broken element with its line and reads on', async () => {
    const xml =
      '<Customers>\n<Customer><Number>1</Number><Name>A & B</Name></Customer>\n<Customer><Number>2</Number><Name>Fine</Name></Customer>\n</Customers>'
    const result = await findElementInXml(
      streamOf(xml),
      'customers.xml',
      {element: 'Customer', encoding: 'utf-8', rename: xmlCustomerElementNames},
      byKey('2'),
    )
    expect(result.row?.fields.CustomerName).toBe('Fine')
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatchObject({file: 'customers.xml', key: '1', line: 2})
  })

  it('takes an element that never closes as broken up to the next one, which it must not swallow', async () => {
    const xml =
      '<Customers>\n<Customer><Number>1</Number><Name>Cut off\n<Customer><Number>2</Number><Name>Fine</Name></Customer>\n<Customer><Number>3</Number>'
    const found = await findElementInXml(
      streamOf(xml),
      'customers.xml',
      {element: 'Customer', encoding: 'utf-8', rename: xmlCustomerElementNames},
      byKey('2'),
    )
    expect(found.row?.fields.CustomerName).toBe('Fine')
    expect(found.problems).toEqual([
      expect.objectContaining({key: '1', line: 2, message: '<Customer> without </Customer>'}),
    ])
    const last = await findElementInXml(
      streamOf(xml),
      'customers.xml',
      {element: 'Customer', encoding: 'utf-8', rename: xmlCustomerElementNames},
      byKey('9'),
    )
    expect(last.row).toBeNull()
    expect(last.problems.map((problem) => [problem.key, problem.line])).toEqual([
      ['1', 2],
      ['3', 4],
    ])
  })

  it('names the item of a broken item element by its ItemCode', async () => {
    const xml = '<Items>\n<Item><ItemCode>N-1</ItemCode><Description>A & B</Description></Item>\n</Items>'
    const result = await findElementInXml(
      streamOf(xml),
      'items.xml',
      {element: 'Item', encoding: 'utf-8', rename: xmlItemElementNames},
      () => false,
    )
    expect(result.problems[0]).toMatchObject({key: 'N-1', line: 2})
  })
})

describe('file names stay inside the base folder', () => {
  it('refuses .., absolute paths, backslashes and NUL', () => {
    expect(pathInBase('/a4s', 'customers.csv')).toBe('/a4s/customers.csv')
    expect(pathInBase('/a4s', 'Orders/A-1.csv')).toBe('/a4s/Orders/A-1.csv')
    for (const hostile of ['../etc/passwd', 'Orders/../../x', '/etc/passwd', 'a\\b', 'a\0b'])
      expect(() => pathInBase('/a4s', hostile)).toThrow(/leave the base folder/)
  })

  it('accepts only plain names from a listing', () => {
    expect(isSafeListedName('A-2001.csv')).toBe(true)
    for (const hostile of ['..', '.', '../x', 'a/b', '', 'x\0']) expect(isSafeListedName(hostile)).toBe(false)
  })

  it('picks the protocol from the URL scheme', () => {
    expect(parseFileServerUrl('sftp://files.acme.example/a4s/')).toEqual({
      basePath: '/a4s',
      host: 'files.acme.example',
      port: 22,
      protocol: 'sftp',
    })
    expect(parseFileServerUrl('ftps://127.0.0.1:2121/x')).toEqual({
      basePath: '/x',
      host: '127.0.0.1',
      port: 2121,
      protocol: 'ftps',
    })
    expect(() => parseFileServerUrl('http://x/y')).toThrow(/not supported/)
  })
})
