import {matchingRule} from '../../../model/price.js'
import {json, matchPath, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import {apiError, filtered, paginated} from './emulator-answers.js'
import type {Json, VismaEAccountingState} from './emulator-state.js'

const notFound = (what: string, id: string) => apiError(404, 3000, `${what} with id ${id} was not found.`)

/** The sales prices the API serves: those of articles the company has. */
const heldPrices = (state: VismaEAccountingState) =>
  state.salesPrices.filter((row) => state.articles.some((article) => article.Id === row.ArticleId))

function listed(state: VismaEAccountingState, request: SandboxRequest, entries: Json[]): SandboxResponse {
  const matches = filtered(request, entries)
  return Array.isArray(matches) ? paginated(request, matches, state.maxPageSize) : matches
}

/**
 * eAccounting's Pro variant price routes (2026 OpenAPI): `/v2/salespricelists[/{id}]`,
 * `/v2/salespricelists/prices[/{listId}[/{articleId}]]`, `/v2/discountagreements[/{id}]`, and an article priced
 * for a customer (`/v2/articles/{id}?customerId=`). Null for any other request.
 */
export function priceRoute(state: VismaEAccountingState, request: SandboxRequest): SandboxResponse | null {
  const path = request.path
  if (path === '/v2/salespricelists') return listed(state, request, state.salesPriceLists)
  if (path === '/v2/salespricelists/prices') return listed(state, request, heldPrices(state))
  if (path === '/v2/discountagreements') return listed(state, request, state.discountAgreements)
  const rows = matchPath('/v2/salespricelists/prices/:list', path)
  if (rows) {
    if (!state.salesPriceLists.some((list) => list.Id === rows.list))
      return notFound('SalesPriceList', rows.list as string)
    return listed(
      state,
      request,
      heldPrices(state).filter((row) => row.SalesPriceListId === rows.list),
    )
  }
  const one = matchPath('/v2/salespricelists/prices/:list/:article', path)
  if (one) {
    const found = heldPrices(state).find((row) => row.SalesPriceListId === one.list && row.ArticleId === one.article)
    return found ? json(200, found) : notFound('SalesPriceListRow for article', one.article as string)
  }
  for (const [pattern, entries, what] of [
    ['/v2/salespricelists/:id', state.salesPriceLists, 'SalesPriceList'],
    ['/v2/discountagreements/:id', state.discountAgreements, 'DiscountAgreement'],
  ] as const) {
    const match = matchPath(pattern, path)
    if (!match) continue
    const found = entries.find((entry) => entry.Id === match.id)
    return found ? json(200, found) : notFound(what, match.id as string)
  }
  const article = matchPath('/v2/articles/:id', path)
  const customerId = request.query.get('customerId')
  return article && customerId ? pricedArticle(state, article.id as string, customerId) : null
}

/**
 * `GET /v2/articles/{id}?customerId=`: the article's prices "based on which pricelist and discount agreement
 * is assigned to customer": the customer's list price (else the article's own), `DiscountPercentage` from the
 * agreement (its rule for the article, else for every article, valid today, for one piece; a fraction, as
 * every DiscountPercentage of the API), and the price with that discount. The customer's own `DiscountPercentage` is not applied here (it is on the invoice).
 */
function pricedArticle(state: VismaEAccountingState, articleId: string, customerId: string): SandboxResponse {
  const article = state.articles.find((entry) => entry.Id === articleId)
  if (!article) return notFound('Article', articleId)
  const customer = state.customers.find((entry) => entry.Id === customerId)
  if (!customer) return apiError(400, 2000, `Customer with id ${customerId} was not found.`)
  const list = state.salesPriceLists.find((entry) => entry.Id === customer.SalesPriceListId)
  const row = heldPrices(state).find(
    (entry) => list && entry.SalesPriceListId === list.Id && entry.ArticleId === articleId,
  )
  const netPrice = row ? Number(row.NetPrice) : Number(article.NetPrice)
  const rules = state.agreementRules.get(String(customer.DiscountAgreementId)) ?? []
  const today = new Date().toISOString().slice(0, 10)
  const rule = matchingRule({description: null, discountGroupCode: '', rules}, String(article.Number), 1, today)
  const percent = rule?.percent ?? 0
  return json(200, {
    ...article,
    CurrencyCode: row ? row.CurrencyCode : (customer.CurrencyCode ?? 'SEK'),
    DiscountPercentage: Math.round(percent * 100) / 10_000,
    GrossPrice: Math.round(netPrice * 125) / 100,
    NetPrice: netPrice,
    NetPriceWithDiscount: Math.round(netPrice * (100 - percent)) / 100,
  })
}
