import type {SyncRun} from '../connectors/platform/types.js'
import {compareItems, stockDifference, type CanonicalItem} from '../model/item.js'
import {answerOf} from '../observe/fetched.js'
import type {ItemObservations} from '../observe/item.js'
import type {Evidence, HopName, HopReport} from '../report/types.js'
import {compareSourceItem, type NotSupplied} from '../model/mapping.js'
import {formatDuration, parseLocalDateTime} from '../util/time.js'
import type {ActionContext} from './actions.js'
import {type Assessment, type Clock, conclude, type Diagnosis, localTimeZone} from './conclude.js'
import {erpDisplayName} from '../connectors/registry.js'
import {newerThanCmsCopy, webshopPushGraceMs} from './customer.js'
import {baseReport, describeRun, diffLabels, presenceOf, problemReport, runEvidence, time, timeEvidence} from './report-helpers.js'
import {lastSyncCovering, newerFileThanRunRead, nextAutoSync, staleExportFiles} from '../connectors/platform/schedule.js'
import {exportStaleAssessment, otherStoppedExports} from './export.js'

interface ItemSource {
  hop: 'erp' | 'ftp'
  name: string
  checked: boolean
  item: CanonicalItem | undefined
  modifiedAt: Date | null
  /** The record's own change time (the ERP's, or the row's lastmodified), never the file's. */
  recordModifiedAt: Date | null
  /** For an export: the time of the file now on the server, against the version the last sync read. */
  fileModifiedAt: Date | null
  /** For an ERP whose articles carry no time (Fortnox): did it list the item as changed since the last item sync started? */
  changedSince: {since: Date; changed: boolean} | null
  notSupplied: NotSupplied[]
  /** Why the CMS's connector never reads the item, as the source itself shows (Monitor: no `vatincluded`). */
  skippedBecause: string | null
  presence: 'present' | 'missing' | 'unknown'
}

/** The FTP hop is `export-stale` when the item exports have stopped, whatever the row says (as for customers). */
function withStaleExport(obs: ItemObservations, result: {assessment: Assessment; source: ItemSource}, clock: Clock): {assessment: Assessment; source: ItemSource} {
  const lookup = answerOf(obs.ftp)
  if (!lookup || result.assessment.report.hop !== 'ftp') return result
  const installation = answerOf(obs.installation)
  const stale = exportStaleAssessment({clock, erpName: erpDisplayName(installation?.erpSystem), files: lookup.files, installation, location: lookup.location, report: result.assessment.report})
  return stale ? {...result, assessment: stale} : result
}

/** The installation's customer export has stopped: said beside the item's own verdict, never instead of it. */
function otherExportFinding(obs: ItemObservations, report: HopReport, clock: Clock): string | null {
  const lookup = answerOf(obs.ftp)
  if (!lookup || report.hop !== 'ftp') return null
  const installation = answerOf(obs.installation)
  return otherStoppedExports({
    clock,
    consequence: `Customers changed in ${erpDisplayName(installation?.erpSystem)} since then cannot reach the CMS${staleExportFiles(lookup.files, installation, clock.now).length === 0 ? '; the item export is current' : ''}.`,
    files: lookup.otherExports,
    installation,
    report,
  })
}

function assessSource(obs: ItemObservations, viaExports: boolean, clock: Clock): {assessment: Assessment; source: ItemSource} {
  const result = assessSourceRecord(obs, viaExports, clock)
  return viaExports ? withStaleExport(obs, result, clock) : result
}

