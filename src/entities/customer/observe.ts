import type {ErpCustomerRecord} from '../../connectors/erp.js'
import {askChangedSince} from '../../observe/changed-since.js'
import type {InstallationClients} from '../../connectors/installation.js'
import type {ExportCustomerLookup} from '../../connectors/ftp/connector.js'
import {exportCustomers} from '../../connectors/ftp/customer.js'
import {findOutboundFile, type OrderFileLookup} from '../../connectors/ftp/outbound.js'
import type {AppClient} from '../../connectors/platform/app.js'
import type {
  AppDevice,
  AppPublishedCustomer,
  CmsCustomer,
  Installation,
  SyncRecordOutcome,
  SyncRun,
  WebshopPublishedCustomer,
} from '../../connectors/platform/types.js'
import {lastReadAt, lastSyncCovering} from '../../connectors/platform/schedule.js'
import {type DeviceWithUpload, devicesWithUpload} from '../../observe/devices.js'
import {answerOf, awaitAll, exportRuns, type Fetched, fileServerSettings, settle} from '../../observe/fetched.js'
import {appPublishedCustomer, cmsCustomer, webshopPublishedCustomer} from './platform.js'

export interface AppUserObservation {
  userId: string
  name: string | null
  /** Null when the app backend does not know the user. */
  devices: AppDevice[] | null
}

export interface AppUsersObservation {
  /** The sales rep codes whose users were looked up; null when --user named the user. */
  salesRepCodes: string[] | null
  users: AppUserObservation[]
}

/** Everything the hops answered about one customer: the input of diagnosis. */
export interface CustomerObservations {
  code: string
  userId: string | null
  now: Date
  installation: Fetched<Installation>
  erpSystem: string | null
  erp: Fetched<ErpCustomerRecord | null> | null
  /** The ERP's export files (ftp installations); null when the profile has no file-server credentials. */
  ftp: Fetched<ExportCustomerLookup> | null
  cms: Fetched<CmsCustomer | null>
  syncRuns: Fetched<SyncRun[]>
  syncRecords: Fetched<SyncRecordOutcome[]>
  appCustomer: Fetched<AppPublishedCustomer | null>
  appUsers: Fetched<AppUsersObservation>
  webshop: Fetched<WebshopPublishedCustomer | null>
  /** Devices holding the customer as created but not uploaded; asked only when the CMS lacks it. */
  pendingOnDevices: Fetched<DeviceWithUpload[]> | null
  /** A customer created in the app on an ftp installation: its file in `Customers/`. */
  customerFile: Fetched<OrderFileLookup> | null
}

type DevicesOf = (userId: string) => Promise<AppDevice[] | null>

/**
 * Each user's devices asked once: those of the users the app shows the customer to (`visibleToUserIds`) go
 * out as soon as the app answers, beside the sales reps' user lookup, which mostly names the same users.
 */
function devicesOnce(app: AppClient): DevicesOf & {ahead: (userIds: string[]) => void} {
  const asked = new Map<string, Promise<AppDevice[] | null>>()
  const devicesOf = (userId: string) => {
    let devices = asked.get(userId)
    if (!devices) {
      devices = app.devices(userId)
      // Asked ahead for a user the reps' lookup may not name: its failure is nobody's finding.
      devices.catch(() => undefined)
      asked.set(userId, devices)
    }
    return devices
  }
  return Object.assign(devicesOf, {ahead: (userIds: string[]) => void userIds.forEach(devicesOf)})
}

async function observeUsers(
  devicesOf: DevicesOf,
  users: Array<{userId: string; name: string | null}>,
): Promise<AppUserObservation[]> {
  return Promise.all(users.map(async (user) => ({...user, devices: await devicesOf(user.userId)})))
}

async function observeNamedUser(devicesOf: DevicesOf, userId: string): Promise<AppUsersObservation> {
  return {salesRepCodes: null, users: await observeUsers(devicesOf, [{name: null, userId}])}
}

/** The users of the customer's sales reps, as the first hop that knows the reps has them (the CMS, else the ERP, the export, the app). */
async function observeRepUsers(
  app: AppClient,
  devicesOf: DevicesOf,
  repsAt: Array<() => Promise<string[] | null | undefined>>,
): Promise<AppUsersObservation> {
  let known: string[] | null | undefined
  for (const reps of repsAt) {
    known ??= await reps()
  }
  const salesRepCodes = [...new Set(known ?? [])]
  const usersByRep = await Promise.all(salesRepCodes.map((rep) => app.usersOfSalesRep(rep)))
  const unique = new Map<string, {userId: string; name: string | null}>()
  for (const user of usersByRep.flat()) unique.set(user.userId, {name: user.name, userId: user.userId})
  return {salesRepCodes, users: await observeUsers(devicesOf, [...unique.values()])}
}

/** The app's users of the customer: the one --user names, else its sales reps' users, each with their devices. */
function observeAppUsers(
  app: AppClient,
  userId: string | null,
  appCustomer: Promise<Fetched<AppPublishedCustomer | null>>,
  repsAt: Array<() => Promise<string[] | null | undefined>>,
): Promise<AppUsersObservation> {
  const devicesOf = devicesOnce(app)
  if (userId) return observeNamedUser(devicesOf, userId)
  void appCustomer.then((answer) => devicesOf.ahead(answerOf(answer)?.visibleToUserIds ?? []))
  return observeRepUsers(app, devicesOf, repsAt)
}

/** A customer the CMS does not have may still be on a device that has not uploaded it. */
async function onDevicesIfNotInCms(
  clients: InstallationClients,
  code: string,
  userId: string | null,
  cms: Promise<Fetched<CmsCustomer | null>>,
): Promise<DeviceWithUpload[] | null> {
  const answer = await cms
  return answer.ok && answer.value === null ? devicesWithUpload(clients, 'customer', code, userId) : null
}

