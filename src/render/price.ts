import type {PriceRecord, TraceReport} from '../report/types.js'
import {hopLabel} from './labels.js'

/** The price view of `trace price`: per hop the inputs used and the computed price (list, row, discount, net). */

export interface PriceLine {
  hop: string
  list: string
  row: string
  discount: string
  net: string
}

const money = (value: number | null | undefined, currency: string | null | undefined) =>
  value === null || value === undefined ? '—' : `${value.toFixed(2)}${currency ? ` ${currency}` : ''}`

function lineOf(record: PriceRecord): Omit<PriceLine, 'hop'> {
  const price = record.computed
  if (!price) {
    const answer = record.answered
    if (!answer) return {discount: '—', list: '—', net: '—', row: '—'}
    if (answer.hidePrices) return {discount: '—', list: answer.priceListCode ?? '—', net: 'hidden', row: '—'}
    return {
      discount: answer.discountPercent ? `${answer.discountPercent}%` : 'none',
      list: answer.priceListCode ?? answer.listSource ?? '—',
      net: money(answer.netPrice, answer.currency),
      row: money(answer.listPrice, answer.currency),
    }
  }
  const list =
    price.listSource === 'priceList' || price.listSource === 'actionPriceList'
      ? `${price.priceListCode}${price.listSource === 'actionPriceList' ? ' (action)' : ''}`
      : price.listSource === 'itemBasePrice'
        ? 'base price'
        : 'none'
  const dates =
    price.row && (price.row.validFrom || price.row.validTo)
      ? ` ${price.row.validFrom ?? '…'}..${price.row.validTo ?? '…'}`
      : ''
  const row = price.row
    ? `from ${price.row.fromQuantity}${dates}: ${money(price.listPrice, price.currency)}`
    : money(price.listPrice, price.currency)
  const discount =
    price.discountSource === 'none'
      ? 'none'
      : `${price.discountPercent}% (${price.discountSource === 'discountGroup' ? 'group' : 'customer'})`
  const net = price.hidePrices
    ? `${money(price.netPrice, price.currency)} (hidden)`
    : money(price.netPrice, price.currency)
  return {discount, list, net: `${net}${price.pricesIncludeVat ? ' incl. VAT' : ''}`, row}
}

/** One line per hop that holds a price record; null for other entities. */
export function priceLines(report: TraceReport): {title: string; lines: PriceLine[]} | null {
  if (report.entity !== 'price') return null
  const records = report.hops.flatMap((hop) => {
    const record = hop.record as PriceRecord | null
    return record && 'customerCode' in record ? [{hop: hopLabel(hop.hop), record}] : []
  })
  const first = records[0]?.record
  if (!first) return null
  return {
    lines: records.map(({hop, record}) => ({hop, ...lineOf(record)})),
    title: `Price at each hop (quantity ${first.quantity}, ${first.date})`,
  }
}
