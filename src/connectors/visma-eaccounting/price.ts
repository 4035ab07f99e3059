import type {z} from 'zod'

import {RequestProblem} from '../../http/problem.js'
import type {NotSupplied} from '../../model/mapping.js'
import type {PriceList} from '../../model/price.js'
import type {ErpListing, ErpPriceRecord, ErpPriceRow, PriceResource} from '../erp.js'
import type {Listed} from '../listing.js'
import {odataEquals} from '../odata.js'
import {pathSegment} from '../platform/service.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {system, type VismaEAccountingClient} from './client.js'
import {articleEntry} from './item.js'
import type {VismaArticle} from './schemas.js'
import * as schemas from './schemas-price.js'

/** What eAccounting cannot supply for a price (platform contract, "What each ERP cannot supply"). */
const eAccountingPriceNotSupplied: NotSupplied[] = [
  {
    field: 'rows.fromQuantity',
    reason: 'an eAccounting sales price has no quantity: no tiers, one price for every quantity',
  },
  {field: 'rows.validFrom', reason: 'an eAccounting sales price has no validity dates'},
  {field: 'rows.validTo', reason: 'an eAccounting sales price has no validity dates'},
  {field: 'pricing.actionPriceListCode', reason: 'eAccounting has no action price lists'},
  {field: 'pricing.hidePrices', reason: 'an eAccounting customer has no setting that hides prices'},
  {
    field: 'discountGroup.rules',
    reason: "the API gives a discount agreement's header only; its rules show only in the resolved DiscountPercentage",
  },
]

/** eAccounting's article priced for a customer applies the discount agreement only, not the customer's own DiscountPercentage. */
const customerDiscountNotResolved: NotSupplied = {
  field: 'resolved.netPrice',
  reason:
    "eAccounting's NetPriceWithDiscount applies only a discount agreement; the customer's own DiscountPercentage is applied on the invoice",
}

async function read<S extends z.ZodType>(
  client: VismaEAccountingClient,
  path: string,
  schema: S,
  what: string,
): Promise<z.output<S> | null> {
  const response = await client.get(path, true)
  return response ? parseAnswer(schema, response.body, system, what) : null
}

/** A customer's pricing fields by its number (`customers?$filter=CustomerNumber eq '…'`). */
async function pricingEntry(client: VismaEAccountingClient, code: string): Promise<schemas.CustomerPricing | null> {
  const entries = await client.filtered('customers', odataEquals('CustomerNumber', code))
  const parsed = entries.map((entry) => parseAnswer(schemas.customerPricing, entry, system, 'the customer'))
  return parsed.find((entry) => entry.CustomerNumber === code) ?? null
}

/** eAccounting writes every `DiscountPercentage` as a fraction (0–1, 4 decimals): 0.05 is 5 %. */
const percentOf = (fraction: number | null) => (fraction === null ? 0 : Math.round(fraction * 1_000_000) / 10_000)

function toList(list: schemas.SalesPriceList): PriceList {
  return {
    active: list.IsActive !== false,
    currency: list.CurrencyCode,
    description: list.Name,
    kind: 'standard',
    priceListCode: String(list.Number),
    pricesIncludeVat: false,
  }
}

/** An eAccounting sales price as the platform's row: the list's `Number`, the article's number and unit, no tiers, no dates. */
function toRow(
  row: schemas.SalesPriceListRow,
  list: schemas.SalesPriceList,
  itemCode: string,
  unit: string,
): ErpPriceRow {
  return {
    currency: row.CurrencyCode ?? list.CurrencyCode ?? '',
    fromQuantity: 0,
    itemCode,
    modifiedAt: row.ChangedUtc,
    price: row.NetPrice,
    priceListCode: String(list.Number),
    unit,
    validFrom: null,
    validTo: null,
  }
}

/** The customer's and the article's ids first (both at once), then everything that depends on them at once. */
async function findPrice(
  client: VismaEAccountingClient,
  customerCode: string,
  itemCode: string,
): Promise<ErpPriceRecord | null> {
  const [customer, article] = await Promise.all([pricingEntry(client, customerCode), articleEntry(client, itemCode)])
  if (!customer) return null
  const listId = customer.SalesPriceListId
  const agreementId = customer.DiscountAgreementId
  const articleId = article?.Id ?? null
  const [list, row, agreement, priced] = await Promise.all([
    listId
      ? read(client, `/salespricelists/${pathSegment(listId)}`, schemas.salesPriceList, 'the sales price list')
      : null,
    listId && articleId
      ? read(
          client,
          `/salespricelists/prices/${pathSegment(listId)}/${pathSegment(articleId)}`,
          schemas.salesPriceListRow,
          'the sales price',
        )
      : null,
    agreementId
      ? read(
          client,
          `/discountagreements/${pathSegment(agreementId)}`,
          schemas.discountAgreement,
          'the discount agreement',
        )
      : null,
    articleId
      ? read(
          client,
          `/articles/${pathSegment(articleId)}?customerId=${pathSegment(customer.Id)}`,
          schemas.customerArticle,
          'the article priced for the customer',
        )
      : null,
  ])
  return priceRecord(customer, article, {agreement, list, priced, row})
}

