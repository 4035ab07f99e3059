import type {InstallationClients} from '../connectors/installation.js'
import {rawKey} from '../connectors/listing.js'
import {PlatformLister} from '../connectors/platform/listing.js'
import {cmsPrices} from '../connectors/platform/prices.js'
import * as schemas from '../connectors/platform/schemas-prices.js'
import {pathSegment, type ServiceEndpoint} from '../connectors/platform/service.js'
import {parseAnswer} from '../connectors/schema.js'
import type {HttpClient} from '../http/client.js'
import {RequestProblem} from '../http/problem.js'
import type {Side, SideItem} from './sides.js'
import type {CustomerPrice, SideEntry} from './types.js'

/**
 * `reconcile prices --between cms,webshop`: the price a logged-in customer sees, for every customer the webshop
 * has and every item it prices for that customer (`/webshop/v1/customers/{c}/prices?limit&after`, quantity 1),
 * against the CMS's resolved price for the same customer, item, quantity 1 and date (`/prices/resolve`, today in
 * the installation's zone). Keyed customer + item (NUL between): the webshop's customers and each one's items
 * come in key order. Both sides walk the webshop's listing (the CMS has no list of resolved prices); the CMS's
 * side asks one resolve per customer and item, the customer's pricing profile once per customer and the rows
 * of the list used, for the times its class rests on (docs/contract-readings.md, "reconcile prices").
 */

const time = (date: Date | null | undefined): number | null => (date ? date.getTime() : null)
const problemOf = (error: unknown) =>
  error instanceof RequestProblem ? error.problem.message : String((error as Error)?.message ?? error)

/** Every customer the webshop has, then each one's priced items: one page of one customer's prices at a time. */
async function* webshopPages(webshop: PlatformLister): AsyncGenerator<{customerCode: string; entries: unknown[]}> {
  for await (const page of webshop.pagesAt('/customers', 'customers', 'the webshop customers'))
    for (const raw of page) {
      const customerCode = rawKey(raw, 'customerCode')
      if (customerCode === null) continue
      const path = `/customers/${pathSegment(customerCode)}/prices`
      for await (const entries of webshop.pagesAt(path, 'prices', `the prices of ${customerCode}`, null, true))
        yield {customerCode, entries}
    }
}

const keyOf = (customerCode: string, itemCode: string) => `${customerCode}\u0000${itemCode}`

function webshopEntry(customerCode: string, raw: unknown, system: string): SideItem {
  const itemCode = rawKey(raw, 'itemCode')
  if (itemCode === null) return {error: `a price of ${customerCode} without an itemCode`, key: null}
  try {
    const body = parseAnswer(schemas.webshopPrice, raw, system, 'a customer price')
    const {publishedAt, visible: _visible, ...price} = body
    const record: CustomerPrice = {...price, customerCode, itemCode}
    return {error: null, info: {publishedAt: time(publishedAt)}, key: keyOf(customerCode, itemCode), record}
  } catch (error) {
    return {error: problemOf(error), info: {}, key: keyOf(customerCode, itemCode), record: null}
  }
}

export function webshopCustomerPriceSide(http: HttpClient, endpoint: ServiceEndpoint, pageSize?: number): Side {
  const webshop = new PlatformLister(http, endpoint, 'webshop', pageSize)
  return {
    hop: 'webshop',
    name: 'the webshop',
    open: () =>
      (async function* () {
        for await (const {customerCode, entries} of webshopPages(webshop))
          yield entries.map((raw) => webshopEntry(customerCode, raw, webshop.systemName))
      })(),
    ordered: true,
    spilled: false,
    startsAfter: false,
  }
}

/** The CMS's answer for one customer and item: its resolved price and when the CMS last wrote the inputs. */
async function cmsEntry(
  clients: InstallationClients,
  customer: {code: string; syncedAt: number | null},
  itemCode: string,
  date: string,
): Promise<SideItem | null> {
  const key = keyOf(customer.code, itemCode)
  try {
    const resolved = await cmsPrices.resolve(clients.cms, {customerCode: customer.code, date, itemCode, quantity: 1})
    if (!resolved) return null
    const rows = resolved.priceListCode ? await cmsPrices.rows(clients.cms, resolved.priceListCode, itemCode) : null
    const written = [customer.syncedAt, ...(rows ?? []).map((row) => time(row.syncedAt))].filter(
      (value): value is number => value !== null,
    )
    const {basePrice: _b, discountSource: _d, row: _r, unit: _u, ...price} = resolved
    const record: CustomerPrice = {...price, customerCode: customer.code, itemCode}
    return {error: null, info: {syncedAt: written.length > 0 ? Math.max(...written) : null}, key, record}
  } catch (error) {
    return {error: problemOf(error), info: {}, key, record: null} satisfies SideEntry
  }
}

/** The CMS's resolved prices for the customers and items the webshop prices (quantity 1, `date`). */
export function cmsCustomerPriceSide(
  http: HttpClient,
  clients: InstallationClients,
  webshopEndpoint: ServiceEndpoint,
  date: string,
  pageSize?: number,
): Side {
  const webshop = new PlatformLister(http, webshopEndpoint, 'webshop', pageSize)
  return {
    hop: 'cms',
    name: 'the CMS',
    open: () =>
      (async function* () {
        let customer = {code: '', syncedAt: null as number | null}
        for await (const {customerCode, entries} of webshopPages(webshop)) {
          if (customer.code !== customerCode) {
            const pricing = await cmsPrices.pricing(clients.cms, customerCode).catch(() => null)
            customer = {code: customerCode, syncedAt: time(pricing?.syncedAt)}
          }
          const items = entries.map((raw) => rawKey(raw, 'itemCode')).filter((item): item is string => item !== null)
          const out: SideItem[] = []
          for (let index = 0; index < items.length; index += 8) {
            const chunk = items.slice(index, index + 8).map((item) => cmsEntry(clients, customer, item, date))
            for (const entry of await Promise.all(chunk)) if (entry) out.push(entry)
          }
          yield out
        }
      })(),
    ordered: true,
    spilled: false,
    startsAfter: false,
  }
}
