import {describe, expect, it} from 'vitest'
import {decimal, equalPrices, netOf, roundTo} from '../../src/model/decimal.js'
import {type PriceInputs, type PriceRow, resolvePrice, samePrice} from '../../src/model/price.js'

const row = (fields: Partial<PriceRow>): PriceRow => ({
  currency: 'SEK',
  fromQuantity: 0,
  itemCode: 'P-100',
  price: 129,
  priceListCode: 'B2B-A',
  unit: 'st',
  validFrom: null,
  validTo: null,
  ...fields,
})

const inputs = (over: Partial<PriceInputs> = {}, pricing: Partial<PriceInputs['pricing']> = {}): PriceInputs => ({
  discountGroup: null,
  item: {currency: 'SEK', itemCode: 'P-100', price: 149.5, unit: 'st'},
  lists: {
    'B2B-A': {
      active: true,
      currency: 'SEK',
      description: null,
      kind: 'standard',
      priceListCode: 'B2B-A',
      pricesIncludeVat: false,
    },
  },
  pricing: {
    actionPriceListCode: null,
    currency: null,
    customerCode: '10042',
    discountGroupCode: null,
    discountPercent: 5,
    effectivePriceListCode: 'B2B-A',
    hidePrices: false,
    priceListCode: 'B2B-A',
    ...pricing,
  },
  rows: [row({}), row({fromQuantity: 10, price: 119, validFrom: '2026-11-01', validTo: '2026-12-31'})],
  ...over,
})

describe('decimal arithmetic', () => {
  it('computes exactly and rounds half away from zero once', () => {
    expect(netOf(129, 5)).toBe(122.55)
    expect(netOf(0.1, 0)).toBe(0.1)
    expect(netOf(10.005, 0)).toBe(10.01)
    expect(netOf(-10.005, 0)).toBe(-10.01)
    expect(netOf(99.99, 12.5)).toBe(87.49)
    expect(roundTo(1.005, 2)).toBe(1.01)
    expect(decimal(1e-7)).toBe(0n)
    expect(decimal(1.5e3)).toBe(1_500_000_000n)
    expect(equalPrices(122.55, 122.554)).toBe(true)
    expect(equalPrices(122.55, 122.555)).toBe(false)
    expect(samePrice(null, null)).toBe(true)
    expect(samePrice(null, 1)).toBe(false)
  })
})

describe('the resolution rule', () => {
  it('takes the list row and the customer discount (the contract example)', () => {
    const resolved = resolvePrice(inputs(), 1, '2026-11-20')
    expect(resolved).toMatchObject({
      discountSource: 'customer',
      listPrice: 129,
      listSource: 'priceList',
      netPrice: 122.55,
    })
  })
  it('takes the quantity tier within its dates, and not after them', () => {
    expect(resolvePrice(inputs(), 10, '2026-11-20').listPrice).toBe(119)
    expect(resolvePrice(inputs(), 10, '2027-01-01').listPrice).toBe(129)
  })
  it('lets an action row win on the price before discount, and applies no discount to it', () => {
    const action = row({price: 125, priceListCode: 'ACT'})
    const resolved = resolvePrice(inputs({rows: [row({}), action]}, {actionPriceListCode: 'ACT'}), 1, '2026-11-20')
    expect(resolved).toMatchObject({discountSource: 'none', listSource: 'actionPriceList', netPrice: 125})
  })
  it('prefers the group rule for the item over the customer discount', () => {
    const discountGroup = {
      description: null,
      discountGroupCode: 'DG1',
      rules: [
        {fromQuantity: 0, itemCode: null, percent: 3, validFrom: null, validTo: null},
        {fromQuantity: 0, itemCode: 'P-100', percent: 12.5, validFrom: null, validTo: null},
      ],
    }
    const resolved = resolvePrice(inputs({discountGroup}), 1, '2026-11-20')
    expect(resolved).toMatchObject({discountPercent: 12.5, discountSource: 'discountGroup', netPrice: 112.88})
  })
  it('falls back to the base price in the item currency, else none; other units never apply', () => {
    expect(resolvePrice(inputs({rows: [row({unit: 'kg'})]}), 1, '2026-11-20').listSource).toBe('itemBasePrice')
    const euro = resolvePrice(inputs({rows: []}, {currency: 'EUR'}), 1, '2026-11-20')
    expect(euro).toMatchObject({listPrice: null, listSource: 'none', netPrice: null})
  })
})
