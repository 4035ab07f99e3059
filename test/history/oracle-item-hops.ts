import {type Held, same, type Sync} from './oracle-rules.js'
import {type History, type ItemEvent, type Knobs, stockMovesChangeTime, type SyncEvent} from './types.js'

/**
 * What each hop holds of an item after the history's events, oldest first: the oracle's own model of the
 * item sync. Every event is a revision; a changed field takes the revision's number.
 */

export interface ItemValues {
  description: string
  price: number
  stock: number
  active: boolean
  webshop: boolean
}

/** The item at its source: the ERP's item, or its export's row. */
export type SourceItem = ItemValues & {changedAgo: number}

/** What the webshop shows of an item. */
export interface WebshopItem {
  price: number
  stock: number
  visible: boolean
}

export interface ItemHops {
  erp: SourceItem | null
  /** ftp: the export files' last write, and the item's row in it. */
  exported: {ago: number; row: SourceItem | null} | null
  cms: Held<ItemValues> | null
  /** The source's change time of the version the CMS holds. */
  cmsChangedAgo: number | null
  app: Held<ItemValues> | null
  webshop: Held<WebshopItem> | null
  /** The item syncs that covered it, oldest first. */
  syncs: Sync[]
  /** The stock runs that covered it, oldest first, with what each did with the item. */
  stockRuns: StockRun[]
  revision: number
}

/** A stock run: read the item (wrote it or found it unchanged), failed on it, or did not touch it (missed, skipped, or not in the CMS). */
export type StockRun = Sync & {did: 'read' | 'failed' | 'not-touched'}

export const webshopView = (values: ItemValues): WebshopItem => ({
  price: values.price,
  stock: values.stock,
  visible: values.active,
})

export function itemHops(history: History & {entity: 'item'}): ItemHops {
  const hops: ItemHops = {
    app: null,
    cms: null,
    cmsChangedAgo: null,
    erp: null,
    exported: null,
    revision: 0,
    stockRuns: [],
    syncs: [],
    webshop: null,
  }
  for (const event of history.events as ItemEvent[]) playEvent(hops, event, history.knobs)
  return hops
}

function playEvent(hops: ItemHops, event: ItemEvent, knobs: Knobs): void {
  const revision = ++hops.revision
  switch (event.kind) {
    case 'erp-create':
      hops.erp = {
        active: event.active,
        changedAgo: event.ago,
        description: `rev ${revision}`,
        price: revision,
        stock: revision,
        webshop: event.webshop,
      }
      break
    case 'erp-edit':
      // A stock movement leaves the record's change time alone where the ERP keeps none for stock
      // (Business Central's inventory, eAccounting, NetSuite): the contract's times are the record's.
      if (hops.erp)
        hops.erp = {
          ...hops.erp,
          changedAgo: event.field !== 'stock' || stockMovesChangeTime(knobs.erp) ? event.ago : hops.erp.changedAgo,
          ...editedField(event.field, revision),
        }
      break
    case 'export':
      // Monitor's items carry no change time: the trace dates the row by the file's.
      hops.exported = {
        ago: event.ago,
        row: hops.erp ? {...hops.erp, ...(knobs.layout === 'monitor' ? {changedAgo: event.ago} : {})} : null,
      }
      break
    case 'sync':
      if (event.covers && event.stock) playStockRun(hops, event, knobs)
      else if (event.covers) playCoveringSync(hops, event, knobs)
      break
    case 'republish':
      if (hops.cms?.values.webshop) hops.webshop = {at: event.ago, values: webshopView(hops.cms.values)}
      break
  }
}

function editedField(field: 'price' | 'description' | 'stock', revision: number): Partial<ItemValues> {
  if (field === 'price') return {price: revision}
  if (field === 'description') return {description: `rev ${revision}`}
  return {stock: revision}
}

/** An item sync that covered it: the CMS writes the source's values unless the item is excluded or unchanged, and publishes what it wrote. */
function playCoveringSync(hops: ItemHops, event: SyncEvent, knobs: Knobs): void {
  hops.syncs.push({readFileAgo: hops.exported?.ago ?? null, startedAgo: event.ago})
  const source = knobs.erp === 'ftp' ? hops.exported?.row : hops.erp
  if (event.outcome !== 'read' || !source) return
  if (!source.active || (knobs.onlyWebshopItems && !source.webshop)) return
  const {changedAgo: _changed, ...values} = source
  if (hops.cms && same(hops.cms.values, values)) return
  const at = event.ago - 1
  hops.cms = {at, values}
  hops.cmsChangedAgo = source.changedAgo
  if (event.publishApp) hops.app = {at, values}
  if (event.publishWebshop && values.webshop) hops.webshop = {at, values: webshopView(values)}
}

/**
 * A stock run that covered it: it reads the items the CMS has from the source, fails on the item or skips it
 * (inactive, filtered) or writes its stock when it differs, and publishes what it wrote.
 */
function playStockRun(hops: ItemHops, event: SyncEvent, knobs: Knobs): void {
  const source = knobs.erp === 'ftp' ? hops.exported?.row : hops.erp
  const run = {readFileAgo: hops.exported?.ago ?? null, startedAgo: event.ago}
  const {cms} = hops
  const read = event.outcome !== 'miss' && source && cms
  const did = !read
    ? 'not-touched'
    : event.outcome === 'fail'
      ? 'failed'
      : !source.active || (knobs.onlyWebshopItems && !source.webshop)
        ? 'not-touched'
        : 'read'
  hops.stockRuns.push({...run, did})
  if (did !== 'read' || !source || !cms || cms.values.stock === source.stock) return
  const at = event.ago - 1
  const values = {...cms.values, stock: source.stock}
  hops.cms = {at, values}
  hops.cmsChangedAgo = source.changedAgo
  if (event.publishApp) hops.app = {at, values}
  if (event.publishWebshop && values.webshop) hops.webshop = {at, values: webshopView(values)}
}
