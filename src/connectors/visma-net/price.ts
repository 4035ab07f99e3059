import {RequestProblem} from '../../http/problem.js'
import type {NotSupplied} from '../../model/mapping.js'
import type {PriceList} from '../../model/price.js'
import type {ErpListing, ErpPriceRecord, ErpPriceRow, PriceResource} from '../erp.js'
import type {Listed} from '../listing.js'
import {pathSegment} from '../platform/service.js'
import {parseAnswer} from '../schema.js'
import {listingPages, system, type VismaNetClient} from './client.js'
import * as schemas from './schemas-price.js'

/** The price type of a customer price class's prices (the platform's lists). */
export const priceClassType = 'CustomerPriceClass'

/** A promotion's own list: the DTO names no promotion code, so a class's promotional prices are the list `<class>:PROMO`. */
export const promotionList = (priceClass: string) => `${priceClass}:PROMO`

const vismaNetPriceNotSupplied: NotSupplied[] = [
  {
    field: 'pricing.discountPercent',
    reason:
      "Visma.net's discounts are discount codes (/v1/discount) applied by their sequences: not read as a customer discount",
  },
  {field: 'pricing.discountGroupCode', reason: 'Visma.net discount codes are not read as discount groups'},
  {field: 'pricing.hidePrices', reason: 'a Visma.net customer has no setting that hides prices'},
  {field: 'lists.currency', reason: 'a Visma.net price class has no currency: each price carries its own'},
  {
    field: 'resolved',
    reason: "the answer of Visma.net's SalesPrice/list (salesorder.visma.net/price) is not documented here: not read",
  },
]

/** A customer sales price as the platform's row: its class's list (or that class's promotion list), break quantity as the tier. */
function toRow(entry: schemas.CustomerSalesPrice): ErpPriceRow {
  const code = entry.priceCode ?? ''
  return {
    currency: entry.currency,
    fromQuantity: entry.breakQty ?? 0,
    itemCode: entry.inventoryId,
    modifiedAt: entry.lastModifiedDateTime,
    price: entry.price,
    priceListCode: entry.promotion ? promotionList(code) : code,
    unit: entry.uoM,
    validFrom: entry.effectiveDate,
    validTo: entry.expirationDate,
  }
}

function list(code: string, kind: PriceList['kind'], description: string | null): PriceList {
  return {active: true, currency: null, description, kind, priceListCode: code, pricesIncludeVat: false}
}

/**
 * Visma.net prices: the customer's price class (`/v1/customer/{n}`) and the item's customer-price-class prices
 * (`/v1/customerSalesPrice?priceType=CustomerPriceClass&inventoryId=…`), asked at once; the class's rows are the
 * customer's list, its promotional rows its action list. Every row carries its change time.
 */
export function vismaNetPrices(client: VismaNetClient): Required<Omit<PriceResource, 'changedSince'>> {
  return {
    async find(customerCode, itemCode) {
      const [customerResponse, entries] = await Promise.all([
        client.get(`${client.base()}/v1/customer/${pathSegment(customerCode)}`, true),
        salesPrices(client, {inventoryId: itemCode, priceType: priceClassType}),
      ])
      if (!customerResponse) return null
      const customer = parseAnswer(schemas.customerPriceClass, customerResponse.body, system, 'the customer')
      const priceClass = customer.priceClass?.id || null
      const rows = entries.map(toRow).filter((row) => row.itemCode === itemCode && priceClass !== null)
      const own = rows.filter(
        (row) => row.priceListCode === priceClass || row.priceListCode === promotionList(priceClass ?? ''),
      )
      const lists: Record<string, PriceList> = {}
      if (priceClass) lists[priceClass] = list(priceClass, 'standard', customer.priceClass?.description ?? null)
      if (priceClass && own.some((row) => row.priceListCode === promotionList(priceClass)))
        lists[promotionList(priceClass)] = list(promotionList(priceClass), 'action', null)
      return {
        discountGroup: null,
        lists,
        notSupplied: vismaNetPriceNotSupplied,
        pricing: {
          actionPriceListCode: priceClass ? promotionList(priceClass) : null,
          currency: null,
          customerCode: customer.number,
          discountGroupCode: null,
          discountPercent: 0,
          effectivePriceListCode: priceClass,
          hidePrices: false,
          priceListCode: priceClass,
        },
        pricingModifiedAt: customer.lastModifiedDateTime,
        resolved: null,
        rows: own,
      } satisfies ErpPriceRecord
    },

    /** Every customer-price-class price, paged as Visma.net pages (`pageNumber`, `pageSize`). */
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

async function salesPrices(
  client: VismaNetClient,
  filters: Record<string, string>,
): Promise<schemas.CustomerSalesPrice[]> {
  const entries: schemas.CustomerSalesPrice[] = []
  for await (const page of client.pages('/v1/customerSalesPrice', filters))
    for (const entry of page)
      entries.push(parseAnswer(schemas.customerSalesPrice, entry, system, 'a customer sales price'))
  return entries
}

async function* listedRows(client: VismaNetClient): AsyncGenerator<Listed<ErpPriceRow>> {
  for await (const page of client.pages('/v1/customerSalesPrice', {priceType: priceClassType}, listingPages))
    for (const raw of page) {
      const fields = (raw ?? {}) as Record<string, unknown>
      const key = `${String(fields.priceCode ?? '')} ${String(fields.inventoryId ?? '')}`
      try {
        yield {
          error: null,
          key,
          value: toRow(parseAnswer(schemas.customerSalesPrice, raw, system, 'a customer sales price')),
        }
      } catch (error) {
        yield {error: error instanceof RequestProblem ? error.problem.message : String(error), key, value: null}
      }
    }
}
