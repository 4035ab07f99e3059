import type {PlatformAddressJson, PlatformCustomerJson, PlatformItemJson} from '../../../emulation/records.js'
import type {BookedOrder} from '../../../emulation/erp-emulator.js'
import type {Json, NetSuiteState} from './emulator-state.js'

/** The platform's records in NetSuite's REST wire form, and what the platform's connector reads back from them. */

export const basePriceLevel = {id: '1', refName: 'Base Price'}

/** The internal id the sandbox gives the price level of a name (the same on every write). */
export const priceLevelId = (name: string) =>
  String(100 + [...name].reduce((sum, character) => sum + character.charCodeAt(0), 0))

/** NetSuite's REST output leaves empty fields out. */
export function present(record: Json): Json {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== '' && value !== null && value !== undefined),
  )
}

/** `2026-11-20T08:14:00Z`: NetSuite's times are whole seconds. */
export function netsuiteTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`
}

function addressLine(
  address: PlatformAddressJson,
  defaults: {billing: boolean; shipping: boolean},
  name: string,
  index: number,
): Json {
  return {
    addressbookaddress: present({
      addr1: address.addressLine1,
      addr2: address.addressLine2,
      addressee: name,
      addrText: [
        name,
        address.addressLine1,
        address.addressLine2,
        `${address.postCode} ${address.city}`,
        address.countryCode,
      ]
        .filter(Boolean)
        .join('\n'),
      city: address.city,
      country: address.countryCode,
      zip: address.postCode,
    }),
    defaultBilling: defaults.billing,
    defaultShipping: defaults.shipping,
    id: String(index + 1),
    label: address.addressLine1,
  }
}

export function toNetSuiteCustomer(
  state: NetSuiteState,
  id: string,
  customer: PlatformCustomerJson,
  modifiedAt: string,
): Json {
  const invoice =
    customer.addresses.find((address) => address.addressType === 'Invoice' && address.isMain) ??
    customer.addresses.find((address) => address.addressType === 'Invoice')
  const deliveries = customer.addresses.filter((address) => address.addressType === 'Delivery')
  const lines = [
    ...(invoice ? [addressLine(invoice, {billing: true, shipping: false}, customer.name, 0)] : []),
    ...deliveries.map((address, index) =>
      addressLine(address, {billing: false, shipping: address.isMain}, customer.name, index + 1),
    ),
  ]
  const [firstName, ...rest] = customer.name.split(' ')
  const rep = customer.salesRepCodes[0]
  return present({
    addressbook: {items: lines, totalResults: lines.length},
    companyName: customer.isPrivate ? '' : customer.name,
    currency: {id: '1', refName: 'SEK'},
    dateCreated: netsuiteTime(modifiedAt),
    email: customer.email,
    entityId: customer.customerCode,
    firstName: customer.isPrivate ? firstName : '',
    id,
    isInactive: customer.blocked,
    isPerson: customer.isPrivate,
    lastModifiedDate: netsuiteTime(modifiedAt),
    lastName: customer.isPrivate ? rest.join(' ') : '',
    phone: customer.phone,
    priceLevel: customer.priceListCode
      ? {id: priceLevelId(customer.priceListCode), refName: customer.priceListCode}
      : null,
    salesRep: rep
      ? {id: String(-5 - [...rep].reduce((sum, character) => sum + character.charCodeAt(0), 0)), refName: rep}
      : null,
    subsidiary: {id: '1', refName: state.companyName},
  })
}

export function toNetSuiteItem(id: string, item: PlatformItemJson, modifiedAt: string): Json {
  return present({
    displayName: item.description,
    id,
    isInactive: !item.active,
    isOnline: item.webshop,
    itemId: item.itemCode,
    itemType: {id: 'InvtPart', refName: 'Inventory Item'},
    lastModifiedDate: netsuiteTime(modifiedAt),
    locations: {
      items: [{location: {id: '1', refName: 'Huvudlager'}, quantityAvailable: item.stock, quantityOnHand: item.stock}],
      totalResults: 1,
    },
    price: {
      items: [
        {
          currencyPage: {id: '1', refName: item.currency},
          price: item.price,
          priceLevel: basePriceLevel,
          quantity: {value: 0},
        },
        {
          currencyPage: {id: '1', refName: item.currency},
          price: Math.round(item.price * 90) / 100,
          priceLevel: {id: '2', refName: 'Alternate Price 1'},
          quantity: {value: 0},
        },
      ],
      totalResults: 2,
    },
    saleUnit: {id: '1', refName: item.unit},
    salesDescription: item.description,
  })
}

export const text = (value: unknown) => (typeof value === 'string' ? value : '')

function addressOf(line: Json): Omit<PlatformAddressJson, 'addressType' | 'isMain'> {
  const address = (line.addressbookaddress ?? {}) as Json
  return {
    addressLine1: text(address.addr1),
    addressLine2: text(address.addr2),
    city: text(address.city),
    countryCode: text(address.country),
    postCode: text(address.zip),
  }
}

/** What the platform's connector makes of a NetSuite customer (the contract's address rule included). */
export function platformCustomer(record: Json, previous: Json | undefined): PlatformCustomerJson {
  const lines = (((record.addressbook as Json | undefined)?.items ?? []) as Json[]).filter(
    (line) => line.addressbookaddress,
  )
  const billing = lines.find((line) => line.defaultBilling === true) ?? lines[0]
  const own = billing
    ? addressOf(billing)
    : {addressLine1: '', addressLine2: '', city: '', countryCode: '', postCode: ''}
  const deliveries = lines
    .filter((line) => line.defaultShipping === true || (line.defaultBilling !== true && line !== billing))
    .map((line) => ({...addressOf(line), addressType: 'Delivery', isMain: line.defaultShipping === true}))
  const name = text(record.companyName) || [text(record.firstName), text(record.lastName)].filter(Boolean).join(' ')
  const rep = text((record.salesRep as Json | undefined)?.refName)
  return {
    addresses: [
      {...own, addressType: 'Invoice', isMain: true},
      ...(deliveries.length > 0 ? deliveries : [{...own, addressType: 'Delivery', isMain: true}]),
    ],
    blocked: false,
    customerCode: text(record.entityId),
    email: text(record.email),
    isPrivate: record.isPerson === true,
    name,
    phone: text(record.phone),
    priceListCode:
      text((record.priceLevel as Json | undefined)?.refName) ||
      (typeof previous?.priceListCode === 'string' ? previous.priceListCode : 'STD'),
    salesRepCodes: rep ? [rep] : [],
  }
}

/** A booked order as a NetSuite sales order, by the platform's order number as its external id. */
export function toNetSuiteSalesOrder(id: string, order: BookedOrder, customer: {id: string} | undefined): Json {
  return present({
    entity: customer ? {id: customer.id, refName: `${order.customerCode} ${order.customerName ?? ''}`.trim()} : null,
    externalId: order.orderNr,
    id,
    lastModifiedDate: netsuiteTime(order.modifiedAt),
    otherRefNum: order.yourReference,
    status:
      order.status === 'Open' ? {id: 'B', refName: 'Pending Fulfillment'} : {id: order.status, refName: order.status},
    total: order.total,
    tranDate: order.orderDate,
    tranId: order.documentNumber,
  })
}

/** What the platform's connector makes of a NetSuite item: the base price level's price, the stock of every location. */
export function platformItem(record: Json, previous: Json | undefined): Json {
  const code = text(record.itemId)
  const prices = ((record.price as Json | undefined)?.items ?? []) as Json[]
  const base = prices.find((line) => (line.priceLevel as Json | undefined)?.refName === basePriceLevel.refName)
  const locations = ((record.locations as Json | undefined)?.items ?? []) as Json[]
  return {
    active: record.isInactive !== true,
    currency: previous?.currency ?? 'SEK',
    description: text(record.displayName),
    itemCode: code,
    price: base?.price ?? 0,
    stock: locations.reduce(
      (sum, location) => sum + (typeof location.quantityAvailable === 'number' ? location.quantityAvailable : 0),
      0,
    ),
    unit: text((record.saleUnit as Json | undefined)?.refName),
    webshop: record.isOnline === true,
  }
}
