import {randomBytes} from 'node:crypto'

import {ftpLayoutFor} from '../connectors/ftp/layouts/registry.js'
import {emulatorFor} from './erp/registry.js'
import {loadPrices} from './load-prices.js'
import type {PlatformCustomerJson, PlatformItemJson} from '../emulation/records.js'
import {latestAutoSyncStart, resolveIso, type TimeAnchors} from './relative-time.js'
import {applyChanges, readSeed, type SeedCustomer, type SeedFile, type SeedItem, type SeedOrder} from './seed.js'
import {type ExportsState, type InstallationState, syncRecordsKey} from './state.js'

export {seededInstallations} from './seed.js'

type Json = Record<string, unknown>
/** A seed's relative time ("sync-3d+2m", "now-20m") as an ISO instant; null stays null. */
type At = (expression: string | null | undefined) => string | null

/** The ERP and file-server parts of a new state, with fresh credentials, before any record is put in. */
function emptySystems(seed: SeedFile, at: At): Pick<InstallationState, 'erp' | 'exports'> {
  const exports: ExportsState | null = seed.fileServer
    ? {
        baseFolder: seed.fileServer.baseFolder,
        customerFiles: [],
        layout: ftpLayoutFor(seed.fileServer.layout, (seed.installation.erp as {system?: string} | undefined)?.system)
          .id,
        layoutInProfile: seed.fileServer.layout !== undefined,
        customers: [],
        ...(seed.fileServer.fileNames ? {fileNames: seed.fileServer.fileNames} : {}),
        files: Object.fromEntries(
          Object.entries(seed.fileServer.files).map(([name, file]) => [name, {modified: at(file.modified) as string}]),
        ),
        items: [],
        orderFiles: [],
        password: `sbx-ftp-${randomBytes(9).toString('base64url')}`,
        user: seed.fileServer.user,
      }
    : null
  const emulator = seed.emulator ? emulatorFor(seed.emulator.system) : null
  return {erp: emulator && seed.emulator ? {emulator, state: emulator.create(seed.emulator)} : null, exports}
}

function putUsers(state: InstallationState, seed: SeedFile, at: At): void {
  for (const user of seed.users) {
    state.app.users.push({name: user.name, salesRepCodes: user.salesRepCodes, userId: user.userId})
    state.app.devices.set(
      user.userId,
      user.devices.map((device) => ({
        ...device,
        lastFullRefreshAt: at(device.lastFullRefreshAt as string),
        lastRefreshAt: at(device.lastRefreshAt as string),
        lastSeenAt: at(device.lastSeenAt as string),
      })),
    )
  }
}

function syncRuns(seed: SeedFile, at: At): Json[] {
  return seed.syncRuns.map((run) => ({
    counts: run.counts,
    entity: run.entity,
    error: run.error ?? null,
    finishedAt: at(run.finished),
    keys: null,
    mode: run.mode,
    requestedBy: 'auto',
    runId: run.runId,
    source: run.sourceFile ? 'ftp-file' : 'erp-api',
    sourceFile: run.sourceFile ?? null,
    sourceFileModifiedAt: at(run.sourceFileModified),
    startedAt: at(run.started),
    status: run.status,
  }))
}

/** Something created on a device and not uploaded yet: in that device's `pendingUploads`. */
function putPendingUpload(
  state: InstallationState,
  device: {userId: string; deviceId: string; created: string},
  kind: 'customer' | 'order',
  key: string,
  at: At,
): void {
  const found = state.app.devices.get(device.userId)?.find((entry) => entry.deviceId === device.deviceId)
  if (found) (found.pendingUploads as Json[]).push({createdAt: at(device.created), key, kind})
}

/**
 * The ERP's change time of the version the CMS holds, unless the seed names it: none from an ERP whose records
 * carry no change time (Fortnox), and none known when the ERP's current time is later than the CMS's write
 * (the CMS cannot have received a time from after it wrote the record).
 */
function heldVersionTime(
  state: InstallationState,
  seeded: {erp?: {modifiedAt: string} | null; cms: {syncedAt: string} | null},
  at: At,
): string | undefined {
  if (!seeded.erp || state.erp?.emulator.noChangeTimes) return undefined
  const erpAt = at(seeded.erp.modifiedAt)
  const cmsAt = at(seeded.cms?.syncedAt)
  return erpAt && cmsAt && Date.parse(erpAt) > Date.parse(cmsAt) ? undefined : seeded.erp.modifiedAt
}

