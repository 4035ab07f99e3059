import type {SandboxResponse} from '../../emulation/service.js'
import type {ReconcileEntity} from '../../reconcile/types.js'
import {error, type PlatformJobs} from '../platform/service.js'
import {jobRunningFor, queueSyncJob} from '../platform/sync-jobs.js'
import type {ScaleModel} from './model.js'
import type {ScaleSource} from './source.js'
import {type SyncSource, type SyncTarget, syncCustomers, syncItems} from '../sync-run.js'

type Json = Record<string, unknown>

const maxJobKeys = 1000

/** The scale installations' filters (`GET /installation`): private customers are not synced. */
export const scaleFilters = {onlyWebshopItems: false, skipBlockedCustomers: false, skipPrivateCustomers: true}

const entityOf = (value: unknown): ReconcileEntity | null => (value === 'customers' || value === 'items' ? value : null)

/**
 * `POST /sync/jobs` of a scale installation (the CMS's job table, queue and conflicts are the platform's):
 * a targeted customer or item sync of at most `maxJobKeys` keys, queued and run as the seeded CMS's jobs
 * (`queueSyncJob`), its run `sync-run.ts`'s over the generated source and the scale CMS.
 */
export function startScaleSync(
  model: ScaleModel,
  source: ScaleSource,
  jobs: PlatformJobs,
  body: Json,
  requestedBy: string,
): SandboxResponse {
  const entity = entityOf(body.entity)
  const keys = body.keys
  if (
    !entity ||
    body.mode !== 'targeted' ||
    !Array.isArray(keys) ||
    keys.length === 0 ||
    keys.some((key) => typeof key !== 'string')
  )
    return error(400, 'bad_request', 'The scale sandbox runs targeted customer or item syncs with a list of keys.')
  if (keys.length > maxJobKeys) return error(400, 'bad_request', `At most ${maxJobKeys} keys per targeted job.`)
  const conflict = jobRunningFor(jobs, entity)
  if (conflict) return conflict
  const request = {entity, keys: keys as string[], mode: 'targeted', requestedBy, total: keys.length}
  return queueSyncJob(jobs, request, (run) => {
    const reader = scaleSyncSource(model, source, entity)
    const target = scaleSyncTarget(model, entity)
    if (entity === 'customers') syncCustomers(reader, target, run, {})
    else syncItems(reader, target, {...run, entity}, {})
  })
}

/** The generated source as a run reads it: the keys' records (every record when null) in key order, each once, one at a time. */
function scaleSyncSource(model: ScaleModel, source: ScaleSource, entity: ReconcileEntity): SyncSource {
  function* indices(keys: string[] | null): Generator<number> {
    if (keys === null) for (let index = 0; index < model.records; index++) yield index
    else
      yield* [...new Set(keys.map((key) => model.indexOf(entity, key)))]
        .filter((index): index is number => index !== null)
        .sort((a, b) => a - b)
  }
  return {
    *read(keys) {
      for (const index of indices(keys)) {
        const read = source(entity, index, model.cms(entity, index) ?? undefined)
        if (read) yield read
      }
    },
  }
}

/** The scale CMS as a run's target: its written records over the generated ones, outcomes, publishing, runs. */
function scaleSyncTarget(model: ScaleModel, entity: ReconcileEntity): SyncTarget {
  const indexOf = (code: string) => model.indexOf(entity, code)
  return {
    filters: scaleFilters,
    get(code) {
      const index = indexOf(code)
      return (index === null ? null : model.cms(entity, index)) ?? undefined
    },
    note: (code, entry) => model.noteSyncRecord(entity, code, entry),
    publish(code, at, targets) {
      const index = indexOf(code)
      const cms = index === null ? null : model.cms(entity, index)
      if (!cms) return
      const {erpModifiedAt: _modified, origin: _origin, syncedAt: _synced, ...record} = cms
      model.publish(entity, code, record, at, targets)
    },
    record: (run) => model.runs.push(run),
    runSource: () => ({
      source: model.id === 'scale-ftp' ? 'ftp-file' : 'erp-api',
      sourceFile: null,
      sourceFileModifiedAt: null,
    }),
    set: (code, record) => model.writeCms(code, record),
  }
}
