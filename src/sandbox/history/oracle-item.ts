import {graceMinutes, type History, type Hop, type ItemEvent, type OracleAnswer} from './types.js'
import {after, broken, downHop, fine, type Held, hours, same, type Sync, unreachable} from './oracle-rules.js'

interface ItemValues {
  description: string
  price: number
  stock: number
  active: boolean
  webshop: boolean
}

export function itemTrace(history: History & {entity: 'item'}): OracleAnswer {
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
