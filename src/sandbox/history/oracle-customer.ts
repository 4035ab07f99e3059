import {type CustomerEvent, erpCannotSupply, graceMinutes, type History, type Hop, type OracleAnswer} from './types.js'
import {after, broken, downHop, fine, type Held, hours, type Sync, unreachable} from './oracle-rules.js'

export function customerInbound(history: History & {entity: 'customer'}): OracleAnswer {
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

export function customerOutbound(history: History & {entity: 'customer'}): OracleAnswer {
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