/** A seeded customer into every system that has it: the ERP (or its export), the CMS, the app, the webshop. */
function putCustomer(state: InstallationState, seeded: SeedCustomer, at: At): void {
  state.cms.records.set(
    syncRecordsKey('customers', seeded.code),
    seeded.syncRecords.map((entry) => ({
      at: at(entry.at),
      outcome: entry.outcome,
      reason: entry.reason ?? null,
      runId: entry.runId,
    })),
  )
  if (seeded.device) putPendingUpload(state, seeded.device, 'customer', seeded.code, at)
  if (!seeded.record) return
  const record = {customerCode: seeded.code, ...seeded.record} as PlatformCustomerJson
  const {erp, exports} = state
  if (seeded.customerFile && exports)
    exports.customerFiles.push({
      error: seeded.customerFile.error ?? null,
      folder: seeded.customerFile.folder,
      modified: at(seeded.customerFile.modified) as string,
      orderNr: seeded.code,
      record,
    })
  if (seeded.export && exports)
    exports.customers.push({
      code: seeded.code,
      file: seeded.export.file,
      lastModified: at(seeded.export.lastModified) as string,
      malformed: seeded.export.malformed ?? false,
      record: applyChanges(record, seeded.export.changes),
    })
  if (seeded.erp) {
    const inErp = applyChanges(record, seeded.erp.changes)
    const modifiedAt = at(seeded.erp.modifiedAt) as string
    if (erp) erp.emulator.putCustomer(erp.state, inErp, modifiedAt)
  }
  if (seeded.cms)
    state.cms.customers.set(seeded.code, {
      ...record,
      erpModifiedAt: at(seeded.cms.erpModifiedAt ?? heldVersionTime(state, seeded, at)),
      origin: seeded.origin ?? 'erp',
      syncedAt: at(seeded.cms.syncedAt),
    })
  if (seeded.app)
    state.app.customers.set(seeded.code, {
      customerCode: seeded.code,
      publishedAt: at(seeded.app.publishedAt),
      record: {...record, origin: 'erp'},
      visibleToUserIds: seeded.app.visibleToUserIds,
    })
  if (seeded.webshop)
    state.webshop.customers.set(seeded.code, {
      accounts: record.email ? [{active: true, login: record.email.toLowerCase()}] : [],
      customerCode: seeded.code,
      publishedAt: at(seeded.webshop.publishedAt),
      record: {...record, origin: 'erp'},
    })
}

/** The CMS's order of a seed, as the contract shows it. */
function cmsOrder(seeded: SeedOrder, transfer: NonNullable<SeedOrder['transfer']>, at: At): Json {
  return {
    channel: seeded.channel ?? 'app',
    createdAt: at(seeded.created),
    customerCode: seeded.customerCode ?? '',
    deliveryAddress: null,
    lines: (seeded.lines ?? []).map((line, index) => ({...line, discount: 0, lineNo: index + 1, unit: 'st'})),
    orderDate: (at(seeded.created) ?? '').slice(0, 10),
    orderNr: seeded.orderNr,
    receivedAt: at(seeded.received),
    transfer: {
      attempts: transfer.attempts,
      erpDocumentNumber: transfer.erpDocumentNumber ?? null,
      error: transfer.error ?? null,
      file: transfer.file ?? null,
      lastAttemptAt: at(transfer.lastAttempt),
      status: transfer.status,
    },
    yourReference: seeded.yourReference ?? '',
  }
}

/** A seeded order as the ERP booked it (its emulator writes it in the ERP's own form). */
function putErpOrder(state: InstallationState, seeded: SeedOrder, booked: NonNullable<SeedOrder['erp']>, at: At): void {
  const orderDate = (at(seeded.created) ?? '').slice(0, 10)
  const total = (seeded.lines ?? []).reduce((sum, line) => sum + line.quantity * line.price, 0) * 1.25
  const customerName = (state.cms.customers.get(seeded.customerCode ?? '')?.name as string | undefined) ?? null
  const {erp} = state
  if (erp)
    erp.emulator.putOrder(erp.state, {
      customerCode: seeded.customerCode ?? '',
      customerName,
      documentNumber: booked.documentNumber,
      modifiedAt: at(booked.modified) as string,
      orderDate,
      orderNr: seeded.orderNr,
      status: booked.status,
      total,
      yourReference: seeded.yourReference ?? null,
    })
}

