import {json, matchPath, type SandboxRequest, type SandboxResponse} from '../../../emulation/service.js'
import {fortnoxError, list} from './emulator-answers.js'
import {priceListItem} from './emulator-prices.js'
import type {FortnoxState, Json} from './emulator-state.js'

const listNotFound = (code: string) => fortnoxError(404, 2000000, `Kan inte hitta prislistan ${code}.`)
const priceNotFound = () => fortnoxError(404, 2000000, 'Kan inte hitta priset.')

const byArticleAndQuantity = (a: Json, b: Json) =>
  String(a.ArticleNumber).localeCompare(String(b.ArticleNumber)) || Number(a.FromQuantity) - Number(b.FromQuantity)

/**
 * Fortnox's price routes (fortnox-openapi.json): `/3/pricelists`, `/3/pricelists/{Code}`,
 * `/3/prices/{PriceList}/{ArticleNumber}` (the first price, the lowest `FromQuantity`),
 * `/3/prices/{PriceList}/{ArticleNumber}/{FromQuantity}`, `/3/prices/sublist/{PriceList}/{ArticleNumber}` (every
 * tier), and `/3/prices/sublist/{PriceList}` (the whole list, paged; not in the spec, see
 * docs/contract-readings.md). Null for any other path.
 */
export function priceRoute(state: FortnoxState, request: SandboxRequest): SandboxResponse | null {
  const path = request.path
  if (path === '/3/pricelists') return list(request, 'PriceLists', state.priceLists, state.maxPageSize)
  const one = matchPath('/3/pricelists/:code', path)
  if (one) {
    const found = state.priceLists.find((entry) => entry.Code === one.code)
    return found ? json(200, {PriceList: found}) : listNotFound(one.code as string)
  }
  const sublist = matchPath('/3/prices/sublist/:list', path) ?? matchPath('/3/prices/sublist/:list/:article', path)
  if (sublist) {
    if (!state.priceLists.some((entry) => entry.Code === sublist.list)) return listNotFound(sublist.list as string)
    if (
      sublist.article !== undefined &&
      !state.articles.some((entry) => entry.record.ArticleNumber === sublist.article)
    )
      return fortnoxError(404, 2001302, 'Kan inte hitta artikeln.')
    const prices = state.prices
      .filter(
        (price) => price.PriceList === sublist.list && (!sublist.article || price.ArticleNumber === sublist.article),
      )
      .sort(byArticleAndQuantity)
      .map(priceListItem)
    return list(request, 'Prices', prices, state.maxPageSize)
  }
  const price = matchPath('/3/prices/:list/:article/:from', path) ?? matchPath('/3/prices/:list/:article', path)
  if (!price) return null
  const tiers = state.prices
    .filter(
      (entry) =>
        entry.PriceList === price.list &&
        entry.ArticleNumber === price.article &&
        (price.from === undefined || Number(entry.FromQuantity) === Number(price.from)),
    )
    .sort(byArticleAndQuantity)
  const found = tiers[0]
  return found ? json(200, {Price: {'@url': priceListItem(found)['@url'], ...found}}) : priceNotFound()
}
