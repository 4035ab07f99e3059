import type {EmulatedPrices, SourcePrices} from '../../../emulation/erp-emulator.js'
import type {PlatformPricingJson} from '../../../emulation/records.js'
import type {FortnoxState, Json} from './emulator-state.js'

/** Fortnox books in SEK: a price in another currency cannot be held on a Fortnox list. */
const companyCurrency = 'SEK'

/**
 * The prices as Fortnox holds them: standard lists only (no action lists), one price per list, article and
 * `FromQuantity` (no dates: of rows that differ only in dates the one with the latest `validFrom` stays), in
 * SEK only; no discount groups; each customer's `PriceList`, `InvoiceDiscount` and `Currency`.
 */
export function putPrices(state: FortnoxState, prices: EmulatedPrices): void {
  const lists = prices.lists.filter((list) => list.kind === 'standard')
  const codes = new Set(lists.map((list) => list.priceListCode))
  state.priceLists = lists.map((list, index) => ({
    '@url': `https://api.fortnox.se/3/pricelists/${encodeURIComponent(list.priceListCode)}`,
    Code: list.priceListCode,
    Comments: '',
    Description: list.description ?? list.priceListCode,
    PreSelected: index === 0,
  }))
  const held = new Map<string, Json>()
  const rows = prices.rows
    .filter((row) => codes.has(row.priceListCode) && row.currency.toUpperCase() === companyCurrency)
    .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''))
  for (const row of rows)
    held.set(JSON.stringify([row.priceListCode, row.itemCode, row.fromQuantity]), {
      ArticleNumber: row.itemCode,
      Date: row.modifiedAt.slice(0, 10),
      FromQuantity: row.fromQuantity,
      Percent: 0,
      Price: row.price,
      PriceList: row.priceListCode,
    })
  state.prices = [...held.values()]
  state.customerPricing = new Map(prices.pricing.map((pricing) => [pricing.customerCode, fortnoxPricing(pricing)]))
  for (const entry of state.customers) applyPricing(state, entry.record)
}

function fortnoxPricing(pricing: PlatformPricingJson): Json {
  return {
    Currency: pricing.currency ?? companyCurrency,
    InvoiceDiscount: pricing.discountPercent,
    PriceList: pricing.priceListCode ?? '',
  }
}

/** Lays the customer's pricing fields over its Fortnox record (as `putPrices` wrote them). */
export function applyPricing(state: FortnoxState, record: Json): void {
  const pricing = state.customerPricing.get(String(record.CustomerNumber))
  if (pricing) Object.assign(record, pricing)
}

/** The `PriceListItem` of a held price (what `/3/prices/sublist` lists). */
export function priceListItem(price: Json): Json {
  const {ArticleNumber, FromQuantity, Price, PriceList} = price
  return {
    '@url': `https://api.fortnox.se/3/prices/${encodeURIComponent(String(PriceList))}/${encodeURIComponent(String(ArticleNumber))}/${FromQuantity}`,
    ArticleNumber,
    FromQuantity,
    Price,
    PriceList,
  }
}

/**
 * What the platform's Fortnox connector reads for a `prices` run: every list and every tier, a tier of an
 * article Fortnox does not have skipped; the unit is the article's, the currency SEK, no dates, no change times.
 */
export function sourcePrices(state: FortnoxState): SourcePrices {
  const units = new Map(state.articles.map(({record}) => [String(record.ArticleNumber), String(record.Unit ?? '')]))
  const skipped: SourcePrices['skipped'] = []
  const rows: SourcePrices['rows'] = []
  for (const price of state.prices) {
    const itemCode = String(price.ArticleNumber)
    const unit = units.get(itemCode)
    if (unit === undefined) {
      skipped.push({itemCode, priceListCode: String(price.PriceList), reason: `unknown item ${itemCode}`})
      continue
    }
    rows.push({
      currency: companyCurrency,
      fromQuantity: Number(price.FromQuantity),
      itemCode,
      modifiedAt: null,
      price: Number(price.Price),
      priceListCode: String(price.PriceList),
      unit,
      validFrom: null,
      validTo: null,
    })
  }
  const lists = state.priceLists.map((list) => ({
    active: true,
    currency: null,
    description: String(list.Description),
    kind: 'standard' as const,
    modifiedAt: null,
    priceListCode: String(list.Code),
    pricesIncludeVat: false,
  }))
  return {discountGroups: [], lists, rows, skipped}
}

/** Each active customer's pricing profile as the `customers` run maps it: `InvoiceDiscount` → `discountPercent`. */
export function sourcePricing(state: FortnoxState): Array<PlatformPricingJson & {modifiedAt: string | null}> {
  return state.customers
    .filter(({record}) => record.Active !== false)
    .map(({record}) => {
      const priceListCode = typeof record.PriceList === 'string' && record.PriceList !== '' ? record.PriceList : null
      return {
        actionPriceListCode: null,
        currency: typeof record.Currency === 'string' && record.Currency !== '' ? record.Currency : null,
        customerCode: String(record.CustomerNumber),
        discountGroupCode: null,
        discountPercent: typeof record.InvoiceDiscount === 'number' ? record.InvoiceDiscount : 0,
        effectivePriceListCode: priceListCode,
        hidePrices: false,
        modifiedAt: null,
        priceListCode,
      }
    })
}
