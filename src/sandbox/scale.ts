import {randomBytes} from 'node:crypto'
import {closeSync, mkdirSync, mkdtempSync, openSync, rmSync, utimesSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Profile} from '../config/profile.js'
import {registerSecret} from '../http/redact.js'
import type {HopPair, ReconcileClass, ReconcileEntity} from '../reconcile/types.js'
import {compareKeys} from '../util/key-order.js'
import {type SandboxFileServers, startFileServers} from './file-server.js'
import {sandboxUsers} from './platform.js'
import {type Handler, json, matchPath, type SandboxRequest, type SandboxResponse, SandboxService} from '../emulation/service.js'
import {businessCentralProfile, stableGuid} from './wire.js'

/**
 * The sandbox at scale (`--sandbox --scale N`, `synctrace sandbox --scale N`): an installation with N
 * customers and N items per hop, generated from their index on the fly (nothing but the changes a job
 * makes is held in memory), with a known set of planted differences of every class. `scale` is a direct
 * Business Central installation (erp,cms), `scale-ftp` reads export files from an FTP/SFTP server
 * (ftp,cms); both have the CMS, the app backend and the webshop (cms,app and cms,webshop). The list
 * endpoints page as the real ones: the platform's `limit`/`after`/`next`, Business Central's
 * `@odata.nextLink` with `Prefer: odata.maxpagesize`.
 */

export const scaleInstallations = ['scale', 'scale-ftp']

type Json = Record<string, unknown>

/** Which residue of the index (mod 100) plants which class; every other record is consistent at every hop. */
const residue = {
  appBehind: 12,
  appDiffers: 13,
  cmsDiffers: 4,
  createdAfterSync: 1,
  changedAfterSync: 2,
  excluded: 3,
  notPublishedToApp: 11,
  notPublishedToWebshop: 21,
  notAWebshopItem: 25,
  notReadBySync: 6,
  notVisible: 14,
  onlyInApp: 15,
  onlyInWebshop: 24,
  removedFromSource: 5,
  unreadableRow: 7,
  webshopBehind: 22,
  webshopDiffers: 23,
} as const

const reps = 20

export interface ScaleClock {
  now: number
  syncStart: number
  syncEnd: number
  cmsWritten: number
  published: number
  oldChange: number
  recentChange: number
  oldPublished: number
  exportFileRead: number
  exportFileWritten: number
}

function clockAt(now: number): ScaleClock {
  const minute = 60_000
  // Whole seconds: the CMS stores the ERP's change times truncated to seconds.
  const at = (offsetMinutes: number) => Math.floor((now - offsetMinutes * minute) / 1000) * 1000
  return {
    cmsWritten: at(115),
    exportFileRead: at(180),
    exportFileWritten: at(20),
    now,
    oldChange: at(3 * 24 * 60),
    oldPublished: at(3 * 24 * 60),
    published: at(110),
    recentChange: at(30),
    syncEnd: at(110),
    syncStart: at(120),
  }
}

/** The clock's times are few: their ISO texts are made once, not once per generated record. */
const isoTexts = new Map<number, string>()
const iso = (ms: number) => {
  let text = isoTexts.get(ms)
  if (text === undefined) {
    text = new Date(ms).toISOString()
    if (isoTexts.size < 64) isoTexts.set(ms, text)
  }
  return text
}
const pad = (index: number) => String(index).padStart(8, '0')
export const scaleKey = (entity: ReconcileEntity, index: number) => `${entity === 'customers' ? 'C' : 'P'}${pad(index)}`

/** The index of a generated key, or null for a key the installation cannot have. */
function indexOf(entity: ReconcileEntity, key: string, records: number): number | null {
  const match = /^([CP])(\d{8})$/.exec(key)
  if (!match || match[1] !== (entity === 'customers' ? 'C' : 'P')) return null
  const index = Number(match[2])
  return index < records ? index : null
}

/** The first index whose key sorts after `after` (keys are fixed-width, so index order is key order). */
function firstIndexAfter(entity: ReconcileEntity, after: string | null, records: number): number {
  if (after === null) return 0
  let low = 0
  let high = records
  while (low < high) {
    const middle = (low + high) >> 1
    if (compareKeys(scaleKey(entity, middle), after) <= 0) low = middle + 1
    else high = middle
  }
  return low
}

/** How many indices below `records` have this residue. */
function countResidue(records: number, r: number): number {
  return records > r ? Math.floor((records - 1 - r) / 100) + 1 : 0
}

