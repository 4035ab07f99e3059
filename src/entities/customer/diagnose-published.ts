import type {CustomerObservations} from './observe.js'
import type {AppUserObservation} from './observe.js'
import type {AppPublishedCustomer} from '../../connectors/platform/types.js'
import {answerOf} from '../../observe/fetched.js'
import type {AppUserReport, DeviceReport, HopReport, HopStatus} from '../../report/types.js'
import {comparePublishedCustomer} from '../../model/mapping.js'
import {formatDuration} from '../../util/time.js'
import {baseReport, needsSeconds, presenceOf, problemReport, time, timeEvidence} from '../../diagnose/report-helpers.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {assessPublished, publishedAtEvidence, publishedReport, type PublishedWords} from '../../diagnose/published.js'

/** A customer in the sales app (published, then on each user's devices) and in the webshop. */

const appWords = (code: string, clock: Clock): PublishedWords => ({
  absent: (cms) =>
    cms === 'unknown' ? 'Not in the app; the CMS could not be checked.' : 'Not in the app (nor in the CMS).',
  cmsWriteEvidence: 'cause',
  differs: ({behind, cmsSyncedAt, labels, publishedAt}) => {
    const summary = `${behind ? 'The app was last published an older version' : 'The app holds different values'} than the CMS: ${labels}.`
    const seconds = needsSeconds(publishedAt, cmsSyncedAt)
    return {
      causeSummary: `${summary}${behind && publishedAt && cmsSyncedAt ? ` Published ${time(publishedAt, clock, seconds)}; the CMS wrote it ${time(cmsSyncedAt, clock, seconds)}.` : ''}`,
      summary,
    }
  },
  // Present and matching: what the users' devices hold says the rest.
  matches: '',
  notPublished: ({syncedAt}) => ({
    causeSummary: `The CMS has customer ${code}${syncedAt ? ` since ${time(syncedAt, clock)}` : ''}, but it was never published to the app.`,
    summary: 'Never published to the app, although the CMS has the customer.',
  }),
  timesAsEvidence: true,
  withoutCms: () => '',
})

const webshopWords = (code: string, clock: Clock): PublishedWords => ({
  absent: (cms) =>
    cms === 'unknown' ? 'Not in the webshop; the CMS could not be checked.' : 'Not in the webshop (nor in the CMS).',
  cmsWriteEvidence: 'report',
  differs: ({behind, labels}) => ({
    causeSummary: `The webshop ${behind ? 'has an older version of' : 'holds different values for'} customer ${code} than the CMS: ${labels}.`,
    summary: `${behind ? 'Older than' : 'Differs from'} the CMS: ${labels}.`,
  }),
  matches: 'Matches the CMS.',
  notPublished: ({ageMs, syncedAt}) => ({
    causeSummary: `The webshop does not have customer ${code}, although the CMS has had it${syncedAt ? ` since ${time(syncedAt, clock)}, ${formatDuration(ageMs)} ago` : ''}; the CMS pushes to the webshop within minutes.`,
    summary: `Never reached the webshop, although the CMS has had it${syncedAt ? ` since ${time(syncedAt, clock)} (${formatDuration(ageMs)})` : ''}.`,
  }),
  pushPending: ({ageMs}) => {
    const summary = `Not in the webshop yet; the CMS wrote it ${formatDuration(ageMs)} ago and pushes within minutes.`
    return {causeSummary: summary, summary}
  },
  stalePending: ({write}) => {
    const summary = `The webshop still has the previous version; the CMS wrote the new one ${formatDuration(write.ageMs)} ago and pushes within minutes.`
    return {causeSummary: summary, summary}
  },
  timesAsEvidence: true,
  withoutCms: (cms) =>
    cms === 'unknown'
      ? 'Present; not compared, because the CMS could not be checked.'
      : 'Present in the webshop, although the CMS has no such customer.',
})

export function assessWebshop(obs: CustomerObservations, clock: Clock): Assessment {
  const {problem, report} = publishedReport('webshop', obs.webshop)
  if (problem || !obs.webshop.ok) return {cause: null, report}
  const published = obs.webshop.value
  const cms = answerOf(obs.cms)
  return assessPublished({
    clock,
    cms,
    cmsPresence: presenceOf(obs.cms),
    compare: () =>
      comparePublishedCustomer(
        (cms as NonNullable<typeof cms>).customer,
        (published as NonNullable<typeof published>).customer,
        {downstream: 'the webshop', upstream: 'the CMS'},
      ),
    hop: 'webshop',
    published: published && {
      evidence: [
        ...publishedAtEvidence('webshop', published.publishedAt),
        ...(published.accounts.length > 0
          ? [
              {
                label: 'Webshop logins',
                name: 'webshopAccounts',
                text: published.accounts
                  .map((account) => `${account.login}${account.active ? '' : ' (inactive)'}`)
                  .join(', '),
              },
            ]
          : []),
      ],
      publishedAt: published.publishedAt,
      record: published.customer,
    },
    report,
    words: webshopWords(obs.code, clock),
  })
}

