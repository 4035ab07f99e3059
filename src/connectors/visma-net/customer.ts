import type {NotSupplied} from '../../model/mapping.js'
import type {EntityResource, ErpCustomerRecord} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {parseAnswer} from '../schema.js'
import {listingPages, system, type VismaNetClient} from './client.js'
import * as schemas from './schemas.js'

const notSuppliedCustomer: NotSupplied[] = [
  {field: 'isPrivate', reason: 'a Visma.net customer has no private/company flag; the CMS keeps its own setting'},
  {
    field: 'blocked',
    reason: 'the platform reads no blocked flag from Visma.net customers (only active ones are read at all)',
  },
  {field: 'salesRepCodes', reason: 'the Visma.net customer DTO names no salesperson; the CMS keeps its own assignment'},
]
/** Visma.net customers: `/v1/customer/{customerCd}`, the list, and the `lastModifiedDateTime` filter. */
export function vismaNetCustomers(client: VismaNetClient): Required<EntityResource<ErpCustomerRecord>> {
  return {
    /**
     * Has the record changed since `since`? The list filtered with `lastModifiedDateTime` and
     * `lastModifiedDateTimeCondition=>`: the ERP's own answer, beside the record's change time.
     */
    changedSince: (code, since) => client.changedSince('/v1/customer', 'number', code, since),

    async find(code) {
      const response = await client.get(`${client.base()}/v1/customer/${pathSegment(code)}`, true)
      if (!response) return null
      return customerRecord(parseAnswer(schemas.customer, response.body, system, 'the customer'))
    },

    list() {
      const pages = () => client.pages('/v1/customer', {}, listingPages)
      return {
        ordered: false,
        records: (async function* () {
          for await (const page of pages())
            for (const entry of page)
              yield customerRecord(parseAnswer(schemas.customer, entry, system, 'a customer of the list'))
        })(),
      }
    },
  }
}

function customerRecord(entry: schemas.VismaCustomer): ErpCustomerRecord {
  const customer = schemas.toCanonicalCustomer(entry)
  return {
    customer,
    derived: [],
    erpId: entry.internalId === null || entry.internalId === undefined ? null : String(entry.internalId),
    modifiedAt: entry.lastModifiedDateTime,
    notSupplied:
      customer.priceListCode === null
        ? [
            ...notSuppliedCustomer,
            {
              field: 'priceListCode',
              reason: 'the Visma.net customer has no price class; the CMS keeps its own price list',
            },
          ]
        : notSuppliedCustomer,
    // The platform's Visma.net connector reads active customers (status Active, or on hold); see docs/contract-readings.md.
    skippedBecause:
      entry.status === 'Inactive'
        ? 'inactive in Visma.net (status Inactive): the platform reads only active Visma.net customers'
        : null,
  }
}
