import {emulatorOf, type FtpLayoutId} from './library.js'
import type {PriceHistory} from './types-price.js'

/**
 * A history: one installation's variation (the knobs) and a timeline of events around one record, with
 * every time given in minutes before a fixed `now`. The player plays it through the sandbox's platform
 * processes into an installation state; the oracle derives the expected verdict from it alone.
 */

/** An ftp installation's export files, or an ERP emulated in the sandbox (src/sandbox/erp/<erp>/emulator.ts; its system id). */
export type ErpKind = 'businesscentral' | 'fortnox' | 'ftp' | (string & {})
export type Entity = 'customer' | 'item' | 'order' | 'price'
export type Hop = 'erp' | 'ftp' | 'cms' | 'app' | 'webshop'
export type UserId = 'u-1' | 'u-2'
export type SalesRep = 'SR1' | 'SR2' | 'SR9'

export interface Knobs {
  erp: ErpKind
  /** Business Central: does it have the platform's AL extension (the ship-to route)? */
  shipToExtension: boolean
  /** ftp: which export file holds the record's row. */
  customerFile: 'customers.csv' | 'customers.xml'
  /** ftp: the ERP's file layout (src/connectors/ftp/layouts): the generic one, Winbas's or Monitor's; `generic` for direct installations. */
  layout: FtpLayoutId
  /**
   * ftp: the connector's settings name the export files (Winbas "Customer filename", Monitor "Folder name",
   * a renamed generic export): the ERP writes only those, the CMS's runs report them as `sourceFile`, the
   * profile names none. The layout's default names are then not on the server.
   */
  filesFromSettings: boolean
  /** ftp: how synctrace reaches the file server. */
  protocol: 'ftp' | 'ftps' | 'sftp'
  skipPrivateCustomers: boolean
  onlyWebshopItems: boolean
  /** A hop that is down, or slow (slow changes nothing but the time a trace takes). */
  fault: {hop: Hop; kind: 'down' | 'slow'} | null
  /** `--user`; null: the users of the customer's sales reps. */
  user: UserId | null
  /**
   * A tenant whose APIs give small pages: the ERP (a direct installation's) and the platform's list
   * endpoints give at most this many rows a page, whatever is asked; null: the APIs' own largest. A listing
   * or lookup stops only on its API's own end signal, so the verdict never depends on it.
   */
  maxPageSize: number | null
}

/** Minutes before now. */
type At = {ago: number}

export type SyncEvent = At & {
  kind: 'sync'
  mode: 'auto' | 'full' | 'targeted'
  /** A targeted run names the record (or another one). */
  covers: boolean
  /** What the run does with the record: reads it, fails on it, or never reads it. */
  outcome: 'read' | 'fail' | 'miss'
  publishApp: boolean
  publishWebshop: boolean
  /** Items: a `stock` run (it writes only the stock of items the CMS has), not an `items` run. */
  stock?: boolean
  /** The run as a whole ends `failed` (with an error), after what it did. */
  runFails?: boolean
}

export type CustomerEvent =
  | (At & {kind: 'erp-create'; private: boolean; rep: SalesRep; deliveries: 0 | 1 | 2})
  | (At & {kind: 'erp-edit'; field: 'name' | 'phone' | 'email' | 'invoice' | 'delivery'})
  | (At & {kind: 'erp-delete'})
  /** ftp: the ERP's export job writes the files (a snapshot of the ERP); `malformed`: the record's row is broken. */
  | (At & {kind: 'export'; malformed: boolean})
  | SyncEvent
  | (At & {kind: 'refresh'; user: UserId})
  | (At & {kind: 'republish'})
  /** Outbound: created on u-1's device; uploaded to the CMS; the CMS creates it in the ERP (direct) or writes its file (ftp). */
  | (At & {kind: 'device-create'})
  | (At & {kind: 'upload'})
  | (At & {kind: 'cms-to-erp'})
  | (At & {kind: 'erp-import'; result: 'processed' | 'rejected'})

export type ItemEvent =
  | (At & {kind: 'erp-create'; active: boolean; webshop: boolean})
  | (At & {kind: 'erp-edit'; field: 'price' | 'description' | 'stock'})
  | (At & {kind: 'export'; malformed: false})
  | SyncEvent
  | (At & {kind: 'republish'})

export type OrderEvent =
  | (At & {kind: 'order-create'; channel: 'app' | 'webshop'})
  /** Uploaded from the device, or handed over by the webshop. */
  | (At & {kind: 'order-upload'})
  | (At & {kind: 'transfer'; result: 'sent' | 'failed' | 'on-hold'; error: string | null})
  | (At & {kind: 'erp-import'; result: 'processed' | 'rejected'})
  /** The order file disappeared from every folder (ftp), or the sales order from the ERP (direct). */
  | (At & {kind: 'order-lost'})

export interface CustomerHistory {
  entity: 'customer'
  events: CustomerEvent[]
}

export interface ItemHistory {
  entity: 'item'
  events: ItemEvent[]
}

export interface OrderHistory {
  entity: 'order'
  /** What the ERP lacks of the order's customer and items. */
  erpLacks: {customer: boolean; item: boolean}
  events: OrderEvent[]
}

export type History = {seed: number; key: string; knobs: Knobs} & (
  | CustomerHistory
  | ItemHistory
  | OrderHistory
  | PriceHistory
)

export interface Expected {
  brokenLink: {from: Hop | null; to: Hop} | null
  cause: string
  actionKind: string
  exitCode: number
}

/** The oracle's answer: the expected verdict, or why the history is outside the region where the rules are unambiguous. */
export type OracleAnswer = {expected: Expected; why: string} | {ambiguous: string}

/** The fixed keys of the histories' records. */
export const historyKeys = {
  customer: '41001',
  item: 'H-100',
  order: 'HO-5001',
  orderCustomer: '41090',
  orderItems: ['H-210', 'H-220'],
} as const

/** Webshop push grace and order/new-customer grace of the rules (minutes). */
export const graceMinutes = {webshopPush: 15, transfer: 30, exportStaleHours: 49} as const

/** What an emulated ERP's records cannot carry, so the CMS keeps its own value (its emulator's `cannotSupply`). */
export function erpCannotSupply(erp: ErpKind, what: 'salesRep' | 'isPrivate' | 'webshopFlag'): boolean {
  return emulatorOf(erp)?.cannotSupply?.includes(what) ?? false
}

/**
 * Does a stock movement move the time the trace reads? Fortnox's `lastmodified` filter and Visma.net's
 * warehouse rows, and an export row's `lastmodified`; not Business Central (`inventory` is computed from
 * ledger entries), Visma eAccounting (`StockBalanceManuallyChangedUtc` is for manual changes only) or NetSuite.
 */
export function stockMovesChangeTime(erp: ErpKind): boolean {
  return erp === 'fortnox' || erp === 'visma-net' || erp === 'ftp'
}
