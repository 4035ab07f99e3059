import type {HttpResponse} from '../../http/client.js'
import type {EntityResource, ErpCustomerRecord, OrderResource} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {parseAnswer} from '../schema.js'
import {suiteqlString} from './auth.js'
import {type NetSuiteClient, system} from './client.js'
import {suiteqlRefused} from './errors.js'
import {itemByRecordQuery, itemRows} from './item.js'
import {internalId} from './records.js'
import * as schemas from './schemas.js'

/** NetSuite sales orders by external id (`eid:`, the platform's order number), else by `tranId`. */
export function netSuiteOrders(client: NetSuiteClient, customers: EntityResource<ErpCustomerRecord>): OrderResource {
  return {
    /** By external id (the platform writes its order number there), else by the document number (`tranId`). */
    async find(orderNr, erpDocumentNumber) {
      let response: HttpResponse | null = null
      // `eid:` takes letters, digits, `_` and `-`; any other number is looked up with a filter.
      if (/^[A-Za-z0-9_-]{1,100}$/.test(orderNr))
        response = await client.send('GET', client.recordUrl(`/salesOrder/eid:${pathSegment(orderNr)}`), {
          notFound: true,
        })
      else {
        const [id] = await client.idsWhere('salesOrder', 'externalId', orderNr)
        if (id) response = await client.send('GET', client.recordUrl(`/salesOrder/${id}`), {notFound: true})
      }
      // Then by the document number the CMS got back, and by the order number as the document number.
      for (const number of [erpDocumentNumber, orderNr]) {
        if (response || !number) continue
        const [id] = await client.idsWhere('salesOrder', 'tranId', number)
        if (id) response = await client.send('GET', client.recordUrl(`/salesOrder/${id}`), {notFound: true})
      }
      if (!response) return null
      const order = parseAnswer(schemas.salesOrder, response.body, system, 'the sales order')
      // The order names its customer by internal id; the platform's code is the customer's entity id.
      const customer = order.customerId
        ? await client.send(
            'GET',
            client.recordUrl(`/customer/${internalId(order.customerId, 'the sales order entity')}`),
            {
              notFound: true,
            },
          )
        : null
      const customerCode = customer
        ? parseAnswer(schemas.customer, customer.body, system, 'the order customer').customer.code
        : null
      return {
        customerCode,
        documentNumber: order.documentNumber,
        externalReference: order.externalReference,
        modifiedAt: order.modifiedAt,
        status: order.status,
      }
    },

    async missingPrerequisites(customerCode, itemCodes) {
      const unique = [...new Set(itemCodes)]
      const customer = await customers.find(customerCode)
      const found =
        unique.length === 0
          ? []
          : await itemRows(client, `item.itemid IN (${unique.map(suiteqlString).join(', ')})`).catch(suiteqlRefused)
      if (found === null) {
        const items = await Promise.all(unique.map((code) => itemByRecordQuery(client, code)))
        return {customers: customer ? [] : [customerCode], items: unique.filter((_code, index) => !items[index])}
      }
      const codes = new Set(found.map((row) => row.itemid))
      return {customers: customer ? [] : [customerCode], items: unique.filter((code) => !codes.has(code))}
    },
  }
}
