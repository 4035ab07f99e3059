import {describe, expect, it} from 'vitest'

import type {CmsOrder} from '../../src/connectors/platform/types.js'
import {linePriceChecks} from '../../src/entities/order/line-prices.js'
import type {ResolvedPrice} from '../../src/model/price.js'

// An order line's price and discount against the customer's price the CMS resolves (line-prices.ts).

const resolved = (over: Partial<ResolvedPrice> = {}): ResolvedPrice => ({
  basePrice: 149.5,
  currency: 'SEK',
  discountPercent: 5,
  discountSource: 'customer',
  hidePrices: false,
  listPrice: 129,
  listSource: 'priceList',
  netPrice: 122.55,
  priceListCode: 'B2B-A',
  pricesIncludeVat: false,
  row: {fromQuantity: 0, validFrom: null, validTo: null},
  unit: 'st',
  ...over,
})

const order = (orderDate: string | null = '2026-11-20') =>
  ({customerCode: '10042', lines: [], orderDate, orderNr: 'A-1'}) as unknown as CmsOrder

const answer = (over: Record<string, unknown> = {}) => ({
  discount: 5 as number | null,
  expiredRows: [] as Array<{priceListCode: string; reason: string; runId: string}>,
  itemCode: 'P-100',
  lineNo: 1,
  price: 129 as number | null,
  quantity: 2,
  resolved: resolved() as ResolvedPrice | null,
  ...over,
})

describe('order line prices', () => {
  it('agrees within 0.005, price and discount alike', () => {
    const {findings, lines} = linePriceChecks(order(), [answer({price: 129.004})])
    expect(lines[0]).toMatchObject({differs: [], status: 'agrees'})
    expect(findings).toEqual([])
  })

  it('names a discount that differs, with the nets of both computations', () => {
    const {findings, lines} = linePriceChecks(order(), [answer({discount: 0})])
    expect(lines[0]).toMatchObject({differs: ['discount'], line: {net: 129}, status: 'differs'})
    expect(findings[0]).toContain('its discount differs')
    expect(findings[0]).toContain('129.00 (list B2B-A, row from 0) − 5 % (customer) = 122.55 SEK')
  })

  it('compares hidden prices all the same, and says they are hidden', () => {
    const {lines} = linePriceChecks(order(), [answer({price: 149.5, resolved: resolved({hidePrices: true})})])
    expect(lines[0]).toMatchObject({differs: ['price'], status: 'differs'})
    expect(lines[0]?.summary).toContain('hidden from the customer')
  })

  it('a line that differs where an expired row may have applied cannot be checked, and is no mismatch', () => {
    const expiredRows = [{priceListCode: 'B2B-A', reason: 'row expired (validTo 2026-11-30)', runId: 'r-1'}]
    const {findings, lines} = linePriceChecks(order(), [answer({expiredRows, price: 119})])
    expect(lines[0]).toMatchObject({differs: [], status: 'cannot-check'})
    expect(findings[0]).toContain('cannot be checked')
  })

  it('without a date, a resolved price or a price in the currency: cannot be checked, and only the table says so', () => {
    const none = resolved({listPrice: null, listSource: 'none', netPrice: null})
    const {findings, lines} = linePriceChecks(order(null), [answer()])
    expect(lines[0]?.status).toBe('cannot-check')
    expect(
      linePriceChecks(order(), [answer({resolved: null}), answer({resolved: none})]).lines.map((l) => l.status),
    ).toEqual(['cannot-check', 'cannot-check'])
    expect(findings).toEqual([])
  })
})
