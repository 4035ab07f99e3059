import type {InstallationClients} from '../../connectors/installation.js'
import {cmsPrices} from '../../connectors/platform/prices.js'
import type {CmsOrder} from '../../connectors/platform/types.js'
import {type Fetched, settle} from '../../observe/fetched.js'
import {type LinePriceAnswer, lineDiffers} from './line-prices.js'

export type {LinePriceAnswer} from './line-prices.js'

const expiredRow = /row expired \(validTo (\d{4}-\d{2}-\d{2})\)/

/** The CMS's notes of rows it dropped as expired that may have applied on `date`, for the customer's lists. */
async function expiredRowsOn(
  clients: InstallationClients,
  customerCode: string,
  itemCode: string,
  date: string,
): Promise<LinePriceAnswer['expiredRows']> {
  const pricing = await cmsPrices.pricing(clients.cms, customerCode)
  const lists = [pricing?.effectivePriceListCode ?? pricing?.priceListCode, pricing?.actionPriceListCode]
  const codes = [...new Set(lists.filter((code): code is string => typeof code === 'string' && code !== ''))]
  const notes = await Promise.all(
    codes.map(async (code) =>
      (await cmsPrices.records(clients.cms, code, itemCode, 20)).map((record) => ({...record, code})),
    ),
  )
  return notes
    .flat()
    .filter((record) => record.outcome === 'skipped' && (expiredRow.exec(record.reason ?? '')?.[1] ?? '') >= date)
    .map((record) => ({priceListCode: record.code, reason: record.reason ?? '', runId: record.runId}))
}

/**
 * Each line of the order with the customer's price at the CMS (`/prices/resolve`, date = the order's
 * `orderDate`, quantity = the line's), as the contract says an order line is checked; where it differs, whether
 * the rows for that date are still held. Null when the CMS has no order (nothing to check).
 */
export function observeLinePrices(
  clients: InstallationClients,
  order: CmsOrder | null,
): Promise<Fetched<LinePriceAnswer[]>> | null {
  if (!order || order.lines.length === 0 || order.customerCode === '') return null
  const date = order.orderDate
  return settle(() =>
    Promise.all(
      order.lines.map(async (line): Promise<LinePriceAnswer> => {
        const query = {
          customerCode: order.customerCode,
          date: date ?? '',
          itemCode: line.itemCode,
          quantity: line.quantity,
        }
        const resolved = date && line.quantity >= 1 ? await cmsPrices.resolve(clients.cms, query) : null
        const differs = resolved !== null && lineDiffers(line, resolved).length > 0
        const expiredRows = differs && date ? await expiredRowsOn(clients, order.customerCode, line.itemCode, date) : []
        return {...line, discount: line.discount ?? null, expiredRows, resolved}
      }),
    ),
  )
}