/** The planted findings per entity and pair of hops: what `reconcile` must find, exactly. */
export function plantedCounts(id: string, records: number): Record<ReconcileEntity, Partial<Record<HopPair, Partial<Record<ReconcileClass, number>>>>> {
  const n = (r: number) => countResidue(records, r)
  const source: Partial<Record<ReconcileClass, number>> = {
    'cms-differs-from-erp': n(residue.cmsDiffers),
    'created-after-sync': n(residue.createdAfterSync),
    'erp-changed-after-sync': n(residue.changedAfterSync),
    'not-read-by-sync': n(residue.notReadBySync),
  }
  const ftp = id === 'scale-ftp'
  if (ftp) {
    // The export on the server was written after the version the last sync read: as a trace says, every
    // difference is then news to the CMS (the row times cannot show an older change).
    source['created-after-sync'] = n(residue.createdAfterSync) + n(residue.notReadBySync)
    source['erp-changed-after-sync'] = n(residue.changedAfterSync) + n(residue.cmsDiffers)
    delete source['cms-differs-from-erp']
    delete source['not-read-by-sync']
  }
  const customersSource = {...source, 'excluded-by-filter': n(residue.excluded)}
  const itemsSource = {...source, 'item-excluded': n(residue.excluded)}
  const sourcePair: HopPair = ftp ? 'ftp,cms' : 'erp,cms'
  const missingClass: ReconcileClass = ftp ? 'not-in-export' : 'removed-from-erp'
  const unreadable = ftp ? {'export-row-unreadable': n(residue.unreadableRow)} : {}
  return {
    customers: {
      'cms,app': {
        'app-differs-from-cms': n(residue.appDiffers),
        'app-publish-behind': n(residue.appBehind),
        'not-published-to-app': n(residue.notPublishedToApp),
        'not-visible-to-user': n(residue.notVisible),
        'only-in-app': n(residue.onlyInApp),
      },
      'cms,webshop': {
        'not-published-to-webshop': n(residue.notPublishedToWebshop),
        'only-in-webshop': n(residue.onlyInWebshop),
        'webshop-behind': n(residue.webshopBehind),
        'webshop-differs-from-cms': n(residue.webshopDiffers),
      },
      [sourcePair]: {...customersSource, [missingClass]: n(residue.removedFromSource), ...unreadable},
    },
    items: {
      'cms,app': {
        'app-differs-from-cms': n(residue.appDiffers),
        'app-publish-behind': n(residue.appBehind),
        'not-published-to-app': n(residue.notPublishedToApp),
        'only-in-app': n(residue.onlyInApp),
      },
      'cms,webshop': {
        'not-a-webshop-item': n(residue.notAWebshopItem),
        'not-published-to-webshop': n(residue.notPublishedToWebshop),
        'only-in-webshop': n(residue.onlyInWebshop),
        'webshop-behind': n(residue.webshopBehind),
        'webshop-differs-from-cms': n(residue.webshopDiffers),
      },
      [sourcePair]: {...itemsSource, [missingClass]: n(residue.removedFromSource), ...unreadable},
    },
  }
}

interface SourceCustomer {
  record: Json
  modified: number
}

/** The generated installation: every hop's view of record `index`, with the changes jobs made on top. */
export class ScaleModel {
  readonly clock: ScaleClock
  /** Records jobs wrote, per hop and key (null: removed). */
  readonly written = {app: new Map<string, Json | null>(), cms: new Map<string, Json | null>(), webshop: new Map<string, Json | null>()}
  readonly runs: Json[] = []

  constructor(
    readonly id: string,
    readonly records: number,
    now = Date.now(),
  ) {
    this.clock = clockAt(now)
    this.runs.push(...(['customers', 'items'] as const).map((entity) => this.autoRun(entity)))
  }

  private autoRun(entity: ReconcileEntity): Json {
    const ftp = this.id === 'scale-ftp'
    return {
      counts: {created: 0, failed: 0, read: this.records, skipped: 0, unchanged: this.records, updated: 0},
      entity,
      error: null,
      finishedAt: iso(this.clock.syncEnd),
      keys: null,
      mode: 'auto',
      requestedBy: 'auto',
      runId: `r-${entity === 'customers' ? 1 : 2}`,
      source: ftp ? 'ftp-file' : 'erp-api',
      sourceFile: ftp ? `a4s/${entity}.csv` : null,
      sourceFileModifiedAt: ftp ? iso(this.clock.exportFileRead) : null,
      startedAt: iso(this.clock.syncStart),
      status: 'succeeded',
    }
  }

  private baseCustomer(index: number): Json {
    const code = scaleKey('customers', index)
    return {
      addresses: [
        {addressLine1: `Box ${index}`, addressLine2: '', addressType: 'Invoice', city: 'Stockholm', countryCode: 'SE', isMain: true, postCode: '111 22'},
        {addressLine1: `Lagervägen ${index % 1000}`, addressLine2: '', addressType: 'Delivery', city: 'Farsta', countryCode: 'SE', isMain: true, postCode: '123 45'},
      ],
      blocked: false,
      customerCode: code,
      email: `orders${index}@customer.example`,
      isPrivate: false,
      name: `Customer ${index} AB`,
      phone: `+468${String(index).padStart(7, '0')}`,
      priceListCode: 'B2B',
      salesRepCodes: [`SR${(index % reps) + 1}`],
    }
  }

  private baseItem(index: number): Json {
    return {
      active: true,
      currency: 'SEK',
      description: `Item ${index}`,
      itemCode: scaleKey('items', index),
      price: (index % 500) + 10.5,
      stock: index % 97,
      unit: 'st',
      webshop: index % 100 !== residue.notAWebshopItem,
    }
  }

