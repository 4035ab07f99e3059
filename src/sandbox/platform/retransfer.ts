import {rmSync} from 'node:fs'
import {join} from 'node:path'

import {ftpLayoutFor} from '../../connectors/ftp/layouts/registry.js'
import type {EmulatedErp} from '../../emulation/erp-emulator.js'
import {json, type SandboxResponse} from '../../emulation/service.js'
import {outboundFileName, writeOrderFile} from '../export-files.js'
import {jobTiming} from '../job-timers.js'
import type {ExportsState, InstallationState} from '../state.js'
import {error, type PlatformJobs} from './service.js'
import {jobRunningFor, newJob} from './sync-jobs.js'

type Json = Record<string, unknown>

/** One order sent again: the CMS's order, its number, its transfer (which notes where it went), and when. */
interface Sending {
  order: Json
  orderNr: string
  transfer: Json
  now: string
}

/**
 * Sends an order again, as the CMS does: to the ERP's API (a sales order, if the ERP has the customer and
 * every item) or as a file into Orders/ for the ERP's import.
 */
export function retransferOrder(
  state: InstallationState,
  jobs: PlatformJobs,
  orderNr: string,
  requestedBy: string,
): SandboxResponse {
  const order = state.cms.orders.get(orderNr)
  if (!order) return error(404, 'not_found', `No order ${orderNr}.`)
  const conflict = jobRunningFor(jobs, 'orders')
  if (conflict) return conflict
  const job = newJob(jobs, {entity: 'orders', keys: [orderNr], mode: 'targeted', requestedBy, total: 1})
  jobs.timers.after(jobTiming.queuedMs, () => {
    Object.assign(job, {startedAt: new Date().toISOString(), status: 'running'})
    jobs.timers.after(jobTiming.progressStepMs * 2, () => {
      const now = new Date().toISOString()
      const transfer = order.transfer as Json
      const failure = sendOrder(state, {now, order, orderNr, transfer})
      Object.assign(transfer, {
        attempts: Number(transfer.attempts ?? 0) + 1,
        error: failure,
        lastAttemptAt: now,
        status: failure ? 'failed' : 'sent',
      })
      Object.assign(job, {
        error: failure,
        finishedAt: now,
        progress: {done: 1, total: 1},
        status: failure ? 'failed' : 'succeeded',
      })
    })
  })
  return json(202, {...job})
}

/** Sends the order where the installation's ERP takes it; the reason it failed, or null. */
function sendOrder(state: InstallationState, sending: Sending): string | null {
  if (state.erp) return toEmulatedErp(state.erp, [...state.cms.orders.keys()], sending)
  if (state.exports?.root) toOrdersFolder(state.exports, state.exports.root, sending)
  return null
}

/** Why the ERP would refuse the order: a customer or an item it does not have. */
function missingRecord(
  order: Json,
  hasCustomer: (code: string) => boolean,
  hasItem: (code: string) => boolean,
): string | null {
  const lines = order.lines as Array<{itemCode: string}>
  const missingItem = lines.find((line) => !hasItem(line.itemCode))
  if (!hasCustomer(String(order.customerCode))) return `Customer ${order.customerCode} does not exist`
  if (missingItem) return `Item ${missingItem.itemCode} does not exist`
  return null
}

/** `orderNrs`: the CMS's orders in order, whose position numbers the ERP's document (unless the ERP takes the order its own way). */
function toEmulatedErp(
  {emulator, state: erp}: EmulatedErp,
  orderNrs: string[],
  {now, order, orderNr, transfer}: Sending,
): string | null {
  const failure = missingRecord(
    order,
    (code) => emulator.hasCustomer(erp, code),
    (code) => emulator.hasItem(erp, code),
  )
  if (emulator.takeResentOrder) {
    const taken = emulator.takeResentOrder(erp, {
      customerCode: String(order.customerCode),
      missing: failure,
      now,
      orderDate: String(order.orderDate),
      orderNr,
      position: orderNrs.indexOf(orderNr),
      yourReference: (order.yourReference as string) || null,
    })
    if ('failure' in taken) return taken.failure
    if (taken.documentNumber !== null) transfer.erpDocumentNumber = taken.documentNumber
    return null
  }
  if (failure) return failure
  const number = String(90_001 + orderNrs.indexOf(orderNr))
  emulator.putOrder(erp, {
    customerCode: String(order.customerCode),
    customerName: null,
    documentNumber: number,
    modifiedAt: now,
    orderDate: String(order.orderDate),
    orderNr,
    status: 'Open',
    total: 0,
    yourReference: (order.yourReference as string) || null,
  })
  transfer.erpDocumentNumber = number
  return null
}

/** The order's file written into the layout's Orders folder again, its earlier processed or failed copies removed. */
function toOrdersFolder(exports: ExportsState, root: string, {now, order, orderNr, transfer}: Sending): void {
  const base = join(root, exports.baseFolder)
  const {layout} = exports
  const folders = ftpLayoutFor(layout, null).orders
  const fileName = outboundFileName(layout, 'orders', orderNr)
  for (const folder of [folders.error, folders.processed])
    for (const name of [fileName, `${orderNr}.err.txt`]) rmSync(join(base, folder, name), {force: true})
  writeOrderFile(base, {error: null, folder: folders.folder, modified: now, orderNr}, order, layout)
  transfer.file = `${folders.folder}/${fileName}`
}
