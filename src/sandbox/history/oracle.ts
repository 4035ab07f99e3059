import {type CustomerEvent, erpCannotSupply, type Expected, graceMinutes, type History, type Hop, type ItemEvent, type OracleAnswer, type OrderEvent} from './types.js'

/**
 * The oracle: what a trace of the history's record must conclude, from the history alone — never from the
 * servers, never from synctrace's diagnosis. It follows the record along its chain and names the first step
 * where the record should have moved and did not (docs/diagnosis.md), and what fixes it.
 *
 * It keeps to the region where the rules are unambiguous: times are well away from the grace boundaries
 * (the generator sees to that), and a history whose verdict the rules leave open is answered `ambiguous`.
 */

/** The action of each cause (docs/diagnosis.md, "Causes and the action for each"). */
const actionOf: Record<string, string> = {
  'app-differs-from-cms': 'contact-platform-support',
  'app-publish-behind': 'targeted-sync',
  'cms-differs-from-erp': 'contact-platform-support',
  consistent: 'none',
  'created-after-sync': 'targeted-sync',
  'customer-file-waiting': 'contact-it-partner',
  'customer-not-uploaded': 'rep-opens-app-online',
  'customer-rejected-by-erp': 'confirm-with-erp-consultant',
  'device-not-refreshed': 'app-full-refresh',
  'erp-changed-after-sync': 'targeted-sync',
  'excluded-by-filter': 'change-filter-or-erp-flag',
  'expected-stock-lag': 'none',
  'export-missing': 'contact-it-partner',
  'export-row-unreadable': 'contact-it-partner',
  'export-stale': 'contact-it-partner',
  'hop-unreachable': 'retry-trace',
  'item-excluded': 'change-filter-or-erp-flag',
  'new-customer-not-in-erp': 'contact-platform-support',
  'no-app-user-for-sales-rep': 'assign-sales-rep-to-user',
  'not-a-webshop-item': 'flag-webshop-in-erp',
  'not-assigned-to-user': 'change-assignment-in-erp',
  'not-in-erp': 'check-key',
  'not-in-export': 'contact-it-partner',
  'not-published-to-app': 'targeted-sync',
  'not-published-to-webshop': 'webshop-republish',
  'not-read-by-sync': 'targeted-sync',
  'order-file-missing': 'order-retransfer',
  'order-file-waiting': 'contact-it-partner',
  'order-missing-in-erp': 'confirm-with-erp-consultant',
  'order-not-uploaded': 'rep-opens-app-online',
  'order-on-hold': 'contact-platform-support',
  'order-prerequisite-missing': 'fix-in-erp-then-retransfer',
  'order-rejected-by-erp': 'fix-in-erp-then-retransfer',
  'order-transfer-failed': 'order-retransfer',
  'order-transfer-pending': 'wait',
  'order-transfer-stuck': 'order-retransfer',
  'removed-from-erp': 'confirm-with-erp-consultant',
  'stock-not-synced': 'targeted-sync',
  'sync-failed-for-record': 'contact-platform-support',
  'webshop-behind': 'webshop-republish',
  'webshop-differs-from-cms': 'contact-platform-support',
  'webshop-order-not-handed-over': 'contact-platform-support',
  'webshop-push-pending': 'wait',
}

function broken(from: Hop | null, to: Hop, cause: string, why: string): OracleAnswer {
  return {expected: {actionKind: actionOf[cause] ?? '?', brokenLink: {from, to}, cause, exitCode: 3}, why}
}

function fine(cause: 'consistent' | 'expected-stock-lag', why: string): OracleAnswer {
  return {expected: {actionKind: 'none', brokenLink: null, cause, exitCode: 0}, why}
}

function unreachable(hop: Hop): OracleAnswer {
  const expected: Expected = {actionKind: 'retry-trace', brokenLink: null, cause: 'hop-unreachable', exitCode: 4}
  return {expected, why: `nothing is broken, but ${hop} is down`}
}

/**
 * ERPs whose customers carry no sales rep (Visma eAccounting): the CMS keeps its own assignment, so a
 * customer it got from them is assigned to nobody, and the app hop checks no user unless --user names one.
 */