  /** The ERP's (or the export's) record, with its change time; null when the source has none. */
  source(entity: ReconcileEntity, index: number): SourceCustomer | null {
    const r = index % 100
    if (r === residue.removedFromSource || r === residue.onlyInApp || r === residue.onlyInWebshop) return null
    const record = entity === 'customers' ? this.baseCustomer(index) : this.baseItem(index)
    let modified = this.clock.oldChange
    if (r === residue.createdAfterSync) modified = this.clock.recentChange
    if (r === residue.changedAfterSync) {
      modified = this.clock.recentChange
      if (entity === 'customers') record.name = `Customer ${index} Group AB`
      else record.price = (record.price as number) + 1
    }
    if (r === residue.excluded) {
      if (entity === 'customers') record.isPrivate = true
      else record.active = false
    }
    return {modified, record}
  }

  cms(entity: ReconcileEntity, index: number): Json | null {
    const key = scaleKey(entity, index)
    const written = this.written.cms.get(key)
    if (written !== undefined) return written
    const r = index % 100
    if (r === residue.createdAfterSync || r === residue.excluded || r === residue.notReadBySync || r === residue.onlyInApp || r === residue.onlyInWebshop) return null
    const record = entity === 'customers' ? this.baseCustomer(index) : this.baseItem(index)
    if (r === residue.cmsDiffers) {
      if (entity === 'customers') record.phone = '+46 8 999 999'
      else record.description = `Item ${index} (edited in the CMS)`
    }
    return {...record, erpModifiedAt: iso(this.clock.oldChange), origin: 'erp', syncedAt: iso(this.clock.cmsWritten)}
  }

  private cmsRecord(entity: ReconcileEntity, index: number): Json | null {
    const cms = this.cms(entity, index)
    if (!cms) return null
    const {erpModifiedAt: _modified, origin: _origin, syncedAt: _synced, ...record} = cms
    return record
  }

  private usersOf(record: Json): string[] {
    return ((record.salesRepCodes as string[] | undefined) ?? []).map((rep) => `u-${rep.slice(2)}`)
  }

  app(entity: ReconcileEntity, index: number): Json | null {
    const key = scaleKey(entity, index)
    const written = this.written.app.get(key)
    if (written !== undefined) return written
    const r = index % 100
    if (r === residue.createdAfterSync || r === residue.excluded || r === residue.notReadBySync || r === residue.notPublishedToApp || r === residue.onlyInWebshop) return null
    const record = r === residue.onlyInApp ? (entity === 'customers' ? this.baseCustomer(index) : this.baseItem(index)) : (this.cmsRecord(entity, index) as Json)
    let publishedAt = this.clock.published
    if (r === residue.appBehind) {
      publishedAt = this.clock.oldPublished
      if (entity === 'customers') record.email = `old${index}@customer.example`
      else record.price = (record.price as number) - 1
    }
    if (r === residue.appDiffers) {
      if (entity === 'customers') record.email = `other${index}@customer.example`
      else record.price = (record.price as number) + 2
    }
    if (entity === 'items') return {itemCode: key, publishedAt: iso(publishedAt), record}
    return {customerCode: key, publishedAt: iso(publishedAt), record, visibleToUserIds: r === residue.notVisible ? [] : this.usersOf(record)}
  }

  webshop(entity: ReconcileEntity, index: number): Json | null {
    const key = scaleKey(entity, index)
    const written = this.written.webshop.get(key)
    if (written !== undefined) return written
    const r = index % 100
    if (r === residue.createdAfterSync || r === residue.excluded || r === residue.notReadBySync || r === residue.notPublishedToWebshop || r === residue.onlyInApp) return null
    if (entity === 'items' && r === residue.notAWebshopItem) return null
    const record = r === residue.onlyInWebshop ? (entity === 'customers' ? this.baseCustomer(index) : this.baseItem(index)) : (this.cmsRecord(entity, index) as Json)
    let publishedAt = this.clock.published
    if (r === residue.webshopBehind) {
      publishedAt = this.clock.oldPublished
      if (entity === 'customers') record.email = `old${index}@customer.example`
      else record.price = (record.price as number) - 1
    }
    if (r === residue.webshopDiffers) {
      if (entity === 'customers') record.email = `other${index}@customer.example`
      else record.price = (record.price as number) + 2
    }
    if (entity === 'items') return {itemCode: key, price: record.price, publishedAt: iso(publishedAt), stock: record.stock, visible: true}
    return {accounts: [{active: true, login: String(record.email).toLowerCase()}], customerCode: key, publishedAt: iso(publishedAt), record}
  }

  /** What a targeted sync does for one key: reads the source (honouring the filter), writes the CMS, publishes to the app and webshop. */
  sync(entity: ReconcileEntity, key: string, at: number): 'updated' | 'skipped' | 'missing' {
    const index = indexOf(entity, key, this.records)
    const source = index === null ? null : this.source(entity, index)
    if (index === null || !source || (this.id === 'scale-ftp' && index % 100 === residue.unreadableRow)) return 'missing'
    const record = source.record
    if (entity === 'customers' ? record.isPrivate === true : record.active === false) return 'skipped'
    const written = new Date(at).toISOString()
    this.written.cms.set(key, {...record, erpModifiedAt: iso(source.modified), origin: 'erp', syncedAt: written})
    this.publish(entity, key, index, record, written, {app: true, webshop: true})
    return 'updated'
  }

