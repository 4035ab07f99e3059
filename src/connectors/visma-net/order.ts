import {
  type EntityResource,
  type ErpCustomerRecord,
  type ErpItemRecord,
  type ErpOrderRecord,
  missingByLookup,
  type OrderResource,
} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {lastModifiedParameter, system, type VismaNetClient} from './client.js'
import * as schemas from './schemas.js'

/** How far back a lookup of an order by the platform's order number reads the sales order list. */
const orderLookbackDays = 120

/** Visma.net sales orders (`/v1/salesorder`); the prerequisites asked of the customer and item resources. */
export function vismaNetOrders(
  client: VismaNetClient,
  customers: EntityResource<ErpCustomerRecord>,
  items: EntityResource<ErpItemRecord>,
): OrderResource {
  return {
    /**
     * By the ERP's order number the CMS wrote back (`/v1/salesorder/{orderNbr}`), else by the platform's
     * order number, which its connector writes into the sales order's `customerOrder` field: the list of
     * recent sales orders, read page by page.
     */
    async find(orderNr, erpDocumentNumber) {
      if (erpDocumentNumber) {
        const response = await client.get(`${client.base()}/v1/salesorder/${pathSegment(erpDocumentNumber)}`, true)
        if (response) return orderRecord(parseAnswer(schemas.salesOrder, response.body, system, 'the sales order'))
      }
      const since = new Date(Date.now() - orderLookbackDays * 86_400_000)
      for await (const page of client.pages('/v1/salesorder', {
        lastModifiedDateTime: lastModifiedParameter(since),
        lastModifiedDateTimeCondition: '>=',
      })) {
        const match = parseAnswer(schemas.salesOrderList, page, system, 'the sales order list').find(
          (order) => order.customerOrder === orderNr,
        )
        if (match) {
          const raw = (page as JsonObject[]).find((order) => String(order.orderNo) === match.orderNo)
          return orderRecord(parseAnswer(schemas.salesOrder, raw, system, 'the sales order'))
        }
      }
      return null
    },

    missingPrerequisites: (customerCode, itemCodes) =>
      missingByLookup(customerCode, itemCodes, customers.find, items.find),
  }
}

function orderRecord(order: ReturnType<typeof schemas.salesOrder.parse>): ErpOrderRecord {
  return {
    customerCode: order.customerCode,
    documentNumber: order.documentNumber,
    externalReference: order.externalReference,
    modifiedAt: order.modifiedAt,
    status: order.status,
  }
}
