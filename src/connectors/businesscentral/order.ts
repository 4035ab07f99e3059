import type {OrderResource} from '../erp.js'
import {odataEquals, odataQuery} from '../odata.js'
import {parseAnswer} from '../schema.js'
import {type BusinessCentralClient, system} from './client.js'
import * as schemas from './schemas.js'

/** Business Central sales orders; the prerequisites asked of the customer and item collections. */
export function businessCentralOrders(client: BusinessCentralClient): OrderResource {
  return {
    /** `salesOrders?$filter=externalDocumentNumber eq '…'` (how the platform's orders carry their number), else by `number`. */
    async find(orderNr, erpDocumentNumber) {
      const base = `${client.companyUrl('api/v2.0')}/salesOrders`
      let entities = await client.collect(
        `${base}?${odataQuery({$filter: odataEquals('externalDocumentNumber', orderNr)})}`,
      )
      if (entities.length === 0 && erpDocumentNumber)
        entities = await client.collect(`${base}?${odataQuery({$filter: odataEquals('number', erpDocumentNumber)})}`)
      const entity = entities[0]
      if (!entity) return null
      return parseAnswer(schemas.salesOrder, entity, system, 'the sales order')
    },

    async missingPrerequisites(customerCode, itemCodes) {
      const unique = [...new Set(itemCodes)]
      const [customer, ...items] = await Promise.all([
        client.collect(
          `${client.companyUrl('api/v2.0')}/customers?${odataQuery({$filter: odataEquals('number', customerCode)})}`,
        ),
        ...unique.map((code) =>
          client.collect(
            `${client.companyUrl('api/v2.0')}/items?${odataQuery({$filter: odataEquals('number', code)})}`,
          ),
        ),
      ])
      return {
        customers: customer && customer.length > 0 ? [] : [customerCode],
        items: unique.filter((_code, index) => (items[index] ?? []).length === 0),
      }
    },
  }
}
