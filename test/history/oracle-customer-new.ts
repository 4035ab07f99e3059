import {broken, fine} from './oracle-rules.js'
import {type CustomerEvent, graceMinutes, type History, type OracleAnswer} from './types.js'

/** Customers created in the app: device → CMS → (Customers/) → ERP. */
export function customerOutbound(history: History & {entity: 'customer'}): OracleAnswer {
  const events = history.events as CustomerEvent[]
  const ftp = history.knobs.erp === 'ftp'
  const upload = events.find((event) => event.kind === 'upload')
  if (!upload) return broken('app', 'cms', 'customer-not-uploaded', 'created on the device, never uploaded')
  const toErp = events.find((event) => event.kind === 'cms-to-erp')
  const imported = events.find((event) => event.kind === 'erp-import')
  if (!toErp) {
    if (upload.ago < graceMinutes.transfer + 20) return {ambiguous: 'uploaded recently'}
    return broken(
      'cms',
      ftp ? 'ftp' : 'erp',
      'new-customer-not-in-erp',
      'the CMS has had it for long, and has not passed it on',
    )
  }
  if (!ftp) return fine('consistent', 'the CMS created it in the ERP')
  if (!imported)
    return toErp.ago < graceMinutes.transfer + 20
      ? {ambiguous: 'its file was written recently'}
      : broken('ftp', 'erp', 'customer-file-waiting', 'its file waits in Customers/')
  if (imported.kind === 'erp-import' && imported.result === 'rejected')
    return broken('ftp', 'erp', 'customer-rejected-by-erp', 'the ERP moved its file to Customers/error/')
  return fine('consistent', 'the ERP imported its file')
}