  publish(entity: ReconcileEntity, key: string, index: number, record: Json, at: string, where: {app: boolean; webshop: boolean}): void {
    if (where.app)
      this.written.app.set(
        key,
        entity === 'items' ? {itemCode: key, publishedAt: at, record} : {customerCode: key, publishedAt: at, record, visibleToUserIds: this.usersOf(record)},
      )
    if (where.webshop && (entity === 'customers' || record.webshop !== false))
      this.written.webshop.set(
        key,
        entity === 'items'
          ? {itemCode: key, price: record.price, publishedAt: at, stock: record.stock, visible: true}
          : {accounts: [{active: true, login: String(record.email).toLowerCase()}], customerCode: key, publishedAt: at, record},
      )
    void index
  }

  /** A republish: the CMS's record pushed to the webshop again. */
  republish(entity: ReconcileEntity, key: string, at: string): void {
    const index = indexOf(entity, key, this.records)
    if (index === null) return
    const cms = this.cmsRecord(entity, index)
    if (cms) this.publish(entity, key, index, cms, at, {app: false, webshop: true})
  }

  indexOf(entity: ReconcileEntity, key: string): number | null {
    return indexOf(entity, key, this.records)
  }

  firstIndexAfter(entity: ReconcileEntity, after: string | null): number {
    return firstIndexAfter(entity, after, this.records)
  }
}

function error(status: number, code: string, message: string): SandboxResponse {
  return json(status, {error: {code, message}})
}

