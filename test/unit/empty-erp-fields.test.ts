import {describe, expect, it} from 'vitest'

import {toRecord} from '../../src/connectors/businesscentral/customer-record.js'
import {customerAnswer} from '../../src/connectors/fortnox/schemas.js'
import {ftpLayouts} from '../../src/connectors/ftp/layouts/registry.js'
import * as netsuite from '../../src/connectors/netsuite/schemas.js'
import {parseAnswer} from '../../src/connectors/schema.js'
import type {CanonicalCustomer} from '../../src/model/customer.js'
import {cmsViewOfSourceCustomer, compareSourceCustomer, type NotSupplied} from '../../src/model/mapping.js'

// The contract: "fields the ERP does not have are left as the CMS's own setting". An ERP customer whose sales
// rep or price list is empty is compared with a CMS record that has its own: no difference, a "not compared"
// note with the reason (docs/contract-readings.md, "Empty ERP fields").

/** What the CMS holds: what it writes for the source (its mapping), with its own sales rep and price list. */
const cms = (source: CanonicalCustomer): CanonicalCustomer => ({
  ...cmsViewOfSourceCustomer(source).customer,
  priceListCode: 'B2B',
  salesRepCodes: ['SR7'],
})

const layout = (id: string) => ftpLayouts.find((entry) => entry.id === id) as (typeof ftpLayouts)[number]

/** Each ERP's (and layout's) own mapping of a customer without a sales rep or price list. */
const sources: Array<{
  erp: string
  name: string
  read: () => {customer: CanonicalCustomer; notSupplied: NotSupplied[]}
}> = [
  {
    erp: 'Business Central (salespersonCode "")',
    name: 'Business Central',
    read: () =>
      toRecord(
        {
          addressLine1: 'Väg 1',
          blocked: ' ',
          city: 'Umeå',
          country: 'SE',
          displayName: 'Utan Säljare AB',
          number: '10001',
          salespersonCode: '',
          type: 'Company',
        },
        null,
      ),
  },
  {
    erp: 'Fortnox (OurReference and PriceList null)',
    name: 'Fortnox',
    read: () => ({
      ...parseAnswer(
        customerAnswer,
        {Customer: {CustomerNumber: '30001', Name: 'Utan Säljare AB', OurReference: null, PriceList: null}},
        'Fortnox',
        'c',
      ),
      notSupplied: [],
    }),
  },
  {
    erp: 'NetSuite (no salesRep, no priceLevel)',
    name: 'NetSuite',
    read: () => ({
      ...parseAnswer(
        netsuite.customer,
        {companyName: 'Utan Säljare AB', entityId: '50001', salesRep: null},
        'NetSuite',
        'c',
      ),
      notSupplied: [],
    }),
  },
  {
    erp: 'NetSuite (a salesRep reference with an empty name)',
    name: 'NetSuite',
    read: () => ({
      ...parseAnswer(
        netsuite.customer,
        {companyName: 'Utan Säljare AB', entityId: '50001', salesRep: {id: '-5', refName: ' '}},
        'NetSuite',
        'c',
      ),
      notSupplied: [],
    }),
  },
  ...['generic', 'winbas', 'monitor'].map((id) => ({
    erp: `the ${id} export (CustomerManager and PriceList empty)`,
    name: 'the export',
    read: () => {
      const row = layout(id).customers.map(
        {CustomerCode: '20001', CustomerManager: '', CustomerName: 'Utan Säljare AB', PriceList: ''},
        {decimal: '.'},
      )
      return {customer: row.value, notSupplied: row.notSupplied}
    },
  })),
]

describe('an empty ERP field is not a different value', () => {
  it.each(sources)('$erp: the CMS keeps its own sales rep and price list, not compared', ({name, read}) => {
    const {customer, notSupplied} = read()
    const comparison = compareSourceCustomer(customer, cms(customer), notSupplied, {
      downstream: 'the CMS',
      upstream: name,
    })
    expect(comparison.diff.map((entry) => entry.field)).toEqual([])
    const notCompared = new Map(comparison.notCompared.map((entry) => [entry.field, entry.reason]))
    expect(notCompared.get('salesRepCodes')).toBeDefined()
    expect(notCompared.get('priceListCode')).toBeDefined()
    if (customer.salesRepCodes !== null && !notSupplied.some((entry) => entry.field === 'salesRepCodes'))
      expect(notCompared.get('salesRepCodes')).toMatch(
        /has no sales rep for this customer: the CMS keeps its own setting/,
      )
  })

  it('still compares a sales rep the ERP does have', () => {
    const {customer} = parseAnswer(
      netsuite.customer,
      {companyName: 'Med Säljare AB', entityId: '50002', salesRep: {id: '-5', refName: 'SR1'}},
      'NetSuite',
      'c',
    )
    const comparison = compareSourceCustomer(customer, cms(customer), [], {downstream: 'the CMS', upstream: 'NetSuite'})
    expect(comparison.diff).toEqual([{downstream: 'SR7', field: 'salesRepCodes', upstream: 'SR1'}])
  })
})
