import type {ReconcileEntity} from '../../reconcile/types.js'
import type {Collections} from '../erp/businesscentral/emulator-handler.js'
import {stableGuid} from '../erp/businesscentral/emulator-records.js'
import type {BusinessCentralCompany} from '../erp/businesscentral/emulator-state.js'
import {iso} from './clock.js'
import type {ScaleModel} from './model.js'
import {generatedStore, type View} from './stores.js'

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
 * The company's collections generated from the model (a record store each, in the order of its key, paged
 * by index), in Business Central's API entities; no sales orders.
 */
export function scaleCollections(model: ScaleModel, companyId: string): Collections {
  const collection = (entity: ReconcileEntity, keyField: string, view: View) => ({
    keyField,
    store: generatedStore(model, entity, view, 'index'),
  })
  const collections = {
    customers: collection('customers', 'number', (index) => customerEntity(model, companyId, index)),
    items: collection('items', 'number', (index) => itemEntity(model, companyId, index)),
    salesOrders: [],
    shipToAddresses: collection('customers', 'customerNumber', (index) => shipToEntity(model, companyId, index)),
  }
  return (name) => collections[name]
}

function customerEntity(model: ScaleModel, companyId: string, index: number): Json | null {
  const source = model.source('customers', index)
  if (!source) return null
  const record = source.record
  const invoice = (record.addresses as Json[])[0] as Json
  return {
    addressLine1: invoice.addressLine1,
    addressLine2: invoice.addressLine2,
    blocked: record.blocked ? 'All' : ' ',
    city: invoice.city,
    country: invoice.countryCode,
    displayName: record.name,
    email: record.email,
    id: stableGuid(companyId, 'customer', record.customerCode as string),
    lastModifiedDateTime: iso(source.modified),
    number: record.customerCode,
    phoneNumber: record.phone,
    postalCode: invoice.postCode,
    salespersonCode: (record.salesRepCodes as string[])[0] ?? '',
    type: record.isPrivate ? 'Person' : 'Company',
  }
}

function shipToEntity(model: ScaleModel, companyId: string, index: number): Json | null {
  const source = model.source('customers', index)
  if (!source) return null
  const delivery = (source.record.addresses as Json[])[1] as Json
  return {
    addressLine1: delivery.addressLine1,
    addressLine2: delivery.addressLine2,
    city: delivery.city,
    code: 'MAIN',
    countryRegionCode: delivery.countryCode,
    customerNumber: source.record.customerCode,
    id: stableGuid(companyId, 'shipTo', source.record.customerCode as string),
    isDefault: true,
    lastModifiedDateTime: iso(source.modified),
    name: source.record.name,
    postalCode: delivery.postCode,
  }
}

function itemEntity(model: ScaleModel, companyId: string, index: number): Json | null {
  const source = model.source('items', index)
  if (!source) return null
  const record = source.record
  return {
    baseUnitOfMeasureCode: record.unit,
    blocked: !record.active,
    displayName: record.description,
    id: stableGuid(companyId, 'item', record.itemCode as string),
    inventory: record.stock,
    lastModifiedDateTime: iso(source.modified),
    number: record.itemCode,
    type: 'Inventory',
    unitPrice: record.price,
  }
}
