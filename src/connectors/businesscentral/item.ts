import type {EntityResource, ErpItemRecord} from '../erp.js'
import {odataEquals, odataQuery} from '../odata.js'
import {parseAnswer} from '../schema.js'
import {type BusinessCentralClient, describeBusinessCentralError, sameOriginLink, system} from './client.js'
import {listItemRecords} from './listing.js'
import * as schemas from './schemas.js'

const itemNotSupplied = [
  {field: 'currency', reason: 'a Business Central item names no currency (amounts are in the company currency)'},
  {field: 'webshop', reason: "Business Central's standard API v2.0 has no webshop flag"},
]
/** Business Central items: by `$filter=number eq '…'`, and the list in full. */
export function businessCentralItems(
  client: BusinessCentralClient,
): Required<Pick<EntityResource<ErpItemRecord>, 'find' | 'list'>> {
  return {
    /** `items?$filter=number eq '…'`: price (`unitPrice`), stock (`inventory`), `blocked`. */
    async find(code) {
      const entities = await client.collect(
        `${client.companyUrl('api/v2.0')}/items?${odataQuery({$filter: odataEquals('number', code)})}`,
      )
      const entity = entities.find((candidate) => String(candidate.number) === code)
      if (!entity) return null
      return {...parseAnswer(schemas.item, entity, system, 'the item'), notSupplied: itemNotSupplied}
    },

    /** Every item (`items?$orderby=number`). */
    list() {
      return listItemRecords({
        describeError: describeBusinessCentralError,
        http: client.http,
        itemsUrl: `${client.companyUrl('api/v2.0')}/items`,
        sameOrigin: sameOriginLink,
        state: client.listingState,
        toItem: (entity) => ({...parseAnswer(schemas.item, entity, system, 'the item'), notSupplied: itemNotSupplied}),
        token: (refused) => client.token(refused),
      })
    },
  }
}
