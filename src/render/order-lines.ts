import type {OrderLinePrice, TraceReport} from '../report/types.js'

/**
 * `trace order`: each line's price and discount against the customer's price the CMS resolves for the order's
 * date and the line's quantity, as rows both views draw (the line's computation, the customer's, the outcome).
 */
export interface OrderLineRow {
  mark: '✔' | '✘' | '?'
  line: string
  ordered: string
  customer: string
  outcome: string
}

const amount = (value: number | null) => (value === null ? '?' : value.toFixed(2))

function customerPrice(line: OrderLinePrice): string {
  const resolved = line.resolved
  if (!resolved || resolved.listPrice === null) return '(none resolved)'
  const row = resolved.row ? `, row from ${resolved.row.fromQuantity}` : ''
  const source =
    resolved.listSource === 'itemBasePrice'
      ? 'base price'
      : `${resolved.listSource === 'actionPriceList' ? 'action list' : 'list'} ${resolved.priceListCode ?? '?'}${row}`
  return `${amount(resolved.listPrice)} (${source}) − ${resolved.discountPercent} % (${resolved.discountSource}) = ${amount(resolved.netPrice)}${resolved.currency ? ` ${resolved.currency}` : ''}${resolved.hidePrices ? ' (hidden from the customer)' : ''}`
}

function outcome(line: OrderLinePrice): string {
  if (line.status === 'agrees') return 'agrees'
  if (line.status === 'differs')
    return line.differs.length === 2 ? 'price and discount differ' : `${line.differs[0]} differs`
  const why = line.summary.replace(/^.*? cannot be checked: /, '').replace(/; what it holds now gives .*$/, '')
  return `cannot be checked: ${why.replace(/\.$/, '')}`
}

/** The section's title and one row per line; null when the report has no order lines checked. */
export function orderLineRows(report: TraceReport): {title: string; rows: OrderLineRow[]} | null {
  const lines = report.orderLines
  if (!lines || lines.length === 0) return null
  const date = lines[0]?.date
  return {
    rows: lines.map((line) => ({
      customer: customerPrice(line),
      line: `${line.lineNo} ${line.itemCode} × ${line.quantity}`,
      mark: line.status === 'agrees' ? '✔' : line.status === 'differs' ? '✘' : '?',
      ordered: `${amount(line.line.price)} − ${line.line.discount ?? 0} % = ${amount(line.line.net)}`,
      outcome: outcome(line),
    })),
    title: `Order line prices (the customer's price at the CMS${date ? ` on ${date}` : ''}, each line's quantity; not part of the verdict)`,
  }
}