function putOrder(state: InstallationState, seeded: SeedOrder, at: At): void {
  if (seeded.device) putPendingUpload(state, seeded.device, 'order', seeded.orderNr, at)
  if (seeded.cms === null || !seeded.transfer) return
  state.cms.orders.set(seeded.orderNr, cmsOrder(seeded, seeded.transfer, at))
  if (seeded.webshop)
    state.webshop.orders.set(seeded.orderNr, {
      handedToCmsAt: at(seeded.webshop.handed),
      orderNr: seeded.orderNr,
      placedAt: at(seeded.webshop.placed),
    })
  if (seeded.erp) putErpOrder(state, seeded, seeded.erp, at)
  if (seeded.file && state.exports)
    state.exports.orderFiles.push({
      error: seeded.file.error ?? null,
      folder: seeded.file.folder,
      modified: at(seeded.file.modified) as string,
      orderNr: seeded.orderNr,
    })
}

function putItem(state: InstallationState, seeded: SeedItem, at: At): void {
  const record = {itemCode: seeded.code, ...seeded.record} as PlatformItemJson
  if (seeded.stockRecords)
    state.cms.records.set(
      syncRecordsKey('stock', seeded.code),
      seeded.stockRecords.map((entry) => ({
        at: at(entry.at),
        outcome: entry.outcome,
        reason: entry.reason ?? null,
        runId: entry.runId,
      })),
    )
  const {erp, exports} = state
  if (seeded.erp) {
    const inErp = {...record, ...(seeded.erp.changes as Partial<PlatformItemJson> | undefined)}
    const modifiedAt = at(seeded.erp.modifiedAt) as string
    if (erp) erp.emulator.putItem(erp.state, inErp, modifiedAt)
  }
  if (seeded.export && exports)
    exports.items.push({
      emptyCurrency: seeded.export.emptyCurrency ?? false,
      lastModified: at(seeded.export.lastModified) as string,
      record: {...record, ...(seeded.export.changes as Partial<PlatformItemJson> | undefined)},
      vatIncluded: !seeded.export.noVatIncluded,
    })
  if (seeded.cms)
    state.cms.items.set(seeded.code, {
      ...record,
      erpModifiedAt: at(seeded.cms.erpModifiedAt ?? heldVersionTime(state, seeded, at) ?? seeded.export?.lastModified),
      syncedAt: at(seeded.cms.syncedAt),
    })
  if (seeded.app)
    state.app.items.set(seeded.code, {itemCode: seeded.code, publishedAt: at(seeded.app.publishedAt), record})
  if (seeded.webshop)
    state.webshop.items.set(seeded.code, {
      handedAt: null,
      itemCode: seeded.code,
      price: record.price,
      publishedAt: at(seeded.webshop.publishedAt),
      stock: record.stock,
      visible: seeded.webshop.visible,
    })
}

/** One seeded installation's state, its relative times resolved against `now` and its last auto-sync. */
export function loadInstallationState(id: string, now = new Date()): InstallationState {
  const seed = readSeed(id)
  const {autoSync} = seed.installation
  const anchors: TimeAnchors = {now, sync: latestAutoSyncStart(now, autoSync.at, autoSync.timezone)}
  const at: At = (expression) => resolveIso(expression, anchors)
  const state: InstallationState = {
    anchors,
    app: {customers: new Map(), devices: new Map(), items: new Map(), users: []},
    cms: {customers: new Map(), items: new Map(), orders: new Map(), records: new Map(), runs: syncRuns(seed, at)},
    id,
    installation: seed.installation,
    scenarios: [
      ...seed.customers,
      ...(seed.items ?? []),
      ...(seed.orders ?? []).map((order) => ({code: order.orderNr, situation: order.situation})),
    ].map(({code, situation}) => ({
      code,
      situation,
    })),
    webshop: {customers: new Map(), items: new Map(), orders: new Map()},
    ...emptySystems(seed, at),
    ...(seed.platform?.maxPageSize ? {platformMaxPageSize: seed.platform.maxPageSize} : {}),
  }
  putUsers(state, seed, at)
  for (const seeded of [...seed.customers, ...(seed.prices?.customers ?? [])]) putCustomer(state, seeded, at)
  for (const seeded of seed.orders ?? []) putOrder(state, seeded, at)
  for (const seeded of seed.items ?? []) putItem(state, seeded, at)
  loadPrices(state, seed.prices, at)
  return state
}
