import {json, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {priceListIdOf, rowsKey} from '../price-state.js'
import type {RecordStore} from '../record-store.js'
import type {PlatformBacking} from './backing.js'
import {type ListRows, noPriceStores, type PriceStores} from './price-backing.js'
import {cmsView, hopInputs, priceQuery, resolvedAnswer, resolvePrice} from './price-views.js'
import {error, foundOr404, listPage, type Route} from './service.js'

type Json = Record<string, unknown>

const none = noPriceStores()

/** The backing's prices; a backing that holds none answers as a CMS without prices. */
export function pricesOfBacking(backing: PlatformBacking): PriceStores {
  return backing.prices?.() ?? none
}

/** A list as the CMS answers it: with its integer id. */
const listAnswer = (list: Json): Json => ({...list, priceListId: priceListIdOf(String(list.priceListCode))})

/** The CMS's price routes (platform contract, "Prices: customer-specific pricing"). */
export function cmsPriceRoutes(backing: PlatformBacking): Route[] {
  const prices = () => pricesOfBacking(backing)
  const page = (request: SandboxRequest, envelope: string, records: RecordStore, view?: (r: Json) => Json) => {
    const answer = listPage(request, 'items', records, {maxPageSize: backing.maxPageSize(), ...(view ? {view} : {})})
    const body = answer.body as {items?: Json[]; next?: string | null}
    return body.items ? json(200, {[envelope]: body.items, next: body.next}) : answer
  }
  return [
    {
      handle: (_params, request) => page(request, 'priceLists', prices().cms.lists, listAnswer),
      method: 'GET',
      pattern: '/pricelists',
    },
    {
      handle: ({code}) => {
        const list = prices().cms.lists.get(code as string)
        return foundOr404(list && listAnswer(list), `No price list ${code}.`)
      },
      method: 'GET',
      pattern: '/pricelists/:code',
    },
    {
      handle: ({code}, request) => listRows(prices(), code as string, request, backing.maxPageSize()),
      method: 'GET',
      pattern: '/pricelists/:code/prices',
    },
    {
      handle: ({code}) => {
        const pricing = cmsView(backing, prices()).pricing(code as string)
        return foundOr404(pricing?.record, `No customer ${code}.`)
      },
      method: 'GET',
      pattern: '/customers/:code/pricing',
    },
    {
      handle: (_params, request) => page(request, 'discountGroups', prices().cms.discountGroups),
      method: 'GET',
      pattern: '/discountgroups',
    },
    {
      handle: ({code}) => foundOr404(prices().cms.discountGroups.get(code as string), `No discount group ${code}.`),
      method: 'GET',
      pattern: '/discountgroups/:code',
    },
    {handle: (_params, request) => resolveInCms(backing, request), method: 'GET', pattern: '/prices/resolve'},
  ]
}

/**
 * `GET /pricelists/{code}/prices?itemCode=` (one item's rows) or `?limit&after` (every row, paged by item: `limit`
 * counts items, all rows of one item on one page, items in UTF-8 byte order); 404 for an unknown list.
 */
export function listRows(
  prices: PriceStores,
  code: string,
  request: SandboxRequest,
  maxPageSize: number | undefined,
): SandboxResponse {
  if (!prices.cms.lists.get(code)) return error(404, 'not_found', `No price list ${code}.`)
  const itemCode = request.query.get('itemCode')
  if (itemCode !== null) return json(200, {next: null, prices: prices.cms.rows.get(rowsKey(code, itemCode)) ?? []})
  const paged = pageOfItems(prices.cms.rows, code, request, maxPageSize)
  if ('problem' in paged) return error(400, 'bad_request', paged.problem)
  return json(200, {
    next: paged.next,
    prices: paged.items.flatMap((item) => prices.cms.rows.get(rowsKey(code, item)) ?? []),
  })
}

/** `limit` 1–1000 (default 500) capped by the service, or why not. */
export function limitOf(request: SandboxRequest, maxPageSize: number | undefined): number | {problem: string} {
  const rawLimit = request.query.get('limit')
  const asked = rawLimit === null ? 500 : Number(rawLimit)
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000)
    return {problem: 'limit must be a whole number from 1 to 1000.'}
  return Math.min(asked, maxPageSize ?? asked)
}

/** A page of the item codes with rows on a list (key order) after `after`. */
export function pageOfItems(
  rows: ListRows<unknown>,
  code: string,
  request: SandboxRequest,
  maxPageSize: number | undefined,
): {items: string[]; next: string | null} | {problem: string} {
  const limit = limitOf(request, maxPageSize)
  if (typeof limit !== 'number') return limit
  return rows.itemsOf(code, request.query.get('after'), limit)
}

/** `GET /prices/resolve?customerCode&itemCode&quantity&date`: the rule over the CMS's records; 404 without the customer or item. */
function resolveInCms(backing: PlatformBacking, request: SandboxRequest): SandboxResponse {
  const customerCode = request.query.get('customerCode')
  const itemCode = request.query.get('itemCode')
  if (!customerCode || !itemCode) return error(400, 'bad_request', 'customerCode and itemCode are required.')
  const query = priceQuery(request, backing)
  if ('problem' in query) return error(400, 'bad_request', query.problem)
  const prices = pricesOfBacking(backing)
  const held = hopInputs(cmsView(backing, prices), prices, customerCode, itemCode)
  if (!held) return error(404, 'not_found', `No customer ${customerCode} or no item ${itemCode}.`)
  return json(200, resolvedAnswer(customerCode, itemCode, query, resolvePrice(held.inputs, query.quantity, query.date)))
}
