import {type ItemHops, itemHops, type ItemValues, type SourceItem, webshopView} from './oracle-item-hops.js'
import {
  appCopyRule,
  exportAgeRule,
  fileNewerThanLastSync,
  syncedBeforeExport,
  unnamedExportRule,
  webshopCopyRule,
} from './oracle-inbound.js'
import {after, broken, downHop, fine, type Held, type Sync, unreachable} from './oracle-rules.js'
import {stockRule} from './oracle-item-stock.js'
import type {History, Hop, Knobs, OracleAnswer} from './types.js'

/**
 * An item traced, ERP (→ export) → CMS → app, webshop: what each hop holds after the history
 * (oracle-item-hops.ts), then the rules hop by hop along the chain; the first that finds the item stuck
 * gives the verdict. A stock that moved after the last sync is no fault, only a note on an ok verdict.
 */

/** What the rules read: the hops' contents and the facts about the source and the last sync. */
interface ItemCase {
  hops: ItemHops
  knobs: Knobs
  ftp: boolean
  sourceHop: Hop
  down: Hop | null
  /** The source hop is up, so a trace learns what it holds. */
  sourceKnown: boolean
  source: SourceItem | null | undefined
  changedAgo: number | null
  /** The last item sync that covered it. */
  last: Sync | undefined
  fileNewer: boolean
  /** The source changed after the last sync started, or its export file was written again after the version it read. */
  changedAfterLastSync: boolean
}

export function itemTrace(history: History & {entity: 'item'}): OracleAnswer {
  const c = itemCase(history)
  const atSource = sourceRule(c) ?? syncedBeforeExport(c.ftp, c.last, c.hops.exported)
  if (atSource) return atSource
  const {cms} = c.hops
  if (!cms) return notInCmsRule(c)
  return erpToCmsRule(c, cms) ?? cmsToAppRule(c, cms) ?? cmsToWebshopRule(c, cms) ?? everyHopHolds(c, cms)
}

function itemCase(history: History & {entity: 'item'}): ItemCase {
  const {knobs} = history
  const hops = itemHops(history)
  const ftp = knobs.erp === 'ftp'
  const sourceHop: Hop = ftp ? 'ftp' : 'erp'
  const down = downHop(history)
  const last = hops.syncs.at(-1)
  const source = ftp ? hops.exported?.row : hops.erp
  const changedAgo = source?.changedAgo ?? null
  const fileNewer = fileNewerThanLastSync(ftp, last, hops.exported)
  return {
    changedAfterLastSync: after(changedAgo, last?.startedAgo) || fileNewer,
    changedAgo,
    down,
    fileNewer,
    ftp,
    hops,
    knobs,
    last,
    source,
    sourceHop,
    sourceKnown: down !== sourceHop,
  }
}

/** The source: the ERP has the item, or its export on the file server is there, fresh, and has a row for it. */
function sourceRule(c: ItemCase): OracleAnswer | null {
  if (!c.sourceKnown) return null
  const {exported} = c.hops
  if (c.ftp) {
    if (!exported) return {ambiguous: 'items.csv was never written'}
    const unnamed = unnamedExportRule(c.knobs, c.hops.syncs.length, c.down === 'cms', exported)
    if (unnamed) return unnamed
    const stale = exportAgeRule(exported.ago, {file: 'the item export', written: 'items.csv'})
    if (stale) return stale
  }
  if (c.source) return null
  return c.hops.cms
    ? {ambiguous: 'an item gone from the source while the CMS has it'}
    : broken(c.ftp ? 'erp' : null, c.sourceHop, c.ftp ? 'not-in-export' : 'not-in-erp', 'the source has no such item')
}

/** ERP → CMS, when the CMS lacks the item. */
function notInCmsRule(c: ItemCase): OracleAnswer {
  const {source} = c
  if (!c.sourceKnown || !source) return c.down ? unreachable(c.down) : fine('consistent', '')
  if (!source.active) return broken(c.sourceHop, 'cms', 'item-excluded', 'inactive in the ERP')
  if (c.knobs.onlyWebshopItems && !source.webshop)
    return broken(c.sourceHop, 'cms', 'item-excluded', 'not a webshop item while onlyWebshopItems is on')
  if (!c.last || after(c.changedAgo, c.last.startedAgo) || c.fileNewer)
    return broken(c.sourceHop, 'cms', 'created-after-sync', 'created (or exported) after the last item sync')
  return broken(c.sourceHop, 'cms', 'not-read-by-sync', 'the last item sync ran after its creation and did not read it')
}

/** ERP → CMS, when the CMS holds other values than the source: the price or description, else the stock by the last stock run (oracle-item-stock.ts). */
function erpToCmsRule(c: ItemCase, cms: Held<ItemValues>): OracleAnswer | null {
  const {source} = c
  if (!c.sourceKnown || !source) return null
  if (source.price !== cms.values.price || source.description !== cms.values.description)
    return c.changedAfterLastSync || after(c.changedAgo, cms.at) || after(c.changedAgo, c.hops.cmsChangedAgo)
      ? broken(
          c.sourceHop,
          'cms',
          'erp-changed-after-sync',
          'the price or description changed after the last item sync',
        )
      : broken(c.sourceHop, 'cms', 'cms-differs-from-erp', 'a sync after the change left the CMS different')
  if (source.stock === cms.values.stock) return null
  const stock = stockRule({...c, source})
  return stock === 'lag' ? null : stock
}

function cmsToAppRule(c: ItemCase, cms: Held<ItemValues>): OracleAnswer | null {
  return c.down === 'app' ? null : appCopyRule(c.hops.app, cms.values)
}

function cmsToWebshopRule(c: ItemCase, cms: Held<ItemValues>): OracleAnswer | null {
  if (c.down === 'webshop') return null
  if (!cms.values.webshop) return broken('cms', 'webshop', 'not-a-webshop-item', 'not flagged for the webshop')
  return webshopCopyRule(cms.at, c.hops.webshop, webshopView(cms.values))
}

/** No hop holds it back: ok, unless a hop is down; the stock alone may differ, which the rules before found to be lag. */
function everyHopHolds(c: ItemCase, cms: Held<ItemValues>): OracleAnswer {
  if (c.down) return unreachable(c.down)
  const onlyStockMoved =
    c.sourceKnown && c.source !== null && c.source !== undefined && c.source.stock !== cms.values.stock
  return onlyStockMoved
    ? fine('expected-stock-lag', 'only the stock moved, after the last sync')
    : fine('consistent', 'every hop holds the current version')
}
