import {createHash} from 'node:crypto'

import type {
  BookedOrder,
  CustomerChangeTimes,
  EmulatedErpSection,
  SourceCustomer,
  SourceItem,
} from '../../../emulation/erp-emulator.js'
import {mapAddresses, type PlatformCustomerJson, type PlatformItemJson} from '../../../emulation/records.js'
import type {BusinessCentralState, Json} from './emulator-state.js'

/** The platform's records in Business Central's API entities, and back as the CMS's connector reads them. */

/** A GUID that is the same for the same input, as BC's `id`s stay the same across restarts. */
export function stableGuid(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The platform's customer as Business Central's customer entity, changed at `modifiedAt` (or at `times.record`). */
function customerEntity(
  record: PlatformCustomerJson,
  modifiedAt: string,
  companyId: string,
  times: CustomerChangeTimes | undefined,
): Json {
  const invoice = record.addresses.find((address) => address.addressType === 'Invoice') ?? record.addresses[0]
  return {
    '@odata.etag': `W/"JzE5OzE${createHash('md5')
      .update(record.customerCode + modifiedAt)
      .digest('hex')
      .slice(0, 12)}Jw=="`,
    addressLine1: invoice?.addressLine1 ?? '',
    addressLine2: invoice?.addressLine2 ?? '',
    balanceDue: 0,
    blocked: record.blocked ? 'All' : ' ',
    city: invoice?.city ?? '',
    country: invoice?.countryCode ?? '',
    creditLimit: 0,
    currencyCode: 'SEK',
    currencyId: '00000000-0000-0000-0000-000000000000',
    displayName: record.name,
    email: record.email,
    id: stableGuid(companyId, 'customer', record.customerCode),
    lastModifiedDateTime: times?.record ?? modifiedAt,
    number: record.customerCode,
    paymentMethodId: '00000000-0000-0000-0000-000000000000',
    paymentTermsId: stableGuid(companyId, 'paymentTerms', '30 DAYS'),
    phoneNumber: record.phone,
    postalCode: invoice?.postCode ?? '',
    salespersonCode: record.salesRepCodes[0] ?? '',
    shipmentMethodId: '00000000-0000-0000-0000-000000000000',
    state: '',
    taxAreaDisplayName: '',
    taxAreaId: '00000000-0000-0000-0000-000000000000',
    taxLiable: !record.isPrivate,
    taxRegistrationNumber: '',
    type: record.isPrivate ? 'Person' : 'Company',
    website: '',
  }
}

/** The platform's customer shape as Business Central holds it: a customer entity plus ship-to addresses (the AL extension's). */
export function toBusinessCentral(
  record: PlatformCustomerJson,
  modifiedAt: string,
  companyId: string,
  times?: CustomerChangeTimes,
): {customer: Json; shipTos: Json[]} {
  const shipTos = record.addresses
    .filter((address) => address.addressType === 'Delivery')
    .map((address, index) => ({
      addressLine1: address.addressLine1,
      addressLine2: address.addressLine2,
      city: address.city,
      code: index === 0 ? 'MAIN' : `DEL${index}`,
      countryRegionCode: address.countryCode,
      customerNumber: record.customerCode,
      id: stableGuid(companyId, 'shipTo', record.customerCode, String(index)),
      isDefault: address.isMain,
      lastModifiedDateTime: times?.deliveries[index] ?? modifiedAt,
      name: record.name,
      postalCode: address.postCode,
    }))
  return {customer: customerEntity(record, modifiedAt, companyId, times), shipTos}
}

/** An item as Business Central's `items` entity. */
export function toBusinessCentralItem(item: PlatformItemJson, modifiedAt: string | null, companyId: string): Json {
  return {
    baseUnitOfMeasureCode: item.unit,
    blocked: !item.active,
    displayName: item.description,
    gtin: '',
    id: stableGuid(companyId, 'item', item.itemCode),
    inventory: item.stock,
    itemCategoryCode: '',
    lastModifiedDateTime: modifiedAt,
    number: item.itemCode,
    priceIncludesTax: false,
    type: 'Inventory',
    unitCost: 0,
    unitPrice: item.price,
  }
}

/** A booked order as Business Central's `salesOrders` entity (the platform's order number as its external document number). */
export function toBusinessCentralSalesOrder(order: BookedOrder, companyId: string): Json {
  return {
    customerNumber: order.customerCode,
    externalDocumentNumber: order.orderNr,
    id: stableGuid(companyId, 'salesOrder', order.orderNr),
    lastModifiedDateTime: order.modifiedAt,
    number: order.documentNumber,
    orderDate: order.orderDate,
    status: order.status,
    totalAmountIncludingTax: order.total,
  }
}

/** The profile's `erp` section that reaches a sandbox Business Central at `url` (its token endpoint there too). */
export function businessCentralProfile(
  bc: Pick<BusinessCentralState, 'clientId' | 'clientSecret' | 'companyId' | 'environment' | 'tenant'>,
  url: string,
): EmulatedErpSection {
  return {
    clientId: bc.clientId,
    clientSecret: bc.clientSecret,
    companyId: bc.companyId,
    environment: bc.environment,
    system: 'businesscentral',
    tenant: bc.tenant,
    tokenUrl: `${url}/${bc.tenant}/oauth2/v2.0/token`,
    url,
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/**
 * The platform's customer from Business Central's customer entity and its ship-to addresses; `shipTos` is
 * null when the Business Central has no platform extension (its ship-to route answers 404).
 */
function customerFromBusinessCentral(
  entity: Json,
  shipTos: Json[] | null,
  previous: Json | undefined,
): PlatformCustomerJson {
  return {
    addresses: mapAddresses(
      {
        addressLine1: text(entity.addressLine1),
        addressLine2: text(entity.addressLine2),
        city: text(entity.city),
        countryCode: text(entity.country),
        postCode: text(entity.postalCode),
      },
      (shipTos ?? []).map((shipTo) => ({
        addressLine1: text(shipTo.addressLine1),
        addressLine2: text(shipTo.addressLine2),
        city: text(shipTo.city),
        countryCode: text(shipTo.countryRegionCode),
        isMain: shipTo.isDefault === true,
        postCode: text(shipTo.postalCode),
      })),
    ),
    blocked: text(entity.blocked).trim() !== '',
    customerCode: text(entity.number),
    email: text(entity.email),
    isPrivate: entity.type === 'Person',
    name: text(entity.displayName),
    phone: text(entity.phoneNumber),
    // BC's standard API has no price group: the CMS keeps what it had, else the installation's default.
    priceListCode: typeof previous?.priceListCode === 'string' ? previous.priceListCode : 'B2B-A',
    salesRepCodes: text(entity.salespersonCode) ? [text(entity.salespersonCode)] : [],
  }
}

/**
 * What the platform's connector reads of one customer entity: its platform record (`shipTos`: its ship-to
 * addresses, null without the platform's extension), with the change time the CMS receives.
 */
export function sourceCustomer(entity: Json, shipTos: Json[] | null, previous: Json | undefined): SourceCustomer {
  return {
    code: String(entity.number),
    modifiedAt: entity.lastModifiedDateTime ?? null,
    problem: null,
    record: customerFromBusinessCentral(entity, shipTos, previous),
  }
}

export function sourceCustomers(
  bc: BusinessCentralState,
  previous: (code: string) => Json | undefined,
): SourceCustomer[] {
  return bc.customers.map((entity) => {
    const code = String(entity.number)
    // Without the platform's extension the CMS's connector gets a 404 for the ship-tos: it has none.
    const shipTos =
      bc.shipToExtension === false ? null : bc.shipToAddresses.filter((shipTo) => shipTo.customerNumber === code)
    return sourceCustomer(entity, shipTos, previous(code))
  })
}

/** What the platform's connector reads of one item entity. */
export function sourceItem(entity: Json, before: Json | undefined): SourceItem {
  return {
    code: String(entity.number),
    modifiedAt: entity.lastModifiedDateTime,
    // BC has no webshop flag or currency on the item: the CMS keeps what it had.
    record: {
      active: entity.blocked !== true,
      currency: before?.currency ?? 'SEK',
      description: entity.displayName,
      itemCode: String(entity.number),
      price: entity.unitPrice,
      stock: entity.inventory,
      unit: entity.baseUnitOfMeasureCode,
      webshop: before?.webshop ?? true,
    },
  }
}

export function sourceItems(bc: BusinessCentralState, previous: (code: string) => Json | undefined): SourceItem[] {
  return bc.items.map((entity) => sourceItem(entity, previous(String(entity.number))))
}
