import {type CustomerHops, customerHops, type SourceCustomer} from './oracle-customer-hops.js'
import {
  appCopyRule,
  exportAgeRule,
  fileNewerThanLastSync,
  syncedBeforeExport,
  unnamedExportRule,
  webshopCopyRule,
} from './oracle-inbound.js'
import {after, broken, downHop, fine, type Held, type Sync, unreachable} from './oracle-rules.js'
import {erpCannotSupply, type History, type Hop, type Knobs, type OracleAnswer} from './types.js'

/**
 * A customer traced inbound, ERP (→ export) → CMS → app, webshop: what each hop holds after the history
 * (oracle-customer-hops.ts), then the rules hop by hop along the chain; the first that finds the record
 * stuck gives the verdict.
 */

/** What the rules read: the hops' contents and the facts about the source and the last sync. */
interface CustomerCase {
  hops: CustomerHops
  knobs: Knobs
  ftp: boolean
  sourceHop: Hop
  down: Hop | null
  /** The source hop is up, so a trace learns what it holds. */
  sourceKnown: boolean
  /** The ERP's customer, or its export's row. */
  source: SourceCustomer | null | undefined
  changedAgo: number | null
  /** The last sync that covered the customer. */
  last: Sync | undefined
  fileNewer: boolean
}

export function customerInbound(history: History & {entity: 'customer'}): OracleAnswer {
  const c = customerCase(history)
  const atSource = sourceRule(c) ?? syncedBeforeExport(c.ftp, c.last, c.hops.exported)
  if (atSource) return atSource
  const {cms} = c.hops
  if (!cms) return notInCmsRule(c)
  return (
    erpToCmsRule(c, cms) ??
    cmsToAppRule(c, cms) ??
    cmsToWebshopRule(c, cms) ??
    (c.down ? unreachable(c.down) : fine('consistent', 'every hop holds the current version'))
  )
}

function customerCase(history: History & {entity: 'customer'}): CustomerCase {
  const {knobs} = history
  const hops = customerHops(history)
  const ftp = knobs.erp === 'ftp'
  const sourceHop: Hop = ftp ? 'ftp' : 'erp'
  const down = downHop(history)
  const last = hops.syncs.at(-1)
  const source = ftp ? hops.exported?.row : hops.erp
  return {
    changedAgo: source?.changedAgo ?? null,
    down,
    fileNewer: fileNewerThanLastSync(ftp, last, hops.exported),
    ftp,
    hops,
    knobs,
    last,
    source,
    sourceHop,
    sourceKnown: down !== sourceHop,
  }
}

/** The source: the ERP has the customer, or its export on the file server is there, fresh, and has a readable row for it. */
function sourceRule(c: CustomerCase): OracleAnswer | null {
  if (!c.sourceKnown) return null
  if (c.ftp)
    return (
      unnamedExportRule(c.knobs, c.hops.syncs.length, c.down === 'cms', c.hops.exported) ?? exportRule(c.hops.exported)
    )
  if (c.hops.erp.exists) return null
  return c.hops.cms
    ? broken(null, 'erp', 'removed-from-erp', 'the CMS holds a customer the ERP no longer has')
    : broken(null, 'erp', 'not-in-erp', 'neither the ERP nor the CMS has it')
}

function exportRule(exported: CustomerHops['exported']): OracleAnswer | null {
  if (!exported) return broken('erp', 'ftp', 'export-missing', 'the export job never wrote the files')
  const stale = exportAgeRule(exported.ago, {file: 'the export file', written: 'the export'})
  if (stale) return stale
  if (!exported.row) return broken('erp', 'ftp', 'not-in-export', 'the current export has no row for it')
  if (exported.row.malformed) return broken('erp', 'ftp', 'export-row-unreadable', "the current export's row is broken")
  return null
}

/** ERP → CMS, when the CMS lacks the customer. The CMS's own outcome for the record is evidence of its own, even when the source cannot be asked. */
function notInCmsRule(c: CustomerCase): OracleAnswer {
  const {knobs} = c
  // Winbas and Monitor exports, and some ERPs (Visma.net), carry no private flag: only the CMS's own outcome tells the filter skipped it.
  const privateKnown = knobs.layout === 'generic' && !erpCannotSupply(knobs.erp, 'isPrivate')
  if (
    c.hops.lastOutcome === 'skipped' ||
    (c.sourceKnown && privateKnown && knobs.skipPrivateCustomers && c.source?.isPrivate)
  )
    return broken(c.sourceHop, 'cms', 'excluded-by-filter', 'a private customer while skipPrivateCustomers is on')
  if (c.hops.lastOutcome === 'failed')
    return broken(c.sourceHop, 'cms', 'sync-failed-for-record', 'the last sync that read it failed on it')
  if (!c.sourceKnown) return c.down ? unreachable(c.down) : fine('consistent', '')
  if (!c.last || after(c.changedAgo, c.last.startedAgo) || c.fileNewer)
    return broken(c.sourceHop, 'cms', 'created-after-sync', 'created (or exported) after the last sync that covered it')
  return broken(c.sourceHop, 'cms', 'not-read-by-sync', 'the last sync ran after its creation and did not read it')
}

/** ERP → CMS, when the CMS holds another version than the source. */
function erpToCmsRule(c: CustomerCase, cms: Held<number>): OracleAnswer | null {
  if (!c.sourceKnown || cms.values === c.source?.visible) return null
  // A source change newer than the change the CMS holds is news to the CMS, whatever the run times say.
  const changedAfter =
    after(c.changedAgo, cms.at) ||
    after(c.changedAgo, c.last?.startedAgo) ||
    after(c.changedAgo, c.hops.cmsChangedAgo) ||
    c.fileNewer
  return changedAfter
    ? broken(c.sourceHop, 'cms', 'erp-changed-after-sync', 'the ERP changed it after the CMS last wrote it')
    : broken(c.sourceHop, 'cms', 'cms-differs-from-erp', 'a sync that read the change still left the CMS different')
}

function cmsToAppRule(c: CustomerCase, cms: Held<number>): OracleAnswer | null {
  if (c.down === 'app') return null
  const {app} = c.hops
  return appCopyRule(app, cms.values) ?? (app ? appUserRule(c, app.at) : null)
}

/**
 * CMS → app: the customer reaches the app user of its sales rep (or the `--user`), whose device refreshed
 * after the publication. ERPs whose customers carry no sales rep (Visma eAccounting) leave the CMS its own
 * assignment, so a customer it got from them is assigned to nobody, and no user is checked unless --user names one.
 */
function appUserRule(c: CustomerCase, publishedAgo: number): OracleAnswer | null {
  const {knobs} = c
  const rep = erpCannotSupply(knobs.erp, 'salesRep') ? null : c.hops.erp.rep
  const repUser = rep === 'SR1' ? 'u-1' : rep === 'SR2' ? 'u-2' : null
  const user = knobs.user ?? repUser
  if (knobs.user && knobs.user !== repUser)
    return broken('cms', 'app', 'not-assigned-to-user', `${knobs.user} is not the customer's rep's user`)
  if (!user && rep !== null)
    return broken('cms', 'app', 'no-app-user-for-sales-rep', `no app user has sales rep ${rep}`)
  if (user && after(publishedAgo, c.hops.refreshed[user]))
    return broken('cms', 'app', 'device-not-refreshed', `${user}'s device last refreshed before the publication`)
  return null
}

function cmsToWebshopRule(c: CustomerCase, cms: Held<number>): OracleAnswer | null {
  return c.down === 'webshop' ? null : webshopCopyRule(cms.at, c.hops.webshop, cms.values)
}
