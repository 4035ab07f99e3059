import type {HttpResponse} from '../../http/client.js'
import {RequestProblem} from '../../http/problem.js'
import type {NotSupplied} from '../../model/mapping.js'
import type {PriceList} from '../../model/price.js'
import type {ErpListing, ErpPriceRecord, ErpPriceRow, PriceResource} from '../erp.js'
import type {Listed} from '../listing.js'
import {pathSegment} from '../platform/service.js'
import {parseAnswer} from '../schema.js'
import {type FortnoxClient, listPage, system} from './client.js'
import {fortnoxItems} from './item.js'
import * as schemas from './schemas-price.js'

/** Fortnox books in Swedish kronor: its price lists have no currency, every price is in the company's SEK. */
const companyCurrency = 'SEK'
/** Pages of one list a listing reads at most. */
const maxPages = 10_000

/** What Fortnox cannot supply for a price (platform contract, "What each ERP cannot supply"). */
export const fortnoxPriceNotSupplied: NotSupplied[] = [
  {field: 'rows.validFrom', reason: 'a Fortnox price has no validity dates'},
  {field: 'rows.validTo', reason: 'a Fortnox price has no validity dates'},
  {field: 'rows.modifiedAt', reason: 'a Fortnox price carries no change time: a changed price shows only by its value'},
  {
    field: 'lists.currency',
    reason: 'a Fortnox price list has no currency: its prices are in the company currency (SEK)',
  },
  {field: 'pricing.actionPriceListCode', reason: 'Fortnox has no action price lists'},
  {field: 'pricing.discountGroupCode', reason: 'Fortnox has no discount groups'},
  {field: 'pricing.hidePrices', reason: 'a Fortnox customer has no setting that hides prices'},
  {field: 'pricingModifiedAt', reason: 'a Fortnox customer carries no change time'},
  {field: 'resolved', reason: 'Fortnox resolves a customer price only when it creates a document: inputs only'},
]

function toList(entry: {Code: string; Description: string | null}): PriceList {
  return {
    active: true,
    currency: null,
    description: entry.Description,
    kind: 'standard',
    priceListCode: entry.Code,
    pricesIncludeVat: false,
  }
}

/** A Fortnox tier as the platform's row: the article's unit, the company currency, no dates, no change time. */
function toRow(entry: schemas.FortnoxPriceListItem, unit: string): ErpPriceRow {
  return {
    currency: companyCurrency,
    fromQuantity: entry.FromQuantity,
    itemCode: entry.ArticleNumber,
    modifiedAt: null,
    price: entry.Price,
    priceListCode: entry.PriceList,
    unit,
    validFrom: null,
    validTo: null,
  }
}

/**
 * Fortnox prices: the customer's `PriceList` and `InvoiceDiscount` (`/3/customers/{n}`), the list
 * (`/3/pricelists/{Code}`) and every tier of the article on it (`/3/prices/sublist/{PriceList}/{ArticleNumber}`).
 * Fortnox resolves no price itself and keeps no change time on prices, nor a `lastmodified` filter for them:
 * no `changedSince` (the order of events is unknown).
 */
export function fortnoxPrices(client: FortnoxClient): Required<Omit<PriceResource, 'changedSince'>> {
  const items = fortnoxItems(client)
  return {
    async find(customerCode, itemCode) {
      const [customerResponse, item] = await Promise.all([
        client.get(`/customers/${pathSegment(customerCode)}`, true),
        items.find(itemCode),
      ])
      if (!customerResponse) return null
      const pricing = parseAnswer(schemas.customerPricing, customerResponse.body, system, 'the customer')
      const code = pricing.priceListCode
      const [listResponse, pricesResponse] = await Promise.all([
        code ? client.get(`/pricelists/${pathSegment(code)}`, true) : null,
        code ? articleTiers(client, code, itemCode) : null,
      ])
      const list = listResponse
        ? toList(parseAnswer(schemas.priceListAnswer, listResponse.body, system, 'the price list'))
        : null
      const tiers = pricesResponse ?? []
      const unit = item?.item.unit ?? ''
      return {
        discountGroup: null,
        lists: list ? {[list.priceListCode]: list} : {},
        notSupplied: fortnoxPriceNotSupplied,
        pricing: {
          actionPriceListCode: null,
          currency: pricing.currency,
          customerCode: pricing.customerCode,
          discountGroupCode: null,
          discountPercent: pricing.discountPercent,
          effectivePriceListCode: code,
          hidePrices: false,
          priceListCode: code,
        },
        pricingModifiedAt: null,
        resolved: null,
        rows: tiers.filter((tier) => tier.ArticleNumber === itemCode).map((tier) => toRow(tier, unit)),
      } satisfies ErpPriceRecord
    },

    /** Every tier of every list: `/3/pricelists`, then `/3/prices/sublist/{PriceList}` page by page; units from the articles. */
    listRows(): ErpListing<ErpPriceRow> {
      const entries = () => listedRows(client, items)
      return {
        entries: entries(),
        ordered: false,
        records: (async function* () {
          for await (const entry of entries()) if (entry.value) yield entry.value
        })(),
      }
    },
  }
}

/** Every tier of one article on one list, page by page as Fortnox pages it (none: the list has no price for it). */
async function articleTiers(client: FortnoxClient, code: string, itemCode: string) {
  const path = `/prices/sublist/${pathSegment(code)}/${pathSegment(itemCode)}`
  const tiers = []
  for (let page = 1; page <= maxPages; page++) {
    const response = await client.get(`${path}?limit=500&page=${page}`, true)
    if (!response) return tiers
    const body = parseAnswer(listPage('Prices', page), response.body, system, 'the prices')
    for (const entry of body.entries) tiers.push(parseAnswer(schemas.priceListItem, entry, system, 'a price'))
    if (body.last) return tiers
  }
  throw new RequestProblem({kind: 'bad-response', message: `${system}: ${path} did not end within ${maxPages} pages`})
}

/** Every entry of a Fortnox list endpoint, `MetaInformation` page by page (500 a page). */
async function* pagesOf(client: FortnoxClient, path: string, envelope: string): AsyncGenerator<unknown> {
  for (let page = 1; page <= maxPages; page++) {
    const response = (await client.get(`${path}?limit=500&page=${page}`)) as HttpResponse
    const body = parseAnswer(listPage(envelope, page), response.body, system, `the list ${path}`)
    yield* body.entries
    if (body.last) return
  }
  throw new RequestProblem({
    kind: 'bad-response',
    message: `${system}: the list ${path} did not end within ${maxPages} pages`,
  })
}

async function* listedRows(
  client: FortnoxClient,
  items: ReturnType<typeof fortnoxItems>,
): AsyncGenerator<Listed<ErpPriceRow>> {
  const units = new Map<string, string>()
  for await (const record of items.list().records) units.set(record.item.code, record.item.unit ?? '')
  for await (const raw of pagesOf(client, '/pricelists', 'PriceLists')) {
    const list = parseAnswer(schemas.listedPriceList, raw, system, 'a listed price list')
    for await (const entry of pagesOf(client, `/prices/sublist/${pathSegment(list.Code)}`, 'Prices')) {
      const key = `${list.Code} ${String((entry as Record<string, unknown>)?.ArticleNumber ?? '')}`
      try {
        const tier = parseAnswer(schemas.priceListItem, entry, system, 'a listed price')
        yield {error: null, key, value: toRow(tier, units.get(tier.ArticleNumber) ?? '')}
      } catch (error) {
        yield {error: error instanceof RequestProblem ? error.problem.message : String(error), key, value: null}
      }
    }
  }
}
