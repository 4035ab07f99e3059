import {compareCustomers, type FieldDiff} from '../model/compare.js'
import type {CanonicalCustomer} from '../model/customer.js'
import {type CanonicalItem, compareItems} from '../model/item.js'
import {type ClassifyContext, fields, finding, isoOf, ms, sentenceTimes} from './classify-context.js'
import type {ReconcileRecord, SideEntry} from './types.js'

function itemDiff(cms: CanonicalItem, published: CanonicalItem, visible: boolean | null | undefined): FieldDiff[] {
  const diff = compareItems(cms, published)
  if (visible === false && cms.webshop !== false) diff.push({downstream: 'false', field: 'visible', upstream: 'true'})
  return diff
}

/** The CMS against what it published to the app or the webshop. */
export function cmsToPublished(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
  users: ((recordUsers: string[]) => void) | undefined,
): ReconcileRecord | null {
  const app = context.between === 'cms,app'
  // What the app holds, per user: every published customer counts for each user who sees it.
  if (app && down && context.entity === 'customers') users?.(down.info.visibleToUserIds ?? [])
  if (up && down === null) return notPublished(context, key, up)
  if (up === null && down)
    return finding(
      key,
      app ? 'only-in-app' : 'only-in-webshop',
      `In ${app ? 'the app' : 'the webshop'} (published ${sentenceTimes(context.timeZone)(down.info.publishedAt) ?? 'at an unknown time'}), but not in the CMS.`,
      {
        times: {publishedAt: isoOf(down.info.publishedAt)},
      },
    )
  if (!up || !down) return null
  return (
    publishedDiffers(context, key, up, down) ??
    (app && context.entity === 'customers' ? notVisible(context, key, up, down) : null)
  )
}

function notPublished(context: ClassifyContext, key: string, up: SideEntry): ReconcileRecord {
  const app = context.between === 'cms,app'
  if (!app && context.entity === 'items' && (up.record as CanonicalItem).webshop === false)
    return finding(key, 'not-a-webshop-item', 'Not in the webshop: the item is not flagged as a webshop item.', {
      cause: 'not-a-webshop-item',
      times: {cmsSyncedAt: isoOf(up.info.syncedAt)},
    })
  return finding(
    key,
    app ? 'not-published-to-app' : 'not-published-to-webshop',
    `In the CMS (written ${sentenceTimes(context.timeZone)(up.info.syncedAt) ?? 'at an unknown time'}), never published to ${app ? 'the app' : 'the webshop'}.`,
    {cause: app ? 'not-published-to-app' : 'not-published-to-webshop', times: {cmsSyncedAt: isoOf(up.info.syncedAt)}},
  )
}

/** The published copy differs: published before the CMS last wrote it (behind), or after (differs). Null when equal. */
function publishedDiffers(
  context: ClassifyContext,
  key: string,
  up: SideEntry,
  down: SideEntry,
): ReconcileRecord | null {
  const app = context.between === 'cms,app'
  const diff =
    context.entity === 'customers'
      ? compareCustomers(up.record as CanonicalCustomer, down.record as CanonicalCustomer)
      : itemDiff(up.record as CanonicalItem, down.record as CanonicalItem, down.info.visible)
  if (diff.length === 0) return null
  const times = {cmsSyncedAt: isoOf(up.info.syncedAt), publishedAt: isoOf(down.info.publishedAt)}
  const published = ms(down.info.publishedAt)
  const written = ms(up.info.syncedAt)
  const behind = published !== null && written !== null && published < written
  const at = sentenceTimes(context.timeZone, down.info.publishedAt, up.info.syncedAt)
  if (behind)
    return finding(
      key,
      app ? 'app-publish-behind' : 'webshop-behind',
      `${app ? 'The app' : 'The webshop'} holds an older version: published ${at(down.info.publishedAt)}, before the CMS wrote it (${at(up.info.syncedAt)}). Differs: ${fields(diff)}.`,
      {cause: app ? 'app-publish-behind' : 'webshop-behind', diff, times},
    )
  return finding(
    key,
    app ? 'app-differs-from-cms' : 'webshop-differs-from-cms',
    `${app ? 'The app' : 'The webshop'} differs from the CMS although published after its last write: ${fields(diff)}.`,
    {cause: app ? 'app-differs-from-cms' : 'webshop-differs-from-cms', diff, times},
  )
}

/** cms,app customers: published, but some user of its sales reps does not see it. */
function notVisible(context: ClassifyContext, key: string, up: SideEntry, down: SideEntry): ReconcileRecord | null {
  const visible = down.info.visibleToUserIds ?? []
  const expected = new Set(
    ((up.record as CanonicalCustomer).salesRepCodes ?? []).flatMap((rep) => context.usersByRep.get(rep) ?? []),
  )
  const missing = [...expected].filter((user) => !visible.includes(user)).sort()
  if (missing.length === 0) return null
  return finding(
    key,
    'not-visible-to-user',
    `Published to the app, but not visible to ${missing.join(', ')} (users of its sales rep).`,
    {
      times: {cmsSyncedAt: isoOf(up.info.syncedAt), publishedAt: isoOf(down.info.publishedAt)},
      users: missing,
    },
  )
}
