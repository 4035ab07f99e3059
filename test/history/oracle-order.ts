import {graceMinutes, type History, type Hop, type OracleAnswer, type OrderEvent} from './types.js'
import {broken, downHop, fine, unreachable} from './oracle-rules.js'

export function orderTrace(history: History & {entity: 'order'}): OracleAnswer {
  const events = history.events as OrderEvent[]
  const ftp = history.knobs.erp === 'ftp'
  const down = downHop(history)
  const next: Hop = ftp ? 'ftp' : 'erp'
  const created = events.find((event) => event.kind === 'order-create')
  const channel = created?.kind === 'order-create' ? created.channel : 'app'
  const upload = events.find((event) => event.kind === 'order-upload')
  const transfer = events.find((event) => event.kind === 'transfer')
  const imported = events.find((event) => event.kind === 'erp-import')
  const lost = events.some((event) => event.kind === 'order-lost')
  if (!upload) {
    if (down === channel) return unreachable(channel)
    return channel === 'app'
      ? broken('app', 'cms', 'order-not-uploaded', 'still on the device')
      : broken('webshop', 'cms', 'webshop-order-not-handed-over', 'the webshop never handed it to the CMS')
  }
  const originDown = down === 'webshop' && channel === 'webshop'
  const result = (): OracleAnswer | null => {
    if (!transfer || transfer.kind !== 'transfer') {
      if (upload.ago > 20 && upload.ago < 45) return {ambiguous: 'queued near the transfer grace'}
      return upload.ago < graceMinutes.transfer
        ? broken('cms', next, 'order-transfer-pending', 'queued minutes ago')
        : broken('cms', next, 'order-transfer-stuck', 'queued for longer than the grace')
    }
    if (transfer.result === 'on-hold') return broken('cms', next, 'order-on-hold', 'the CMS holds it back')
    if (transfer.result === 'failed') {
      if (ftp) return broken('cms', next, 'order-transfer-failed', 'the transfer failed')
      if (down === 'erp') return {ambiguous: 'a failed transfer while the ERP, which would name what it lacks, is down'}
      if (history.erpLacks.customer || history.erpLacks.item)
        return broken('cms', 'erp', 'order-prerequisite-missing', 'the ERP lacks its customer or an item')
      return broken('cms', 'erp', 'order-transfer-failed', 'the transfer failed although the ERP has everything')
    }
    if (down === next) return null
    if (ftp) {
      if (lost) return broken('cms', 'ftp', 'order-file-missing', 'sent, but its file is in no order folder')
      if (!imported || imported.kind !== 'erp-import') {
        if (transfer.ago < graceMinutes.transfer + 20) return {ambiguous: 'its file was written recently'}
        return broken('ftp', 'erp', 'order-file-waiting', 'its file has waited in Orders/ for long')
      }
      if (imported.result === 'rejected')
        return broken('ftp', 'erp', 'order-rejected-by-erp', 'the ERP moved its file to Orders/error/')
      return null
    }
    if (lost) return broken('cms', 'erp', 'order-missing-in-erp', 'sent, but the ERP has no sales order for it')
    return null
  }
  const answer = result()
  if (answer) return answer
  if (originDown) return unreachable('webshop')
  if (down === next) return unreachable(next)
  return fine('consistent', 'booked in the ERP')
}
