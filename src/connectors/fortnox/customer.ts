import {parseAnswer} from '../schema.js'
import type {EntityResource, ErpCustomerRecord} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {type FortnoxClient, system} from './client.js'
import * as schemas from './schemas.js'

/** What Fortnox's customer list (unlike one customer's answer) does not give. */
const listedCustomerNotSupplied = [
  {field: 'blocked', reason: 'the platform reads no blocked flag from Fortnox customers'},
  {
    field: 'addresses',
    reason: "Fortnox's customer list gives no delivery address (trace the customer to compare its addresses)",
  },
  {field: 'salesRepCodes', reason: "Fortnox's customer list gives no customer manager (OurReference)"},
  {field: 'priceListCode', reason: "Fortnox's customer list gives no price list"},
  {field: 'isPrivate', reason: "Fortnox's customer list gives no customer type"},
]

/** The platform's Fortnox connector lists customers with filter=active: an inactive one never arrives. */
function inactiveCustomerReason(active: boolean | null): string | null {
  return active === false
    ? 'inactive in Fortnox: the platform reads only active Fortnox customers (filter=active)'
    : null
}

/** Fortnox customers: `/3/customers/{CustomerNumber}` (`{"Customer": …}`), the list, `lastmodified`. */
export function fortnoxCustomers(client: FortnoxClient): Required<EntityResource<ErpCustomerRecord>> {
  return {
    changedSince: (code, since) => client.changedSince('customer', code, since),

    async find(code) {
      const response = await client.get(`/customers/${pathSegment(code)}`, true)
      if (!response) return null
      const {active, customer} = parseAnswer(schemas.customerAnswer, response.body, system, 'the customer')
      return {
        customer,
        derived: [],
        erpId: null,
        modifiedAt: null,
        notSupplied: [{field: 'blocked', reason: 'the platform reads no blocked flag from Fortnox customers'}],
        skippedBecause: inactiveCustomerReason(active),
      }
    },

    /**
     * `/3/customers` in full, active and inactive: the platform's connector reads only `filter=active`, so an
     * inactive customer is listed with that reason (as a trace says it). The list gives fewer fields than
     * one customer's answer: the rest is not compared.
     */
    list: () =>
      client.listing({
        envelope: 'Customers',
        keyField: 'CustomerNumber',
        map: (raw, active) => ({
          customer: parseAnswer(schemas.customerAnswer, {Customer: raw}, system, 'a listed customer').customer,
          derived: [],
          erpId: null,
          modifiedAt: null,
          notSupplied: listedCustomerNotSupplied,
          skippedBecause: inactiveCustomerReason(active),
        }),
        resource: 'customers',
      }),
  }
}