function assessSourceRecord(obs: ItemObservations, viaExports: boolean, clock: Clock): {assessment: Assessment; source: ItemSource} {
  const installation = answerOf(obs.installation)
  const name = erpDisplayName(obs.erpSystem ?? installation?.erpSystem)
  const fetched = viaExports ? obs.ftp : obs.erp
  const hop: 'erp' | 'ftp' = viaExports ? 'ftp' : 'erp'
  const system = viaExports ? 'ftp' : (obs.erpSystem ?? 'erp')
  const source: ItemSource = {changedSince: null, checked: fetched !== null, hop, item: undefined, modifiedAt: null, name, notSupplied: [], presence: 'unknown', recordModifiedAt: null, fileModifiedAt: null, skippedBecause: null}
  if (!fetched) {
    const report = baseReport(hop, system, 0, null)
    report.status = 'not-checked'
    report.summary = viaExports ? 'This profile has no file-server credentials, so items.csv was not read.' : 'This profile gives no ERP API access, so the chain is checked from the CMS on.'
    return {assessment: {cause: null, report}, source}
  }
  if (!fetched.ok) return {assessment: {cause: null, report: problemReport(hop, system, fetched, null)}, source}
  const report = baseReport(hop, system, fetched.durationMs, null)
  let found: {item: CanonicalItem; modifiedAt: Date | null; where: string} | null = null
  if (viaExports) {
    const lookup = answerOf(obs.ftp)
    if (lookup?.unreadable) {
      report.status = 'error'
      report.summary = `The row for ${obs.code} in ${lookup.unreadable.file} (line ${lookup.unreadable.line}) cannot be read: ${lookup.unreadable.message}.`
      report.evidence.push({file: lookup.unreadable.file, label: 'Unreadable row', line: lookup.unreadable.line, name: 'exportUnreadableRow', text: `${lookup.unreadable.file} line ${lookup.unreadable.line}: ${lookup.unreadable.message}`})
      return {assessment: {cause: 'export-row-unreadable', causeEvidence: report.evidence.slice(), causeSummary: `The ERP export has a row for item ${obs.code} that cannot be read: ${lookup.unreadable.file}, line ${lookup.unreadable.line}. The CMS cannot import it.`, report}, source}
    }
    if (lookup?.record) {
      const file = lookup.files.find((entry) => entry.path === lookup.record?.file)
      const rowModified = lookup.record.lastModifiedLocal ? parseLocalDateTime(lookup.record.lastModifiedLocal, clock.timeZone) : null
      source.recordModifiedAt = rowModified
      source.fileModifiedAt = file?.modifiedAt ?? null
      source.notSupplied = lookup.record.notSupplied
      source.skippedBecause = lookup.record.skippedBecause
      const modifiedAt = rowModified ?? file?.modifiedAt ?? null
      found = {item: lookup.record.value, modifiedAt, where: `${lookup.record.file} line ${lookup.record.line}`}
      report.evidence.push(
        {file: lookup.record.file, label: 'Row', line: lookup.record.line, name: 'exportRow', text: found.where},
        ...timeEvidence('exportFileModified', `Export file ${lookup.record.file}`, file?.modifiedAt).map((entry) => ({...entry, file: lookup.record?.file})),
      )
    }
  } else {
    const record = answerOf(obs.erp)
    if (record) {
      found = {item: record.item, modifiedAt: record.modifiedAt, where: name}
      source.recordModifiedAt = record.modifiedAt
      source.changedSince = record.changedSince ?? null
      source.notSupplied = record.notSupplied
    }
  }
  if (!found) {
    report.status = 'missing'
    report.summary = viaExports ? `Not in the item exports.` : `${name} has no item ${obs.code}.`
    source.presence = 'missing'
    const cmsHas = presenceOf(obs.cms) === 'present'
    return {
      assessment: cmsHas ? {cause: null, report} : {cause: viaExports ? 'not-in-export' : 'not-in-erp', causeSummary: `${viaExports ? `The ERP's item exports` : name} have no item ${obs.code}: the code may be wrong, or the item was never created or exported.`, report},
      source,
    }
  }
  Object.assign(source, {item: found.item, modifiedAt: found.modifiedAt, presence: 'present'})
  report.record = found.item
  report.evidence.push(...timeEvidence(viaExports ? 'exportRowModified' : 'erpModifiedAt', viaExports ? 'Row lastmodified' : 'ERP last modified', viaExports ? source.recordModifiedAt : found.modifiedAt), ...changedSinceEvidence(source))
  report.summary = viaExports ? `In ${found.where}.` : `${name} has the item.`
  return {assessment: {cause: null, report}, source}
}

function changedSinceEvidence(source: ItemSource): Evidence[] {
  const asked = source.changedSince
  if (!asked) return []
  return [{at: asked.since.toISOString(), label: `${source.name} asked for changes since`, name: 'erpChangedSince', text: asked.changed ? 'lists the item: changed since then' : 'does not list the item: unchanged since then'}]
}

/**
 * Did the source change after `run` started? From the record's change time, or the ERP's answer to
 * "changed since" that run's start (Fortnox `lastmodified`); otherwise the order of events is unknown.
 */
function orderOfEvents(source: ItemSource, run: SyncRun | undefined): 'after' | 'before' | 'unknown' {
  if (!run?.startedAt) return 'after'
  // An export file written after the version that sync read holds changes the sync never saw.
  if (newerFileThanRunRead(source.fileModifiedAt, run)) return 'after'
  if (source.modifiedAt) return source.modifiedAt > run.startedAt ? 'after' : 'before'
  // The ERP was asked since the CMS last wrote the item, else since the last item sync started (see observeItem).
  if (source.changedSince) return source.changedSince.changed ? 'after' : 'before'
  return 'unknown'
}

function lastRun(runs: SyncRun[], entities: string[], key: string): SyncRun | undefined {
  return lastSyncCovering(runs.filter((run) => entities.includes(run.entity)), key)
}

function assessCms(obs: ItemObservations, source: ItemSource, clock: Clock): Assessment {
  const comparedWith: HopName | null = source.checked ? source.hop : null
  if (!obs.cms.ok) return {cause: null, report: problemReport('cms', 'cms', obs.cms, comparedWith)}
  const report = baseReport('cms', 'cms', obs.cms.durationMs, comparedWith)
  const installation = answerOf(obs.installation)
  const runs = answerOf(obs.syncRuns) ?? []
  const itemSync = lastRun(runs, ['items', 'prices'], obs.code)
  const stockSync = lastRun(runs, ['stock', 'items'], obs.code)
  report.evidence.push(...runEvidence(itemSync, 'lastItemSync', 'Last item/price sync'), ...runEvidence(stockSync, 'lastStockSync', 'Last stock sync'))
  const nextSync = nextAutoSync(installation, clock.now)
  if (nextSync) report.evidence.push({at: nextSync.toISOString(), label: 'Next auto-sync', name: 'nextAutoSync'})
  const cms = obs.cms.value
  const changeEvidence = (run: SyncRun | undefined, name: string, label: string) => [
    ...timeEvidence('erpModifiedAt', 'Source last modified', source.modifiedAt),
    ...changedSinceEvidence(source),
    ...timeEvidence('exportFileModified', 'Export file written', source.fileModifiedAt),
    ...runEvidence(run, name, label),
    ...timeEvidence('syncReadFileModified', 'File version the last sync read', run?.sourceFileModifiedAt),
    ...(cms ? timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt) : []),
  ]

  if (!cms) {
    report.status = 'missing'
    if (source.presence !== 'present' || !source.item) {
      report.summary = source.presence === 'missing' ? 'Not in the CMS either.' : 'Not in the CMS; the source could not be checked.'
      return {cause: null, report}
    }
    const filters = installation?.filters ?? {}
    const exclusion = source.skippedBecause ?? (source.item.active === false ? `inactive (blocked) in ${source.name}: the CMS syncs only active items` : filters.onlyWebshopItems && source.item.webshop === false ? 'not a webshop item while the CMS setting onlyWebshopItems is on' : null)
    if (exclusion) {
      report.status = 'excluded'
      report.summary = `Excluded by the CMS: ${exclusion}.`
      return {cause: 'item-excluded', causeSummary: `The CMS leaves item ${obs.code} out on purpose: ${exclusion}. A sync would skip it again.`, report}
    }
    const order = orderOfEvents(source, itemSync)
    const evidence = changeEvidence(itemSync, 'lastItemSync', 'Last item/price sync')
    if (order === 'after') {
      report.summary = `Not in the CMS: ${source.name} created or changed it${source.modifiedAt ? ` at ${time(source.modifiedAt, clock)}` : ''}, after the last item sync${itemSync ? ` (${describeRun(itemSync, clock)})` : ''}.`
      return {cause: 'created-after-sync', causeEvidence: evidence, causeSummary: `Item ${obs.code} is not in the CMS yet. ${report.summary.slice('Not in the CMS: '.length)}`, report}
    }
    if (order === 'unknown') {
      report.summary = `Not in the CMS; ${source.name} keeps no change time for it, so whether it was created after the last item sync cannot be told.`
      return {cause: 'change-order-unknown', causeEvidence: evidence, causeSummary: `Item ${obs.code} is in ${source.name} but not in the CMS, and ${source.name} keeps no change time for it: whether it was created after the last item sync${itemSync ? ` (${describeRun(itemSync, clock)})` : ''} cannot be told.`, report}
    }
    report.summary = 'Not in the CMS, although the last item sync ran after the last change in the source.'
    return {cause: 'not-read-by-sync', causeEvidence: evidence, causeSummary: `Item ${obs.code} is in ${source.name} but not in the CMS, although the last item sync ran after its last change.`, report}
  }

  report.record = cms.item
  report.evidence.unshift(...timeEvidence('cmsSyncedAt', 'CMS record written', cms.syncedAt))
  if (source.presence === 'missing') {
    report.status = 'differs'
    report.summary = `The CMS holds item ${obs.code}, which ${source.name} does not have (anymore).`
    return {brokenLink: source.hop === 'ftp' ? {from: 'erp', to: 'ftp'} : {from: null, to: 'erp'}, cause: 'removed-from-erp', causeSummary: `${report.summary} It was deleted or renumbered in the ERP, or left out of its export.`, report}
  }
  if (!source.item) {
    report.summary = source.checked ? 'Present; not compared, because the source could not be checked.' : 'Present.'
    return {cause: null, report}
  }
  const comparison = compareSourceItem(source.item, cms.item, source.notSupplied, {downstream: 'the CMS', upstream: source.name})
  report.diff = comparison.diff
  report.notCompared = comparison.notCompared
  const stock = stockDifference(source.item, cms.item)
  if (report.diff.length > 0) {
    const writtenBeforeChange = Boolean(source.modifiedAt && cms.syncedAt && source.modifiedAt > cms.syncedAt)
    const order = writtenBeforeChange || newerThanCmsCopy(source.recordModifiedAt, cms.erpModifiedAt) ? 'after' : orderOfEvents(source, itemSync)
    if (stock) report.diff.push(stock)
    const price = report.diff.find((entry) => entry.field === 'price')
    report.status = order === 'after' ? 'stale' : 'differs'
    const what = price ? `the price (${price.upstream} in ${source.name}, ${price.downstream} in the CMS)` : diffLabels(report.diff)
    const evidence = changeEvidence(itemSync, 'lastItemSync', 'Last item/price sync')
    if (order === 'after') {
      const when = source.modifiedAt ? ` at ${time(source.modifiedAt, clock)}` : ' (its lastmodified filter lists the item)'
      report.summary = `Older than ${source.name}: ${what} changed there${when}, after the last item sync.`
      return {
        cause: 'erp-changed-after-sync',
        causeEvidence: [...evidence, ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
        causeSummary: `The CMS has an older version of item ${obs.code}: ${what} changed in ${source.name}${when}, after the last item sync${itemSync ? ` (${describeRun(itemSync, clock)})` : ''}.`,
        report,
      }
    }
    if (order === 'unknown') {
      report.summary = `Differs from ${source.name}: ${what}. ${source.name} keeps no change time for it, so whether it changed after the last item sync cannot be told.`
      return {cause: 'change-order-unknown', causeEvidence: evidence, causeSummary: `The CMS ${report.summary.charAt(0).toLowerCase()}${report.summary.slice(1)}`, report}
    }
    report.summary = `Differs from ${source.name} although the CMS synced after its last change: ${diffLabels(report.diff)}.`
    return {cause: 'cms-differs-from-erp', causeEvidence: evidence, causeSummary: `The CMS ${report.summary.charAt(0).toLowerCase()}${report.summary.slice(1)}`, report}
  }
  if (stock) {
    report.diff.push(stock)
    const stockOrder = orderOfEvents(source, stockSync)
    if (stockOrder === 'unknown') {
      report.status = 'differs'
      report.summary = `Stock ${stock.downstream} in the CMS, ${stock.upstream} in ${source.name}; ${source.name} keeps no change time, so whether it moved after the last stock sync cannot be told.`
      return {cause: 'change-order-unknown', causeEvidence: changeEvidence(stockSync, 'lastStockSync', 'Last stock sync'), causeSummary: `The stock of item ${obs.code} differs (${stock.upstream} in ${source.name}, ${stock.downstream} in the CMS), and ${source.name} keeps no change time for it: whether it moved after the last stock sync cannot be told.`, report}
    }
    if (stockOrder === 'after') {
      const ageMs = stockSync?.startedAt ? clock.now.getTime() - stockSync.startedAt.getTime() : null
      report.summary = `Stock ${stock.downstream} in the CMS, ${stock.upstream} in ${source.name}: expected lag, the stock moved after the last stock sync.`
      return {
        cause: null,
        note: {
          cause: 'expected-stock-lag',
          evidence: [...timeEvidence('erpModifiedAt', 'Stock moved (source last modified)', source.modifiedAt), ...runEvidence(stockSync, 'lastStockSync', 'Last stock sync'), ...timeEvidence('nextAutoSync', 'Next auto-sync', nextSync)],
          summary: `Stock differs (${stock.upstream} in ${source.name}, ${stock.downstream} in the CMS) by a movement made after the last stock sync${ageMs === null ? "" : ` (${formatDuration(ageMs)} ago)`}: expected lag, the next sync${nextSync ? ` (${time(nextSync, clock)})` : ''} brings it.`,
        },
        report,
      }
    }
    report.status = 'stale'
    report.summary = `Stock ${stock.downstream} in the CMS, ${stock.upstream} in ${source.name}, although the last stock sync ran after the last change.`
    return {cause: 'stock-not-synced', causeEvidence: changeEvidence(stockSync, 'lastStockSync', 'Last stock sync'), causeSummary: `The stock of item ${obs.code} in the CMS (${stock.downstream}) is not what ${source.name} has (${stock.upstream}), and the difference is older than the last stock sync${stockSync ? ` (${describeRun(stockSync, clock)})` : ''}.`, report}
  }
  report.summary = `Matches ${source.name}.`
  return {cause: null, report}
}

function assessApp(obs: ItemObservations, clock: Clock): Assessment {
  if (!obs.app.ok) return {cause: null, report: problemReport('app', 'app', obs.app, 'cms')}
  const report = baseReport('app', 'app', obs.app.durationMs, 'cms')
  const cms = answerOf(obs.cms)
  const published = obs.app.value
  if (!published) {
    report.status = 'missing'
    if (cms) {
      report.summary = 'Never published to the app, although the CMS has the item.'
      return {cause: 'not-published-to-app', causeSummary: `The CMS has item ${obs.code}, but it was never published to the app.`, report}
    }
    report.summary = 'Not in the app (nor in the CMS).'
    return {cause: null, report}
  }
  report.record = published.item
  report.evidence.push(...timeEvidence('appPublishedAt', 'Published to the app', published.publishedAt))
  if (!cms) {
    report.summary = 'Published to the app.'
    return {cause: null, report}
  }
  report.diff = [...compareItems(cms.item, published.item), ...[stockDifference(cms.item, published.item)].filter((entry) => entry !== null)]
  if (report.diff.length === 0) {
    report.summary = 'Matches the CMS (items are visible to every app user).'
    return {cause: null, report}
  }
  const behind = Boolean(published.publishedAt && cms.syncedAt && published.publishedAt < cms.syncedAt)
  report.status = behind ? 'stale' : 'differs'
  report.summary = `${behind ? 'Older than' : 'Differs from'} the CMS: ${diffLabels(report.diff)}.`
  return {cause: behind ? 'app-publish-behind' : 'app-differs-from-cms', causeSummary: `The app holds ${behind ? 'an older version of' : 'different values for'} item ${obs.code}: ${diffLabels(report.diff)}.${published.publishedAt ? ` Published ${time(published.publishedAt, clock)}.` : ''}`, report}
}

function assessWebshop(obs: ItemObservations, clock: Clock): Assessment {
  if (!obs.webshop.ok) return {cause: null, report: problemReport('webshop', 'webshop', obs.webshop, 'cms')}
  const report = baseReport('webshop', 'webshop', obs.webshop.durationMs, 'cms')
  const cms = answerOf(obs.cms)
  const shop = obs.webshop.value
  if (shop) {
    report.record = shop.item
    report.evidence.push(...timeEvidence('webshopPublishedAt', 'Published to the webshop', shop.publishedAt), {label: 'Shown in the shop', name: 'webshopVisible', text: String(shop.visible)})
  }
  if (!cms) {
    report.status = shop ? 'present' : 'missing'
    report.summary = shop ? 'In the webshop, although the CMS has no such item.' : 'Not in the webshop (nor in the CMS).'
    return {cause: null, report}
  }
  if (cms.item.webshop === false) {
    report.status = 'excluded'
    report.summary = 'Not a webshop item: the CMS does not publish it to the webshop.'
    return {cause: 'not-a-webshop-item', causeEvidence: [{label: 'CMS webshop flag', name: 'cmsWebshopFlag', text: 'false'}], causeSummary: `Item ${obs.code} is not flagged as a webshop item in the ERP, so the CMS keeps it out of the webshop.`, report}
  }
  const sinceCmsWrite = cms.syncedAt ? clock.now.getTime() - cms.syncedAt.getTime() : Number.POSITIVE_INFINITY
  const pending = sinceCmsWrite < webshopPushGraceMs
  if (!shop) {
    report.status = 'missing'
    report.summary = pending ? 'Not in the webshop yet; the CMS pushes within minutes.' : 'Never reached the webshop, although it is a webshop item in the CMS.'
    return {cause: pending ? 'webshop-push-pending' : 'not-published-to-webshop', causeSummary: `The webshop does not have item ${obs.code}${pending ? ' yet; the CMS wrote it minutes ago' : `, although the CMS has had it${cms.syncedAt ? ` since ${time(cms.syncedAt, clock)}` : ''}`}.`, report}
  }
  report.diff = [...compareItems({...cms.item, active: null, currency: null, description: null, unit: null, webshop: null}, shop.item), ...[stockDifference(cms.item, shop.item)].filter((entry) => entry !== null)]
  if (shop.visible === false && cms.item.active) report.diff.push({downstream: 'hidden', field: 'webshop', upstream: 'shown'})
  if (report.diff.length === 0) {
    report.summary = 'Matches the CMS.'
    return {cause: null, report}
  }
  report.status = 'stale'
  report.summary = `Older than the CMS: ${diffLabels(report.diff)}.`
  if (pending) return {cause: 'webshop-push-pending', causeSummary: `${report.summary} The CMS wrote it minutes ago and pushes within minutes.`, report}
  return {cause: 'webshop-behind', causeSummary: `The webshop has an older version of item ${obs.code} than the CMS: ${diffLabels(report.diff)}.`, report}
}

/** Diagnosis of an item: the same principles as for customers, with the rules for prices and stock. */
export function diagnoseItem(obs: ItemObservations, context: Omit<ActionContext, 'key' | 'userId' | 'entity'>): Diagnosis {
  const installation = answerOf(obs.installation)
  const clock: Clock = {now: obs.now, timeZone: installation?.autoSync?.timezone ?? localTimeZone()}
  const viaExports = installation ? installation.connection === 'ftp' : obs.ftp !== null && obs.erp === null
  const {assessment: sourceAssessment, source} = assessSource(obs, viaExports, clock)
  const erpNotChecked = {cause: null, report: {...baseReport('erp', installation?.erpSystem ?? 'erp', 0, null), status: 'not-checked' as const, summary: `${erpDisplayName(installation?.erpSystem)} is only visible through its exports on the file server.`}}
  const alsoStopped = viaExports ? otherExportFinding(obs, sourceAssessment.report, clock) : null
  const diagnosis = conclude({
    assessments: [...(viaExports ? [erpNotChecked] : []), sourceAssessment, assessCms(obs, source, clock), assessApp(obs, clock), assessWebshop(obs, clock)],
    chain: viaExports ? ['erp', 'ftp', 'cms', 'app', 'webshop'] : ['erp', 'cms', 'app', 'webshop'],
    clock,
    context: {...context, entity: 'item', key: obs.code},
    installation,
    subject: `Item ${obs.code}`,
    upstreamOf: {app: 'cms', cms: source.hop, erp: null, ftp: 'erp', webshop: 'cms'},
  })
  if (alsoStopped) diagnosis.verdict.otherFindings.push(alsoStopped)
  return diagnosis
}
