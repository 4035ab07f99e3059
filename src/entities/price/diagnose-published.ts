import type {AppDevice} from '../../connectors/platform/types.js'
import type {PricePublishTimes} from '../../connectors/platform/prices.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {baseReport, problemReport, time, timeEvidence} from '../../diagnose/report-helpers.js'
import {answerOf} from '../../observe/fetched.js'
import type {AppUserReport, DeviceReport, Evidence, PriceRecord} from '../../report/types.js'
import {
  answerOfResolved,
  appInputsOf,
  inputDiffs,
  inputKind,
  listOfDiffs,
  outcomeDiffs,
  priceOf,
  priceRecord,
} from './compute.js'
import type {PriceObservations} from './observe.js'
import {answerText, computationEvidence, computationText, inputWords} from './words.js'

/** When the CMS last wrote the inputs of one kind: the customer's profile, or the lists' rows and the group. */
function cmsWrittenAt(obs: PriceObservations, kind: 'pricing' | 'rows', list: string | null): Date | null {
  const cms = answerOf(obs.cms)
  if (!cms) return null
  if (kind === 'pricing') return cms.pricing?.syncedAt ?? null
  const rows = Object.entries(cms.rows).flatMap(([code, found]) =>
    list === null || code === list ? (found ?? []) : [],
  )
  const times = [...rows.map((row) => row.syncedAt), cms.discountGroup?.syncedAt ?? null].filter(
    (at): at is Date => at !== null,
  )
  return times.length > 0 ? new Date(Math.max(...times.map((at) => at.getTime()))) : null
}

const syncOf = (obs: PriceObservations, kind: 'pricing' | 'rows', list: string | null) =>
  kind === 'pricing' || list === null ? {key: obs.customerCode, noun: 'customer'} : {key: list, noun: 'prices'}

/** The app hop: the published inputs and their computation against the CMS's, then the devices that hold them. */
export function assessAppPrice(obs: PriceObservations, cms: PriceRecord | null, clock: Clock): Assessment {
  if (!obs.app.ok) return {cause: null, report: problemReport('app', 'app', obs.app, 'cms')}
  const report = baseReport('app', 'app', obs.app.durationMs, 'cms')
  const published = obs.app.value
  const inputs = appInputsOf(published, obs.itemCode, cms?.inputs?.lists ?? {})
  if (!inputs || !published.pricing) {
    report.status = 'missing'
    report.summary = `The app backend has no published pricing for customer ${obs.customerCode}.`
    return {cause: 'not-published-to-app', report, sync: {key: obs.customerCode, noun: 'customer'}}
  }
  const resolved = answerOf(obs.appResolved)
  const record = priceRecord(obs, inputs, resolved ? answerOfResolved(resolved.price) : null)
  report.record = record
  report.summary = `The app: ${computationText(record)}.`
  report.evidence = timeEvidence(
    'appPricingPublishedAt',
    "the customer's pricing published to the app",
    published.pricing.publishedAt,
  )
  const up = cms ? priceOf(cms) : null
  const down = priceOf(record)
  const outcome = up && down ? outcomeDiffs(up, down) : []
  if (cms?.inputs && outcome.length > 0) {
    const inputsDiffer = inputDiffs(cms.inputs, inputs)
    report.diff = [...outcome, ...inputsDiffer]
    const kind = inputKind(inputsDiffer) === 'pricing' ? 'pricing' : 'rows'
    const list = kind === 'rows' ? (listOfDiffs(inputsDiffer) ?? cms.inputs.pricing.effectivePriceListCode) : null
    const publishedAt =
      kind === 'pricing' ? published.pricing.publishedAt : list ? (published.rows[list]?.publishedAt ?? null) : null
    const written = cmsWrittenAt(obs, kind, list)
    const behind = written !== null && (publishedAt === null || publishedAt < written)
    report.status = behind ? 'stale' : 'differs'
    report.summary = `The app's price differs from the CMS's: ${inputWords(inputsDiffer)}.`
    const evidence: Evidence[] = [
      ...computationEvidence({label: 'the CMS', record: cms}, {label: 'the app', record}),
      ...timeEvidence('cmsSyncedAt', 'the CMS wrote the input', written),
      ...timeEvidence('appPublishedAt', 'the app backend got it', publishedAt),
    ]
    return {
      cause: behind ? 'app-publish-behind' : 'app-differs-from-cms',
      causeEvidence: evidence,
      causeSummary: behind
        ? `${report.summary} The CMS wrote it at ${time(written as Date, clock)}${publishedAt ? `, after its last publish to the app at ${time(publishedAt, clock)}` : ', and never published it to the app'}.`
        : report.summary,
      report,
      ...(behind ? {sync: syncOf(obs, kind, list)} : {}),
    }
  }
  return devicesAssessment(obs, report, published.pricing.visibleToUserIds, resolved?.publishedAt ?? null, clock)
}

/** Does a device hold the published price: every publish time of its inputs at or before its last refresh? */
export function deviceHolds(device: AppDevice, times: PricePublishTimes | null): boolean {
  const refreshed = Math.max(device.lastRefreshAt?.getTime() ?? 0, device.lastFullRefreshAt?.getTime() ?? 0)
  if (refreshed === 0) return false
  if (!times) return true
  return Object.values(times).every((at) => at === null || at.getTime() <= refreshed)
}

