import type {EmulatedPrices, SourcePrices} from '../../../emulation/erp-emulator.js'
import type {PlatformPricingJson} from '../../../emulation/records.js'
import {guid} from './emulator-records.js'
import type {Json, VismaEAccountingState} from './emulator-state.js'

const companyCurrency = 'SEK'

/**
 * eAccounting numbers its price lists and discount agreements itself (`Number`, read-only): a numeric code
 * keeps its number, any other is numbered after the highest.
 */
function numbered(codes: string[]): Map<string, number> {
  const numeric = codes.filter((code) => /^[1-9]\d{0,8}$/.test(code)).map(Number)
  let next = Math.max(0, ...numeric)
  return new Map(codes.map((code) => [code, /^[1-9]\d{0,8}$/.test(code) ? Number(code) : ++next]))
}

const latest = (times: string[], fallback: string) => [fallback, ...times].sort().at(-1) as string

/**
 * The prices as an eAccounting Pro company holds them: standard lists only (no action lists), one price per
 * list and article (no tiers: rows from a quantity above 1 are dropped; no dates: of rows that differ only in
 * dates the one with the latest `validFrom` stays), in the list's currency; discount agreements (their rules
 * kept apart: the API does not show them); each customer's `SalesPriceListId`, `DiscountAgreementId`,
 * `DiscountPercentage` and `CurrencyCode`.
 */
export function putPrices(state: VismaEAccountingState, prices: EmulatedPrices): void {
  const lists = prices.lists.filter((list) => list.kind === 'standard')
  const listNumbers = numbered(lists.map((list) => list.priceListCode))
  state.salesPriceLists = lists.map((list) => ({
    ChangedUtc: latest(
      prices.rows.filter((row) => row.priceListCode === list.priceListCode).map((row) => row.modifiedAt),
      '2026-01-05T09:00:00Z',
    ),
    CurrencyCode: list.currency ?? companyCurrency,
    Id: guid('pricelist', list.priceListCode),
    IsActive: list.active,
    IsStandard: false,
    Name: list.description ?? list.priceListCode,
    Note: null,
    Number: listNumbers.get(list.priceListCode),
  }))
  putRows(state, prices, new Map(lists.map((list) => [list.priceListCode, list.currency ?? companyCurrency])))
  const agreementNumbers = numbered(prices.discountGroups.map((group) => group.discountGroupCode))
  state.discountAgreements = prices.discountGroups.map((group) => ({
    ChangedUtc: group.modifiedAt,
    Id: guid('agreement', group.discountGroupCode),
    IsActive: true,
    Name: group.description ?? group.discountGroupCode,
    Notes: null,
    Number: agreementNumbers.get(group.discountGroupCode),
  }))
  state.agreementRules = new Map(
    prices.discountGroups.map((group) => [guid('agreement', group.discountGroupCode), group.rules]),
  )
  state.customerPricing = new Map(prices.pricing.map((pricing) => [pricing.customerCode, wirePricing(state, pricing)]))
  for (const customer of state.customers) applyPricing(state, customer)
}

function putRows(state: VismaEAccountingState, prices: EmulatedPrices, currencies: Map<string, string>): void {
  const held = new Map<string, Json>()
  state.priceArticleNumbers = new Map()
  const rows = prices.rows
    .filter((row) => currencies.get(row.priceListCode) === row.currency.toUpperCase() && row.fromQuantity <= 1)
    .sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''))
  for (const row of rows) {
    const articleId = guid('article', row.itemCode)
    state.priceArticleNumbers.set(articleId, row.itemCode)
    held.set(JSON.stringify([row.priceListCode, row.itemCode]), {
      ArticleId: articleId,
      ChangedUtc: row.modifiedAt,
      CurrencyCode: row.currency.toUpperCase(),
      GrossPrice: Math.round(row.price * 125) / 100,
      NetPrice: row.price,
      SalesPriceListId: guid('pricelist', row.priceListCode),
    })
  }
  state.salesPrices = [...held.values()]
}

