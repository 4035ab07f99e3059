import {mkdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {compareKeys} from '../util/key-order.js'
import {UserError} from '../util/errors.js'
import {type Checkpoint, loadCheckpoint} from './checkpoint.js'
import {type ClassifyContext, classify, withRunExclusion} from './classify.js'
import {Cursor, OrderBroken, ordered} from './key-stream.js'
import {recordKeyOf} from './price-key.js'
import {RecordSink} from './record-sink.js'
import type {Side} from './sides.js'
import {type ReconcileProgress, Tally, type Which} from './tally.js'
import type {HopPair, ReconcileTarget, SideEntry} from './types.js'

export type {ReconcileProgress} from './tally.js'

export interface ReconcileOptions {
  entity: ReconcileTarget
  between: HopPair
  installation: string
  upstream: Side
  downstream: Side
  context: ClassifyContext
  /** The run's folder: records.jsonl, checkpoint.json, sort runs. */
  folder: string
  /** Continue from the folder's checkpoint. */
  resume: boolean
  /** Compare only these keys (the verification after a fix). No checkpoint is kept. */
  onlyKeys?: Set<string>
  signal?: AbortSignal
  progress?: (progress: ReconcileProgress) => void
  /** How many keys an earlier run compared, for the estimate. */
  expectedKeys?: number | null
  checkpointEveryMs?: number
}

export interface ReconcileOutcome {
  checkpoint: Checkpoint
  recordsPath: string
  sorting: {upstream: 'stream' | 'spilled'; downstream: 'stream' | 'spilled'}
  resumed: boolean
}

/** Ctrl-C (or another abort) stopped the merge; the checkpoint is written. */
export class ReconcileInterrupted extends Error {
  constructor(readonly checkpoint: Checkpoint) {
    super('interrupted')
    this.name = 'ReconcileInterrupted'
  }
}

function freshCheckpoint(options: ReconcileOptions): Checkpoint {
  const now = new Date().toISOString()
  return {
    between: options.between,
    compared: 0,
    consistent: 0,
    counts: {},
    entity: options.entity,
    installation: options.installation,
    lastKey: null,
    publishedPerUser: {},
    read: {downstream: 0, upstream: 0},
    recordsBytes: 0,
    savedAt: now,
    startedAt: now,
    version: 1,
  }
}

/**
 * Reconciles two sides of one entity: both streamed in key order (verified; a side out of order is sorted
 * on disk instead), merged by key, each key classified (classify.ts), findings appended to records.jsonl,
 * progress reported, a checkpoint written every few seconds and on Ctrl-C. Memory is bounded by a page per
 * side plus one sort run, whatever the number of records.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileOutcome> {
  mkdirSync(options.folder, {mode: 0o700, recursive: true})
  const forced = {downstream: false, upstream: false}
  for (;;) {
    try {
      return await mergeOnce(options, forced)
    } catch (error) {
      if (!(error instanceof OrderBroken) || forced[error.side]) throw error
      // Start over with that side sorted on disk: what was merged so far assumed an order that was not there.
      forced[error.side] = true
      options = {...options, resume: false}
    }
  }
}

/** The findings file and the checkpoint a pass starts from: the interrupted run's with --resume, else a fresh one. */
function startFindings(options: ReconcileOptions): {
  checkpoint: Checkpoint
  recordsPath: string
  resumed: boolean
  sink: RecordSink
} {
  const verifying = options.onlyKeys !== undefined
  const recordsPath = join(options.folder, verifying ? 'verify-records.jsonl' : 'records.jsonl')
  const previous = options.resume && !verifying ? loadCheckpoint(options.folder) : null
  const checkpoint: Checkpoint = previous ?? freshCheckpoint(options)
  const resumed = previous !== null
  let recordsBytes = checkpoint.recordsBytes
  try {
    if (statSync(recordsPath).size < recordsBytes) recordsBytes = 0
  } catch {
    recordsBytes = 0
  }
  if (resumed && recordsBytes !== checkpoint.recordsBytes)
    throw new UserError(
      `The findings file ${recordsPath} of the interrupted run is shorter than its checkpoint says.`,
      `Remove ${options.folder} and run the reconcile again without --resume.`,
    )
  return {checkpoint, recordsPath, resumed, sink: new RecordSink(recordsPath, recordsBytes)}
}

/** Which sides are sorted on disk: those that claim no key order, and those whose claim broke in an earlier pass. */
function sortingOf(options: ReconcileOptions, forced: Record<Which, boolean>) {
  const sort = {
    downstream: forced.downstream || !options.downstream.ordered,
    upstream: forced.upstream || !options.upstream.ordered,
  }
  const spilled = (which: Which) => (sort[which] || options[which].spilled ? ('spilled' as const) : ('stream' as const))
  return {sort, sorting: {downstream: spilled('downstream'), upstream: spilled('upstream')}}
}

async function mergeOnce(options: ReconcileOptions, forced: Record<Which, boolean>): Promise<ReconcileOutcome> {
  const {checkpoint, recordsPath, resumed, sink} = startFindings(options)
  const {sort, sorting} = sortingOf(options, forced)
  const tally = new Tally(options, checkpoint, sink)
  const cursor = (which: Which) =>
    new Cursor(
      ordered(
        options[which],
        which,
        sort[which],
        checkpoint.lastKey,
        options.folder,
        tally.keyless(which),
        tally.dropKeyless,
      )[Symbol.asyncIterator](),
    )
  const up = cursor('upstream')
  const down = cursor('downstream')
  try {
    tally.report(sorting.upstream === 'spilled' || sorting.downstream === 'spilled' ? 'sorting' : 'reading')
    await Promise.all([up.fill(), down.fill()])
    await mergeKeys(options, up, down, tally)
    tally.emitPending()
    tally.save()
    tally.report('done')
    return {checkpoint, recordsPath, resumed, sorting}
  } catch (error) {
    await Promise.allSettled([up.close(), down.close()])
    if (error instanceof OrderBroken) throw error
    // Whatever stopped the merge (Ctrl-C, a hop that failed), what is done is kept for --resume.
    tally.save()
    if (options.signal?.aborted) throw new ReconcileInterrupted(checkpoint)
    throw error
  } finally {
    sink.close()
  }
}

/** The sorted merge: the smaller key of the two sides next, each key classified once both sides are past it. */
async function mergeKeys(options: ReconcileOptions, up: Cursor, down: Cursor, tally: Tally): Promise<void> {
  const {checkpoint} = tally
  for (;;) {
    const x = up.current
    const y = down.current
    if (!x && !y) return
    if (options.signal?.aborted) throw options.signal.reason
    const order = !x ? 1 : !y ? -1 : compareKeys(x.key, y.key)
    const upEntry = order <= 0 ? x : null
    const downEntry = order >= 0 ? y : null
    const key = ((upEntry ?? downEntry) as SideEntry).key
    // Counted when the key is done, so that a run interrupted inside a key counts it once on resuming.
    const readUp = upEntry ? await passKey(up, key, 'upstream', tally) : 0
    const readDown = downEntry ? await passKey(down, key, 'downstream', tally) : 0
    checkpoint.read.upstream += readUp
    checkpoint.read.downstream += readDown
    tally.emitPending()
    if (!options.onlyKeys || options.onlyKeys.has(recordKeyOf(options.entity, key))) {
      checkpoint.compared++
      const finding = await withRunExclusion(
        options.context,
        classify(options.context, key, upEntry, downEntry, tally.countUsers),
        downEntry === null,
      )
      if (finding) tally.emit(finding)
      else checkpoint.consistent++
    }
    checkpoint.lastKey = key
    tally.keyDone()
  }
}

/** Moves a side past every record of `key`: how many it listed; each one after the first is a duplicate-key finding. */
async function passKey(cursor: Cursor, key: string, which: Which, tally: Tally): Promise<number> {
  let read = 0
  for (;;) {
    read++
    if (read > 1) tally.duplicate(which, key)
    cursor.skip()
    if (cursor.needsFill) await cursor.fill()
    if (cursor.current?.key !== key) return read
  }
}
