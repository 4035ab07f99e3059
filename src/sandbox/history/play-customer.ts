import {ftpLayoutFor} from '../../connectors/ftp/layouts/registry.js'

import {publishCustomer} from '../jobs.js'
import type {InstallationState, PlatformCustomerJson} from '../state.js'
import type {History} from './types.js'
import {type Clock, type ErpCustomer, playSync, putErpCustomer, refreshDevice, writeExport, type Json, address} from './play-steps.js'

export function playCustomer(state: InstallationState, history: History & {entity: 'customer'}, clock: Clock): void {
  const code = history.key
  let customer: ErpCustomer | null = null
  let revision = 0
  const text = (n: number) => ({
    delivery: {addressLine1: `Lagervägen ${n}`, city: 'Farsta', postCode: `123 ${40 + n}`},
    email: `Order${n}@Kund41001.example`,
    invoice: {addressLine1: `Box ${100 + n}`, city: 'Stockholm', postCode: `111 ${20 + n}`},
    name: `Kund 41001 AB rev ${n}`,
    phone: `+46 8 555 ${100 + n} ${10 + n}`,
  })
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    revision++
    switch (event.kind) {
      case 'erp-create': {
        const values = text(revision)
        customer = {
          code,
          deliveries: Array.from({length: event.deliveries}, (_unused, index) => ({...text(revision + 50 * index).delivery, modifiedAt: at})),
          email: values.email,
          isPrivate: event.private,
          modifiedAt: at,
          name: values.name,
          own: values.invoice,
          phone: values.phone,
          rep: event.rep,
        }
        putErpCustomer(state, customer, code)
        break
      }
      case 'erp-edit': {
        if (!customer) break
        const values = text(revision)
        if (event.field === 'delivery') {
          // A ship-to of its own in Business Central: the change time is the ship-to's, not the customer's.
          if (customer.deliveries.length === 0) customer.deliveries.push({...values.delivery, modifiedAt: at})
          else customer.deliveries[0] = {...values.delivery, modifiedAt: at}
        } else {
          if (event.field === 'invoice') customer.own = values.invoice
          else customer[event.field] = values[event.field]
          customer.modifiedAt = at
        }
        putErpCustomer(state, customer, code)
        break
      }
      case 'erp-delete':
        customer = null
        putErpCustomer(state, null, code)
        break
      case 'export':
        writeExport(state, history, at, customer, null, event.malformed)
        break
      case 'sync':
        playSync(state, clock, event, code, 'customers')
        break
      case 'refresh':
        refreshDevice(state, event.user, at)
        break
      case 'republish':
        publishCustomer(state, code, at, {app: false, webshop: true})
        break
      case 'device-create': {
        const device = (state.app.devices.get('u-1') ?? [])[0] as Json
        ;(device.pendingUploads as Json[]).push({createdAt: at, key: code, kind: 'customer'})
        device.lastSeenAt = clock.iso(event.ago - 1)
        break
      }
      case 'upload': {
        const device = (state.app.devices.get('u-1') ?? [])[0] as Json
        device.pendingUploads = (device.pendingUploads as Json[]).filter((upload) => upload.key !== code)
        device.lastSeenAt = at
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
        break
      }
      case 'cms-to-erp': {
        const record = state.cms.customers.get(code) as PlatformCustomerJson | undefined
        if (!record) break
        if (state.exports) {
          state.exports.customerFiles.push({error: null, folder: ftpLayoutFor(state.exports.layout, null).newCustomers.folder, modified: at, orderNr: code, record})
          break
        }
        customer = {
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
        break
      }
      case 'erp-import': {
        const file = state.exports?.customerFiles.find((entry) => entry.orderNr === code)
        const folders = state.exports ? ftpLayoutFor(state.exports.layout, null).newCustomers : null
        if (file && folders)
          Object.assign(
            file,
            event.result === 'processed' ? {folder: folders.processed, modified: at} : {error: `Customer manager SR1 is unknown`, folder: folders.error, modified: at},
          )
        break
      }
    }
  }
}
