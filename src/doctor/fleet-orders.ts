import type {TransferStatus, WaitingOrder} from '../connectors/platform/fleet.js'
import type {FleetProblem} from './fleet-types.js'

const minute = 60_000

/**
 * How long an order may wait in each transfer status before it is stuck (docs/contract-readings.md): it
 * normally leaves `queued` within a minute (direct) or at the next upload (ftp, every few minutes).
 */
export function waitLimitMs(status: TransferStatus, connection: string): number {
  if (status === 'queued') return connection === 'ftp' ? 60 * minute : 15 * minute
  if (status === 'failed') return 60 * minute
  return 24 * 60 * minute
}

const waitingSince = (order: WaitingOrder): number => Date.parse(order.receivedAt ?? '') || Number.NaN

/** Orders in `queued`, `failed` or `on-hold` longer than normal: how many, the oldest, since when. */
export function stuckOrders(
  byStatus: Record<TransferStatus, WaitingOrder[]>,
  connection: string,
  now: Date,
  commandSuffix: string,
): FleetProblem[] {
  const stuck = (Object.entries(byStatus) as Array<[TransferStatus, WaitingOrder[]]>).flatMap(([status, orders]) =>
    orders
      .filter((order) => now.getTime() - waitingSince(order) > waitLimitMs(status, connection))
      .map((order) => ({order, status})),
  )
  if (stuck.length === 0) return []
  stuck.sort((a, b) => waitingSince(a.order) - waitingSince(b.order))
  const oldest = stuck[0] as (typeof stuck)[number]
  const counts = (['queued', 'failed', 'on-hold'] as const)
    .map((status) => [status, stuck.filter((entry) => entry.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
  const error = oldest.order.transfer?.error
  return [
    {
      action:
        'Contact platform support: the CMS does not hand these orders to the ERP or file server; trace the oldest to see where it stopped.',
      command: `synctrace trace order ${oldest.order.orderNr}${commandSuffix ? ` ${commandSuffix}` : ''}`,
      detail: `${counts.join(', ')}; oldest ${oldest.order.orderNr}${error ? `: ${error}` : ''}`,
      kind: 'orders-stuck',
      owner: 'platform-support',
      severity: 'critical',
      since: oldest.order.receivedAt ?? null,
      subject: 'orders',
      summary: '',
      what: `${stuck.length} order${stuck.length === 1 ? '' : 's'} waiting`,
    },
  ]
}

/** Within this, an expiring ERP consent or secret is worth a warning (someone must renew it in time). */
export const credentialsWarningMs = 14 * 24 * 60 * minute

/** The ERP consent or secret the CMS holds, expired or expiring within two weeks. */
export function credentialProblems(expireAt: string | null, now: Date): FleetProblem[] {
  const at = expireAt ? Date.parse(expireAt) : Number.NaN
  if (Number.isNaN(at) || at - now.getTime() > credentialsWarningMs) return []
  const expired = at <= now.getTime()
  return [
    {
      action:
        "The ERP consultant renews the platform's consent or secret in the ERP and enters it in the CMS with platform support.",
      command: null,
      detail: null,
      kind: expired ? 'credentials-expired' : 'credentials-expiring',
      owner: 'erp-consultant',
      severity: expired ? 'critical' : 'warning',
      since: new Date(at).toISOString(),
      subject: 'erp',
      summary: '',
      what: expired ? "the CMS's ERP credentials expired" : "the CMS's ERP credentials expire",
    },
  ]
}
