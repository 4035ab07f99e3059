import type {z} from 'zod'

import type {DiscountGroup, PriceList, PriceRow, PricingProfile, ResolvedPrice} from '../../model/price.js'
import {parseAnswer} from '../schema.js'
import type {AppClient} from './app.js'
import type {CmsClient} from './cms.js'
import * as schemas from './schemas-prices.js'
import {pathSegment} from './service.js'
import type {SyncRecordOutcome} from './types.js'
import type {WebshopClient} from './webshop.js'

/**
 * The platform's price endpoints (shared/contracts/platform-api.md, "Prices: customer-specific pricing"):
 * the CMS's stored inputs and its resolved price, the app backend's published inputs and its resolve, the
 * webshop's price for a logged-in customer. Each answer is checked at the edge; 404 is null.
 */

type Times = {erpModifiedAt: Date | null; syncedAt: Date | null}
export type CmsPriceList = PriceList & Times & {priceListId: number | null}
export type CmsPriceRow = PriceRow & Times
export type CmsPricing = PricingProfile & Times & {priceListId: number | null}
export type CmsDiscountGroup = DiscountGroup & Times

export interface PublishedPricing {
  pricing: CmsPricing
  publishedAt: Date | null
  visibleToUserIds: string[]
}

export interface PublishedRows {
  rows: CmsPriceRow[]
  publishedAt: Date | null
}

export interface PublishedDiscountGroup {
  group: CmsDiscountGroup
  publishedAt: Date | null
}

/** The publish times of the inputs of an app resolve: a device holds the price when it refreshed after each. */
export interface PricePublishTimes {
  customer: Date | null
  priceListRows: Date | null
  actionPriceListRows: Date | null
  item: Date | null
  discountGroup: Date | null
}

export interface AppResolvedPrice {
  price: ResolvedPrice
  publishedAt: PricePublishTimes
}

export type WebshopPrice = z.output<typeof schemas.webshopPrice>

export interface PriceQuery {
  customerCode: string
  itemCode: string
  quantity: number
  date: string
}

const parser =
  <S extends z.ZodType>(schema: S, what: string) =>
  (body: unknown, system: string): z.output<S> =>
    parseAnswer(schema, body, system, what)

const itemQuery = (itemCode: string) => `?${new URLSearchParams({itemCode})}`
const resolveQuery = (query: PriceQuery) =>
  `?${new URLSearchParams({
    customerCode: query.customerCode,
    date: query.date,
    itemCode: query.itemCode,
    quantity: String(query.quantity),
  })}`

function pricingOf(body: z.output<typeof schemas.pricing>): CmsPricing {
  const {customerCode, ...rest} = body
  return {...rest, customerCode}
}

/** The pricing profile's path: the same at the CMS and the app backend, under each one's base path. */
const pricingPath = (customerCode: string) => `/customers/${pathSegment(customerCode)}/pricing`

/** The CMS's price endpoints. */
export const cmsPrices = {
  pricing: async (cms: CmsClient, customerCode: string): Promise<CmsPricing | null> => {
    const body = await cms.read(pricingPath(customerCode), parser(schemas.pricing, 'the pricing profile'))
    return body ? pricingOf(body) : null
  },
  list: (cms: CmsClient, code: string): Promise<CmsPriceList | null> =>
    cms.read(`/pricelists/${pathSegment(code)}`, parser(schemas.priceList, 'the price list')),
  /** One item's rows on a list; null when the list is unknown (404), `[]` when it has no row for the item. */
  rows: async (cms: CmsClient, code: string, itemCode: string): Promise<CmsPriceRow[] | null> => {
    const body = await cms.read(
      `/pricelists/${pathSegment(code)}/prices${itemQuery(itemCode)}`,
      parser(schemas.priceRows, 'the price rows'),
    )
    return body ? body.prices : null
  },
  discountGroup: (cms: CmsClient, code: string): Promise<CmsDiscountGroup | null> =>
    cms.read(`/discountgroups/${pathSegment(code)}`, parser(schemas.discountGroup, 'the discount group')),
  resolve: (cms: CmsClient, query: PriceQuery): Promise<ResolvedPrice | null> =>
    cms.read(`/prices/resolve${resolveQuery(query)}`, parser(schemas.resolvedPrice, 'the resolved price')),
  /** What recent `prices` runs did with an item's rows on a list (`itemCode` null: with the list itself). */
  records: async (cms: CmsClient, listCode: string, itemCode: string | null, limit = 5): Promise<SyncRecordOutcome[]> =>
    cms.syncRecords('prices', listCode, limit, itemCode ?? undefined),
}

/** The app backend's published price inputs and its resolve. */
export const appPrices = {
  pricing: async (app: AppClient, customerCode: string): Promise<PublishedPricing | null> => {
    const body = await app.read(pricingPath(customerCode), parser(schemas.appPricing, 'the published pricing profile'))
    return body
      ? {pricing: pricingOf(body.record), publishedAt: body.publishedAt, visibleToUserIds: body.visibleToUserIds}
      : null
  },
  rows: async (app: AppClient, code: string, itemCode: string): Promise<PublishedRows | null> => {
    const body = await app.read(
      `/pricelists/${pathSegment(code)}/prices${itemQuery(itemCode)}`,
      parser(schemas.appPriceRows, 'the published price rows'),
    )
    return body ? {publishedAt: body.publishedAt, rows: body.record.prices} : null
  },
  discountGroup: async (app: AppClient, code: string): Promise<PublishedDiscountGroup | null> => {
    const body = await app.read(
      `/discountgroups/${pathSegment(code)}`,
      parser(schemas.appDiscountGroup, 'the published discount group'),
    )
    return body ? {group: body.record, publishedAt: body.publishedAt} : null
  },
  resolve: (app: AppClient, query: PriceQuery): Promise<AppResolvedPrice | null> =>
    app.read(`/prices/resolve${resolveQuery(query)}`, parser(schemas.appResolvedPrice, 'the resolved price')),
}

/** The webshop's price for a logged-in customer; null when the customer or the item is not published. */
export const webshopPrices = {
  price: (webshop: WebshopClient, customerCode: string, itemCode: string, quantity: number) =>
    webshop.read(
      `/customers/${pathSegment(customerCode)}/prices/${pathSegment(itemCode)}?${new URLSearchParams({quantity: String(quantity)})}`,
      parser(schemas.webshopPrice, 'the customer price'),
    ),
}