/** A customer created in the app travels to the ERP as a file on ftp installations: its file in `Customers/`. */
async function fileIfCreatedOutsideErp(
  clients: InstallationClients,
  code: string,
  cms: Promise<Fetched<CmsCustomer | null>>,
  installation: Promise<Fetched<Installation>>,
  runs: Array<Promise<Fetched<SyncRun[]>>>,
): Promise<OrderFileLookup | null> {
  const record = answerOf(await cms)
  const connection = answerOf(await installation)?.connection
  const ftpSettings = clients.ftp
  if (!record || record.origin === 'erp' || !ftpSettings || connection !== 'ftp') return null
  return findOutboundFile(await fileServerSettings(ftpSettings, installation, runs), 'Customers', code)
}

/** The ERP's customer; without record times, whether it changed since the CMS last read it (changed-since.ts). */
function erpCustomer(
  clients: InstallationClients,
  code: string,
  cmsAnswers: {
    syncRuns: Promise<Fetched<SyncRun[]>>
    cms: Promise<Fetched<CmsCustomer | null>>
    syncRecords: Promise<Fetched<SyncRecordOutcome[]>>
  },
): Promise<Fetched<ErpCustomerRecord | null> | null> {
  const customers = clients.erp?.entities.customer
  if (!customers) return Promise.resolve(null)
  // Without record times: changed since the CMS last read it (its own write, or a run that read it), else
  // since the last covering sync started.
  const readBefore = async () => {
    const [runsAnswer, cmsAnswer, recordsAnswer] = await Promise.all([
      cmsAnswers.syncRuns,
      cmsAnswers.cms,
      cmsAnswers.syncRecords,
    ])
    const runs = answerOf(runsAnswer) ?? []
    const cmsRecord = answerOf(cmsAnswer)
    return cmsRecord
      ? lastReadAt(cmsRecord.syncedAt, answerOf(recordsAnswer) ?? [], runs)
      : lastSyncCovering(runs, code)?.startedAt
  }
  return settle(async () => askChangedSince(customers, code, await customers.find(code), readBefore))
}

/** The customer's row in the export files (ftp installations); null without file-server credentials. */
function exportCustomer(
  clients: InstallationClients,
  code: string,
  installation: Promise<Fetched<Installation>>,
  runsForFiles: Array<Promise<Fetched<SyncRun[]>>>,
): Promise<Fetched<ExportCustomerLookup> | null> {
  const ftpSettings = clients.ftp
  if (!ftpSettings) return Promise.resolve(null)
  // The file server's URL comes from the profile, else from the CMS: then the lookup waits for /installation.
  return settle(async () =>
    exportCustomers.find(await fileServerSettings(ftpSettings, installation, runsForFiles), code),
  )
}

/**
 * Asks every hop about one customer at once. Only the app's user lookup waits for something: without
 * --user, the users to check are those of the customer's sales reps, as the CMS (or else the ERP or the
 * app itself) has them.
 */
export async function observeCustomer(
  clients: InstallationClients,
  code: string,
  options: {userId?: string; now?: () => Date} = {},
): Promise<CustomerObservations> {
  const userId = options.userId ?? null
  const installation = settle(() => clients.cms.installation())
  const syncRuns = settle(() => clients.cms.syncRuns('customers', 20))
  const cms = settle(() => clients.cms.record(cmsCustomer, code))
  const syncRecords = settle(() => clients.cms.syncRecords('customers', code, 5))
  const erp = erpCustomer(clients, code, {cms, syncRecords, syncRuns})
  const appCustomer = settle(() => clients.app.record(appPublishedCustomer, code))
  const webshop = settle(() => clients.webshop.record(webshopPublishedCustomer, code))
  // The files the CMS's runs read (customers, items): the export files to read, not the layout's defaults.
  const runsForFiles = clients.ftp ? exportRuns(clients.cms, {customers: syncRuns}) : []
  const ftp = exportCustomer(clients, code, installation, runsForFiles)
  const repsAt = [
    async () => answerOf(await cms)?.customer.salesRepCodes,
    async () => answerOf(await erp)?.customer.salesRepCodes,
    async () => answerOf(await ftp)?.record?.value.salesRepCodes,
    async () => answerOf(await appCustomer)?.customer.salesRepCodes,
  ]
  const appUsers = settle(() => observeAppUsers(clients.app, userId, appCustomer, repsAt))
  const pendingOnDevices = settle(() => onDevicesIfNotInCms(clients, code, userId, cms))
  const customerFile = settle(() => fileIfCreatedOutsideErp(clients, code, cms, installation, runsForFiles))
  const answers = await awaitAll({
    appCustomer,
    appUsers,
    cms,
    customerFile,
    erp,
    ftp,
    installation,
    pendingOnDevices,
    syncRecords,
    syncRuns,
    webshop,
  })
  const nullable = <T>(fetched: Fetched<T | null>): Fetched<T> | null =>
    fetched.ok && fetched.value === null ? null : (fetched as Fetched<T>)
  return {
    appCustomer: answers.appCustomer,
    appUsers: answers.appUsers,
    cms: answers.cms,
    code,
    customerFile: nullable(answers.customerFile),
    erp: answers.erp,
    erpSystem: clients.erp?.system ?? null,
    ftp: answers.ftp,
    installation: answers.installation,
    now: options.now?.() ?? new Date(),
    pendingOnDevices: nullable(answers.pendingOnDevices),
    syncRecords: answers.syncRecords,
    syncRuns: answers.syncRuns,
    userId,
    webshop: answers.webshop,
  }
}