/** A page of generated records after `after`: the platform's `limit`/`after`/`next`. */
function generatedPage(model: ScaleModel, request: SandboxRequest, entity: ReconcileEntity, view: (index: number) => Json | null): SandboxResponse {
  const rawLimit = request.query.get('limit')
  const limit = rawLimit === null ? 500 : Number(rawLimit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(400, 'bad_request', 'limit must be a whole number from 1 to 1000.')
  const out: Json[] = []
  let index = model.firstIndexAfter(entity, request.query.get('after'))
  for (; index < model.records && out.length < limit; index++) {
    const record = view(index)
    if (record) out.push(record)
  }
  // `next` only when a record may follow: the key of the last one given.
  const next = index < model.records && out.length === limit ? scaleKey(entity, index - 1) : null
  return {body: `{"${entity}":${JSON.stringify(out)},"next":${JSON.stringify(next)}}`, headers: {'content-type': 'application/json'}, status: 200}
}

function platformService(
  basePath: string,
  tokens: {admin: string; support: string},
  routes: Array<{method: string; pattern: string; handle: (params: Record<string, string>, request: SandboxRequest) => SandboxResponse}>,
): Handler {
  return (request) => {
    if (!request.path.startsWith(`${basePath}/`)) return error(404, 'not_found', `No such path: ${request.path}`)
    if (request.bearer !== tokens.admin && request.bearer !== tokens.support) return error(401, 'unauthorized', 'The token is not valid.')
    const path = request.path.slice(basePath.length)
    for (const route of routes) {
      const params = matchPath(route.pattern, path)
      if (params && route.method === request.method) return route.handle(params, request)
    }
    return error(404, 'not_found', `No such path: ${request.path}`)
  }
}

function single(model: ScaleModel, entity: ReconcileEntity, key: string, view: (index: number) => Json | null): SandboxResponse {
  const index = model.indexOf(entity, key)
  const record = index === null ? null : view(index)
  return record ? json(200, record) : error(404, 'not_found', `No ${entity === 'customers' ? 'customer' : 'item'} ${key}.`)
}

/** A state-changing POST: admin only, an Idempotency-Key, the same key and body answer the same again. */
function adminPost(
  request: SandboxRequest,
  tokens: {admin: string},
  remembered: Map<string, {body: string; answer: Json}>,
  create: (body: Json) => SandboxResponse,
): SandboxResponse {
  if (request.bearer !== tokens.admin) return error(403, 'forbidden', 'Only admins may start jobs; your role is support.')
  const key = request.headers['idempotency-key']
  if (typeof key !== 'string' || key.trim() === '') return error(400, 'bad_request', 'The Idempotency-Key header is required.')
  const previous = remembered.get(key)
  if (previous) return previous.body === request.body ? json(200, previous.answer) : error(422, 'idempotency_mismatch', 'This Idempotency-Key was used with a different body.')
  let body: Json
  try {
    body = JSON.parse(request.body || '{}') as Json
  } catch {
    return error(400, 'bad_request', 'The body is not JSON.')
  }
  const response = create(body)
  if (response.status === 202) remembered.set(key, {answer: response.body as Json, body: request.body})
  return response
}

export interface ScaleInstallation {
  id: string
  model: ScaleModel
  services: Record<string, SandboxService>
  fileServers: SandboxFileServers | null
  tokens: {admin: string; support: string}
  planted: ReturnType<typeof plantedCounts>
  profile(role?: 'admin' | 'support'): Profile
  stop(): Promise<void>
}

const maxJobKeys = 1000

function handlers(
  model: ScaleModel,
  tokens: {admin: string; support: string},
  bc: {tenant: string; environment: string; companyId: string; clientId: string; clientSecret: string},
  baseUrl: () => string,
) {
  const jobs = new Map<string, Json>()
  const republishes = new Map<string, Json>()
  const remembered = {cms: new Map<string, {body: string; answer: Json}>(), webshop: new Map<string, {body: string; answer: Json}>()}
  let counter = 30
  const timers = new Set<NodeJS.Timeout>()
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, ms)
    timers.add(timer)
  }
  const entityOf = (value: unknown): ReconcileEntity | null => (value === 'customers' || value === 'items' ? value : null)

  const cms = platformService('/api/v1', tokens, [
    {
      handle: (_params, request) => json(200, request.bearer === tokens.admin ? {role: 'admin', user: sandboxUsers.admin} : {role: 'support', user: sandboxUsers.support}),
      method: 'GET',
      pattern: '/me',
    },
    {
      handle: () =>
        json(200, {
          autoSync: {at: null, everyHours: 24, timezone: 'UTC'},
          connection: model.id === 'scale-ftp' ? 'ftp' : 'direct',
          erp: {system: model.id === 'scale-ftp' ? 'generic-ftp' : 'businesscentral'},
          filters: {onlyWebshopItems: false, skipBlockedCustomers: false, skipPrivateCustomers: true},
          ftp: null,
          id: model.id,
          name: `Scale ${model.records}`,
        }),
      method: 'GET',
      pattern: '/installation',
    },
    {handle: (_params, request) => generatedPage(model, request, 'customers', (index) => model.cms('customers', index)), method: 'GET', pattern: '/customers'},
    {handle: (_params, request) => generatedPage(model, request, 'items', (index) => model.cms('items', index)), method: 'GET', pattern: '/items'},
    {handle: ({code}) => single(model, 'customers', code as string, (index) => model.cms('customers', index)), method: 'GET', pattern: '/customers/:code'},
    {handle: ({code}) => single(model, 'items', code as string, (index) => model.cms('items', index)), method: 'GET', pattern: '/items/:code'},
    {
      handle: (_params, request) => {
        const entity = request.query.get('entity')
        const limit = Math.min(100, Number(request.query.get('limit') ?? 20) || 20)
        return json(200, {
          runs: model.runs
            .filter((run) => run.entity === entity)
            .sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)))
            .slice(0, limit),
        })
      },
      method: 'GET',
      pattern: '/sync/runs',
    },
    {handle: () => json(200, {records: []}), method: 'GET', pattern: '/sync/records'},
    {
      handle: (_params, request) =>
        adminPost(request, tokens, remembered.cms, (body) => {
          const entity = entityOf(body.entity)
          const keys = body.keys
          if (!entity || body.mode !== 'targeted' || !Array.isArray(keys) || keys.length === 0 || keys.some((key) => typeof key !== 'string'))
            return error(400, 'bad_request', 'The scale sandbox runs targeted customer or item syncs with a list of keys.')
          if (keys.length > maxJobKeys) return error(400, 'bad_request', `At most ${maxJobKeys} keys per targeted job.`)
          const running = [...jobs.values()].find((job) => job.entity === entity && (job.status === 'queued' || job.status === 'running'))
          if (running) return json(409, {error: {code: 'job_running', jobId: running.jobId, message: `Job ${running.jobId} is ${running.status}.`}})
          counter++
          const job: Json = {
            createdAt: new Date().toISOString(),
            entity,
            error: null,
            finishedAt: null,
            jobId: `j-${counter}`,
            keys,
            mode: 'targeted',
            progress: {done: 0, total: keys.length},
            requestedBy: sandboxUsers.admin,
            runId: null,
            startedAt: null,
            status: 'queued',
          }
          jobs.set(job.jobId as string, job)
          later(100, () => {
            const started = Date.now()
            Object.assign(job, {startedAt: new Date(started).toISOString(), status: 'running'})
            later(200, () => {
              const counts = {created: 0, failed: 0, read: keys.length, skipped: 0, unchanged: 0, updated: 0}
              for (const key of keys as string[]) {
                const outcome = model.sync(entity, key, Date.now())
                if (outcome === 'updated') counts.updated++
                else if (outcome === 'skipped') counts.skipped++
                else counts.failed++
              }
              counter++
              const runId = `r-${counter}`
              model.runs.push({
                counts,
                entity,
                error: null,
                finishedAt: new Date().toISOString(),
                keys,
                mode: 'targeted',
                requestedBy: sandboxUsers.admin,
                runId,
                source: model.id === 'scale-ftp' ? 'ftp-file' : 'erp-api',
                sourceFile: null,
                sourceFileModifiedAt: null,
                startedAt: new Date(started).toISOString(),
                status: 'succeeded',
              })
              Object.assign(job, {finishedAt: new Date().toISOString(), progress: {done: keys.length, total: keys.length}, runId, status: 'succeeded'})
            })
          })
          return json(202, {...job})
        }),
      method: 'POST',
      pattern: '/sync/jobs',
    },
    {
      handle: ({jobId}) => {
        const job = jobs.get(jobId as string)
        return job ? json(200, job) : error(404, 'not_found', `No job ${jobId}.`)
      },
      method: 'GET',
      pattern: '/sync/jobs/:jobId',
    },
  ])

  const users = Array.from({length: reps}, (_unused, index) => ({name: `Rep ${index + 1}`, salesRepCodes: [`SR${index + 1}`], userId: `u-${index + 1}`}))
  const app = platformService('/app/v1', tokens, [
    {
      handle: (_params, request) =>
        json(200, {users: request.query.get('salesRepCode') === null ? users : users.filter((user) => user.salesRepCodes.includes(request.query.get('salesRepCode') as string))}),
      method: 'GET',
      pattern: '/users',
    },
    {
      handle: ({userId}) =>
        users.some((user) => user.userId === userId)
          ? json(200, {
              devices: [
                {
                  appVersion: '5.12.0',
                  deviceId: `d-${userId}`,
                  lastFullRefreshAt: iso(model.clock.now - 60_000),
                  lastRefreshAt: iso(model.clock.now - 60_000),
                  lastSeenAt: iso(model.clock.now - 60_000),
                  model: 'iPad',
                  pendingUploads: [],
                },
              ],
            })
          : error(404, 'not_found', `No user ${userId}.`),
      method: 'GET',
      pattern: '/users/:userId/devices',
    },
    {handle: (_params, request) => generatedPage(model, request, 'customers', (index) => model.app('customers', index)), method: 'GET', pattern: '/customers'},
    {handle: (_params, request) => generatedPage(model, request, 'items', (index) => model.app('items', index)), method: 'GET', pattern: '/items'},
    {handle: ({code}) => single(model, 'customers', code as string, (index) => model.app('customers', index)), method: 'GET', pattern: '/customers/:code'},
    {handle: ({code}) => single(model, 'items', code as string, (index) => model.app('items', index)), method: 'GET', pattern: '/items/:code'},
  ])

  const webshop = platformService('/webshop/v1', tokens, [
    {handle: (_params, request) => generatedPage(model, request, 'customers', (index) => model.webshop('customers', index)), method: 'GET', pattern: '/customers'},
    {handle: (_params, request) => generatedPage(model, request, 'items', (index) => model.webshop('items', index)), method: 'GET', pattern: '/items'},
    {handle: ({code}) => single(model, 'customers', code as string, (index) => model.webshop('customers', index)), method: 'GET', pattern: '/customers/:code'},
    {handle: ({code}) => single(model, 'items', code as string, (index) => model.webshop('items', index)), method: 'GET', pattern: '/items/:code'},
    {
      handle: (_params, request) =>
        adminPost(request, tokens, remembered.webshop, (body) => {
          const entity = entityOf(body.entity)
          const keys = body.keys
          if (!entity || !Array.isArray(keys) || keys.some((key) => typeof key !== 'string'))
            return error(400, 'bad_request', 'entity must be customers or items, keys a list of strings.')
          counter++
          const republish: Json = {entity, keys, requestId: `rp-${counter}`, requestedAt: new Date().toISOString(), status: 'pending'}
          republishes.set(republish.requestId as string, republish)
          later(300, () => {
            const doneAt = new Date().toISOString()
            for (const key of keys as string[]) model.republish(entity, key, doneAt)
            Object.assign(republish, {doneAt, status: 'done'})
          })
          return json(202, {...republish})
        }),
      method: 'POST',
      pattern: '/republish',
    },
    {
      handle: ({requestId}) => {
        const republish = republishes.get(requestId as string)
        return republish ? json(200, republish) : error(404, 'not_found', `No republish request ${requestId}.`)
      },
      method: 'GET',
      pattern: '/republish/:requestId',
    },
  ])

  return {
    app,
    cms,
    erp: businessCentralScale(model, bc, baseUrl),
    stop: () => {
      for (const timer of timers) clearTimeout(timer)
    },
    webshop,
  }
}

