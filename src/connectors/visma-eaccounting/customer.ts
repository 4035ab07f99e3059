import type {EntityResource, ErpCustomerRecord} from '../erp.js'
import {odataEquals} from '../odata.js'
import {parseAnswer} from '../schema.js'
import {system, type VismaEAccountingClient} from './client.js'
import * as schemas from './schemas.js'

/** A customer by its number (`customers?$filter=CustomerNumber eq '…'`), as the API gives it. */
export async function customerEntry(
  client: VismaEAccountingClient,
  code: string,
): Promise<schemas.VismaCustomer | null> {
  const entries = await client.filtered('customers', odataEquals('CustomerNumber', code))
  const parsed = entries.map((entry) => parseAnswer(schemas.customer, entry, system, 'the customer'))
  return parsed.find((entry) => entry.CustomerNumber === code) ?? null
}

/** eAccounting customers: by number through `$filter`, and the list in full. */
export function eAccountingCustomers(
  client: VismaEAccountingClient,
): EntityResource<ErpCustomerRecord> & Required<Pick<EntityResource<ErpCustomerRecord>, 'list'>> {
  return {
    async find(code) {
      const entry = await customerEntry(client, code)
      return entry ? customerRecord(entry) : null
    },

    list() {
      const entries = client.all('customers')
      return {
        ordered: false,
        records: (async function* () {
          for await (const entry of entries)
            yield customerRecord(parseAnswer(schemas.customer, entry, system, 'a customer of the list'))
        })(),
      }
    },
  }
}

const customerNotSupplied = [
  {
    field: 'blocked',
    reason: 'an eAccounting customer has no blocked flag (only IsActive, and the platform reads only active customers)',
  },
  {field: 'salesRepCodes', reason: 'an eAccounting customer has no sales rep; the CMS keeps its own assignment'},
  {field: 'priceListCode', reason: 'an eAccounting customer has no price list code; the CMS keeps its own setting'},
]

function customerRecord(entry: schemas.VismaCustomer): ErpCustomerRecord {
  return {
    customer: schemas.toCanonicalCustomer(entry),
    derived: [],
    erpId: entry.Id,
    modifiedAt: entry.ChangedUtc,
    notSupplied: customerNotSupplied,
    // The platform's eAccounting connector lists customers with IsActive eq true: an inactive one never arrives.
    skippedBecause:
      entry.IsActive === false
        ? 'inactive in Visma eAccounting (IsActive false): the platform reads only active eAccounting customers'
        : null,
  }
}