function devicesAssessment(
  obs: PriceObservations,
  report: Assessment['report'],
  visibleTo: string[],
  times: PricePublishTimes | null,
  clock: Clock,
): Assessment {
  const users = answerOf(obs.devices) ?? []
  if (obs.userId && !visibleTo.includes(obs.userId)) {
    report.status = 'not-visible'
    report.summary = `User ${obs.userId} does not see customer ${obs.customerCode} in the app (visible to ${visibleTo.join(', ') || 'nobody'}).`
    return {cause: 'not-assigned-to-user', report, userId: obs.userId}
  }
  report.users = users.map((user) => userReport(user.userId, user.devices ?? [], times))
  const stale = report.users.find((user) => user.status === 'stale')
  const newest = times ? Object.values(times).filter((at): at is Date => at !== null) : []
  const publishedAt = newest.length > 0 ? new Date(Math.max(...newest.map((at) => at.getTime()))) : null
  if (stale) {
    report.status = 'stale'
    report.summary = `A device of ${stale.userId} has not refreshed since the price's inputs were published${publishedAt ? ` (${time(publishedAt, clock)})` : ''}.`
    const device = stale.devices.find((entry) => !entry.holdsRecord)
    return {
      cause: 'device-not-refreshed',
      causeEvidence: [
        ...timeEvidence('appPublishedAt', 'the newest input of the price published to the app', publishedAt),
        ...(device?.lastRefreshAt
          ? [
              {
                at: device.lastRefreshAt,
                label: `device ${device.deviceId} last refreshed`,
                name: `deviceRefreshedAt:${device.deviceId}`,
              },
            ]
          : []),
      ],
      causeSummary: report.summary,
      report,
      userId: stale.userId,
    }
  }
  if (users.length === 0) report.summary = `${report.summary} No app user sees this customer: no device to check.`
  return {cause: null, report}
}

function userReport(userId: string, devices: AppDevice[], times: PricePublishTimes | null): AppUserReport {
  const reports: DeviceReport[] = devices.map((device) => ({
    deviceId: device.deviceId,
    holdsRecord: deviceHolds(device, times),
    lastFullRefreshAt: device.lastFullRefreshAt?.toISOString() ?? null,
    lastRefreshAt: device.lastRefreshAt?.toISOString() ?? null,
    lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
    model: device.model,
  }))
  const stale = reports.some((device) => !device.holdsRecord)
  return {
    devices: reports,
    name: null,
    status: stale ? 'stale' : 'present',
    summary: stale ? 'a device has not refreshed since the price was published' : 'every device holds the price',
    userId,
  }
}

/** The webshop hop: the price a buyer logged in for the customer sees, against the CMS's computation. */
export function assessWebshopPrice(obs: PriceObservations, cms: PriceRecord | null, clock: Clock): Assessment {
  if (!obs.webshop.ok) return {cause: null, report: problemReport('webshop', 'webshop', obs.webshop, 'cms')}
  const report = baseReport('webshop', 'webshop', obs.webshop.durationMs, 'cms')
  const price = obs.webshop.value
  if (!price) {
    report.status = 'missing'
    report.summary = `The webshop shows customer ${obs.customerCode} no price for ${obs.itemCode} (not published).`
    return {cause: 'not-published-to-webshop', report, sync: {key: obs.customerCode, noun: 'customer'}}
  }
  const {publishedAt, visible: _visible, ...answer} = price
  const record = priceRecord(obs, null, answer)
  report.record = record
  report.summary = `The webshop: ${answerText(answer)}.`
  const up = cms ? priceOf(cms) : null
  const outcome = up ? outcomeDiffs(up, answer) : []
  if (!cms?.inputs || outcome.length === 0) return {cause: null, report}
  report.diff = outcome
  const pricing = cmsWrittenAt(obs, 'pricing', null)
  const rows = cmsWrittenAt(obs, 'rows', null)
  const kind = pricing && (!rows || pricing > rows) ? 'pricing' : 'rows'
  const written = kind === 'pricing' ? pricing : rows
  const behind = written !== null && (publishedAt === null || publishedAt < written)
  report.status = behind ? 'stale' : 'differs'
  report.summary = `The webshop's price differs from the CMS's (${answerText(answer)} against ${computationText(cms)}).`
  return {
    cause: behind ? 'webshop-behind' : 'webshop-differs-from-cms',
    causeEvidence: [
      ...computationEvidence({label: 'the CMS', record: cms}, {label: 'the webshop', record}),
      ...timeEvidence('cmsSyncedAt', 'the CMS last wrote an input of the price', written),
      ...timeEvidence('webshopPublishedAt', 'the webshop got the price', publishedAt),
    ],
    causeSummary: behind
      ? `${report.summary} The CMS wrote its inputs at ${time(written as Date, clock)}, after the webshop's price was published${publishedAt ? ` (${time(publishedAt, clock)})` : ''}.`
      : report.summary,
    report,
    ...(behind ? {sync: syncOf(obs, kind, cms.inputs.pricing.effectivePriceListCode)} : {}),
  }
}
