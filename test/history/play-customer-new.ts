import {ftpLayoutFor, type InstallationState, type PlatformCustomerJson, publishCustomer} from './library.js'

import {importFile, uploadFromDevice} from './play-outbound.js'
import {address, type ErpCustomer, putErpCustomer} from './play-steps.js'

/** A customer created on the rep's device (play-customer.ts queues it there): uploaded to the CMS, passed on to the ERP, imported from its file (ftp). */

/** Uploaded: the CMS creates it and publishes it to the app. */
export function uploadNewCustomer(state: InstallationState, code: string, at: string): void {
  uploadFromDevice(state, code, at)
  // Created in the app: its own address, which is also where it gets its deliveries.
  const own = address('Nygatan 3', '611 32', 'Nyköping')
  const record: PlatformCustomerJson = {
    addresses: [
      {...own, addressType: 'Invoice', isMain: true},
      {...own, addressType: 'Delivery', isMain: true},
    ],
    blocked: false,
    customerCode: code,
    email: 'info@nykopingjarn.example',
    isPrivate: false,
    name: 'Nyköping Järn AB',
    phone: '+4615520304',
    priceListCode: 'STD',
    salesRepCodes: ['SR1'],
  }
  state.cms.customers.set(code, {...record, erpModifiedAt: null, origin: 'app', syncedAt: at})
  publishCustomer(state, code, at, {app: true, webshop: false})
}

/** The CMS passes it on: its file in Customers/ (ftp), or the customer created in the ERP, which it returns. */
export function passOnNewCustomer(state: InstallationState, code: string, at: string): ErpCustomer | null {
  const record = state.cms.customers.get(code) as PlatformCustomerJson | undefined
  if (!record) return null
  if (state.exports) {
    state.exports.customerFiles.push({
      error: null,
      folder: ftpLayoutFor(state.exports.layout, null).newCustomers.folder,
      modified: at,
      orderNr: code,
      record,
    })
    return null
  }
  const customer: ErpCustomer = {
    code,
    deliveries: [],
    email: record.email,
    isPrivate: false,
    modifiedAt: at,
    name: record.name,
    own: {addressLine1: 'Nygatan 3', city: 'Nyköping', postCode: '611 32'},
    phone: record.phone,
    rep: 'SR1',
  }
  putErpCustomer(state, customer, code)
  return customer
}

export function importNewCustomerFile(
  state: InstallationState,
  code: string,
  result: 'processed' | 'rejected',
  at: string,
): void {
  const file = state.exports?.customerFiles.find((entry) => entry.orderNr === code)
  const folders = state.exports ? ftpLayoutFor(state.exports.layout, null).newCustomers : null
  importFile(file, folders, result, at, 'Customer manager SR1 is unknown')
}
