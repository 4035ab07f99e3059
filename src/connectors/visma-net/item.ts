import type {NotSupplied} from '../../model/mapping.js'
import type {EntityResource, ErpItemRecord} from '../erp.js'
import {pathSegment} from '../platform/service.js'
import {parseAnswer} from '../schema.js'
import {listingPages, system, type VismaNetClient} from './client.js'
import * as schemas from './schemas.js'

const notSuppliedItem: NotSupplied[] = [
  {
    field: 'currency',
    reason: "a Visma.net item's default price is in the company's base currency, which the item does not name",
  },
  {field: 'webshop', reason: 'a Visma.net item has no webshop flag'},
]

/** Visma.net inventory items: `/v1/inventory/{inventoryNumber}`, the list, and the `lastModifiedDateTime` filter. */
export function vismaNetItems(client: VismaNetClient): Required<EntityResource<ErpItemRecord>> {
  const {warehouses} = client.settings
  return {
    changedSince: (code, since) => client.changedSince('/v1/inventory', 'inventoryNumber', code, since),

    async find(code) {
      const response = await client.get(`${client.base()}/v1/inventory/${pathSegment(code)}`, true)
      if (!response) return null
      return itemRecord(parseAnswer(schemas.inventory, response.body, system, 'the inventory item'), warehouses)
    },

    list() {
      const pages = () => client.pages('/v1/inventory', {}, listingPages)
      return {
        ordered: false,
        records: (async function* () {
          for await (const page of pages())
            for (const entry of page)
              yield itemRecord(parseAnswer(schemas.inventory, entry, system, 'an item of the list'), warehouses)
        })(),
      }
    },
  }
}

function itemRecord(entry: schemas.VismaInventory, warehouses: readonly string[]): ErpItemRecord {
  const {item, modifiedAt, stockModifiedAt} = schemas.toCanonicalItem(entry, warehouses)
  return {
    erpId: entry.inventoryId === null || entry.inventoryId === undefined ? null : String(entry.inventoryId),
    item,
    modifiedAt,
    notSupplied: notSuppliedItem,
    stockModifiedAt,
  }
}