const userStatusRank: Record<HopStatus, number> = {
  error: 7,
  excluded: 3,
  missing: 4,
  'not-checked': 1,
  'not-visible': 6,
  present: 0,
  stale: 5,
  differs: 5,
  unreachable: 8,
}

function latestRefresh(device: {lastRefreshAt: Date | null; lastFullRefreshAt: Date | null}): Date | null {
  const times = [device.lastRefreshAt, device.lastFullRefreshAt].filter((date): date is Date => date !== null)
  return times.length > 0 ? new Date(Math.max(...times.map((date) => date.getTime()))) : null
}

export function assessApp(obs: CustomerObservations, clock: Clock): Assessment {
  if (!obs.appCustomer.ok) return {cause: null, report: problemReport('app', 'app', obs.appCustomer, 'cms')}
  if (!obs.appUsers.ok)
    return {
      cause: null,
      report: problemReport(
        'app',
        'app',
        {...obs.appUsers, durationMs: obs.appUsers.durationMs + obs.appCustomer.durationMs},
        'cms',
      ),
    }
  const report = baseReport('app', 'app', Math.max(obs.appCustomer.durationMs, obs.appUsers.durationMs), 'cms')
  const published = obs.appCustomer.value
  const cms = answerOf(obs.cms)
  const assessment = assessPublished({
    clock,
    cms,
    cmsPresence: presenceOf(obs.cms),
    compare: () =>
      comparePublishedCustomer(
        (cms as NonNullable<typeof cms>).customer,
        (published as AppPublishedCustomer).customer,
        {downstream: 'the app backend', upstream: 'the CMS'},
      ),
    hop: 'app',
    published: published && {
      evidence: [
        ...publishedAtEvidence('app', published.publishedAt),
        {label: 'Visible to users', name: 'visibleToUserIds', text: published.visibleToUserIds.join(', ') || 'nobody'},
      ],
      publishedAt: published.publishedAt,
      record: published.customer,
    },
    report,
    words: appWords(obs.code, clock),
  })
  if (assessment.cause !== null || !published) return assessment
  return assessAppUsers(obs, published, report, clock)
}

/** One user of the app: does each of their devices hold the published version? */
function appUserReport(user: AppUserObservation, published: AppPublishedCustomer, clock: Clock): AppUserReport {
  const base = {devices: [] as DeviceReport[], name: user.name, userId: user.userId}
  const who = user.name ? `${user.name} (${user.userId})` : user.userId
  if (user.devices === null)
    return {...base, status: 'not-checked', summary: `The app backend has no user ${user.userId}.`}
  base.devices = user.devices.map((device) => {
    const refreshedAt = latestRefresh(device)
    return {
      deviceId: device.deviceId,
      holdsRecord: published.publishedAt !== null && refreshedAt !== null && refreshedAt >= published.publishedAt,
      lastFullRefreshAt: device.lastFullRefreshAt?.toISOString() ?? null,
      lastRefreshAt: device.lastRefreshAt?.toISOString() ?? null,
      lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
      model: device.model,
    }
  })
  if (published.publishedAt === null && base.devices.length > 0)
    return {
      ...base,
      status: 'not-checked',
      summary: `The app backend gives no publication time, so whether ${who}'s devices hold this version cannot be told.`,
    }
  if (!published.visibleToUserIds.includes(user.userId))
    return {
      ...base,
      status: 'not-visible',
      summary: `Not visible to ${who}: the customer is published to ${published.visibleToUserIds.join(', ') || 'nobody'}.`,
    }
  // No device to hold it: what the app backend holds for the user is all there is to check.
  if (base.devices.length === 0)
    return {
      ...base,
      status: 'present',
      summary: `${who} has no registered device; the app backend holds the current version for them.`,
    }
  const stale = base.devices.filter((device) => !device.holdsRecord)
  if (stale.length === 0)
    return {...base, status: 'present', summary: `Every device of ${who} has the current version.`}
  return {...base, status: 'stale', summary: `${who}: ${staleDevicesText(base.devices, published, clock)}`}
}