function wirePricing(state: VismaEAccountingState, pricing: PlatformPricingJson & {modifiedAt: string}): Json {
  const list = pricing.priceListCode ? guid('pricelist', pricing.priceListCode) : null
  const agreement = pricing.discountGroupCode ? guid('agreement', pricing.discountGroupCode) : null
  return {
    ChangedUtc: pricing.modifiedAt,
    CurrencyCode: pricing.currency ?? companyCurrency,
    DiscountAgreementId: state.discountAgreements.some((entry) => entry.Id === agreement) ? agreement : null,
    // A fraction (0–1, 4 decimals), as every DiscountPercentage of the API.
    DiscountPercentage: Math.round(pricing.discountPercent * 100) / 10_000,
    SalesPriceListId: state.salesPriceLists.some((entry) => entry.Id === list) ? list : null,
  }
}

/** Lays the customer's pricing fields over its record; the record changed when its pricing did, if later. */
export function applyPricing(state: VismaEAccountingState, customer: Json): void {
  const pricing = state.customerPricing.get(String(customer.CustomerNumber))
  if (!pricing) return
  const changed = latest([String(pricing.ChangedUtc)], String(customer.ChangedUtc ?? ''))
  Object.assign(customer, pricing, {ChangedUtc: changed})
}

/** What the platform's eAccounting connector reads for a `prices` run: lists, rows (an unknown article skipped), agreements' headers. */
export function sourcePrices(state: VismaEAccountingState): SourcePrices {
  const lists = new Map(state.salesPriceLists.map((list) => [String(list.Id), list]))
  const articles = new Map(state.articles.map((article) => [String(article.Id), article]))
  const skipped: SourcePrices['skipped'] = []
  const rows: SourcePrices['rows'] = []
  for (const row of state.salesPrices) {
    const list = lists.get(String(row.SalesPriceListId)) as Json
    const article = articles.get(String(row.ArticleId))
    const itemCode = state.priceArticleNumbers.get(String(row.ArticleId)) ?? String(row.ArticleId)
    if (!article) {
      skipped.push({itemCode, priceListCode: String(list.Number), reason: `unknown item ${itemCode}`})
      continue
    }
    rows.push({
      currency: String(row.CurrencyCode),
      fromQuantity: 0,
      itemCode,
      modifiedAt: String(row.ChangedUtc),
      price: Number(row.NetPrice),
      priceListCode: String(list.Number),
      unit: String(article.UnitAbbreviation ?? ''),
      validFrom: null,
      validTo: null,
    })
  }
  return {
    discountGroups: state.discountAgreements.map((agreement) => ({
      description: String(agreement.Name),
      discountGroupCode: String(agreement.Number),
      modifiedAt: String(agreement.ChangedUtc),
      rules: [],
    })),
    lists: state.salesPriceLists.map((list) => ({
      active: list.IsActive !== false,
      currency: String(list.CurrencyCode),
      description: String(list.Name),
      kind: 'standard' as const,
      modifiedAt: String(list.ChangedUtc),
      priceListCode: String(list.Number),
      pricesIncludeVat: false,
    })),
    rows,
    skipped,
  }
}

/** Each active customer's pricing profile as the `customers` run maps it: list and agreement by their numbers. */
export function sourcePricing(state: VismaEAccountingState): Array<PlatformPricingJson & {modifiedAt: string | null}> {
  const numberOf = (entries: Json[], id: unknown) => {
    const found = entries.find((entry) => id !== null && entry.Id === id)
    return found ? String(found.Number) : null
  }
  return state.customers
    .filter((customer) => customer.IsActive !== false)
    .map((customer) => {
      const priceListCode = numberOf(state.salesPriceLists, customer.SalesPriceListId)
      return {
        actionPriceListCode: null,
        currency:
          typeof customer.CurrencyCode === 'string' && customer.CurrencyCode !== '' ? customer.CurrencyCode : null,
        customerCode: String(customer.CustomerNumber),
        discountGroupCode: numberOf(state.discountAgreements, customer.DiscountAgreementId),
        discountPercent:
          typeof customer.DiscountPercentage === 'number'
            ? Math.round(customer.DiscountPercentage * 1_000_000) / 10_000
            : 0,
        effectivePriceListCode: priceListCode,
        hidePrices: false,
        modifiedAt: typeof customer.ChangedUtc === 'string' ? customer.ChangedUtc : null,
        priceListCode,
      }
    })
}
