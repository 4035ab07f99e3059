import {missingByLookup, type OrderResource} from '../erp.js'
import {odataEquals} from '../odata.js'
import {pathSegment} from '../platform/service.js'
import {type JsonObject, parseAnswer} from '../schema.js'
import {system, type VismaEAccountingClient} from './client.js'
import {customerEntry} from './customer.js'
import {articleEntry} from './item.js'
import * as schemas from './schemas.js'

/** eAccounting orders: by the number it gave them, else by the platform's order number in a reference. */
export function eAccountingOrders(client: VismaEAccountingClient): OrderResource {
  return {
    /**
     * By the number eAccounting gave the order (`Number`, which the platform writes back as the CMS order's
     * ERP document number), else by the platform's order number in `OurReference` or `YourReference`.
     */
    async find(orderNr, erpDocumentNumber) {
      let entries: JsonObject[] = []
      // Number is an integer in eAccounting: anything else cannot be one of its orders.
      if (erpDocumentNumber && /^\d{1,9}$/.test(erpDocumentNumber))
        entries = await client.filtered('orders', `Number eq ${Number(erpDocumentNumber)}`)
      if (entries.length === 0)
        entries = await client.filtered(
          'orders',
          `${odataEquals('OurReference', orderNr)} or ${odataEquals('YourReference', orderNr)}`,
        )
      const orders = entries.map((entry) => parseAnswer(schemas.order, entry, system, 'the order'))
      const found =
        orders.find((entry) => erpDocumentNumber !== null && String(entry.Number) === erpDocumentNumber) ??
        orders.find((entry) => entry.OurReference === orderNr) ??
        orders.find((entry) => entry.YourReference === orderNr)
      if (!found) return null
      return {
        customerCode: found.CustomerId ? await customerNumberOf(client, found.CustomerId) : null,
        documentNumber: String(found.Number),
        externalReference:
          found.OurReference === orderNr
            ? orderNr
            : found.YourReference === orderNr
              ? orderNr
              : (found.OurReference ?? found.YourReference),
        modifiedAt: found.ModifiedUtc,
        status: found.status,
      }
    },

    missingPrerequisites: (customerCode, itemCodes) =>
      missingByLookup(
        customerCode,
        itemCodes,
        (code) => customerEntry(client, code),
        (code) => articleEntry(client, code),
      ),
  }
}

/** An order names its customer by eAccounting's id: `GET /v2/customers/{id}` gives the number. */
async function customerNumberOf(client: VismaEAccountingClient, customerId: string): Promise<string | null> {
  const response = await client.get(`/customers/${pathSegment(customerId)}`, true)
  if (!response) return null
  return parseAnswer(schemas.customer, response.body, system, "the order's customer").CustomerNumber
}
