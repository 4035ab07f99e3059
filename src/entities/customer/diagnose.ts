import type {CustomerObservations} from './observe.js'
import {inboundChain} from '../../report/entities.js'
import {answerOf} from '../../observe/fetched.js'
import type {ActionContext} from '../../diagnose/actions.js'
import {type Clock, conclude, type Diagnosis} from '../../diagnose/conclude.js'
import {assessCms} from './diagnose-cms.js'
import {diagnoseCustomerOnDevice, diagnoseNewCustomer} from './diagnose-new.js'
import {assessApp, assessWebshop} from './diagnose-published.js'
import {assessErp, assessFtp, sourceView} from './diagnose-source.js'
import {installationTimeZone} from '../../util/time.js'

export {newerThanCmsCopy} from '../../diagnose/change-order.js'
export {newCustomerGraceMs} from './diagnose-new.js'
export type {SourceView} from './diagnose-source.js'
export {webshopPushGraceMs} from '../../diagnose/published.js'

export type CustomerDiagnosis = Diagnosis

/** Diagnosis: hop statuses from the observations, the first broken link, its cause and the action. */
export function diagnoseCustomer(
  obs: CustomerObservations,
  context: Omit<ActionContext, 'key' | 'userId' | 'entity'>,
): CustomerDiagnosis {
  const installation = answerOf(obs.installation)
  const clock: Clock = {now: obs.now, timeZone: installationTimeZone(installation)}
  const cmsRecord = answerOf(obs.cms)
  if (cmsRecord && (cmsRecord.origin === 'app' || cmsRecord.origin === 'webshop'))
    return diagnoseNewCustomer(obs, cmsRecord, cmsRecord.origin, clock, context)
  const onDevice = answerOf(obs.pendingOnDevices ?? null)?.[0]
  if (!cmsRecord && onDevice) return diagnoseCustomerOnDevice(obs, onDevice, clock, context)
  // An ftp installation (or a profile that reads exports but has no ERP API) is traced from its exports.
  const viaExports = installation ? installation.connection === 'ftp' : obs.ftp !== null && obs.erp === null
  const erpAssessment = assessErp(obs, viaExports)
  const ftpAssessment = viaExports ? assessFtp(obs, clock) : null
  const source = sourceView(obs, viaExports, ftpAssessment ?? erpAssessment, clock)
  return conclude({
    assessments: [
      erpAssessment,
      ...(ftpAssessment ? [ftpAssessment] : []),
      assessCms(obs, clock, source),
      assessApp(obs, clock),
      assessWebshop(obs, clock),
    ],
    chain: inboundChain(viaExports ? 'ftp' : 'direct'),
    clock,
    context: {...context, entity: 'customer', key: obs.code, userId: obs.userId ?? undefined},
    installation,
    subject: `Customer ${obs.code}`,
    upstreamOf: {app: 'cms', cms: source.hop, erp: null, ftp: 'erp', webshop: 'cms'},
  })
}
