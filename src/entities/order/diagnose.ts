import type {OrderObservations} from './observe.js'
import {answerOf} from '../../observe/fetched.js'
import {outboundChain} from '../../report/entities.js'
import type {HopName} from '../../report/types.js'
import type {ActionContext} from '../../diagnose/actions.js'
import {type Assessment, type Clock, conclude, type Diagnosis} from '../../diagnose/conclude.js'
import {assessCms} from './diagnose-cms.js'
import {linePriceChecks} from './line-prices.js'
import {assessErp, assessFtp} from './diagnose-erp.js'
import {assessOrigin, type OrderOrigin, originOf} from './diagnose-origin.js'
import {installationTimeZone} from '../../util/time.js'

/** Diagnosis of an order on its way out: device or webshop → CMS → (order folder) → ERP. */
export function diagnoseOrder(
  obs: OrderObservations,
  context: Omit<ActionContext, 'key' | 'userId' | 'entity'>,
): Diagnosis {
  const installation = answerOf(obs.installation)
  const clock: Clock = {now: obs.now, timeZone: installationTimeZone(installation)}
  const origin = originOf(obs)
  const originFound =
    (answerOf(obs.devices) ?? []).length > 0 ||
    Boolean(answerOf(obs.webshop)) ||
    !(obs.webshop.ok && obs.devices?.ok !== false)
  const viaFiles = installation ? installation.connection === 'ftp' : obs.ftp !== null
  const next: HopName = viaFiles ? 'ftp' : 'erp'
  const alsoStopped: {finding: string | null} = {finding: null}
  const [originAssessment, cmsAssessment] = blameTheCmsHop(
    assessOrigin(obs, origin, clock),
    assessCms(obs, origin, originFound, next, clock),
    origin,
  )
  const ftpAssessment = viaFiles ? assessFtp(obs, clock, alsoStopped) : null
  const erpAssessment = assessErp(obs, viaFiles, clock)
  markHopsAroundTheBreak(obs, cmsAssessment, ftpAssessment, erpAssessment)
  const diagnosis = conclude({
    assessments: [originAssessment, cmsAssessment, ...(ftpAssessment ? [ftpAssessment] : []), erpAssessment],
    chain: outboundChain(origin, viaFiles ? 'ftp' : 'direct'),
    clock,
    context: {...context, entity: 'order', key: obs.orderNr, userId: obs.userId ?? undefined},
    installation,
    subject: `Order ${obs.orderNr}`,
    upstreamOf: {app: null, cms: origin, erp: viaFiles ? 'ftp' : 'cms', ftp: 'cms', webshop: null},
  })
  if (alsoStopped.finding) diagnosis.verdict.otherFindings.push(alsoStopped.finding)
  addLinePrices(obs, diagnosis)
  return diagnosis
}

/** The lines' prices beside the verdict: a line that differs is a finding, never a break of the order's chain. */
function addLinePrices(obs: OrderObservations, diagnosis: Diagnosis): void {
  const order = answerOf(obs.cms)
  if (!order || !obs.linePrices) return
  if (!obs.linePrices.ok) {
    diagnosis.verdict.otherFindings.push(
      `The order lines' prices could not be checked against the customer's price: ${obs.linePrices.problem.message}.`,
    )
    return
  }
  const {findings, lines} = linePriceChecks(order, obs.linePrices.value)
  diagnosis.orderLines = lines
  diagnosis.verdict.otherFindings.push(...findings)
}

/** The origin's and the CMS's assessments, with the cause on the hop that lacks the order. */
function blameTheCmsHop(
  originAssessment: Assessment,
  cmsAssessment: Assessment,
  origin: OrderOrigin,
): [Assessment, Assessment] {
  // An order the origin holds and never handed over breaks the link origin → CMS: the CMS is the hop that lacks it.
  if (originAssessment.cause === 'order-not-uploaded' || originAssessment.cause === 'webshop-order-not-handed-over') {
    const {cause, causeEvidence, causeSummary} = originAssessment
    return [
      {...originAssessment, cause: null},
      {...cmsAssessment, cause, causeEvidence: causeEvidence ?? originAssessment.report.evidence, causeSummary},
    ]
  }
  // Nobody knows the order: the fault is at the origin itself.
  if (cmsAssessment.cause === 'order-not-found')
    return [originAssessment, {...cmsAssessment, brokenLink: {from: null, to: origin}}]
  return [originAssessment, cmsAssessment]
}

/** A break after the CMS (not transferred, or not imported): the hop before it holds the order, the hop after it lacks it. */
function markHopsAroundTheBreak(
  obs: OrderObservations,
  cmsAssessment: Assessment,
  ftpAssessment: Assessment | null,
  erpAssessment: Assessment,
): void {
  const breakAfterCms =
    cmsAssessment.brokenLink?.from === 'cms'
      ? cmsAssessment
      : ftpAssessment?.brokenLink?.from === 'ftp'
        ? ftpAssessment
        : null
  if (!breakAfterCms) return
  // The hop before the break holds the order; the hop after it lacks it, as the upstream hop's own state shows.
  const folders = answerOf(obs.ftp)?.folders
  const holder = breakAfterCms === cmsAssessment ? cmsAssessment.report : (ftpAssessment as Assessment).report
  holder.status = 'present'
  const lacking = breakAfterCms === cmsAssessment ? (ftpAssessment ?? erpAssessment).report : erpAssessment.report
  if (lacking.status !== 'present' && lacking.status !== 'not-checked') return
  lacking.status = 'missing'
  lacking.summary =
    breakAfterCms === cmsAssessment
      ? `Not transferred: the CMS reports the transfer as ${answerOf(obs.cms)?.transfer.status ?? 'not made'}.`
      : `Not imported: the order file is ${ftpAssessment?.cause === 'order-rejected-by-erp' ? `in ${folders?.error ?? 'Orders/error'}/ (rejected)` : `still waiting in ${folders?.folder ?? 'Orders'}/`}.`
}
