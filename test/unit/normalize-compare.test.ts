import {describe, expect, it} from 'vitest'

import {compareCustomers, fieldLabel} from '../../src/model/compare.js'
import type {CanonicalCustomer} from '../../src/model/customer.js'
import {
  normalizeCountry,
  normalizeEmail,
  normalizePhone,
  normalizePostCode,
  normalizeText,
} from '../../src/model/normalize.js'

const customer = (overrides: Partial<CanonicalCustomer> = {}): CanonicalCustomer => ({
  addresses: [
    {
      addressLine1: 'Box 12',
      addressLine2: '',
      city: 'Stockholm',
      countryCode: 'SE',
      isMain: true,
      postCode: '111 22',
      type: 'Invoice',
    },
    {
      addressLine1: 'Lagervägen 4',
      addressLine2: '',
      city: 'Farsta',
      countryCode: 'SE',
      isMain: true,
      postCode: '123 45',
      type: 'Delivery',
    },
  ],
  blocked: false,
  code: '10042',
  email: 'orders@nordictools.example',
  isPrivate: false,
  name: 'Nordic Tools AB',
  phone: '+46 8 123 456',
  priceListCode: 'B2B-A',
  salesRepCodes: ['SR7'],
  ...overrides,
})

describe('normalisation of values that differ only in form', () => {
  it('reads a national phone number with the country code', () => {
    expect(normalizePhone('08-123 456', 'SE')).toBe(normalizePhone('+46 8 123 456'))
    expect(normalizePhone('0046 8 123 456')).toBe('+468123456')
    expect(normalizePhone('08-123 456', 'NO')).not.toBe(normalizePhone('+46 8 123 456'))
  })

  it('maps country names in English and their own language to ISO codes', () => {
    expect(normalizeCountry('Sweden')).toBe('SE')
    expect(normalizeCountry('Sverige')).toBe('SE')
    expect(normalizeCountry('se')).toBe('SE')
    expect(normalizeCountry('Atlantis')).toBe('ATLANTIS')
  })

  it('ignores the case of e-mail addresses, spaces in post codes and runs of whitespace', () => {
    expect(normalizeEmail(' Orders@NordicTools.example ')).toBe('orders@nordictools.example')
    expect(normalizePostCode('123 45')).toBe(normalizePostCode('12345'))
    expect(normalizeText('Nordic   Tools\tAB ')).toBe('Nordic Tools AB')
    expect(normalizeText('Malmo\u0308')).toBe(normalizeText('Malmö'))
  })
})

describe('field-by-field comparison of two hops', () => {
  it('finds nothing between records that differ only in form', () => {
    const erp = customer({
      addresses: [
        {
          addressLine1: 'Box  12',
          addressLine2: '',
          city: 'STOCKHOLM',
          countryCode: 'Sweden',
          isMain: true,
          postCode: '11122',
          type: 'Invoice',
        },
        {
          addressLine1: 'Lagervägen 4',
          addressLine2: '',
          city: 'Farsta',
          countryCode: 'SE',
          isMain: true,
          postCode: '123 45',
          type: 'Delivery',
        },
      ],
      email: 'ORDERS@nordictools.example',
      phone: '08-123 456',
    })
    expect(compareCustomers(erp, customer())).toEqual([])
  })

  it('names each changed field of the main delivery address with both values', () => {
    const erp = customer()
    erp.addresses![1] = {...erp.addresses![1]!, addressLine1: 'Industrivägen 12', city: 'Stockholm'}
    expect(compareCustomers(erp, customer())).toEqual([
      {downstream: 'Lagervägen 4', field: 'addresses.Delivery.addressLine1', upstream: 'Industrivägen 12'},
      {downstream: 'Farsta', field: 'addresses.Delivery.city', upstream: 'Stockholm'},
    ])
    expect(fieldLabel('addresses.Delivery.addressLine1')).toBe('Delivery address line 1')
  })

  it('reports a delivery address that one hop lacks entirely', () => {
    const cms = customer({addresses: customer().addresses!.filter((address) => address.type !== 'Delivery')})
    expect(compareCustomers(customer(), cms)).toEqual([
      {downstream: null, field: 'addresses.Delivery', upstream: 'Lagervägen 4, 123 45 Farsta, SE'},
    ])
  })

  it('does not compare a field that a hop does not provide', () => {
    expect(compareCustomers(customer({priceListCode: null}), customer({priceListCode: 'OTHER'}))).toEqual([])
    expect(compareCustomers(customer({addresses: null}), customer())).toEqual([])
  })

  it('compares sales reps as a set and notices a changed one', () => {
    expect(
      compareCustomers(customer({salesRepCodes: ['sr7', 'SR9']}), customer({salesRepCodes: ['SR9', 'SR7']})),
    ).toEqual([])
    expect(compareCustomers(customer({salesRepCodes: ['SR9']}), customer())).toEqual([
      {downstream: 'SR7', field: 'salesRepCodes', upstream: 'SR9'},
    ])
  })

  it('notices an extra delivery address that is not the main one', () => {
    const erp = customer()
    erp.addresses!.push({
      addressLine1: 'Depå 2',
      addressLine2: '',
      city: 'Farsta',
      countryCode: 'SE',
      isMain: false,
      postCode: '123 46',
      type: 'Delivery',
    })
    expect(compareCustomers(erp, customer())).toEqual([
      {downstream: null, field: 'addresses.Delivery.other', upstream: 'Depå 2, 123 46 Farsta, SE'},
    ])
  })
})
