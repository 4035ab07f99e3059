import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {FtpLayoutId} from '../connectors/ftp/layouts/types.js'
import type {
  PlatformAddressJson,
  PlatformCustomerJson,
  PlatformDiscountGroupJson,
  PlatformItemJson,
  PlatformPriceListJson,
  PlatformPriceRowJson,
  PlatformPricingJson,
} from '../emulation/records.js'

/** The seed files of the sandbox's installations (src/sandbox/seed), with times relative to "now" and to the last auto-sync. */

type Json = Record<string, unknown>

export interface SeedCustomer {
  code: string
  situation: string
  record: Omit<PlatformCustomerJson, 'customerCode'> | null
  erp?: {modifiedAt: string; changes?: Json} | null
  export?: {file: string; lastModified: string; changes?: Json; malformed?: boolean} | null
  cms: {syncedAt: string; erpModifiedAt?: string} | null
  app: {publishedAt: string; visibleToUserIds: string[]} | null
  webshop: {publishedAt: string} | null
  syncRecords: Array<{runId: string; at: string; outcome: string; reason?: string}>
  /** Where the customer was created: the ERP (default), or the app or webshop (outbound). */
  origin?: 'erp' | 'app' | 'webshop'
  /** Created on a device and not uploaded yet. */
  device?: {userId: string; deviceId: string; created: string}
  /** A new customer's file in Customers/ (ftp installations). */
  customerFile?: {folder: string; modified: string; error?: string}
}

export interface SeedItem {
  code: string
  situation: string
  record: Omit<PlatformItemJson, 'itemCode'>
  erp?: {modifiedAt: string; changes?: Json}
  /** `changes`: what the export holds that the CMS does not (yet); `noVatIncluded`: Monitor's items.xml leaves `vatincluded` out. */
  export?: {lastModified: string; emptyCurrency?: boolean; changes?: Json; noVatIncluded?: boolean}
  /** `erpModifiedAt`: the source's change time of the version the CMS holds (default: the source's current one). */
  cms: {syncedAt: string; erpModifiedAt?: string} | null
  app: {publishedAt: string} | null
  webshop: {publishedAt: string; visible: boolean} | null
  /** What the stock runs did with the item (`/sync/records?entity=stock`), newest first; absent: none. */
  stockRecords?: Array<{runId: string; at: string; outcome: string; reason?: string}>
}

export interface SeedOrder {
  orderNr: string
  situation: string
  channel?: string
  customerCode?: string
  yourReference?: string
  created?: string
  received?: string
  lines?: Array<{itemCode: string; quantity: number; price: number}>
  transfer?: {
    status: string
    attempts: number
    lastAttempt?: string
    error?: string
    erpDocumentNumber?: string
    file?: string
  }
  cms?: null
  erp?: {documentNumber: string; modified: string; status: string}
  device?: {userId: string; deviceId: string; created: string}
  webshop?: {placed: string; handed: string | null}
  file?: {folder: string; modified: string; error?: string}
}

/**
 * A seed's prices, per hop as its customers are: each list, row, discount group and pricing profile is what the
 * CMS holds, with what the ERP (or its export) holds (`erp`: `null` not there, `changes` its differences, `modifiedAt`),
 * when the CMS wrote it (`cms`: `null` never written; `erpModifiedAt` the source's time of the version it holds),
 * and what the app backend and the webshop were published (`null` never; `changes` an older version they hold).
 */
export interface SeedPriceHops {
  erp?: {modifiedAt?: string; changes?: Json} | null
  /** `active`: a list's (false: deactivated, no rows); `effectivePriceListCode`: a profile's, when the CMS deduplicated it. */
  cms?: {syncedAt?: string; erpModifiedAt?: string | null; effectivePriceListCode?: string; active?: boolean} | null
  app?: {publishedAt?: string; changes?: Json} | null
  webshop?: {publishedAt?: string; changes?: Json} | null
}

