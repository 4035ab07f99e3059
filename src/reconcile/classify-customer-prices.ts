import type {FieldDiff} from '../model/compare.js'
import {equalPrices} from '../model/decimal.js'
import {type ClassifyContext, finding, isoOf, ms, sentenceTimes} from './classify-context.js'
import type {CustomerPrice, ReconcileRecord, SideEntry} from './types.js'

/** What differs between the CMS's resolved price and the webshop's (prices within 0.005; hidden prices compared as hidden only). */
export function customerPriceDiff(cms: CustomerPrice, webshop: CustomerPrice): FieldDiff[] {
  const diff: FieldDiff[] = []
  const text = (value: unknown) => (value === null || value === undefined ? 'none' : String(value))
  const add = (field: string, a: unknown, b: unknown) => diff.push({downstream: text(b), field, upstream: text(a)})
  if (cms.hidePrices !== webshop.hidePrices) add('hidePrices', cms.hidePrices, webshop.hidePrices)
  if (webshop.hidePrices) return diff
  const samePrice = (a: number | null, b: number | null) => (a === null || b === null ? a === b : equalPrices(a, b))
  if (!samePrice(cms.netPrice, webshop.netPrice)) add('netPrice', cms.netPrice, webshop.netPrice)
  if (!samePrice(cms.listPrice, webshop.listPrice)) add('listPrice', cms.listPrice, webshop.listPrice)
  if (cms.discountPercent !== webshop.discountPercent)
    add('discountPercent', cms.discountPercent, webshop.discountPercent)
  for (const field of ['currency', 'priceListCode', 'listSource', 'pricesIncludeVat'] as const)
    if (webshop[field] !== null && cms[field] !== webshop[field]) add(field, cms[field], webshop[field])
  return diff
}

const listed = (diff: FieldDiff[]) =>
  diff.map((entry) => `${entry.field} ${entry.upstream} vs ${entry.downstream}`).join(', ')

/**
 * The CMS's resolved price against the webshop's for one customer and item (quantity 1): only in the webshop
 * (the CMS resolves none), or differs: behind when the webshop published before the CMS last wrote the
 * customer's pricing or the list's rows (both times known), else differs.
 */
export function cmsToWebshopPrice(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
): ReconcileRecord | null {
  const at = sentenceTimes(context.timeZone, up?.info.syncedAt, down?.info.publishedAt)
  const times = {cmsSyncedAt: isoOf(up?.info.syncedAt), publishedAt: isoOf(down?.info.publishedAt)}
  if (!up && down)
    return finding(
      key,
      'only-in-webshop',
      'The webshop shows the customer a price, but the CMS resolves none (no such customer or item).',
      {times},
    )
  if (!up || !down) return null
  const cms = up.record as CustomerPrice
  const diff = customerPriceDiff(cms, down.record as CustomerPrice)
  if (diff.length === 0) return null
  const published = ms(down.info.publishedAt)
  const written = ms(up.info.syncedAt)
  const extra = {diff, times}
  if (published !== null && written !== null && published < written)
    return finding(
      key,
      'webshop-behind',
      `The webshop shows an older price (${listed(diff)}): published ${at(published)}, before the CMS wrote the customer's pricing or the list's rows (${at(written)}).`,
      {cause: 'webshop-behind', ...extra},
    )
  if (published === null || written === null)
    return finding(
      key,
      'webshop-differs-from-cms',
      `The webshop's price differs from the CMS's (${listed(diff)}); without both times the order of the publish and the CMS's write cannot be told.`,
      {cause: 'webshop-differs-from-cms', ...extra},
    )
  return finding(
    key,
    'webshop-differs-from-cms',
    `The webshop's price differs from the CMS's although published after its last write: ${listed(diff)}.`,
    {cause: 'webshop-differs-from-cms', ...extra},
  )
}
