import type {ItemHops, SourceItem} from './oracle-item-hops.js'
import {after, broken} from './oracle-rules.js'
import type {Hop, Knobs, OracleAnswer} from './types.js'

/**
 * The stock rule, from the reading of the platform contract ("Sync runs and per-record outcomes"):
 * the last stock run that covered the item decides; without one nothing shows the order. It failed on the item: that is the cause. It read the
 * item (wrote it or found it unchanged): the ERP moved after it, expected lag. It did not touch the item:
 * only a time shows the order (the export file against the version the run read; Fortnox's lastmodified
 * filter asked since the run's start; Visma.net's warehouse rows), else the order is unknown.
 */
export function stockRule(c: {
  hops: ItemHops
  knobs: Knobs
  ftp: boolean
  sourceHop: Hop
  source: SourceItem
}): 'lag' | OracleAnswer {
  const last = c.hops.stockRuns.at(-1)
  if (!last)
    return broken(
      c.sourceHop,
      'cms',
      'change-order-unknown',
      'no stock run covered the item: nothing shows when the stock moved',
    )
  if (last.did === 'failed')
    return broken(c.sourceHop, 'cms', 'sync-failed-for-record', 'the last stock run failed on the item')
  const older = broken(c.sourceHop, 'cms', 'stock-not-synced', 'the stock differs since before the last stock run')
  if (c.ftp) {
    const exported = c.hops.exported
    if (last.readFileAgo === null || !exported) return {ambiguous: 'a stock run ran when there was no export file yet'}
    return after(exported.ago, last.readFileAgo) ? 'lag' : older
  }
  if (last.did === 'read') return 'lag'
  if (c.knobs.erp === 'fortnox' || c.knobs.erp === 'visma-net')
    return after(c.source.changedAgo, last.startedAgo) ? 'lag' : older
  return broken(
    c.sourceHop,
    'cms',
    'change-order-unknown',
    'the last stock run did not touch the item and the ERP keeps no time for stock',
  )
}
