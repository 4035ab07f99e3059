import type {EntityResource, ErpCustomerRecord} from '../erp.js'
import {parseAnswer} from '../schema.js'
import {type NetSuiteClient, pageSize, system} from './client.js'
import {internalId, toCustomerRecord} from './records.js'
import * as schemas from './schemas.js'

async function customerById(client: NetSuiteClient, id: string): Promise<ErpCustomerRecord | null> {
  const response = await client.send('GET', client.recordUrl(`/customer/${id}`, {expandSubResources: 'true'}), {
    notFound: true,
  })
  return response ? toCustomerRecord(response.body) : null
}

/** NetSuite customers: by `record/v1/customer?q=entityId IS "…"`, then the record with its address book. */
export function netSuiteCustomers(
  client: NetSuiteClient,
): Required<Pick<EntityResource<ErpCustomerRecord>, 'find' | 'list'>> {
  return {
    async find(code) {
      // `IS` ignores case in NetSuite: the entity id must match exactly.
      for (const id of await client.idsWhere('customer', 'entityId', code)) {
        const record = await customerById(client, id)
        if (record?.customer.code === code) return record
      }
      return null
    },

    /** Every customer: the collection's ids page by page (1000 each), then each record with its address book. */
    list() {
      return {
        ordered: false,
        records: (async function* () {
          for await (const entries of client.pages(client.recordUrl('/customer', {limit: pageSize, offset: 0}))) {
            const ids = entries.map((entry) =>
              internalId(
                parseAnswer(schemas.collectionEntry, entry, system, 'the customer list').id,
                'the customer list',
              ),
            )
            // A page's records are asked for together; the concurrency limit decides how many are in flight.
            for (const record of await Promise.all(ids.map((id) => customerById(client, id)))) if (record) yield record
          }
        })(),
      }
    },
  }
}
