import type {ErpOrderRecord} from '../../connectors/erp.js'
import {orderFiles} from '../../connectors/ftp/order.js'
import type {OrderFileLookup} from '../../connectors/ftp/outbound.js'
import type {CmsOrder, Installation, WebshopOrder} from '../../connectors/platform/types.js'
import type {InstallationClients} from '../../connectors/installation.js'
import {type DeviceWithUpload, devicesWithUpload} from '../../observe/devices.js'
import {answerOf, exportRuns, type Fetched, fileServerSettings, settle} from '../../observe/fetched.js'
import {type LinePriceAnswer, observeLinePrices} from './observe-prices.js'
import {cmsOrder, webshopOrder} from './platform.js'

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
  /** The profile's ERP (`visma-eaccounting`), which names the hop more exactly than the CMS's `erp.system` (`visma`); null without ERP access. */
  erpSystem: string | null
  /** What the ERP lacks of the order's customer and items; asked when the transfer failed or the ERP has no order. */
  prerequisites: Fetched<{customers: string[]; items: string[]}> | null
  /** Each line with the customer's price the CMS resolves for the order's date; null without the order's lines. */
  linePrices?: Fetched<LinePriceAnswer[]> | null
}

/** Asks the hops of the outbound chain about one order: device or webshop → CMS → (FTP folder) → ERP. */
export async function observeOrder(
  clients: InstallationClients,
  orderNr: string,
  options: {userId?: string} = {},
): Promise<OrderObservations> {
  const userId = options.userId ?? null
  const installation = settle(() => clients.cms.installation())
  const cms = settle(() => clients.cms.record(cmsOrder, orderNr))
  const webshop = settle(() => clients.webshop.record(webshopOrder, orderNr))
  const devices = settle(async () => {
    const order = answerOf(await cms)
    return order && !userId ? [] : devicesWithUpload(clients, 'order', orderNr, userId)
  })
  const ftpSettings = clients.ftp
  const ftp = settle(async () => {
    const connection = answerOf(await installation)?.connection
    if (!ftpSettings || (connection && connection !== 'ftp')) return null
    // The export files beside the order folders are the ones the CMS's runs read.
    return orderFiles.find(await fileServerSettings(ftpSettings, installation, exportRuns(clients.cms)), orderNr)
  })
  const orders = clients.erp?.entities.order
  const erp = orders
    ? settle(async () => orders.find(orderNr, answerOf(await cms)?.transfer.erpDocumentNumber ?? null))
    : Promise.resolve(null)
  const prerequisites = orders
    ? settle(async () => {
        const order = answerOf(await cms)
        const booked = answerOf(await erp)
        if (!order || booked || order.transfer.status === 'queued') return null
        return orders.missingPrerequisites(
          order.customerCode,
          order.lines.map((line) => line.itemCode),
        )
      })
    : Promise.resolve(null)
  const linePrices = cms.then((answer) => observeLinePrices(clients, answerOf(answer) ?? null))
  const [installationResult, cmsResult, webshopResult, devicesResult, ftpResult, erpResult, prerequisitesResult] =
    await Promise.all([installation, cms, webshop, devices, ftp, erp, prerequisites])
  const nullable = <T>(fetched: Fetched<T | null> | null): Fetched<T> | null =>
    fetched && fetched.ok && fetched.value === null ? null : (fetched as Fetched<T> | null)
  return {
    cms: cmsResult,
    devices: devicesResult,
    erp: erpResult,
    erpSystem: clients.erp?.system ?? null,
    ftp: nullable(ftpResult),
    installation: installationResult,
    linePrices: await linePrices,
    now: new Date(),
    orderNr,
    prerequisites: nullable(prerequisitesResult),
    userId,
    webshop: webshopResult,
  }
}
