import {type InstallationState, publishCustomer} from './library.js'
import {importNewCustomerFile, passOnNewCustomer, uploadNewCustomer} from './play-customer-new.js'
import {queueOnDevice} from './play-outbound.js'
import {type Clock, type ErpCustomer, playSync, putErpCustomer, refreshDevice, writeExport} from './play-steps.js'
import type {CustomerEvent, History} from './types.js'

type CustomerField = Extract<CustomerEvent, {kind: 'erp-edit'}>['field']

/** Plays a customer's history: the ERP's customer edited, exported and synced (inbound), or one created on the rep's device (play-customer-new.ts). */
export function playCustomer(state: InstallationState, history: History & {entity: 'customer'}, clock: Clock): void {
  const code = history.key
  let customer: ErpCustomer | null = null
  let revision = 0
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    revision++
    switch (event.kind) {
      case 'erp-create':
        customer = createdCustomer(code, event, revision, at)
        putErpCustomer(state, customer, code)
        break
      case 'erp-edit':
        if (!customer) break
        editCustomer(customer, event.field, revision, at)
        putErpCustomer(state, customer, code)
        break
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
      case 'device-create':
        queueOnDevice(state, code, 'customer', at, clock.iso(event.ago - 1))
        break
      case 'upload':
        uploadNewCustomer(state, code, at)
        break
      case 'cms-to-erp':
        customer = passOnNewCustomer(state, code, at) ?? customer
        break
      case 'erp-import':
        importNewCustomerFile(state, code, event.result, at)
        break
    }
  }
}

/** The customer's fields at a revision: every revision gives each field a value of its own. */
function revisionValues(revision: number) {
  return {
    delivery: {addressLine1: `Lagervägen ${revision}`, city: 'Farsta', postCode: `123 ${40 + revision}`},
    email: `Order${revision}@Kund41001.example`,
    invoice: {addressLine1: `Box ${100 + revision}`, city: 'Stockholm', postCode: `111 ${20 + revision}`},
    name: `Kund 41001 AB rev ${revision}`,
    phone: `+46 8 555 ${100 + revision} ${10 + revision}`,
  }
}

function createdCustomer(
  code: string,
  event: Extract<CustomerEvent, {kind: 'erp-create'}>,
  revision: number,
  at: string,
): ErpCustomer {
  const values = revisionValues(revision)
  return {
    code,
    deliveries: Array.from({length: event.deliveries}, (_unused, index) => ({
      ...revisionValues(revision + 50 * index).delivery,
      modifiedAt: at,
    })),
    email: values.email,
    isPrivate: event.private,
    modifiedAt: at,
    name: values.name,
    own: values.invoice,
    phone: values.phone,
    rep: event.rep,
  }
}

function editCustomer(customer: ErpCustomer, field: CustomerField, revision: number, at: string): void {
  const values = revisionValues(revision)
  if (field === 'delivery') {
    // A ship-to of its own in Business Central: the change time is the ship-to's, not the customer's.
    if (customer.deliveries.length === 0) customer.deliveries.push({...values.delivery, modifiedAt: at})
    else customer.deliveries[0] = {...values.delivery, modifiedAt: at}
    return
  }
  if (field === 'invoice') customer.own = values.invoice
  else customer[field] = values[field]
  customer.modifiedAt = at
}