function priceRecord(
  customer: schemas.CustomerPricing,
  article: VismaArticle | null,
  read: {
    list: schemas.SalesPriceList | null
    row: schemas.SalesPriceListRow | null
    agreement: z.output<typeof schemas.discountAgreement> | null
    priced: z.output<typeof schemas.customerArticle> | null
  },
): ErpPriceRecord {
  const {agreement, list, priced, row} = read
  const listCode = list ? String(list.Number) : null
  const customerDiscount = percentOf(customer.DiscountPercentage)
  const customerDiscountOnly = (customer.DiscountPercentage ?? 0) > 0 && !((priced?.DiscountPercentage ?? 0) > 0)
  return {
    discountGroup: agreement
      ? {
          description: agreement.Name,
          discountGroupCode: String(agreement.Number),
          modifiedAt: agreement.ChangedUtc,
          rules: [],
        }
      : null,
    lists: list && listCode ? {[listCode]: toList(list)} : {},
    notSupplied: customerDiscountOnly
      ? [...eAccountingPriceNotSupplied, customerDiscountNotResolved]
      : eAccountingPriceNotSupplied,
    pricing: {
      actionPriceListCode: null,
      currency: customer.CurrencyCode,
      customerCode: customer.CustomerNumber,
      discountGroupCode: agreement ? String(agreement.Number) : null,
      discountPercent: customerDiscount,
      effectivePriceListCode: listCode,
      hidePrices: false,
      priceListCode: listCode,
    },
    pricingModifiedAt: customer.ChangedUtc,
    resolved: priced
      ? {
          currency: priced.CurrencyCode ?? customer.CurrencyCode,
          listPrice: priced.NetPrice,
          netPrice: customerDiscountOnly ? null : (priced.NetPriceWithDiscount ?? priced.NetPrice),
        }
      : null,
    rows:
      row && list && article
        ? [toRow(row, list, article.Number, article.UnitAbbreviation ?? article.UnitName ?? '')]
        : [],
  }
}

/**
 * eAccounting prices (Pro variant): the customer's `SalesPriceListId`, `DiscountAgreementId` and
 * `DiscountPercentage`, the list, the article's price on it, the agreement's header, and eAccounting's own
 * answer (`/v2/articles/{id}?customerId=`), all asked at once once the customer's and article's ids are known.
 */
export function eAccountingPrices(client: VismaEAccountingClient): Required<Omit<PriceResource, 'changedSince'>> {
  return {
    find: (customerCode, itemCode) => findPrice(client, customerCode, itemCode),

    /** Every sales price of the company (`/v2/salespricelists/prices`, paged), with the lists' numbers and the articles' numbers. */
    listRows(): ErpListing<ErpPriceRow> {
      const entries = () => listedRows(client)
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

async function collect(entries: AsyncIterable<JsonObject>): Promise<JsonObject[]> {
  const out: JsonObject[] = []
  for await (const entry of entries) out.push(entry)
  return out
}

async function* listedRows(client: VismaEAccountingClient): AsyncGenerator<Listed<ErpPriceRow>> {
  const [rawLists, rawArticles] = await Promise.all([
    collect(client.all('salespricelists')),
    collect(client.all('articles')),
  ])
  const lists = new Map(
    rawLists
      .map((raw) => parseAnswer(schemas.salesPriceList, raw, system, 'a listed sales price list'))
      .map((list) => [list.Id, list]),
  )
  const articles = new Map(rawArticles.map((raw) => [String(raw.Id), raw]))
  for await (const raw of client.all('salespricelists/prices')) {
    const article = articles.get(String(raw.ArticleId))
    const list = lists.get(String(raw.SalesPriceListId))
    const key = `${list ? list.Number : String(raw.SalesPriceListId)} ${article ? String(article.Number) : String(raw.ArticleId)}`
    try {
      const row = parseAnswer(schemas.salesPriceListRow, raw, system, 'a listed sales price')
      if (!list || !article)
        throw new RequestProblem({
          kind: 'bad-response',
          message: `${system}: a sales price names ${list ? 'an article' : 'a price list'} the company does not have`,
        })
      const unit = article.UnitAbbreviation ?? article.UnitName
      yield {error: null, key, value: toRow(row, list, String(article.Number), typeof unit === 'string' ? unit : '')}
    } catch (error) {
      yield {error: error instanceof RequestProblem ? error.problem.message : String(error), key, value: null}
    }
  }
}
