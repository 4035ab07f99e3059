import type {CmsOrder} from '../../connectors/platform/types.js'
import {decimal, equalPrices, netOf} from '../../model/decimal.js'
import type {ResolvedPrice} from '../../model/price.js'
import type {OrderLinePrice} from '../../report/types.js'

/** One order line and the customer's price the CMS resolves for the order's date and the line's quantity. */
export interface LinePriceAnswer {
  lineNo: number
  itemCode: string
  quantity: number
  price: number | null
  discount: number | null
  /** null: the CMS has no such customer or item (404), or the order has no date to resolve for. */
  resolved: ResolvedPrice | null
  /**
   * Where the line differs: the CMS's notes that it did not store a row of the customer's lists for the item
   * because it had expired when a run read it (`row expired (validTo …)`), its validTo on or after the order's date.
   */
  expiredRows: Array<{priceListCode: string; reason: string; runId: string}>
}

/**
 * An order line against the customer's price (platform contract, "CMS: the resolved price": resolve with the
 * order's date and the line's quantity, compare with the line's `price` and `discount`). The line's `price` is
 * the price before its discount, so it is compared with the resolved list price and its `discount` with the
 * resolved discount percent; prices are equal when they differ by less than 0.005.
 */
export function lineDiffers(
  line: Pick<CmsOrder['lines'][number], 'price' | 'discount'>,
  resolved: ResolvedPrice,
): OrderLinePrice['differs'] {
  if (line.price === null || resolved.listPrice === null) return []
  const differs: OrderLinePrice['differs'] = []
  if (!equalPrices(line.price, resolved.listPrice)) differs.push('price')
  // A line without a discount (the CMS gave none) is compared by its price only.
  if (
    line.discount !== null &&
    line.discount !== undefined &&
    decimal(line.discount) !== decimal(resolved.discountPercent)
  )
    differs.push('discount')
  return differs
}

const amount = (value: number | null) => (value === null ? '?' : value.toFixed(2))

/** "248.54 (list A, row from 10, 2026-11-01–2026-12-31) − 5 % (customer) = 236.11 SEK". */
export function resolvedText(resolved: ResolvedPrice): string {
  const row = resolved.row
    ? `, row from ${resolved.row.fromQuantity}${resolved.row.validFrom || resolved.row.validTo ? ` valid ${resolved.row.validFrom ?? '…'}–${resolved.row.validTo ?? '…'}` : ''}`
    : ''
  const source =
    resolved.listSource === 'itemBasePrice'
      ? "the item's base price"
      : `${resolved.listSource === 'actionPriceList' ? 'action list' : 'list'} ${resolved.priceListCode ?? '?'}${row}`
  const hidden = resolved.hidePrices ? '; hidden from the customer in the app and webshop' : ''
  return `${amount(resolved.listPrice)} (${source}) − ${resolved.discountPercent} % (${resolved.discountSource}) = ${amount(resolved.netPrice)}${resolved.currency ? ` ${resolved.currency}` : ''}${hidden}`
}

function lineText(line: OrderLinePrice['line']): string {
  return `${amount(line.price)} − ${line.discount ?? 0} % = ${amount(line.net)}`
}

/** One line's check: agrees, differs (with both computations), or cannot be checked (and why). */
function checkLine(answer: LinePriceAnswer, date: string | null): OrderLinePrice {
  const {resolved} = answer
  const net = answer.price === null ? null : netOf(answer.price, answer.discount ?? 0)
  const base = {
    date,
    differs: [] as OrderLinePrice['differs'],
    itemCode: answer.itemCode,
    line: {discount: answer.discount, net, price: answer.price},
    lineNo: answer.lineNo,
    quantity: answer.quantity,
    resolved,
  }
  const name = `Line ${answer.lineNo} (${answer.itemCode} × ${answer.quantity})`
  const cannot = (why: string): OrderLinePrice => ({
    ...base,
    status: 'cannot-check',
    summary: `${name} cannot be checked: ${why}.`,
  })
  if (date === null) return cannot('the order has no date to resolve the price for')
  if (resolved === null) return cannot(`the CMS resolves no price for it (it has no such customer or item)`)
  if (answer.price === null) return cannot('the line carries no price')
  if (resolved.listPrice === null)
    return cannot(
      `the CMS resolves no price for it on ${date}: neither a row nor the base price is in the customer's currency`,
    )
  const differs = lineDiffers(answer, resolved)
  if (differs.length === 0)
    return {...base, status: 'agrees', summary: `${name}: ${lineText(base.line)}, the customer's price on ${date}.`}
  if (answer.expiredRows.length > 0) {
    const notes = answer.expiredRows.map((row) => `list ${row.priceListCode}: ${row.reason}, run ${row.runId}`)
    return cannot(
      `the CMS no longer holds rows that may have applied on ${date} (${notes.join('; ')}); what it holds now gives ${resolvedText(resolved)}, the line ${lineText(base.line)}`,
    )
  }
  const what = differs.length === 2 ? 'price and discount differ' : `${differs[0]} differs`
  return {
    ...base,
    differs,
    status: 'differs',
    summary: `${name}: its ${what} from the customer's price on ${date}: the line ${lineText(base.line)}, the CMS resolves ${resolvedText(resolved)}.`,
  }
}

/** Every line's check, and the findings beside the verdict (lines that differ or whose rows are gone). */
export function linePriceChecks(
  order: CmsOrder,
  answers: LinePriceAnswer[],
): {lines: OrderLinePrice[]; findings: string[]} {
  const lines = answers.map((answer) => checkLine(answer, order.orderDate))
  // A line whose rows are gone is said, as one that differs; one the CMS knows no price for is in the table only.
  const findings = lines
    .filter((line, index) => line.status === 'differs' || (answers[index]?.expiredRows.length ?? 0) > 0)
    .map((line) => line.summary)
  return {findings, lines}
}
