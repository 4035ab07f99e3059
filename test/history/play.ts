import {randomBytes} from 'node:crypto'

import {type EmulatedErp, emulatorFor, type ExportsState, type InstallationState} from './library.js'
import type {ErpKind, History, Knobs} from './types.js'
import {type Clock, timeZone, type Json} from './play-steps.js'
import {playCustomer} from './play-customer.js'
import {playItem} from './play-item.js'
import {playOrder} from './play-order.js'
import {playPrice} from './play-price.js'

/**
 * The history player: builds an installation by playing a history's events, oldest first, through the
 * sandbox's own platform processes (the CMS's sync runs, its publishing to the app and webshop, the
 * devices' refreshes, the CMS's transfers) on top of an ERP (through its sandbox emulator, or the
 * export files of an ftp installation) edited as the events say. The result is an `InstallationState` that the
 * ordinary sandbox servers serve.
 */

export function installationKind(history: History): ErpKind {
  return history.knobs.erp
}

/** The ERP played through its sandbox emulator (every ERP but the export files); the knobs an emulator heeds are its seed. */
function emulatedErp(kind: ErpKind, knobs: Knobs): EmulatedErp | null {
  if (kind === 'ftp') return null
  const emulator = emulatorFor(kind)
  return {
    emulator,
    state: emulator.create({
      shipToExtension: knobs.shipToExtension,
      ...(knobs.maxPageSize ? {maxPageSize: knobs.maxPageSize} : {}),
    }),
  }
}

/** An empty installation of the history's kind: ERP, CMS, two app users with one iPad each, the webshop. */
function emptyState(history: History, now: Date): InstallationState {
  const {knobs} = history
  const kind = installationKind(history)
  const iso = (ago: number) => new Date(now.getTime() - ago * 60_000).toISOString()
  const erp = emulatedErp(kind, knobs)
  return {
    anchors: {now, sync: now},
    app: emptyApp(iso),
    cms: {customers: new Map(), items: new Map(), orders: new Map(), records: new Map(), runs: []},
    erp,
    exports: kind === 'ftp' ? emptyExports(knobs) : null,
    id: `history-${kind}`,
    installation: installationOf(knobs, kind, erp),
    ...(knobs.maxPageSize ? {platformMaxPageSize: knobs.maxPageSize} : {}),
    scenarios: [{code: history.key, situation: `history ${history.seed}`}],
    webshop: {customers: new Map(), items: new Map(), orders: new Map()},
  }
}

/** Two app users with one iPad each, refreshed ten days ago. */
function emptyApp(iso: (ago: number) => string): InstallationState['app'] {
  const device = (deviceId: string) => ({
    appVersion: '5.12.0',
    deviceId,
    lastFullRefreshAt: iso(20 * 1440),
    lastRefreshAt: iso(10 * 1440),
    lastSeenAt: iso(10 * 1440),
    model: 'iPad',
    pendingUploads: [] as Json[],
  })
  return {
    customers: new Map(),
    devices: new Map([
      ['u-1', [device('d-1')]],
      ['u-2', [device('d-2')]],
    ]),
    items: new Map(),
    users: [
      {name: 'Erik Lund', salesRepCodes: ['SR1'], userId: 'u-1'},
      {name: 'Sara Berg', salesRepCodes: ['SR2'], userId: 'u-2'},
    ],
  }
}

/** The names a layout's connector settings give the export files, when the history has them (`filesFromSettings`). */
const settingsFileNames: Record<Knobs['layout'], {customers: string; items: string}> = {
  generic: {customers: 'export/customers.csv', items: 'export/items.csv'},
  monitor: {customers: 'Monitor/customers.xml', items: 'Monitor/items.xml'},
  winbas: {customers: 'kunder.xml', items: 'artiklar.xml'},
}

function emptyExports(knobs: Knobs): ExportsState {
  return {
    baseFolder: 'a4s',
    customerFiles: [],
    ...(knobs.filesFromSettings ? {fileNames: settingsFileNames[knobs.layout]} : {}),
    customers: [],
    files: {},
    items: [],
    layout: knobs.layout,
    layoutInProfile: knobs.layout === 'generic',
    orderFiles: [],
    password: `sbx-ftp-${randomBytes(9).toString('base64url')}`,
    user: 'history-a4s',
  }
}

/** The CMS's /installation: a nightly auto-sync, the filters of the knobs, the ERP system it reports. */
function installationOf(knobs: Knobs, kind: ErpKind, erp: EmulatedErp | null): Json {
  return {
    autoSync: {at: '02:00', everyHours: 24, timezone: timeZone},
    connection: kind === 'ftp' ? 'ftp' : 'direct',
    // Generic ftp histories keep reporting Winbas, their profile naming the generic layout.
    erp: {
      system:
        kind === 'ftp' ? (knobs.layout === 'generic' ? 'winbas' : knobs.layout) : (erp?.emulator.cmsSystem ?? kind),
    },
    filters: {
      onlyWebshopItems: knobs.onlyWebshopItems,
      skipBlockedCustomers: false,
      skipPrivateCustomers: knobs.skipPrivateCustomers,
    },
    ftp: kind === 'ftp' ? {url: 'sftp://127.0.0.1/a4s'} : null,
    id: `history-${kind}`,
    name: 'History AB',
  }
}

/** Plays a history into a new installation state; `now` is the instant its times are relative to. */
export function playHistory(history: History, now: Date = new Date()): InstallationState {
  const state = emptyState(history, now)
  const clock: Clock = {iso: (ago) => new Date(now.getTime() - ago * 60_000).toISOString()}
  if (history.entity === 'customer') playCustomer(state, history, clock)
  else if (history.entity === 'item') playItem(state, history, clock)
  else if (history.entity === 'price') playPrice(state, history, clock)
  else playOrder(state, history, clock)
  return state
}
