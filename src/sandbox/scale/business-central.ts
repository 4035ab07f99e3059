import type {PlatformCustomerJson, PlatformItemJson} from '../../emulation/records.js'
import type {Collections} from '../erp/businesscentral/emulator-handler.js'
import {toBusinessCentral, toBusinessCentralItem} from '../erp/businesscentral/emulator-records.js'
import type {BusinessCentralCompany} from '../erp/businesscentral/emulator-state.js'
import {iso} from './clock.js'
import type {ScaleModel} from './model.js'
import {generatedStore} from './stores.js'

type Json = Record<string, unknown>

/** The Business Central of a scale installation: its tenant, environment, company and app registration. */
export type ScaleBusinessCentral = Pick<
  BusinessCentralCompany,
  'tenant' | 'environment' | 'companyId' | 'clientId' | 'clientSecret'
>

/** The company as the sandbox's Business Central emulator serves it: with the AL extension, pages of at most 20 000 (and the model's `maxPageSize`). */
export function scaleCompany(model: ScaleModel, bc: ScaleBusinessCentral): BusinessCentralCompany {
  return {
    ...bc,
    companyName: `Scale ${model.records} AB`,
    maxPageSize: Math.min(model.maxPageSize ?? 20_000, 20_000),
    priceExtension: true,
    shipToExtension: true,
  }
}

/**
 * Customer `index` as Business Central holds it: the customer entity and its ship-to addresses, written by the
 * emulator's own mapping (`toBusinessCentral`, as the seed's `putCustomer`); null when the source has none.
 */
export function scaleCustomerEntities(
  model: ScaleModel,
  companyId: string,
  index: number,
): {customer: Json; shipTos: Json[]} | null {
  const source = model.source('customers', index)
  return source
    ? toBusinessCentral(source.record as unknown as PlatformCustomerJson, iso(source.modified), companyId)
    : null
}

/** Item `index` as Business Central's `items` entity (the emulator's `toBusinessCentralItem`); null when the source has none. */
export function scaleItemEntity(model: ScaleModel, companyId: string, index: number): Json | null {
  const source = model.source('items', index)
  return source
    ? toBusinessCentralItem(source.record as unknown as PlatformItemJson, iso(source.modified), companyId)
    : null
}

/**
 * The company's collections generated from the model (a record store each, in the order of its key, paged
 * by index), in Business Central's API entities; no sales orders. A generated customer has one delivery
 * address: one ship-to, in its customer's place.
 */
export function scaleCollections(model: ScaleModel, companyId: string): Collections {
  const collections = {
    customers: {
      keyField: 'number',
      store: generatedStore(
        model,
        'customers',
        (index) => scaleCustomerEntities(model, companyId, index)?.customer ?? null,
        'index',
      ),
    },
    items: {
      keyField: 'number',
      store: generatedStore(model, 'items', (index) => scaleItemEntity(model, companyId, index), 'index'),
    },
    salesOrders: [],
    shipToAddresses: {
      keyField: 'customerNumber',
      store: generatedStore(
        model,
        'customers',
        (index) => scaleCustomerEntities(model, companyId, index)?.shipTos[0] ?? null,
        'index',
      ),
    },
  }
  return (name) => collections[name]
}
