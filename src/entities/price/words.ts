import type {FieldDiff} from '../../model/compare.js'
import type {Evidence, PriceAnswer, PriceRecord} from '../../report/types.js'

/** How a price and its computation read in a sentence and in the evidence. */

const amount = (value: number | null, currency: string | null) =>
  value === null ? 'no price' : `${value.toFixed(2)}${currency ? ` ${currency}` : ''}`

/** One line: where the list price comes from, the discount, the net price. */
export function computationText(record: PriceRecord): string {
  const price = record.computed
  if (!price) return record.answered ? answerText(record.answered) : 'no inputs'
  const row = price.row
  const source =
    price.listSource === 'priceList' || price.listSource === 'actionPriceList'
      ? `${price.listSource === 'actionPriceList' ? 'action list' : 'list'} ${price.priceListCode}, row from ${row?.fromQuantity ?? 0}${row && (row.validFrom || row.validTo) ? ` (${row.validFrom ?? '…'}..${row.validTo ?? '…'})` : ''}`
      : price.listSource === 'itemBasePrice'
        ? 'the item’s base price'
        : 'no row and no base price in the currency'
  const discount =
    price.discountSource === 'none' ? 'no discount' : `discount ${price.discountPercent}% (${price.discountSource})`
  const vat = price.pricesIncludeVat ? 'incl. VAT' : 'excl. VAT'
  const hidden = price.hidePrices ? '; prices hidden from this customer' : ''
  return `${source}: ${amount(price.listPrice, price.currency)}, ${discount} → net ${amount(price.netPrice, price.currency)} ${vat}${hidden}`
}

export function answerText(answer: PriceAnswer): string {
  if (answer.hidePrices) return 'prices hidden from this customer'
  const discount = answer.discountPercent ? `, discount ${answer.discountPercent}%` : ''
  return `list ${amount(answer.listPrice, answer.currency)}${discount} → net ${amount(answer.netPrice, answer.currency)}${answer.pricesIncludeVat ? ' incl. VAT' : ''}`
}

/** Both computations of a comparison, as evidence. */
export function computationEvidence(
  up: {label: string; record: PriceRecord},
  down: {label: string; record: PriceRecord},
): Evidence[] {
  return [
    {label: `${up.label}'s computation`, name: 'upstreamComputation', text: computationText(up.record)},
    {label: `${down.label}'s computation`, name: 'downstreamComputation', text: computationText(down.record)},
  ]
}

const inputNames: Record<string, string> = {
  'item.currency': "the item's currency",
  'item.price': "the item's base price",
  'item.unit': "the item's unit",
  'pricing.actionPriceListCode': "the customer's action list",
  'pricing.currency': "the customer's currency",
  'pricing.discountGroupCode': "the customer's discount group",
  'pricing.discountPercent': "the customer's discount",
  'pricing.effectivePriceListCode': 'the list the CMS uses for the customer',
  'pricing.hidePrices': 'hidePrices',
  'pricing.priceListCode': "the customer's price list",
}

/** Which input differs, in words: "the customer's price list (B2B-A → B2B-B)". */
export function inputWords(diffs: FieldDiff[]): string {
  const inputs = diffs.filter((diff) => !diff.field.startsWith('price.'))
  if (inputs.length === 0) return 'no input differs (the same inputs give another price)'
  return inputs
    .slice(0, 3)
    .map((diff) => `${inputName(diff.field)} (${diff.upstream ?? 'none'} → ${diff.downstream ?? 'none'})`)
    .join(', ')
    .concat(inputs.length > 3 ? ` and ${inputs.length - 3} more` : '')
}

function inputName(field: string): string {
  const named = inputNames[field]
  if (named) return named
  if (field.startsWith('rows.')) return `the row ${field.slice(5)}`
  if (field.startsWith('lists.')) {
    const [, list, what] = /^lists\.(.+)\.(\w+)$/.exec(field) ?? []
    return what === 'pricesIncludeVat' ? `whether list ${list} includes VAT` : `list ${list}'s ${what}`
  }
  if (field === 'discountGroup.rules') return "the discount group's rules"
  return field
}
