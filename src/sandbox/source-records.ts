import type {SourceCustomer, SourceItem} from '../emulation/erp-emulator.js'
import type {InstallationState, PlatformCustomerJson} from './state.js'

/**
 * What a sync run of the CMS reads from the installation's source (an emulated ERP, Fortnox, Business
 * Central or the export files), mapped to the platform's records as the CMS's connectors map them.
 */

type Json = Record<string, unknown>

type Address = PlatformCustomerJson['addresses'][number]

/**
 * The contract's address mapping ("How the CMS maps ERP records"), the same for every source: the
 * customer's own address is the main Invoice address; each delivery address the source has is a Delivery
 * address (the default one isMain); a customer without any also gets its own address as main Delivery.
 */
function mapAddresses(own: Omit<Address, 'addressType' | 'isMain'>, deliveries: Array<Omit<Address, 'addressType'>>): Address[] {
  const invoice: Address = {...own, addressType: 'Invoice', isMain: true}
  if (deliveries.length === 0) return [invoice, {...own, addressType: 'Delivery', isMain: true}]
  return [invoice, ...deliveries.map((delivery) => ({...delivery, addressType: 'Delivery'}))]
}

/**
 * The platform's customer from Business Central's customer entity and its ship-to addresses; `shipTos` is
 * null when the Business Central has no platform extension (its ship-to route answers 404).
 */
function customerFromBusinessCentral(entity: Json, shipTos: Json[] | null, previous: Json | undefined): PlatformCustomerJson {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
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

/** The platform's customer from an export row: its Invoice columns and, when filled in, its Delivery columns. */
function customerFromExportRow(record: PlatformCustomerJson): PlatformCustomerJson {
  const main = (type: string) => record.addresses.find((address) => address.addressType === type && address.isMain)
  const invoice = main('Invoice') ?? record.addresses[0]
  const delivery = main('Delivery')
  const own = {
    addressLine1: invoice?.addressLine1 ?? '',
    addressLine2: invoice?.addressLine2 ?? '',
    city: invoice?.city ?? '',
    countryCode: invoice?.countryCode ?? '',
    postCode: invoice?.postCode ?? '',
  }
  const filled = delivery && (delivery.addressLine1 || delivery.city)
  return {
    ...record,
    addresses: mapAddresses(
      own,
      filled
        ? [
            {
              addressLine1: delivery.addressLine1,
              addressLine2: delivery.addressLine2,
              city: delivery.city,
              countryCode: delivery.countryCode,
              isMain: true,
              postCode: delivery.postCode,
            },
          ]
        : [],
    ),
  }
}

/** The platform's customer from a Fortnox `Customer`. */
function customerFromFortnox(customer: Json, previous: Json | undefined): PlatformCustomerJson {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const hasDelivery = Boolean(customer.DeliveryAddress1 || customer.DeliveryCity)
  return {
    addresses: mapAddresses(
      {
        addressLine1: text(customer.Address1),
        addressLine2: text(customer.Address2),
        city: text(customer.City),
        countryCode: text(customer.CountryCode),
        postCode: text(customer.ZipCode),
      },
      hasDelivery
        ? [
            {
              addressLine1: text(customer.DeliveryAddress1),
              addressLine2: text(customer.DeliveryAddress2),
              city: text(customer.DeliveryCity),
              countryCode: text(customer.DeliveryCountryCode),
              isMain: true,
              postCode: text(customer.DeliveryZipCode),
            },
          ]
        : [],
    ),
    blocked: customer.Active === false,
    customerCode: text(customer.CustomerNumber),
    email: text(customer.Email),
    isPrivate: customer.Type === 'PRIVATE',
    name: text(customer.Name),
    phone: text(customer.Phone1),
    priceListCode: text(customer.PriceList) || (typeof previous?.priceListCode === 'string' ? previous.priceListCode : 'A'),
    salesRepCodes: text(customer.OurReference) ? [text(customer.OurReference)] : [],
  }
}

export function sourceCustomers(state: InstallationState): SourceCustomer[] {
  const erp = state.erp
  if (erp) return erp.emulator.sourceCustomers(erp.state, (code) => state.cms.customers.get(code))
  const fortnox = state.fortnox
  if (fortnox)
    // Fortnox records carry no change time (the sandbox keeps one only for the lastmodified filter). The
    // platform lists Fortnox customers with filter=active: an inactive one is never read.
    return fortnox.customers
      .filter(({record}) => record.Active !== false)
      .map(({record}) => {
        const code = String(record.CustomerNumber)
        return {code, modifiedAt: null, problem: null, record: customerFromFortnox(record, state.cms.customers.get(code))}
      })
  const bc = state.businessCentral
  if (bc)
    return bc.customers.map((entity) => {
      const code = String(entity.number)
      // Without the platform's extension the CMS's connector gets a 404 for the ship-tos: it has none.
      const shipTos = bc.shipToExtension === false ? null : bc.shipToAddresses.filter((shipTo) => shipTo.customerNumber === code)
      return {code, modifiedAt: entity.lastModifiedDateTime ?? null, problem: null, record: customerFromBusinessCentral(entity, shipTos, state.cms.customers.get(code))}
    })
  // Winbas writes no change time per customer: the CMS has none to store.
  const rowTimes = state.exports?.layout !== 'winbas'
  return (state.exports?.customers ?? []).map((row) => ({
    code: row.code,
    modifiedAt: rowTimes ? row.lastModified : null,
    problem: row.malformed ? `${row.file}: the row cannot be parsed` : null,
    record: row.malformed ? null : customerFromExportRow(row.record),
  }))
}

/** The platform's item from what the ERP (BC `items`) or its export holds. */
export function sourceItems(state: InstallationState): SourceItem[] {
  const erp = state.erp
  if (erp) return erp.emulator.sourceItems(erp.state, (code) => state.cms.items.get(code))
  const fortnox = state.fortnox
  if (fortnox)
    return fortnox.articles.map(({record}) => {
      const previous = state.cms.items.get(String(record.ArticleNumber))
      return {
        code: String(record.ArticleNumber),
        modifiedAt: null,
        record: {
          active: record.Active === true,
          currency: previous?.currency ?? 'SEK',
          description: record.Description,
          itemCode: String(record.ArticleNumber),
          price: record.SalesPrice,
          stock: record.DisposableQuantity,
          unit: record.Unit,
          webshop: record.WebshopArticle === true,
        },
      }
    })
  const bc = state.businessCentral
  if (bc)
    return bc.items.map((entity) => {
      const previous = state.cms.items.get(String(entity.number))
      return {
        code: String(entity.number),
        modifiedAt: entity.lastModifiedDateTime,
        // BC has no webshop flag or currency on the item: the CMS keeps what it had.
        record: {
          active: entity.blocked !== true,
          currency: previous?.currency ?? 'SEK',
          description: entity.displayName,
          itemCode: String(entity.number),
          price: entity.unitPrice,
          stock: entity.inventory,
          unit: entity.baseUnitOfMeasureCode,
          webshop: previous?.webshop ?? true,
        },
      }
    })
  // Monitor's item sync skips an item whose items.xml record has no vatincluded.
  // Monitor's items.xml carries no change time.
  const rowTimes = state.exports?.layout !== 'monitor'
  return (state.exports?.items ?? [])
    .filter((row) => row.vatIncluded !== false)
    .map((row) => ({code: row.record.itemCode, modifiedAt: rowTimes ? row.lastModified : null, record: row.record}))
}
