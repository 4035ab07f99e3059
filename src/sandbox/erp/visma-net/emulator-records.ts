import {createHash} from 'node:crypto'

import type {BookedOrder, SourceCustomer, SourceItem} from '../../../emulation/erp-emulator.js'
import type {PlatformCustomerJson, PlatformItemJson} from '../../../emulation/records.js'
import type {Json} from './emulator-state.js'

/** The platform's records as Visma.net's DTOs, and what the platform's connector reads back from them. */

const countryNames: Record<string, string> = {DK: 'Denmark', FI: 'Finland', IE: 'Ireland', NO: 'Norway', SE: 'Sweden'}

/** A stable integer id (Visma.net's `internalId`, `inventoryId`) for the same key. */
function internalId(...parts: string[]): number {
  return Number.parseInt(createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 7), 16)
}

function addressDto(address: PlatformCustomerJson['addresses'][number] | undefined, id: number): Json {
  return {
    addressId: id,
    addressLine1: address?.addressLine1 ?? null,
    addressLine2: address?.addressLine2 || null,
    addressLine3: null,
    city: address?.city ?? null,
    country: address ? {id: address.countryCode, name: countryNames[address.countryCode] ?? address.countryCode} : null,
    county: null,
    postalCode: address?.postCode ?? null,
  }
}

/** The platform's customer as Visma.net's `CustomerDto`: own address as mainAddress, the main delivery address as deliveryAddress. */
export function toVismaNetCustomer(record: PlatformCustomerJson, modifiedAt: string, companyId: string): Json {
  const main = (type: string) =>
    record.addresses.find((address) => address.addressType === type && address.isMain) ??
    record.addresses.find((address) => address.addressType === type)
  const own = main('Invoice') ?? record.addresses[0]
  const id = internalId(companyId, 'customer', record.customerCode)
  const contact = (offset: number) => ({
    attention: null,
    contactId: id + offset,
    email: record.email || null,
    fax: null,
    name: record.name,
    phone1: record.phone || null,
    phone2: null,
    web: null,
  })
  return {
    accountReference: null,
    attributes: [],
    createdDateTime: modifiedAt,
    creditLimit: 0,
    creditTerms: {description: '30 dagar netto', id: '30'},
    currencyId: 'SEK',
    customerClass: {description: 'Standard', id: '1'},
    // Visma.net's delivery address is the main address until one of its own is set.
    deliveryAddress: addressDto(main('Delivery') ?? own, id + 2),
    deliveryContact: contact(2),
    internalId: id,
    invoiceAddress: addressDto(own, id + 1),
    invoiceContact: contact(1),
    lastModifiedDateTime: modifiedAt,
    location: {countryId: own?.countryCode ?? 'SE', id: 'MAIN', name: 'Primary Location'},
    mainAddress: addressDto(own, id),
    mainContact: contact(0),
    name: record.name,
    number: record.customerCode,
    priceClass: record.priceListCode ? {description: record.priceListCode, id: record.priceListCode} : null,
    status: record.blocked ? 'Inactive' : 'Active',
    vatRegistrationId: null,
    vatZone: {description: 'Inrikes', id: '01'},
  }
}

export function toVismaNetInventory(item: PlatformItemJson, modifiedAt: string, companyId: string): Json {
  return {
    attributes: [],
    baseUnit: item.unit,
    crossReferences: [],
    defaultPrice: item.price,
    description: item.description,
    inventoryId: internalId(companyId, 'inventory', item.itemCode),
    inventoryNumber: item.itemCode,
    itemClass: {description: 'Handelsvaror', id: '100'},
    lastModifiedDateTime: modifiedAt,
    purchaseUnit: item.unit,
    salesUnit: item.unit,
    status: item.active ? 'Active' : 'Inactive',
    type: 'FinishedGoodItem',
    vatCode: {description: 'Moms 25 %', id: '1'},
    warehouseDetails: [
      {
        available: item.stock,
        availableForShipment: item.stock,
        isDefault: true,
        lastModifiedDateTime: modifiedAt,
        quantityOnHand: item.stock,
        warehouse: 'HUVUDLAGER',
      },
    ],
  }
}

export const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** The latest of the times that can be read, as ISO. */
export function latest(...times: unknown[]): string | null {
  const parsed = times
    .filter((time): time is string => typeof time === 'string' && !Number.isNaN(Date.parse(time)))
    .map(Date.parse)
  return parsed.length === 0 ? null : new Date(Math.max(...parsed)).toISOString()
}

/** A booked order as Visma.net's `SalesOrderDto`, of type SO. */
export function toVismaNetSalesOrder(order: BookedOrder): Json {
  return {
    currency: 'SEK',
    customer: {name: order.customerName, number: order.customerCode},
    // The platform writes its order number into "Customer order" and the buyer's reference into "Customer ref. no.".
    customerOrder: order.orderNr,
    customerRefNo: order.yourReference,
    date: `${order.orderDate}T00:00:00`,
    hold: false,
    lastModifiedDateTime: order.modifiedAt,
    orderNo: order.documentNumber,
    orderTotal: order.total,
    orderType: 'SO',
    status: order.status,
  }
}

function addressOf(dto: unknown): Omit<PlatformCustomerJson['addresses'][number], 'addressType' | 'isMain'> {
  const value = (dto ?? {}) as Json
  return {
    addressLine1: text(value.addressLine1),
    addressLine2: text(value.addressLine2),
    city: text(value.city),
    countryCode: text((value.country as Json | null)?.id),
    postCode: text(value.postalCode),
  }
}

/** What the platform's connector reads of a customer DTO; the fields the DTO lacks keep the CMS's value (`before`). */
export function sourceCustomer(entry: Json, before: Json | undefined): SourceCustomer {
  const code = text(entry.number)
  const own = addressOf(entry.mainAddress)
  const delivery = addressOf(entry.deliveryAddress)
  const contact = (entry.mainContact ?? {}) as Json
  return {
    code,
    modifiedAt: entry.lastModifiedDateTime,
    problem: null,
    record: {
      addresses: [
        {...own, addressType: 'Invoice', isMain: true},
        {...(delivery.addressLine1 || delivery.city ? delivery : own), addressType: 'Delivery', isMain: true},
      ],
      blocked: before?.blocked === true,
      customerCode: code,
      email: text(contact.email),
      isPrivate: before?.isPrivate === true,
      name: text(entry.name),
      phone: text(contact.phone1),
      priceListCode:
        text((entry.priceClass as Json | null)?.id) ||
        (typeof before?.priceListCode === 'string' ? before.priceListCode : 'A'),
      salesRepCodes: Array.isArray(before?.salesRepCodes) ? (before.salesRepCodes as string[]) : [],
    },
  }
}

/** What the platform's connector reads of an inventory DTO: the stock available in every warehouse. */
export function sourceItem(entry: Json, before: Json | undefined): SourceItem {
  const code = text(entry.inventoryNumber)
  const rows = (entry.warehouseDetails as Json[] | undefined) ?? []
  return {
    code,
    modifiedAt: latest(entry.lastModifiedDateTime, ...rows.map((row) => row.lastModifiedDateTime)),
    record: {
      active: entry.status === 'Active',
      currency: typeof before?.currency === 'string' ? before.currency : 'SEK',
      description: entry.description,
      itemCode: code,
      price: entry.defaultPrice,
      stock: rows.reduce((sum, row) => sum + (typeof row.available === 'number' ? row.available : 0), 0),
      unit: entry.salesUnit,
      webshop: typeof before?.webshop === 'boolean' ? before.webshop : true,
    },
  }
}
