import {answerOf} from '../../observe/fetched.js'
import {inboundChain} from '../../report/entities.js'
import type {ItemObservations} from './observe.js'
import type {ActionContext} from '../../diagnose/actions.js'
import {type Clock, conclude, type Diagnosis} from '../../diagnose/conclude.js'
import {erpDisplayName} from '../../connectors/registry.js'
import {assessCms} from './diagnose-cms.js'
import {assessApp, assessWebshop} from './diagnose-published.js'
import {assessSource, otherExportFinding} from './diagnose-source.js'
import {baseReport} from '../../diagnose/report-helpers.js'
import {installationTimeZone} from '../../util/time.js'

/** Diagnosis of an item: the same principles as for customers, with the rules for prices and stock. */
export function diagnoseItem(
  obs: ItemObservations,
  context: Omit<ActionContext, 'key' | 'userId' | 'entity'>,
): Diagnosis {
  const installation = answerOf(obs.installation)
  const clock: Clock = {now: obs.now, timeZone: installationTimeZone(installation)}
  const viaExports = installation ? installation.connection === 'ftp' : obs.ftp !== null && obs.erp === null
  const {assessment: sourceAssessment, source} = assessSource(obs, viaExports, clock)
  const erpNotChecked = {
    cause: null,
    report: {
      ...baseReport('erp', installation?.erpSystem ?? 'erp', 0, null),
      status: 'not-checked' as const,
      summary: `${erpDisplayName(installation?.erpSystem)} is only visible through its exports on the file server.`,
    },
  }
  const alsoStopped = viaExports ? otherExportFinding(obs, sourceAssessment.report, clock) : null
  const diagnosis = conclude({
    assessments: [
      ...(viaExports ? [erpNotChecked] : []),
      sourceAssessment,
      assessCms(obs, source, clock),
      assessApp(obs, clock),
      assessWebshop(obs, clock),
    ],
    chain: inboundChain(viaExports ? 'ftp' : 'direct'),
    clock,
    context: {...context, entity: 'item', key: obs.code},
    installation,
    subject: `Item ${obs.code}`,
    upstreamOf: {app: 'cms', cms: source.hop, erp: null, ftp: 'erp', webshop: 'cms'},
  })
  if (alsoStopped) diagnosis.verdict.otherFindings.push(alsoStopped)
  return diagnosis
}
