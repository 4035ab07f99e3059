import type {HttpResponse} from '../../http/client.js'
import {parseAnswer} from '../schema.js'
import {
  type EntityResource,
  type ErpCustomerRecord,
  type ErpItemRecord,
  missingByLookup,
  type OrderResource,
} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {type FortnoxClient, system} from './client.js'
import * as schemas from './schemas.js'

/** Fortnox orders: `/3/orders/{DocumentNumber}`, else found by `externalinvoicereference1` (the order number). */
export function fortnoxOrders(
  client: FortnoxClient,
  customers: EntityResource<ErpCustomerRecord>,
  items: EntityResource<ErpItemRecord>,
): OrderResource {
  return {
    async find(orderNr, erpDocumentNumber) {
      let documentNumber = erpDocumentNumber
      if (!documentNumber) {
        const response = (await client.get(
          `/orders?${new URLSearchParams({externalinvoicereference1: orderNr})}`,
        )) as HttpResponse
        documentNumber =
          parseAnswer(schemas.orderList, response.body, system, 'the order list').find((value) => value !== null) ??
          null
      }
      if (!documentNumber) return null
      const response = await client.get(`/orders/${pathSegment(documentNumber)}`, true)
      if (!response) return null
      return parseAnswer(schemas.orderAnswer, response.body, system, 'the order')
    },

    missingPrerequisites: (customerCode, itemCodes) =>
      missingByLookup(customerCode, itemCodes, customers.find, items.find),
  }
}
