import type {FieldDiff} from '../model/compare.js'
import type {NotCompared} from '../model/mapping.js'
import type {Fetched} from '../observe/fetched.js'
import type {CauseCode, Evidence, HopReport} from '../report/types.js'
import type {Assessment, Clock} from './conclude.js'
import {baseReport, diffLabels, type Presence, problemReport, timeEvidence} from './report-helpers.js'

/**
 * The hops the CMS publishes to (the sales app, the webshop), for every entity: one flow from "never
 * published" through "pushed minutes ago" to "older than the CMS". Each entity gives its words.
 */

/** The CMS pushes to the webshop "within minutes"; past this, a missing or older webshop record is a fault. */
export const webshopPushGraceMs = 15 * 60_000

export type PublishedHop = 'app' | 'webshop'

const causes: Record<PublishedHop, {missing: CauseCode; behind: CauseCode; differs: CauseCode}> = {
  app: {behind: 'app-publish-behind', differs: 'app-differs-from-cms', missing: 'not-published-to-app'},
  webshop: {behind: 'webshop-behind', differs: 'webshop-differs-from-cms', missing: 'not-published-to-webshop'},
}

const publishedLabels: Record<PublishedHop, {name: string; label: string}> = {
  app: {label: 'Published to the app', name: 'appPublishedAt'},
  webshop: {label: 'Published to the webshop', name: 'webshopPublishedAt'},
}

/** When the CMS wrote its record, and how long ago. */
export interface CmsWrite {
  syncedAt: Date | null
  /** Since the CMS wrote it; infinite when it does not say. */
  ageMs: number
  clock: Clock
}

/** Where the CMS's write time goes as evidence when the hop lacks the record: the verdict's, or the hop's own. */
type CmsWriteEvidence = 'cause' | 'report' | 'none'

export interface Sentences {
  summary: string
  causeSummary: string
}

/** An entity's sentences at one published hop. */
export interface PublishedWords {
  /** The CMS has it, the hop has not, and no push is due. */
  notPublished(write: CmsWrite): Sentences
  /** The webshop lacks it, and the CMS wrote it less than the grace ago (webshop only). */
  pushPending?(write: CmsWrite): Sentences
  /** Neither the hop nor (as far as it could be told) the CMS has it. */
  absent(cmsPresence: Presence): string
  /** The hop has it, the CMS has not or could not be asked. */
  withoutCms(cmsPresence: Presence): string
  matches: string
  /** An older version (`behind`) or other values than the CMS. */
  differs(details: {behind: boolean; labels: string; publishedAt: Date | null; cmsSyncedAt: Date | null}): Sentences
  /** An older version while the push is still due (webshop only). */
  stalePending?(details: {labels: string; write: CmsWrite}): Sentences
  cmsWriteEvidence: CmsWriteEvidence
  /** The verdict's evidence of a difference: both times (else the hop's evidence). */
  timesAsEvidence: boolean
}

export interface PublishedCheck {
  hop: PublishedHop
  report: HopReport
  clock: Clock
  /** The CMS's record; undefined when it has none or could not be asked (`cmsPresence` tells which). */
  cms: {syncedAt: Date | null} | null | undefined
  cmsPresence: Presence
  /** What the hop holds, null when it has nothing. */
  published: {record: HopReport['record']; publishedAt: Date | null; evidence: Evidence[]} | null
  /** The comparison with the CMS's record (called only when both have it). */
  compare(): {diff: FieldDiff[]; notCompared: NotCompared[]}
  /** The hop holds only what the CMS pushed: any difference is an older version (the webshop's items). */
  differenceIsBehind?: boolean
  words: PublishedWords
}

/** The report of a published hop, or the hop's problem when it could not be asked. */
export function publishedReport(hop: PublishedHop, fetched: Fetched<unknown>): {report: HopReport; problem: boolean} {
  if (!fetched.ok) return {problem: true, report: problemReport(hop, hop, fetched, 'cms')}
  return {problem: false, report: baseReport(hop, hop, fetched.durationMs, 'cms')}
}

export function cmsWrite(cms: {syncedAt: Date | null} | null | undefined, clock: Clock): CmsWrite {
  const syncedAt = cms?.syncedAt ?? null
  return {ageMs: syncedAt ? clock.now.getTime() - syncedAt.getTime() : Number.POSITIVE_INFINITY, clock, syncedAt}
}

function notPublished(check: PublishedCheck): Assessment {
  const {hop, report, words} = check
  report.status = 'missing'
  if (!check.cms) {
    report.summary = words.absent(check.cmsPresence)
    return {cause: null, report}
  }
  const write = cmsWrite(check.cms, check.clock)
  const writeEvidence = timeEvidence('cmsSyncedAt', 'CMS record written', write.syncedAt)
  if (words.cmsWriteEvidence === 'report') report.evidence.push(...writeEvidence)
  if (words.pushPending && write.ageMs < webshopPushGraceMs) {
    const sentences = words.pushPending(write)
    report.summary = sentences.summary
    return {cause: 'webshop-push-pending', causeSummary: sentences.causeSummary, report}
  }
  const sentences = words.notPublished(write)
  report.summary = sentences.summary
  const causeEvidence =
    words.cmsWriteEvidence === 'cause'
      ? writeEvidence
      : words.cmsWriteEvidence === 'report'
        ? report.evidence.slice()
        : undefined
  return {
    cause: causes[hop].missing,
    ...(causeEvidence ? {causeEvidence} : {}),
    causeSummary: sentences.causeSummary,
    report,
  }
}

/**
 * A published hop against the CMS. The assessment's cause is null when the hop has the record as the
 * CMS has it (or the CMS could not be compared); the caller may carry on (the app's users).
 */
export function assessPublished(check: PublishedCheck): Assessment {
  const {hop, published, report, words} = check
  if (!published) return notPublished(check)
  report.record = published.record
  report.evidence.push(...published.evidence)
  if (!check.cms) {
    report.summary = words.withoutCms(check.cmsPresence)
    return {cause: null, report}
  }
  const comparison = check.compare()
  report.diff = comparison.diff
  report.notCompared = comparison.notCompared
  if (report.diff.length === 0) {
    report.summary = words.matches
    return {cause: null, report}
  }
  const write = cmsWrite(check.cms, check.clock)
  const behind =
    check.differenceIsBehind ||
    (published.publishedAt !== null && write.syncedAt !== null && published.publishedAt < write.syncedAt)
  const labels = diffLabels(report.diff)
  report.status = behind ? 'stale' : 'differs'
  if (behind && words.stalePending && write.ageMs < webshopPushGraceMs) {
    const sentences = words.stalePending({labels, write})
    report.summary = sentences.summary
    return {cause: 'webshop-push-pending', causeSummary: sentences.causeSummary, report}
  }
  const sentences = words.differs({behind, cmsSyncedAt: write.syncedAt, labels, publishedAt: published.publishedAt})
  report.summary = sentences.summary
  const {label, name} = publishedLabels[hop]
  const causeEvidence = words.timesAsEvidence
    ? [
        ...timeEvidence(name, label, published.publishedAt),
        ...timeEvidence('cmsSyncedAt', 'CMS record written', write.syncedAt),
      ]
    : undefined
  return {
    cause: behind ? causes[hop].behind : causes[hop].differs,
    ...(causeEvidence ? {causeEvidence} : {}),
    causeSummary: sentences.causeSummary,
    report,
  }
}

/** The evidence of a published copy: when it was published. */
export function publishedAtEvidence(hop: PublishedHop, publishedAt: Date | null): Evidence[] {
  const {label, name} = publishedLabels[hop]
  return timeEvidence(name, label, publishedAt)
}
