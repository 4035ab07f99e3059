import type {ActionContext} from '../../diagnose/actions.js'
import {type Clock, conclude, type Diagnosis} from '../../diagnose/conclude.js'
import {answerOf} from '../../observe/fetched.js'
import {inboundChain} from '../../report/entities.js'
import {installationTimeZone} from '../../util/time.js'
import {assessCmsPrice} from './diagnose-cms.js'
import {assessAppPrice, assessWebshopPrice} from './diagnose-published.js'
import {assessExportPrice} from './diagnose-export.js'
import {assessErpPrice} from './diagnose-source.js'
import type {PriceObservations} from './observe.js'

/**
 * Diagnosis of a customer's price of an item: the price computed at every hop with the contract's rule, the
 * first hop where it differs, which input differs, and why (when it changed against the run that carries it).
 */
export function diagnosePrice(
  obs: PriceObservations,
  context: Omit<ActionContext, 'key' | 'userId' | 'entity'>,
): Diagnosis {
  const installation = answerOf(obs.installation)
  const clock: Clock = {now: obs.now, timeZone: installationTimeZone(installation)}
  const viaExports = installation ? installation.connection === 'ftp' : obs.erpSystem === null && obs.ftp !== null
  const erp = assessErpPrice(obs, viaExports)
  const ftp = viaExports ? assessExportPrice(obs) : null
  // The CMS's source: the export files on an ftp installation (what its runs read), else the ERP.
  const source = ftp
    ? {erp: answerOf(obs.ftp) ?? null, hop: 'ftp' as const, record: ftp.record}
    : {erp: answerOf(obs.erp ?? undefined)?.price ?? null, hop: 'erp' as const, record: erp.record}
  const cms = assessCmsPrice(obs, source, clock)
  const assessments = [
    erp.assessment,
    ...(ftp ? [ftp.assessment] : []),
    cms.assessment,
    assessAppPrice(obs, cms.record, clock),
    assessWebshopPrice(obs, cms.record, clock),
  ]
  const diagnosis = conclude({
    assessments,
    chain: inboundChain(viaExports ? 'ftp' : 'direct'),
    clock,
    context: {...context, entity: 'price', key: `${obs.customerCode}/${obs.itemCode}`},
    installation,
    subject: `The price of ${obs.itemCode} for customer ${obs.customerCode} (quantity ${obs.quantity}, ${obs.date})`,
    upstreamOf: {app: 'cms', cms: viaExports ? 'ftp' : 'erp', erp: null, ftp: 'erp', webshop: 'cms'},
  })
  // What the action syncs or republishes (the customer or the list), for the fix (the descriptor's `target`).
  const sync = assessments.find((assessment) => assessment.cause !== null)?.sync
  if (sync && !diagnosis.verdict.ok)
    diagnosis.verdict.evidence.push({
      label: 'what the action syncs or republishes',
      name: 'actionTarget',
      text: `${sync.noun} ${sync.key}`,
    })
  return diagnosis
}
