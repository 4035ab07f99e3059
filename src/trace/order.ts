import type {ErpOrderRecord} from '../connectors/erp.js'
import {findOrderFile, type OrderFileLookup} from '../connectors/ftp/connector.js'
import type {AppDevice, CmsOrder, Installation, WebshopOrder} from '../connectors/platform/types.js'
import type {InstallationClients} from './customer.js'
import {type Fetched, fileServerSettings, settle, answerOf} from './fetched.js'

export interface DeviceWithUpload {
  userId: string
  name: string | null
  device: AppDevice
  upload: {kind: string; key: string; createdAt: Date | null}
}

/** Everything the hops answered about one order: the input of the order diagnosis. */
export interface OrderObservations {
  orderNr: string
  now: Date
  userId: string | null
  installation: Fetched<Installation>
  cms: Fetched<CmsOrder | null>
  webshop: Fetched<WebshopOrder | null>
  /** Devices that report the order as created but not uploaded; asked only when the CMS lacks the order (or with --user). */
  devices: Fetched<DeviceWithUpload[]> | null
  ftp: Fetched<OrderFileLookup> | null
  erp: Fetched<ErpOrderRecord | null> | null
  /** What the ERP lacks of the order's customer and items; asked when the transfer failed or the ERP has no order. */
  prerequisites: Fetched<{customers: string[]; items: string[]}> | null
}

/** Devices that report a record (an order, a customer) as created on them but not yet uploaded. */
export async function devicesWithUpload(clients: InstallationClients, kind: 'order' | 'customer', key: string, userId: string | null): Promise<DeviceWithUpload[]> {
  const users = userId ? [{name: null, userId}] : (await clients.app.usersOfSalesRep()).map((user) => ({name: user.name, userId: user.userId}))
  const devices = await Promise.all(users.map(async (user) => ({...user, devices: (await clients.app.devices(user.userId)) ?? []})))
  return devices.flatMap((user) =>
    user.devices.flatMap((device) =>
      device.pendingUploads.filter((upload) => upload.kind === kind && upload.key === key).map((upload) => ({device, name: user.name, upload, userId: user.userId})),
    ),
  )
}

/** Asks the hops of the outbound chain about one order: device or webshop → CMS → (FTP folder) → ERP. */
export async function observeOrder(clients: InstallationClients, orderNr: string, options: {userId?: string} = {}): Promise<OrderObservations> {
  const userId = options.userId ?? null
  const installation = settle(() => clients.cms.installation())
  const cms = settle(() => clients.cms.order(orderNr))
  const webshop = settle(() => clients.webshop.order(orderNr))
  const devices = settle(async () => {
    const order = answerOf(await cms)
    return order && !userId ? [] : devicesWithUpload(clients, 'order', orderNr, userId)
  })
  const ftpSettings = clients.ftp
  const ftp = settle(async () => {
    const connection = answerOf(await installation)?.connection
    if (!ftpSettings || (connection && connection !== 'ftp')) return null
    return findOrderFile(await fileServerSettings(ftpSettings, installation), orderNr)
  })
  const erpConnector = clients.erp
  const erp = erpConnector ? settle(async () => erpConnector.findOrder(orderNr, answerOf(await cms)?.transfer.erpDocumentNumber ?? null)) : Promise.resolve(null)
  const prerequisites = erpConnector
    ? settle(async () => {
        const order = answerOf(await cms)
        const booked = answerOf(await erp)
        if (!order || booked || order.transfer.status === 'queued') return null
        return erpConnector.missingPrerequisites(order.customerCode, order.lines.map((line) => line.itemCode))
      })
    : Promise.resolve(null)
  const [installationResult, cmsResult, webshopResult, devicesResult, ftpResult, erpResult, prerequisitesResult] = await Promise.all([installation, cms, webshop, devices, ftp, erp, prerequisites])
  const nullable = <T>(fetched: Fetched<T | null> | null): Fetched<T> | null => (fetched && fetched.ok && fetched.value === null ? null : (fetched as Fetched<T> | null))
  return {
    cms: cmsResult,
    devices: devicesResult,
    erp: erpResult,
    ftp: nullable(ftpResult),
    installation: installationResult,
    now: new Date(),
    orderNr,
    prerequisites: nullable(prerequisitesResult),
    userId,
    webshop: webshopResult,
  }
}
