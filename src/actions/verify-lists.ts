import type {InstallationClients} from '../connectors/installation.js'
import {cmsPrices} from '../connectors/platform/prices.js'
import type {ListVerification} from './types.js'
import type {ActionTarget} from './target.js'

/**
 * After a targeted `prices` run: each list named, as the CMS holds it now. A price list has no trace of its
 * own (a price is a customer's and an item's), so the run is verified by the list itself: the CMS knows it and
 * it is active (not deactivated because it vanished from the ERP or the export), with when the CMS's copy last
 * changed (a run that found it unchanged leaves `syncedAt` as it was) and what the newest run noted about the
 * list itself (`/sync/records`, its reason).
 */
export async function verifiedLists(
  clients: InstallationClients,
  target: ActionTarget,
): Promise<ListVerification[] | null> {
  if (target.kind !== 'sync' || target.entity !== 'prices' || target.keys === null) return null
  return Promise.all(
    target.keys.map(async (code): Promise<ListVerification> => {
      const [list, records] = await Promise.all([
        cmsPrices.list(clients.cms, code),
        cmsPrices.records(clients.cms, code, null, 1),
      ])
      const record = records[0] ?? null
      return {
        active: list ? list.active : null,
        consistent: Boolean(list?.active),
        found: list !== null,
        outcome: record?.outcome ?? null,
        priceListCode: code,
        reason: record?.reason ?? null,
        syncedAt: list?.syncedAt?.toISOString() ?? null,
      }
    }),
  )
}
