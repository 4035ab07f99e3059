import {ftpLayoutFor, type InstallationState} from './library.js'

import {importFile, queueOnDevice, uploadFromDevice} from './play-outbound.js'
import {type Clock, putErpCustomer, putErpItem, type Json} from './play-steps.js'
import {type History, historyKeys, type OrderEvent} from './types.js'

/** The ERP's customer and items that the order names (unless the history says the ERP lacks one). */
export function orderPrerequisites(state: InstallationState, history: History & {entity: 'order'}, clock: Clock): void {
  if (!history.erpLacks.customer)
    putErpCustomer(
      state,
      {
        code: historyKeys.orderCustomer,
        deliveries: [],
        email: 'order@kund41090.example',
        isPrivate: false,
        modifiedAt: clock.iso(30 * 1440),
        name: 'Kund 41090 AB',
        own: {addressLine1: 'Storgatan 1', city: 'Klippan', postCode: '264 32'},
        phone: '+46 435 10 20 30',
        rep: 'SR1',
      },
      historyKeys.orderCustomer,
    )
  historyKeys.orderItems.forEach((code, index) => {
    if (index === 1 && history.erpLacks.item) return
    putErpItem(state, {
      active: true,
      code,
      description: `Artikel ${code}`,
      modifiedAt: clock.iso(30 * 1440),
      price: 50 + index,
      stock: 10,
      webshop: true,
    })
  })
}

/** Plays an order's history: created on the device or in the webshop, uploaded to the CMS, transferred to the ERP or its file (ftp), imported. */
export function playOrder(state: InstallationState, history: History & {entity: 'order'}, clock: Clock): void {
  const orderNr = history.key
  orderPrerequisites(state, history, clock)
  let channel: 'app' | 'webshop' = 'app'
  let createdAt = clock.iso(0)
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    switch (event.kind) {
      case 'order-create':
        channel = event.channel
        createdAt = at
        if (channel === 'webshop') state.webshop.orders.set(orderNr, {handedToCmsAt: null, orderNr, placedAt: at})
        else queueOnDevice(state, orderNr, 'order', at, clock.iso(event.ago - 1))
        break
      case 'order-upload':
        if (channel === 'webshop') (state.webshop.orders.get(orderNr) as Json).handedToCmsAt = at
        else uploadFromDevice(state, orderNr, at)
        state.cms.orders.set(orderNr, queuedOrder(orderNr, channel, createdAt, at))
        break
      case 'transfer':
        transferOrder(state, orderNr, event, createdAt, at)
        break
      case 'erp-import': {
        const folders = state.exports ? ftpLayoutFor(state.exports.layout, null).orders : null
        importFile(
          state.exports?.orderFiles.find((entry) => entry.orderNr === orderNr),
          folders,
          event.result,
          at,
          `Unknown customer ${historyKeys.orderCustomer}`,
        )
        break
      }
      case 'order-lost':
        loseOrder(state)
        break
    }
  }
}

/** The order as the CMS receives it: queued for its transfer. */
function queuedOrder(orderNr: string, channel: 'app' | 'webshop', createdAt: string, receivedAt: string): Json {
  return {
    channel,
    createdAt,
    customerCode: historyKeys.orderCustomer,
    deliveryAddress: null,
    lines: historyKeys.orderItems.map((itemCode, index) => ({
      discount: 0,
      itemCode,
      lineNo: index + 1,
      price: 50 + index,
      quantity: 2,
      unit: 'st',
    })),
    orderDate: createdAt.slice(0, 10),
    orderNr,
    receivedAt,
    transfer: {attempts: 0, erpDocumentNumber: null, error: null, file: null, lastAttemptAt: null, status: 'queued'},
    yourReference: 'PO 1',
  }
}

/** The CMS's transfer attempt; a sent order is a file in Orders/ (ftp) or a sales order in the ERP. */
function transferOrder(
  state: InstallationState,
  orderNr: string,
  event: Extract<OrderEvent, {kind: 'transfer'}>,
  createdAt: string,
  at: string,
): void {
  const order = state.cms.orders.get(orderNr)
  if (!order) return
  const transfer = order.transfer as Json
  Object.assign(transfer, {attempts: 1, error: event.error, lastAttemptAt: at, status: event.result})
  if (event.result !== 'sent') return
  if (state.exports) {
    const folders = ftpLayoutFor(state.exports.layout, null).orders
    transfer.file = `${folders.folder}/${orderNr}${folders.extension}`
    state.exports.orderFiles = [{error: null, folder: folders.folder, modified: at, orderNr}]
  } else bookInErp(state, transfer, orderNr, createdAt, at)
}

/** The sales order the transfer creates in the ERP of a direct installation, with the document number the CMS records (if its connector notes one). */
function bookInErp(state: InstallationState, transfer: Json, orderNr: string, createdAt: string, at: string): void {
  const erp = state.erp
  if (!erp) return
  const {documentNumber, noted} = erp.emulator.historyOrder ?? {documentNumber: '1044', noted: true}
  if (noted) transfer.erpDocumentNumber = documentNumber
  erp.emulator.putOrder(erp.state, {
    customerCode: historyKeys.orderCustomer,
    customerName: 'Kund 41090 AB',
    documentNumber,
    modifiedAt: at,
    orderDate: createdAt.slice(0, 10),
    orderNr,
    status: 'Open',
    total: 253.75,
    yourReference: 'PO 1',
  })
}

/** The order file gone from every folder (ftp), or the sales order from the ERP. */
function loseOrder(state: InstallationState): void {
  if (state.exports) state.exports.orderFiles = []
  if (state.erp) state.erp.emulator.clearOrders(state.erp.state)
}