/** Business Central API v2.0 over the generated records: its token endpoint, `$orderby`, `$filter` by number, `$skiptoken` paging. */
function businessCentralScale(
  model: ScaleModel,
  bc: {tenant: string; environment: string; companyId: string; clientId: string; clientSecret: string},
  baseUrl: () => string,
): Handler {
  const issued = new Set<string>()
  const odataError = (status: number, code: string, message: string) => json(status, {error: {code, message}})
  const customerEntity = (index: number): Json | null => {
    const source = model.source('customers', index)
    if (!source) return null
    const record = source.record
    const invoice = (record.addresses as Json[])[0] as Json
    return {
      addressLine1: invoice.addressLine1,
      addressLine2: invoice.addressLine2,
      blocked: record.blocked ? 'All' : ' ',
      city: invoice.city,
      country: invoice.countryCode,
      displayName: record.name,
      email: record.email,
      id: stableGuid(bc.companyId, 'customer', record.customerCode as string),
      lastModifiedDateTime: iso(source.modified),
      number: record.customerCode,
      phoneNumber: record.phone,
      postalCode: invoice.postCode,
      salespersonCode: (record.salesRepCodes as string[])[0] ?? '',
      type: record.isPrivate ? 'Person' : 'Company',
    }
  }
  const shipToEntity = (index: number): Json | null => {
    const source = model.source('customers', index)
    if (!source) return null
    const delivery = (source.record.addresses as Json[])[1] as Json
    return {
      addressLine1: delivery.addressLine1,
      addressLine2: delivery.addressLine2,
      city: delivery.city,
      code: 'MAIN',
      countryRegionCode: delivery.countryCode,
      customerNumber: source.record.customerCode,
      id: stableGuid(bc.companyId, 'shipTo', source.record.customerCode as string),
      isDefault: true,
      lastModifiedDateTime: iso(source.modified),
      name: source.record.name,
      postalCode: delivery.postCode,
    }
  }
  const itemEntity = (index: number): Json | null => {
    const source = model.source('items', index)
    if (!source) return null
    const record = source.record
    return {
      baseUnitOfMeasureCode: record.unit,
      blocked: !record.active,
      displayName: record.description,
      id: stableGuid(bc.companyId, 'item', record.itemCode as string),
      inventory: record.stock,
      lastModifiedDateTime: iso(source.modified),
      number: record.itemCode,
      type: 'Inventory',
      unitPrice: record.price,
    }
  }
  return (request) => {
    if (request.path === `/${bc.tenant}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(request.body)
      if (form.get('client_id') !== bc.clientId || form.get('client_secret') !== bc.clientSecret)
        return json(401, {error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.'})
      const token = `sbx-bc-${randomBytes(18).toString('base64url')}`
      issued.add(token)
      return json(200, {access_token: token, expires_in: 3599, token_type: 'Bearer'})
    }
    const prefix = `/v2.0/${bc.tenant}/${bc.environment}/`
    if (!request.path.startsWith(prefix)) return odataError(404, 'BadRequest_NotFound', 'The request URI is not valid.')
    if (!request.bearer || !issued.has(request.bearer)) return odataError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.')
    const rest = request.path.slice(prefix.length)
    const match = /^api\/(?:v2\.0|OptimizersBV\/App4Sales\/v1\.0)\/companies\(([^)]*)\)\/(customers|shipToAddresses|items)$/.exec(rest)
    if (!match || match[1] !== bc.companyId) return odataError(404, 'BadRequest_NotFound', `No HTTP resource was found that matches the request URI '${request.path}'.`)
    const collection = match[2] as 'customers' | 'shipToAddresses' | 'items'
    const entity: ReconcileEntity = collection === 'items' ? 'items' : 'customers'
    const view = collection === 'customers' ? customerEntity : collection === 'shipToAddresses' ? shipToEntity : itemEntity
    const filter = request.query.get('$filter')
    if (filter) {
      // `number eq '…'` (or `customerNumber eq '…'`), joined with `or`: one generated record per key.
      const keys = [...filter.matchAll(/(?:number|customerNumber) eq '((?:[^']|'')*)'/gi)].map((found) => (found[1] as string).replace(/''/g, "'"))
      const value = keys
        .map((key) => model.indexOf(entity, key))
        .filter((index): index is number => index !== null)
        .map(view)
        .filter((record): record is Json => record !== null)
      return json(200, {'@odata.context': `${baseUrl()}${prefix}$metadata#${collection}`, value})
    }
    const prefer = String(request.headers.prefer ?? '')
    const pageSize = Math.min(20_000, Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? 20_000))
    const start = Number(request.query.get('$skiptoken') ?? 0) || 0
    const value: Json[] = []
    let index = start
    for (; index < model.records && value.length < pageSize; index++) {
      const record = view(index)
      if (record) value.push(record)
    }
    const body: Json = {'@odata.context': `${baseUrl()}${prefix}$metadata#${collection}`, value}
    if (index < model.records) {
      const next = new URL(request.path, baseUrl())
      for (const [name, parameter] of request.query) if (name !== '$skiptoken') next.searchParams.set(name, parameter)
      next.searchParams.set('$skiptoken', String(index))
      body['@odata.nextLink'] = next.toString()
    }
    return {body: JSON.stringify(body), headers: {'content-type': 'application/json; odata.metadata=minimal', 'preference-applied': `odata.maxpagesize=${pageSize}`}, status: 200}
  }
}

const localTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`

/** The export files of `scale-ftp`, written from the generator a chunk at a time (UTC: the installation's zone). */
function writeScaleExports(model: ScaleModel, folder: string): void {
  mkdirSync(folder, {recursive: true})
  const write = (name: string, header: string, row: (index: number) => string | null) => {
    const fd = openSync(join(folder, name), 'w', 0o600)
    try {
      let buffer = `\uFEFF${header}\r\n`
      for (let index = 0; index < model.records; index++) {
        const line = row(index)
        if (line !== null) buffer += `${line}\r\n`
        if (buffer.length > 1 << 20) {
          writeSync(fd, buffer)
          buffer = ''
        }
      }
      writeSync(fd, buffer)
    } finally {
      closeSync(fd)
    }
    const written = new Date(model.clock.exportFileWritten)
    utimesSync(join(folder, name), written, written)
  }
  const customerColumns =
    'CustomerCode;CustomerName;Email;Phone;IsPrivate;Blocked;CustomerManager;PriceList;InvoiceAddress1;InvoiceAddress2;InvoicePostCode;InvoiceCity;InvoiceCountry;DeliveryAddress1;DeliveryAddress2;DeliveryPostCode;DeliveryCity;DeliveryCountry;LastModified'
  write('customers.csv', customerColumns, (index) => {
    const source = model.source('customers', index)
    if (!source) return null
    const record = source.record
    const [invoice, delivery] = record.addresses as Json[] as [Json, Json]
    // What a broken export job writes: a quote opened and never closed.
    const name = index % 100 === residue.unreadableRow ? `"${record.name}` : quoted(String(record.name))
    return [
      quoted(String(record.customerCode)),
      name,
      quoted(String(record.email)),
      quoted(String(record.phone)),
      record.isPrivate ? '1' : '0',
      record.blocked ? '1' : '0',
      quoted((record.salesRepCodes as string[])[0] ?? ''),
      quoted(String(record.priceListCode)),
      ...[invoice, delivery].flatMap((address) =>
        [address.addressLine1, address.addressLine2, address.postCode, address.city, address.countryCode].map((value) => quoted(String(value))),
      ),
      quoted(localTime(source.modified)),
    ].join(';')
  })
  write('items.csv', 'itemcode;description;unit;currency;salesprice;lastavailablestock;active;webshop;lastmodified', (index) => {
    const source = model.source('items', index)
    if (!source) return null
    const record = source.record
    const description = index % 100 === residue.unreadableRow ? `"${record.description}` : quoted(String(record.description))
    return [
      record.itemCode,
      description,
      record.unit,
      record.currency,
      (record.price as number).toFixed(2),
      String(record.stock),
      record.active ? '1' : '0',
      record.webshop ? '1' : '0',
      localTime(source.modified),
    ].join(';')
  })
}

