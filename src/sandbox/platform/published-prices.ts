import {json, type SandboxRequest, type SandboxResponse} from '../../emulation/service.js'
import {rowsKey} from '../price-state.js'
import type {PlatformBacking} from './backing.js'
import {limitOf, pageOfItems, pricesOfBacking} from './cms-prices.js'
import {
  appView,
  hopInputs,
  type PriceHopView,
  priceQuery,
  resolvedAnswer,
  resolvePrice,
  webshopView,
} from './price-views.js'
import {error, foundOr404, type Route} from './service.js'

type Json = Record<string, unknown>

/** The app backend's price routes: what was published to it, and the rule over that (platform contract, "App backend: prices"). */
export function appPriceRoutes(backing: PlatformBacking): Route[] {
  const prices = () => pricesOfBacking(backing)
  return [
    {
      handle: ({code}) => appPricing(backing, code as string),
      method: 'GET',
      pattern: '/customers/:code/pricing',
    },
    {
      handle: ({code}, request) => appRows(backing, code as string, request),
      method: 'GET',
      pattern: '/pricelists/:code/prices',
    },
    {
      handle: ({code}) =>
        foundOr404(prices().app.discountGroups.get(code as string), `Discount group ${code} was never published.`),
      method: 'GET',
      pattern: '/discountgroups/:code',
    },
    {
      handle: (_params, request) => {
        const asked = askedPrice(backing, request)
        if ('response' in asked) return asked.response
        const held = hopInputs(appView(backing, prices()), prices(), asked.customerCode, asked.itemCode)
        if (!held) return error(404, 'not_found', `${asked.customerCode} or ${asked.itemCode} was never published.`)
        const resolved = resolvePrice(held.inputs, asked.query.quantity, asked.query.date)
        return json(200, {
          ...resolvedAnswer(asked.customerCode, asked.itemCode, asked.query, resolved),
          publishedAt: held.publishedAt,
        })
      },
      method: 'GET',
      pattern: '/prices/resolve',
    },
  ]
}

/**
 * `GET /app/v1/customers/{code}/pricing`: the profile published with the customer (a customer published before
 * its profile was written carries its record's list, as the CMS's own answer does); 404 when never published.
 */
function appPricing(backing: PlatformBacking, code: string): SandboxResponse {
  const published = pricesOfBacking(backing).app.pricing.get(code)
  if (published) return json(200, published)
  const customer = backing.app.customers.get(code)
  if (!customer) return error(404, 'not_found', `The pricing of ${code} was never published to the app.`)
  const {
    erpModifiedAt: _e,
    syncedAt: _s,
    ...record
  } = appView(backing, pricesOfBacking(backing)).pricing(code)?.record ?? {}
  return json(200, {
    customerCode: code,
    publishedAt: customer.publishedAt,
    record,
    visibleToUserIds: customer.visibleToUserIds ?? [],
  })
}

function askedPrice(
  backing: PlatformBacking,
  request: SandboxRequest,
): {customerCode: string; itemCode: string; query: {quantity: number; date: string}} | {response: SandboxResponse} {
  const customerCode = request.query.get('customerCode')
  const itemCode = request.query.get('itemCode')
  if (!customerCode || !itemCode)
    return {response: error(400, 'bad_request', 'customerCode and itemCode are required.')}
  const query = priceQuery(request, backing)
  if ('problem' in query) return {response: error(400, 'bad_request', query.problem)}
  return {customerCode, itemCode, query}
}

/** `GET /app/v1/pricelists/{code}/prices?itemCode=` (one item's published rows, 404 never published) or paged by item. */
function appRows(backing: PlatformBacking, code: string, request: SandboxRequest): SandboxResponse {
  const published = pricesOfBacking(backing).app.rows
  const itemCode = request.query.get('itemCode')
  if (itemCode !== null)
    return foundOr404(published.get(rowsKey(code, itemCode)), `${code} rows of ${itemCode} were never published.`)
  const paged = pageOfItems(published, code, request, backing.maxPageSize())
  if ('problem' in paged) return error(400, 'bad_request', paged.problem)
  return json(200, {next: paged.next, prices: paged.items.map((item) => published.get(rowsKey(code, item)))})
}

/** The webshop's price routes: the price a buyer logged in for the customer sees (platform contract, "Webshop"). */
export function webshopPriceRoutes(backing: PlatformBacking): Route[] {
  return [
    {
      handle: ({code, item}, request) => {
        const query = priceQuery(request, backing)
        if ('problem' in query) return error(400, 'bad_request', query.problem)
        const seen = webshopPrice(backing, code as string, item as string, query)
        return foundOr404(seen, `${code} or ${item} is not published in the webshop.`)
      },
      method: 'GET',
      pattern: '/customers/:code/prices/:item',
    },
    {
      handle: ({code}, request) => webshopPrices(backing, code as string, request),
      method: 'GET',
      pattern: '/customers/:code/prices',
    },
  ]
}

/** What a buyer of the customer sees for the item and quantity (today), or undefined when either is not published. */
function webshopPrice(
  backing: PlatformBacking,
  customerCode: string,
  itemCode: string,
  query: {quantity: number; date: string},
): Json | undefined {
  const prices = pricesOfBacking(backing)
  const view: PriceHopView = webshopView(backing, prices)
  const held = hopInputs(view, prices, customerCode, itemCode)
  if (!held) return undefined
  const resolved = resolvePrice(held.inputs, query.quantity, query.date)
  const times = Object.values(held.publishedAt).filter((time): time is string => typeof time === 'string')
  const hidden = resolved.hidePrices
  return {
    currency: resolved.currency,
    customerCode,
    discountPercent: resolved.discountPercent,
    hidePrices: hidden,
    itemCode,
    listPrice: hidden ? null : resolved.listPrice,
    listSource: resolved.listSource,
    netPrice: hidden ? null : resolved.netPrice,
    priceListCode: resolved.priceListCode,
    pricesIncludeVat: resolved.pricesIncludeVat,
    publishedAt: times.sort().at(-1) ?? null,
    quantity: query.quantity,
    visible: backing.webshop.items.get(itemCode)?.visible === true,
  }
}

/** `GET /webshop/v1/customers/{code}/prices?limit&after`: the customer's price (quantity 1) of every published item. */
function webshopPrices(backing: PlatformBacking, customerCode: string, request: SandboxRequest): SandboxResponse {
  if (!backing.webshop.customers.get(customerCode))
    return error(404, 'not_found', `No customer ${customerCode} in the webshop.`)
  const query = priceQuery(request, backing)
  if ('problem' in query) return error(400, 'bad_request', query.problem)
  const limit = limitOf(request, backing.maxPageSize())
  if (typeof limit !== 'number') return error(400, 'bad_request', limit.problem)
  // The webshop's items a page at a time, in key order after `after` (its store's cursor is the key before).
  const page = backing.webshop.items.page(request.query.get('after'), limit)
  const items = page.records.map((record) => String(record.itemCode))
  const seen = items.map((item) => webshopPrice(backing, customerCode, item, {...query, quantity: 1}))
  return json(200, {next: page.next, prices: seen.filter((price) => price !== undefined)})
}
