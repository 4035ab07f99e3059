import type {RejectedOrderFile} from '../connectors/ftp/rejected.js'
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
  const queued = stuck.some((entry) => entry.status === 'queued')
  const suffix = commandSuffix ? ` ${commandSuffix}` : ''
  return [
    {
      // Queued too long: the CMS's transfer is stuck. Failed or held: the transfer's error says why (often the
      // ERP refusing the order's data): an admin traces it, has the cause fixed, and retransfers.
      action: queued
        ? 'Contact platform support: the CMS does not hand these orders to the ERP or file server; trace the oldest to see where it stopped.'
        : 'Trace the oldest order: it names why the transfer failed and who fixes it; then retransfer it.',
      command: `synctrace trace order ${oldest.order.orderNr}${suffix}`,
      detail: `${counts.join(', ')}; oldest ${oldest.order.orderNr}${error ? `: ${error}` : ''}`,
      kind: 'orders-stuck',
      owner: queued ? 'platform-support' : 'admin',
      severity: 'critical',
      since: oldest.order.receivedAt ?? null,
      subject: 'orders',
      summary: '',
      what: `${stuck.length} order${stuck.length === 1 ? '' : 's'} waiting`,
    },
  ]
}

/** A file the ERP's import rejected, older than this, has been left there (the import runs every few minutes). */
export const rejectedFileLimitMs = 60 * minute

/** Order files in `Orders/error/` for longer than an hour: the ERP's import refused them. */
export function rejectedOrders(files: RejectedOrderFile[], now: Date): FleetProblem[] {
  const old = files
    .filter((file) => file.modifiedAt && now.getTime() - file.modifiedAt.getTime() > rejectedFileLimitMs)
    .sort((a, b) => (a.modifiedAt?.getTime() ?? 0) - (b.modifiedAt?.getTime() ?? 0))
  const oldest = old[0]
  if (!oldest) return []
  return [
    {
      action:
        "The ERP consultant reads why the ERP's import refused the file (its .err.txt beside it), fixes the cause in the ERP, and has the order sent again.",
      command: null,
      detail: `oldest ${oldest.path}`,
      kind: 'orders-rejected',
      owner: 'erp-consultant',
      severity: 'critical',
      since: oldest.modifiedAt?.toISOString() ?? null,
      subject: 'orders',
      summary: '',
      what: `${old.length} order file${old.length === 1 ? '' : 's'} rejected by the ERP's import`,
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