const downHop = (history: History): Hop | null => (history.knobs.fault?.kind === 'down' ? history.knobs.fault.hop : null)

/** "a happened after b", both in minutes before now. */
const after = (a: number | null | undefined, b: number | null | undefined) => a !== null && a !== undefined && (b === null || b === undefined || a < b)

const hours = (minutes: number) => minutes / 60

// ---------------------------------------------------------------------------------------------------------
// Customers and items inbound: ERP (→ export) → CMS → app, webshop

interface Sync {
  /** When it started. */
  startedAgo: number
  /** ftp: when the export file it read was written; null when there was none. */
  readFileAgo: number | null
}

/** Values as the CMS, the app and the webshop would hold them, per hop. */
interface Held<V> {
  values: V
  at: number
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function customerInbound(history: History & {entity: 'customer'}): OracleAnswer {
  const {knobs} = history
  const ftp = knobs.erp === 'ftp'
  const sourceHop: Hop = ftp ? 'ftp' : 'erp'
  const down = downHop(history)
  // The record as the CMS can see it: every field a change shows in, per source.
  let erp: {exists: boolean; isPrivate: boolean; rep: string; visible: number; changedAgo: number | null; deliveries: number} = {
    changedAgo: null,
    deliveries: 0,
    exists: false,
    isPrivate: false,
    rep: 'SR1',
    visible: 0,
  }
  let exported: {ago: number; row: null | {visible: number; changedAgo: number | null; isPrivate: boolean; malformed: boolean}} | null = null
  let cms: Held<number> | null = null
  /** The source's change time of the version the CMS holds (what it stored as erpModifiedAt). */
  let cmsChangedAgo: number | null = null
  let lastOutcome: string | null = null
  const syncs: Sync[] = []
  let app: Held<number> | null = null
  let webshop: Held<number> | null = null
  const refreshed: Record<string, number> = {'u-1': 10 * 1440, 'u-2': 10 * 1440}
  let version = 0
  for (const event of history.events as CustomerEvent[]) {
    switch (event.kind) {
      case 'erp-create':
        erp = {changedAgo: event.ago, deliveries: event.deliveries, exists: true, isPrivate: event.private, rep: event.rep, visible: ++version}
        break
      case 'erp-edit':
        if (!erp.exists) break
        // A ship-to of a Business Central without the platform's extension is invisible to the CMS and to the trace.
        if (event.field === 'delivery' && knobs.erp === 'businesscentral' && !knobs.shipToExtension) break
        erp = {...erp, changedAgo: event.ago, visible: ++version}
        break
      case 'erp-delete':
        erp = {...erp, exists: false}
        break
      case 'export':
        // Winbas's rows carry no change time: the trace dates the row by the file's.
        exported = {
          ago: event.ago,
          row: erp.exists ? {changedAgo: knobs.layout === 'winbas' ? event.ago : erp.changedAgo, isPrivate: erp.isPrivate, malformed: event.malformed, visible: erp.visible} : null,
        }
        break
      case 'sync': {
        if (!event.covers) break
        syncs.push({readFileAgo: exported?.ago ?? null, startedAgo: event.ago})
        if (event.outcome === 'miss') break
        const source = ftp ? exported?.row : erp.exists ? erp : null
        if (!source) break
        if (event.outcome === 'fail' || (ftp && exported?.row?.malformed)) {
          lastOutcome = 'failed'
          break
        }
        if (knobs.skipPrivateCustomers && source.isPrivate && !erpCannotSupply(knobs.erp, 'isPrivate')) {
          lastOutcome = 'skipped'
          break
        }
        if ((cms as Held<number> | null)?.values === source.visible) {
          lastOutcome = 'unchanged'
          break
        }
        lastOutcome = cms ? 'updated' : 'created'
        cms = {at: event.ago - 1, values: source.visible}
        cmsChangedAgo = source.changedAgo
        if (event.publishApp) app = {at: event.ago - 1, values: source.visible}
        if (event.publishWebshop) webshop = {at: event.ago - 1, values: source.visible}
        break
      }
      case 'refresh':
        refreshed[event.user] = event.ago
        break
      case 'republish':
        if (cms) webshop = {at: event.ago, values: cms.values}
        break
      default:
        break
    }
  }

  // The source: the ERP, or its export on the file server.
  const sourceKnown = down !== sourceHop
  if (sourceKnown && !ftp && !erp.exists)
    return cms ? broken(null, 'erp', 'removed-from-erp', 'the CMS holds a customer the ERP no longer has') : broken(null, 'erp', 'not-in-erp', 'neither the ERP nor the CMS has it')
  if (sourceKnown && ftp) {
    if (!exported) return broken('erp', 'ftp', 'export-missing', 'the export job never wrote the files')
    if (hours(exported.ago) > 40 && hours(exported.ago) < 60) return {ambiguous: 'the export file is near the export-stale boundary'}
    if (hours(exported.ago) >= 60) return broken('erp', 'ftp', 'export-stale', `the export was last written ${Math.round(hours(exported.ago))} h ago`)
    if (!exported.row) return broken('erp', 'ftp', 'not-in-export', 'the current export has no row for it')
    if (exported.row.malformed) return broken('erp', 'ftp', 'export-row-unreadable', "the current export's row is broken")
  }
  const last = syncs.at(-1)
  const source = ftp ? exported?.row : erp
  const changedAgo = source?.changedAgo ?? null
  const fileNewer = ftp && last !== undefined && exported !== null && after(exported.ago, last.readFileAgo)
  if (ftp && last && last.readFileAgo === null && exported) return {ambiguous: 'a sync ran when there was no export file yet'}

  // ERP → CMS
  if (!cms) {
    // The CMS's own outcome for the record is evidence of its own, even when the source cannot be asked.
    // Winbas and Monitor exports, and some ERPs (Visma.net), carry no private flag: only the CMS's own outcome tells the filter skipped it.
    const privateKnown = knobs.layout === 'generic' && !erpCannotSupply(knobs.erp, 'isPrivate')
    if (lastOutcome === 'skipped' || (sourceKnown && privateKnown && knobs.skipPrivateCustomers && source?.isPrivate))
      return broken(sourceHop, 'cms', 'excluded-by-filter', 'a private customer while skipPrivateCustomers is on')
    if (lastOutcome === 'failed') return broken(sourceHop, 'cms', 'sync-failed-for-record', 'the last sync that read it failed on it')
    if (!sourceKnown) return down ? unreachable(down) : fine('consistent', '')
    if (!last || after(changedAgo, last.startedAgo) || fileNewer) return broken(sourceHop, 'cms', 'created-after-sync', 'created (or exported) after the last sync that covered it')
    return broken(sourceHop, 'cms', 'not-read-by-sync', 'the last sync ran after its creation and did not read it')
  }
  if (sourceKnown && cms.values !== source?.visible) {
    // A source change newer than the change the CMS holds is news to the CMS, whatever the run times say.
    const changedAfter = after(changedAgo, cms.at) || after(changedAgo, last?.startedAgo) || after(changedAgo, cmsChangedAgo) || fileNewer
    return changedAfter
      ? broken(sourceHop, 'cms', 'erp-changed-after-sync', 'the ERP changed it after the CMS last wrote it')
      : broken(sourceHop, 'cms', 'cms-differs-from-erp', 'a sync that read the change still left the CMS different')
  }

  // CMS → app
  if (down !== 'app') {
    if (!app) return broken('cms', 'app', 'not-published-to-app', 'never published to the app')
    if (app.values !== cms.values) return broken('cms', 'app', 'app-publish-behind', 'the app was published an older version')
    // An ERP that names no sales rep leaves the CMS's own assignment: none for a customer it created.
    const rep = erpCannotSupply(knobs.erp, 'salesRep') ? null : erp.rep
    const repUser = rep === 'SR1' ? 'u-1' : rep === 'SR2' ? 'u-2' : null
    const user = knobs.user ?? repUser
    if (knobs.user && knobs.user !== repUser) return broken('cms', 'app', 'not-assigned-to-user', `${knobs.user} is not the customer's rep's user`)
    if (!user && rep !== null) return broken('cms', 'app', 'no-app-user-for-sales-rep', `no app user has sales rep ${rep}`)
    if (user && after(app.at, refreshed[user])) return broken('cms', 'app', 'device-not-refreshed', `${user}'s device last refreshed before the publication`)
  }

  // CMS → webshop
  if (down !== 'webshop') {
    const pending = cms.at < graceMinutes.webshopPush
    if (!webshop || webshop.values !== cms.values)
      return pending
        ? broken('cms', 'webshop', 'webshop-push-pending', 'the CMS wrote it minutes ago')
        : broken('cms', 'webshop', webshop ? 'webshop-behind' : 'not-published-to-webshop', 'the webshop lacks the CMS version')
  }
  return down ? unreachable(down) : fine('consistent', 'every hop holds the current version')
}

// ---------------------------------------------------------------------------------------------------------
// Customers created in the app: device → CMS → (Customers/) → ERP

function customerOutbound(history: History & {entity: 'customer'}): OracleAnswer {
  const events = history.events as CustomerEvent[]
  const ftp = history.knobs.erp === 'ftp'
  const upload = events.find((event) => event.kind === 'upload')
  if (!upload) return broken('app', 'cms', 'customer-not-uploaded', 'created on the device, never uploaded')
  const toErp = events.find((event) => event.kind === 'cms-to-erp')
  const imported = events.find((event) => event.kind === 'erp-import')
  if (!toErp) {
    if (upload.ago < graceMinutes.transfer + 20) return {ambiguous: 'uploaded recently'}
    return broken('cms', ftp ? 'ftp' : 'erp', 'new-customer-not-in-erp', 'the CMS has had it for long, and has not passed it on')
  }
  if (!ftp) return fine('consistent', 'the CMS created it in the ERP')
  if (!imported)
    return toErp.ago < graceMinutes.transfer + 20 ? {ambiguous: 'its file was written recently'} : broken('ftp', 'erp', 'customer-file-waiting', 'its file waits in Customers/')
  if (imported.kind === 'erp-import' && imported.result === 'rejected') return broken('ftp', 'erp', 'customer-rejected-by-erp', 'the ERP moved its file to Customers/error/')
  return fine('consistent', 'the ERP imported its file')
}

// ---------------------------------------------------------------------------------------------------------
// Items

interface ItemValues {
  description: string
  price: number
  stock: number
  active: boolean
  webshop: boolean
}

function itemTrace(history: History & {entity: 'item'}): OracleAnswer {
  const {knobs} = history
  const ftp = knobs.erp === 'ftp'
  const sourceHop: Hop = ftp ? 'ftp' : 'erp'
  const down = downHop(history)
  let erp: (ItemValues & {changedAgo: number}) | null = null
  let exported: {ago: number; row: (ItemValues & {changedAgo: number}) | null} | null = null
  let cms: Held<ItemValues> | null = null
  let cmsChangedAgo: number | null = null
  let app: Held<ItemValues> | null = null
  let webshop: Held<{price: number; stock: number; visible: boolean}> | null = null
  const syncs: Sync[] = []
  let revision = 0
  for (const event of history.events as ItemEvent[]) {
    revision++
    switch (event.kind) {
      case 'erp-create':
        erp = {active: event.active, changedAgo: event.ago, description: `rev ${revision}`, price: revision, stock: revision, webshop: event.webshop}
        break
      case 'erp-edit':
        if (!erp) break
        erp = {
          ...(erp as ItemValues & {changedAgo: number}),
          changedAgo: event.ago,
          ...(event.field === 'price' ? {price: revision} : event.field === 'description' ? {description: `rev ${revision}`} : {stock: revision}),
        }
        break
      case 'export':
        // Monitor's items carry no change time: the trace dates the row by the file's.
        exported = {ago: event.ago, row: erp ? {...erp, ...(knobs.layout === 'monitor' ? {changedAgo: event.ago} : {})} : null}
        break
      case 'sync': {
        if (!event.covers) break
        syncs.push({readFileAgo: exported?.ago ?? null, startedAgo: event.ago})
        const source = ftp ? exported?.row : erp
        if (event.outcome !== 'read' || !source) break
        if (!source.active || (knobs.onlyWebshopItems && !source.webshop)) break
        const {changedAgo: _changed, ...values} = source
        if (cms && same(cms.values, values)) break
        cms = {at: event.ago - 1, values}
        cmsChangedAgo = source.changedAgo
        if (event.publishApp) app = {at: event.ago - 1, values}
        if (event.publishWebshop && values.webshop) webshop = {at: event.ago - 1, values: {price: values.price, stock: values.stock, visible: values.active}}
        break
      }
      case 'republish':
        if (cms?.values.webshop) webshop = {at: event.ago, values: {price: cms.values.price, stock: cms.values.stock, visible: cms.values.active}}
        break
    }
  }
  const sourceKnown = down !== sourceHop
  const source = ftp ? exported?.row : erp
  if (sourceKnown) {
    if (ftp && !exported) return {ambiguous: 'items.csv was never written'}
    // As for customers: an item export older than two sync intervals means the export job has stopped.
    if (ftp && exported && hours(exported.ago) > 40 && hours(exported.ago) < 60) return {ambiguous: 'the item export is near the export-stale boundary'}
    if (ftp && exported && hours(exported.ago) >= 60) return broken('erp', 'ftp', 'export-stale', `items.csv was last written ${Math.round(hours(exported.ago))} h ago`)
    if (!source)
      return cms
        ? {ambiguous: 'an item gone from the source while the CMS has it'}
        : broken(ftp ? 'erp' : null, sourceHop, ftp ? 'not-in-export' : 'not-in-erp', 'the source has no such item')
  }
  const last = syncs.at(-1)
  if (ftp && last && last.readFileAgo === null && exported) return {ambiguous: 'a sync ran when there was no export file yet'}
  const fileNewer = ftp && last !== undefined && exported !== null && after(exported.ago, last.readFileAgo)
  const changedAgo = source?.changedAgo ?? null
  if (!cms) {
    if (!sourceKnown || !source) return down ? unreachable(down) : fine('consistent', '')
    if (!source.active) return broken(sourceHop, 'cms', 'item-excluded', 'inactive in the ERP')
    if (knobs.onlyWebshopItems && !source.webshop) return broken(sourceHop, 'cms', 'item-excluded', 'not a webshop item while onlyWebshopItems is on')
    if (!last || after(changedAgo, last.startedAgo) || fileNewer) return broken(sourceHop, 'cms', 'created-after-sync', 'created (or exported) after the last item sync')
    return broken(sourceHop, 'cms', 'not-read-by-sync', 'the last item sync ran after its creation and did not read it')
  }
  let stockLag = false
  if (sourceKnown && source) {
    const changedAfter = after(changedAgo, last?.startedAgo) || fileNewer
    if (source.price !== cms.values.price || source.description !== cms.values.description)
      return changedAfter || after(changedAgo, cms.at) || after(changedAgo, cmsChangedAgo)
        ? broken(sourceHop, 'cms', 'erp-changed-after-sync', 'the price or description changed after the last item sync')
        : broken(sourceHop, 'cms', 'cms-differs-from-erp', 'a sync after the change left the CMS different')
    if (source.stock !== cms.values.stock) {
      if (!changedAfter) return broken(sourceHop, 'cms', 'stock-not-synced', 'the stock differs since before the last sync')
      stockLag = true
    }
  }
  if (down !== 'app') {
    if (!app) return broken('cms', 'app', 'not-published-to-app', 'never published to the app')
    if (!same(app.values, cms.values)) return broken('cms', 'app', 'app-publish-behind', 'the app was published an older version')
  }
  if (down !== 'webshop') {
    if (!cms.values.webshop) return broken('cms', 'webshop', 'not-a-webshop-item', 'not flagged for the webshop')
    const pending = cms.at < graceMinutes.webshopPush
    if (!webshop || !same(webshop.values, {price: cms.values.price, stock: cms.values.stock, visible: cms.values.active}))
      return pending
        ? broken('cms', 'webshop', 'webshop-push-pending', 'the CMS wrote it minutes ago')
        : broken('cms', 'webshop', webshop ? 'webshop-behind' : 'not-published-to-webshop', 'the webshop lacks the CMS version')
  }
  if (down) return unreachable(down)
  return stockLag ? fine('expected-stock-lag', 'only the stock moved, after the last sync') : fine('consistent', 'every hop holds the current version')
}

// ---------------------------------------------------------------------------------------------------------
// Orders: device or webshop → CMS → (Orders/) → ERP

function orderTrace(history: History & {entity: 'order'}): OracleAnswer {
  const events = history.events as OrderEvent[]
  const ftp = history.knobs.erp === 'ftp'
  const down = downHop(history)
  const next: Hop = ftp ? 'ftp' : 'erp'
  const created = events.find((event) => event.kind === 'order-create')
  const channel = created?.kind === 'order-create' ? created.channel : 'app'
  const upload = events.find((event) => event.kind === 'order-upload')
  const transfer = events.find((event) => event.kind === 'transfer')
  const imported = events.find((event) => event.kind === 'erp-import')
  const lost = events.some((event) => event.kind === 'order-lost')
  if (!upload) {
    if (down === channel) return unreachable(channel)
    return channel === 'app'
      ? broken('app', 'cms', 'order-not-uploaded', 'still on the device')
      : broken('webshop', 'cms', 'webshop-order-not-handed-over', 'the webshop never handed it to the CMS')
  }
  const originDown = down === 'webshop' && channel === 'webshop'
  const result = (): OracleAnswer | null => {
    if (!transfer || transfer.kind !== 'transfer') {
      if (upload.ago > 20 && upload.ago < 45) return {ambiguous: 'queued near the transfer grace'}
      return upload.ago < graceMinutes.transfer
        ? broken('cms', next, 'order-transfer-pending', 'queued minutes ago')
        : broken('cms', next, 'order-transfer-stuck', 'queued for longer than the grace')
    }
    if (transfer.result === 'on-hold') return broken('cms', next, 'order-on-hold', 'the CMS holds it back')
    if (transfer.result === 'failed') {
      if (ftp) return broken('cms', next, 'order-transfer-failed', 'the transfer failed')
      if (down === 'erp') return {ambiguous: 'a failed transfer while the ERP, which would name what it lacks, is down'}
      if (history.erpLacks.customer || history.erpLacks.item) return broken('cms', 'erp', 'order-prerequisite-missing', 'the ERP lacks its customer or an item')
      return broken('cms', 'erp', 'order-transfer-failed', 'the transfer failed although the ERP has everything')
    }
    if (down === next) return null
    if (ftp) {
      if (lost) return broken('cms', 'ftp', 'order-file-missing', 'sent, but its file is in no order folder')
      if (!imported || imported.kind !== 'erp-import') {
        if (transfer.ago < graceMinutes.transfer + 20) return {ambiguous: 'its file was written recently'}
        return broken('ftp', 'erp', 'order-file-waiting', 'its file has waited in Orders/ for long')
      }
      if (imported.result === 'rejected') return broken('ftp', 'erp', 'order-rejected-by-erp', 'the ERP moved its file to Orders/error/')
      return null
    }
    if (lost) return broken('cms', 'erp', 'order-missing-in-erp', 'sent, but the ERP has no sales order for it')
    return null
  }
  const answer = result()
  if (answer) return answer
  if (originDown) return unreachable('webshop')
  if (down === next) return unreachable(next)
  return fine('consistent', 'booked in the ERP')
}

/** The expected verdict of a trace of the history's record. */
export function expectedVerdict(history: History): OracleAnswer {
  if (history.entity === 'item') return itemTrace(history)
  if (history.entity === 'order') return orderTrace(history)
  return history.events.some((event) => event.kind === 'device-create') ? customerOutbound(history) : customerInbound(history)
}