export interface SeedPrices {
  /** The default of each hop's time: the ERP's change, the CMS's write (the last `prices`/`customers` run), the publishes. */
  times: {erpModifiedAt: string; syncedAt: string; appPublishedAt: string; webshopPublishedAt: string}
  lists: Array<Omit<PlatformPriceListJson, 'active'> & SeedPriceHops>
  rows: Array<PlatformPriceRowJson & SeedPriceHops>
  discountGroups?: Array<PlatformDiscountGroupJson & SeedPriceHops>
  /** Fields left out: no list (`priceListCode` null), no action list, discount 0, no group, the item's currency, prices shown. */
  pricing: Array<Partial<Omit<PlatformPricingJson, 'effectivePriceListCode'>> & {customerCode: string} & SeedPriceHops>
  /** What recent `prices` runs did with a list (no itemCode) or one item's rows on it, newest first. */
  syncRecords?: Array<{
    priceListCode: string
    itemCode?: string
    runId: string
    at: string
    outcome: string
    reason?: string
  }>
  /** Customers that exist for the price scenarios (consistent at every hop; not customer scenarios of their own). */
  customers?: SeedCustomer[]
  /** `prices` runs besides the seed's `syncRuns` (a targeted one names its lists in `keys`). */
  runs?: Array<{runId: string; keys: string[] | null; started: string; finished: string; counts: Json}>
  /** The seeded price situations (`customer/item`), listed by `synctrace sandbox`. */
  scenarios: Array<{code: string; situation: string}>
}

export interface SeedFile {
  extends?: string
  /** The ERP of a direct installation, emulated in the sandbox (src/sandbox/erp/<erp>/emulator.ts): its system and settings. */
  emulator?: Json & {system: string}
  /** The platform's list endpoints: `maxPageSize` caps their pages below the `limit` asked for. */
  platform?: {maxPageSize?: number}
  orders?: SeedOrder[]
  items?: SeedItem[]
  installation: Json & {id: string; autoSync: {at: string; timezone: string; everyHours: number}}
  /** `layout`: the ERP's file layout, stated in the sandbox's profile (`ftp.layout`); without it the layout follows the CMS's `erp.system`. */
  /** `fileNames`: the names the ERP's export job writes under (its settings), reported by the CMS's runs as `sourceFile`. */
  fileServer?: {
    user: string
    baseFolder: string
    files: Record<string, {modified: string}>
    layout?: FtpLayoutId
    fileNames?: Partial<Record<'customers' | 'items', string>>
  }
  users: Array<{userId: string; name: string; salesRepCodes: string[]; devices: Json[]}>
  syncRuns: Array<{
    runId: string
    entity: string
    mode: string
    started: string
    finished: string | null
    status: string
    counts: Json
    error?: string
    sourceFile?: string
    sourceFileModified?: string
  }>
  customers: SeedCustomer[]
  /** Customer prices per hop (`load-prices.ts`), with their scenarios. */
  prices?: SeedPrices
}

const seedDir = join(dirname(fileURLToPath(import.meta.url)), 'seed')

/** The seeded installations: the first five in their long-standing order, then every other seed file. */
export function seededInstallations(): string[] {
  const first = ['acme', 'acme-plain', 'nordic', 'nordic-stale', 'fjord']
  const others = readdirSync(seedDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((id) => !first.includes(id))
    .sort()
  return [...first, ...others]
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (Array.isArray(override) || typeof override !== 'object' || override === null) return override
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return override
  const merged: Json = {...(base as Json)}
  for (const [key, value] of Object.entries(override as Json)) merged[key] = deepMerge((base as Json)[key], value)
  return merged
}

/** A seed file, with `extends` resolved: objects merge, lists replace. */
export function readSeed(id: string): SeedFile {
  const seed = JSON.parse(readFileSync(join(seedDir, `${id}.json`), 'utf8')) as SeedFile
  if (!seed.extends) return seed
  const {extends: parent, ...rest} = seed
  return deepMerge(readSeed(parent), rest) as SeedFile
}

/** A seeded customer as the ERP (or its export) holds it: the record with the seed's `changes` applied to it. */
export function applyChanges(record: PlatformCustomerJson, changes: Json | undefined): PlatformCustomerJson {
  if (!changes) return record
  const {addresses: addressChanges, ...fields} = changes as {addresses?: Record<string, Json>}
  const changed: PlatformCustomerJson = {...record, ...(fields as Partial<PlatformCustomerJson>)}
  changed.addresses = record.addresses.map((address) => {
    const change = addressChanges?.[address.addressType]
    return change && address.isMain ? {...address, ...(change as Partial<PlatformAddressJson>)} : address
  })
  return changed
}