/** The devices that refreshed before the customer was published, each with its last refresh, and that time. */
function staleDevicesText(devices: DeviceReport[], published: AppPublishedCustomer, clock: Clock): string {
  const refreshedAt = (device: DeviceReport) =>
    device.lastRefreshAt || device.lastFullRefreshAt
      ? new Date(Math.max(Date.parse(device.lastRefreshAt ?? '0'), Date.parse(device.lastFullRefreshAt ?? '0')))
      : null
  const stale = devices.filter((device) => !device.holdsRecord)
  // Every time in the sentence is compared with the publication: seconds for all when two share a minute.
  const seconds = needsSeconds(published.publishedAt, ...stale.map(refreshedAt))
  const describeDevice = (device: DeviceReport) => {
    const refreshed = refreshedAt(device)
    return `${device.model ?? 'device'} ${device.deviceId} last refreshed ${refreshed ? time(refreshed, clock, seconds) : 'never'}`
  }
  return `${stale.map(describeDevice).join('; ')}, before the customer was published${published.publishedAt ? ` (${time(published.publishedAt, clock, seconds)})` : ''}.`
}

/** No user to check: none has the customer's sales rep code, or the customer has no sales rep. */
function noUserToCheck(code: string, salesRepCodes: string[] | null, report: HopReport): Assessment {
  if (salesRepCodes && salesRepCodes.length > 0) {
    report.status = 'not-visible'
    report.summary = `No app user has the sales rep code ${salesRepCodes.join(', ')}, so no rep sees the customer.`
    return {
      cause: 'no-app-user-for-sales-rep',
      causeSummary: `Customer ${code} belongs to sales rep ${salesRepCodes.join(', ')}, but no app user has that code.`,
      report,
    }
  }
  report.summary = 'Published to the app; the customer has no sales rep, so no user was checked (use --user).'
  return {cause: null, report}
}

/** Published as the CMS has it: the break, if any, is with a user (not assigned, or a device not refreshed). */
function assessAppUsers(
  obs: CustomerObservations,
  published: AppPublishedCustomer,
  report: HopReport,
  clock: Clock,
): Assessment {
  const {salesRepCodes, users} = answerOf(obs.appUsers) ?? {salesRepCodes: null, users: []}
  const userReports = users.map((user) => appUserReport(user, published, clock))
  report.users = userReports
  if (userReports.length === 0) return noUserToCheck(obs.code, salesRepCodes, report)
  const worst = [...userReports].sort((a, b) => userStatusRank[b.status] - userStatusRank[a.status])[0] as AppUserReport
  report.status =
    worst.status === 'not-checked' && userReports.some((user) => user.status === 'present') ? 'present' : worst.status
  report.summary = userReports.map((user) => user.summary).join(' ')
  const visibleTo = published.visibleToUserIds.join(', ') || 'nobody'
  if (worst.status === 'not-visible') {
    const reps =
      published.customer.salesRepCodes?.join(', ') ||
      answerOf(obs.cms)?.customer.salesRepCodes?.join(', ') ||
      'another rep'
    return {
      cause: 'not-assigned-to-user',
      causeEvidence: [
        {label: 'Customer sales reps', name: 'salesRepCodes', text: reps},
        {label: 'Visible to users', name: 'visibleToUserIds', text: visibleTo},
      ],
      causeSummary: `Customer ${obs.code} is not visible to ${worst.name ? `${worst.name} (${worst.userId})` : worst.userId} in the app: it is assigned to sales rep ${reps} (visible to ${visibleTo}).`,
      report,
      userId: worst.userId,
    }
  }
  if (worst.status === 'stale') return notRefreshed(obs, published, worst, report, clock)
  return {cause: null, report}
}

/** The user's devices last refreshed before the customer was published: they hold an older version. */
function notRefreshed(
  obs: CustomerObservations,
  published: AppPublishedCustomer,
  worst: AppUserReport,
  report: HopReport,
  clock: Clock,
): Assessment {
  return {
    cause: 'device-not-refreshed',
    causeEvidence: [
      ...timeEvidence('appPublishedAt', 'Published to the app', published.publishedAt),
      ...worst.devices.flatMap((device) =>
        timeEvidence(
          `deviceRefreshedAt:${device.deviceId}`,
          `${device.model ?? 'Device'} ${device.deviceId} last refresh`,
          latestRefresh({
            lastFullRefreshAt: device.lastFullRefreshAt ? new Date(device.lastFullRefreshAt) : null,
            lastRefreshAt: device.lastRefreshAt ? new Date(device.lastRefreshAt) : null,
          }),
        ),
      ),
    ],
    causeSummary: `The app on ${worst.name ? `${worst.name}'s (${worst.userId})` : `${worst.userId}'s`} device does not have customer ${obs.code} as the CMS has it: ${staleDevicesText(worst.devices, published, clock)}`,
    report,
    userId: worst.userId,
  }
}
