import type {SourceCustomer, SourceItem} from '../emulation/erp-emulator.js'
import {mapAddresses} from '../emulation/records.js'
import type {ExportsState, InstallationState, PlatformCustomerJson} from './state.js'

/**
 * What a sync run of the CMS reads from the installation's source (the ERP, through its emulator, or
 * the export files), mapped to the platform's records as the CMS's connectors map them.
 */

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

type CustomerRow = ExportsState['customers'][number]
type ItemRow = ExportsState['items'][number]

/** What the CMS reads of one `customers` export row (`rowTimes`: does the layout write a change time per row?). */
export function sourceCustomerFromRow(row: CustomerRow, rowTimes: boolean): SourceCustomer {
  return {
    code: row.code,
    modifiedAt: rowTimes ? row.lastModified : null,
    problem: row.malformed ? `${row.file}: the row cannot be parsed` : null,
    record: row.malformed ? null : customerFromExportRow(row.record),
  }
}

/** What the CMS reads of one `items` export row. */
export function sourceItemFromRow(row: ItemRow, rowTimes: boolean): SourceItem {
  return {code: row.record.itemCode, modifiedAt: rowTimes ? row.lastModified : null, record: row.record}
}

export function sourceCustomers(state: InstallationState): SourceCustomer[] {
  const erp = state.erp
  if (erp) return erp.emulator.sourceCustomers(erp.state, (code) => state.cms.customers.get(code))
  // Winbas writes no change time per customer: the CMS has none to store.
  const rowTimes = state.exports?.layout !== 'winbas'
  return (state.exports?.customers ?? []).map((row) => sourceCustomerFromRow(row, rowTimes))
}

/** The platform's item from what the ERP or its export holds. */
export function sourceItems(state: InstallationState): SourceItem[] {
  const erp = state.erp
  if (erp) return erp.emulator.sourceItems(erp.state, (code) => state.cms.items.get(code))
  // Monitor's item sync skips an item whose items.xml record has no vatincluded.
  // Monitor's items.xml carries no change time.
  const rowTimes = state.exports?.layout !== 'monitor'
  return (state.exports?.items ?? [])
    .filter((row) => row.vatIncluded !== false)
    .map((row) => sourceItemFromRow(row, rowTimes))
}