/** Starts a scale installation's servers on 127.0.0.1. */
export async function startScaleInstallation(options: {id: string; records: number; now?: Date}): Promise<ScaleInstallation> {
  if (!scaleInstallations.includes(options.id)) throw new Error(`no scale installation ${options.id}`)
  const model = new ScaleModel(options.id, options.records, options.now?.getTime())
  const token = (kind: string) => {
    const value = `sbx-${kind}-${randomBytes(12).toString('base64url')}`
    registerSecret(value)
    return value
  }
  const tokens = {admin: token('admin'), support: token('support')}
  const bc = {clientId: 'synctrace-scale', clientSecret: token('bc-secret'), companyId: stableGuid('scale', 'company'), environment: 'production', tenant: 'scale-tenant'}
  const built = handlers(model, tokens, bc, () => services.erp?.url ?? '')
  const services: Record<string, SandboxService> = {
    app: new SandboxService('app', built.app),
    cms: new SandboxService('cms', built.cms),
    webshop: new SandboxService('webshop', built.webshop),
  }
  if (options.id === 'scale') services.erp = new SandboxService('erp', built.erp)
  let fileServers: SandboxFileServers | null = null
  let folder: string | null = null
  const ftpUser = 'scale'
  const ftpPassword = options.id === 'scale-ftp' ? token('ftp') : ''
  if (options.id === 'scale-ftp') {
    folder = mkdtempSync(join(tmpdir(), 'synctrace-scale-'))
    writeScaleExports(model, join(folder, 'a4s'))
    fileServers = await startFileServers(folder, {password: ftpPassword, user: ftpUser})
  }
  await Promise.all(Object.values(services).map((service) => service.start(0)))
  return {
    fileServers,
    id: options.id,
    model,
    planted: plantedCounts(options.id, options.records),
    profile: (role = 'admin') => {
      const profile: Profile = {
        app: {token: tokens[role], url: (services.app as SandboxService).url},
        cms: {token: tokens[role], url: (services.cms as SandboxService).url},
        installation: options.id,
        name: `sandbox-${options.id}`,
        webshop: {token: tokens[role], url: (services.webshop as SandboxService).url},
      }
      if (services.erp) profile.erp = businessCentralProfile(bc, services.erp.url)
      if (fileServers) profile.ftp = {hostKeySha256: fileServers.hostKeySha256, password: ftpPassword, url: `sftp://127.0.0.1:${fileServers.sftpPort}/a4s`, user: ftpUser}
      return profile
    },
    services,
    stop: async () => {
      built.stop()
      await Promise.all([...Object.values(services).map((service) => service.stop()), fileServers?.stop() ?? Promise.resolve()])
      if (folder) rmSync(folder, {force: true, recursive: true})
    },
    tokens,
  }
}

/** What `synctrace sandbox --scale N` prints (and writes with --write-config): URLs, tokens, planted findings, profiles. */
export interface ScaleDescription {
  records: number
  installations: Array<{id: string; urls: Record<string, string>; tokens: {admin: string; support: string}; planted: ReturnType<typeof plantedCounts>}>
  config: {defaultProfile: string; profiles: Record<string, Omit<Profile, 'name'>>}
}

export function describeScale(installations: ScaleInstallation[], records: number): ScaleDescription {
  const withoutName = ({name: _name, ...profile}: Profile) => profile
  return {
    config: {
      defaultProfile: `sandbox-${installations[0]?.id ?? 'scale'}`,
      profiles: Object.fromEntries(
        installations.flatMap((installation) => [
          [`sandbox-${installation.id}`, withoutName(installation.profile('admin'))],
          [`sandbox-${installation.id}-support`, withoutName(installation.profile('support'))],
        ]),
      ),
    },
    installations: installations.map((installation) => ({
      id: installation.id,
      planted: installation.planted,
      tokens: installation.tokens,
      urls: Object.fromEntries([
        ...Object.entries(installation.services).map(([hop, service]) => [hop, service.url]),
        ...(installation.fileServers ? [['files', `sftp://127.0.0.1:${installation.fileServers.sftpPort}/a4s`]] : []),
      ]),
    })),
    records,
  }
}
