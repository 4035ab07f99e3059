import type {Held, Sync} from './oracle-rules.js'
import {type CustomerEvent, erpCannotSupply, type History, type Knobs, type SyncEvent} from './types.js'

/**
 * What each hop holds of an inbound customer after the history's events, oldest first: the oracle's own
 * model of the sync. A version is one number for every field a change shows in, as the CMS can see them.
 */

/** The customer at its source, as far as the CMS can see it. */
export interface SourceCustomer {
  /** The version of the fields the CMS can see. */
  visible: number
  changedAgo: number | null
  isPrivate: boolean
}

export interface ErpCustomerHeld extends SourceCustomer {
  exists: boolean
  rep: string
  deliveries: number
}

export interface ExportRow extends SourceCustomer {
  malformed: boolean
}

/** What the CMS made of the record in the last sync that read it. */
export type SyncOutcome = 'failed' | 'skipped' | 'unchanged' | 'updated' | 'created'

export interface CustomerHops {
  erp: ErpCustomerHeld
  /** ftp: the export files' last write, and the customer's row in it. */
  exported: {ago: number; row: ExportRow | null} | null
  cms: Held<number> | null
  /** The source's change time of the version the CMS holds (what it stored as erpModifiedAt). */
  cmsChangedAgo: number | null
  lastOutcome: SyncOutcome | null
  /** The syncs that covered the customer, oldest first. */
  syncs: Sync[]
  app: Held<number> | null
  webshop: Held<number> | null
  /** Each app user's last device refresh. */
  refreshed: Record<string, number>
  /** The last version given out. */
  version: number
}

export function customerHops(history: History & {entity: 'customer'}): CustomerHops {
  const hops: CustomerHops = {
    app: null,
    cms: null,
    cmsChangedAgo: null,
    erp: {changedAgo: null, deliveries: 0, exists: false, isPrivate: false, rep: 'SR1', visible: 0},
    exported: null,
    lastOutcome: null,
    refreshed: {'u-1': 10 * 1440, 'u-2': 10 * 1440},
    syncs: [],
    version: 0,
    webshop: null,
  }
  for (const event of history.events as CustomerEvent[]) playEvent(hops, event, history.knobs)
  return hops
}

function playEvent(hops: CustomerHops, event: CustomerEvent, knobs: Knobs): void {
  switch (event.kind) {
    case 'erp-create':
      hops.erp = {
        changedAgo: event.ago,
        deliveries: event.deliveries,
        exists: true,
        isPrivate: event.private,
        rep: event.rep,
        visible: ++hops.version,
      }
      break
    case 'erp-edit':
      if (!hops.erp.exists) break
      // A ship-to of a Business Central without the platform's extension is invisible to the CMS and to the trace.
      if (event.field === 'delivery' && knobs.erp === 'businesscentral' && !knobs.shipToExtension) break
      hops.erp = {...hops.erp, changedAgo: event.ago, visible: ++hops.version}
      break
    case 'erp-delete':
      hops.erp = {...hops.erp, exists: false}
      break
    case 'export':
      hops.exported = {ago: event.ago, row: exportedRow(hops.erp, event.ago, event.malformed, knobs)}
      break
    case 'sync':
      if (event.covers) playCoveringSync(hops, event, knobs)
      break
    case 'refresh':
      hops.refreshed[event.user] = event.ago
      break
    case 'republish':
      if (hops.cms) hops.webshop = {at: event.ago, values: hops.cms.values}
      break
    default:
      break
  }
}

/** The export's row: a snapshot of the ERP's customer. */
function exportedRow(erp: ErpCustomerHeld, exportedAgo: number, malformed: boolean, knobs: Knobs): ExportRow | null {
  if (!erp.exists) return null
  // Winbas's rows carry no change time: the trace dates the row by the file's.
  return {
    changedAgo: knobs.layout === 'winbas' ? exportedAgo : erp.changedAgo,
    isPrivate: erp.isPrivate,
    malformed,
    visible: erp.visible,
  }
}

/** A sync that covered the customer: the CMS writes the source's version unless it fails, skips it or already has it; it publishes what it wrote. */
function playCoveringSync(hops: CustomerHops, event: SyncEvent, knobs: Knobs): void {
  hops.syncs.push({readFileAgo: hops.exported?.ago ?? null, startedAgo: event.ago})
  if (event.outcome === 'miss') return
  const ftp = knobs.erp === 'ftp'
  const source = ftp ? hops.exported?.row : hops.erp.exists ? hops.erp : null
  if (!source) return
  hops.lastOutcome = outcomeOf(hops, event, knobs, source)
  if (hops.lastOutcome !== 'created' && hops.lastOutcome !== 'updated') return
  const written = {at: event.ago - 1, values: source.visible}
  hops.cms = written
  hops.cmsChangedAgo = source.changedAgo
  if (event.publishApp) hops.app = written
  if (event.publishWebshop) hops.webshop = written
}

function outcomeOf(hops: CustomerHops, event: SyncEvent, knobs: Knobs, source: SourceCustomer): SyncOutcome {
  if (event.outcome === 'fail' || (knobs.erp === 'ftp' && hops.exported?.row?.malformed)) return 'failed'
  if (knobs.skipPrivateCustomers && source.isPrivate && !erpCannotSupply(knobs.erp, 'isPrivate')) return 'skipped'
  if (hops.cms?.values === source.visible) return 'unchanged'
  return hops.cms ? 'updated' : 'created'
}
