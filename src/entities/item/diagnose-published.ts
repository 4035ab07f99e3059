import {compareItems, stockDifference} from '../../model/item.js'
import {answerOf} from '../../observe/fetched.js'
import type {ItemObservations} from './observe.js'
import type {Assessment, Clock} from '../../diagnose/conclude.js'
import {presenceOf, time} from '../../diagnose/report-helpers.js'
import {assessPublished, publishedAtEvidence, publishedReport, type PublishedWords} from '../../diagnose/published.js'

/** An item in the sales app (visible to every user) and in the webshop (only webshop items, shown or hidden). */

const appWords = (code: string, clock: Clock): PublishedWords => ({
  absent: () => 'Not in the app (nor in the CMS).',
  cmsWriteEvidence: 'none',
  differs: ({behind, labels, publishedAt}) => ({
    causeSummary: `The app holds ${behind ? 'an older version of' : 'different values for'} item ${code}: ${labels}.${publishedAt ? ` Published ${time(publishedAt, clock)}.` : ''}`,
    summary: `${behind ? 'Older than' : 'Differs from'} the CMS: ${labels}.`,
  }),
  matches: 'Matches the CMS (items are visible to every app user).',
  notPublished: () => ({
    causeSummary: `The CMS has item ${code}, but it was never published to the app.`,
    summary: 'Never published to the app, although the CMS has the item.',
  }),
  timesAsEvidence: false,
  withoutCms: () => 'Published to the app.',
})

const webshopWords = (code: string, clock: Clock): PublishedWords => ({
  absent: () => 'Not in the webshop (nor in the CMS).',
  cmsWriteEvidence: 'none',
  differs: ({labels}) => ({
    causeSummary: `The webshop has an older version of item ${code} than the CMS: ${labels}.`,
    summary: `Older than the CMS: ${labels}.`,
  }),
  matches: 'Matches the CMS.',
  notPublished: ({syncedAt}) => ({
    causeSummary: `The webshop does not have item ${code}, although the CMS has had it${syncedAt ? ` since ${time(syncedAt, clock)}` : ''}.`,
    summary: 'Never reached the webshop, although it is a webshop item in the CMS.',
  }),
  pushPending: () => ({
    causeSummary: `The webshop does not have item ${code} yet; the CMS wrote it minutes ago.`,
    summary: 'Not in the webshop yet; the CMS pushes within minutes.',
  }),
  stalePending: ({labels}) => ({
    causeSummary: `Older than the CMS: ${labels}. The CMS wrote it minutes ago and pushes within minutes.`,
    summary: `Older than the CMS: ${labels}.`,
  }),
  timesAsEvidence: false,
  withoutCms: () => 'In the webshop, although the CMS has no such item.',
})

export function assessApp(obs: ItemObservations, clock: Clock): Assessment {
  const {problem, report} = publishedReport('app', obs.app)
  if (problem || !obs.app.ok) return {cause: null, report}
  const published = obs.app.value
  const cms = answerOf(obs.cms)
  return assessPublished({
    clock,
    cms,
    cmsPresence: presenceOf(obs.cms),
    compare: () => {
      const [upstream, downstream] = [
        (cms as NonNullable<typeof cms>).item,
        (published as NonNullable<typeof published>).item,
      ]
      return {
        diff: [
          ...compareItems(upstream, downstream),
          ...[stockDifference(upstream, downstream)].filter((entry) => entry !== null),
        ],
        notCompared: [],
      }
    },
    hop: 'app',
    published: published && {
      evidence: publishedAtEvidence('app', published.publishedAt),
      publishedAt: published.publishedAt,
      record: published.item,
    },
    report,
    words: appWords(obs.code, clock),
  })
}

export function assessWebshop(obs: ItemObservations, clock: Clock): Assessment {
  const {problem, report} = publishedReport('webshop', obs.webshop)
  if (problem || !obs.webshop.ok) return {cause: null, report}
  const cms = answerOf(obs.cms)
  const shop = obs.webshop.value
  const published = shop && {
    evidence: [
      ...publishedAtEvidence('webshop', shop.publishedAt),
      {label: 'Shown in the shop', name: 'webshopVisible', text: String(shop.visible)},
    ],
    publishedAt: shop.publishedAt,
    record: shop.item,
  }
  if (cms?.item.webshop === false) {
    if (published) {
      report.record = published.record
      report.evidence.push(...published.evidence)
    }
    report.status = 'excluded'
    report.summary = 'Not a webshop item: the CMS does not publish it to the webshop.'
    return {
      cause: 'not-a-webshop-item',
      causeEvidence: [{label: 'CMS webshop flag', name: 'cmsWebshopFlag', text: 'false'}],
      causeSummary: `Item ${obs.code} is not flagged as a webshop item in the ERP, so the CMS keeps it out of the webshop.`,
      report,
    }
  }
  return assessPublished({
    clock,
    cms,
    cmsPresence: presenceOf(obs.cms),
    compare: () => {
      const [upstream, downstream] = [(cms as NonNullable<typeof cms>).item, shop as NonNullable<typeof shop>]
      // The webshop shows neither the item's state nor its unit or currency: only what it publishes is compared.
      const diff = [
        ...compareItems(
          {...upstream, active: null, currency: null, description: null, unit: null, webshop: null},
          downstream.item,
        ),
        ...[stockDifference(upstream, downstream.item)].filter((entry) => entry !== null),
      ]
      if (downstream.visible === false && upstream.active)
        diff.push({downstream: 'hidden', field: 'webshop', upstream: 'shown'})
      return {diff, notCompared: []}
    },
    // The webshop holds only what the CMS pushed it: any difference is an older version.
    differenceIsBehind: true,
    hop: 'webshop',
    published,
    report,
    words: webshopWords(obs.code, clock),
  })
}
