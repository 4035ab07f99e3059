import {closeSync, ftruncateSync, mkdirSync, openSync, statSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {ListingOrderError} from '../connectors/listing.js'
import {compareKeys} from '../util/key-order.js'
import {spillSort} from '../util/spill-sort.js'
import {type Checkpoint, loadCheckpoint, saveCheckpoint} from './checkpoint.js'
import {type ClassifyContext, classify} from './classify.js'
import {inBatches, type Side} from './sides.js'
import type {HopPair, ReconcileClass, ReconcileEntity, ReconcileRecord, SideEntry} from './types.js'

export interface ReconcileProgress {
  phase: 'reading' | 'sorting' | 'done'
  compared: number
  findings: number
  recordsPerSecond: number
  /** Seconds left, when the number of records is known (an earlier run's). */
  etaSeconds: number | null
}

export interface ReconcileOptions {
  entity: ReconcileEntity
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

/** A side that claimed key order broke it: the merge starts over with that side sorted on disk. */
class OrderBroken extends Error {
  constructor(
    readonly side: 'upstream' | 'downstream',
    readonly detail: string,
  ) {
    super(detail)
  }
}

/** The findings file: appended with plain writes in big chunks, flushed before every checkpoint. */
class RecordSink {
  private readonly fd: number
  private buffer = ''
  bytes: number

  constructor(
    readonly path: string,
    keepBytes: number,
  ) {
    this.fd = openSync(path, 'a+', 0o600)
    ftruncateSync(this.fd, keepBytes)
    this.bytes = keepBytes
  }

  write(record: ReconcileRecord): void {
    this.buffer += `${JSON.stringify(record)}\n`
    if (this.buffer.length > 1 << 20) this.flush()
  }

  flush(): void {
    if (this.buffer === '') return
    const data = Buffer.from(this.buffer, 'utf8')
    writeSync(this.fd, data)
    this.bytes += data.length
    this.buffer = ''
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
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
 * One side as a stream in key order, from `after` on, a page at a time: the side's own stream when it
 * claims key order (checked record by record: a break restarts the merge with the side sorted), else
 * sorted on disk. Keyless records are held back and reported with the next key, so a checkpoint covers them.
 */
async function* ordered(
  side: Side,
  which: 'upstream' | 'downstream',
  sort: boolean,
  after: string | null,
  folder: string,
  keyless: (error: string) => void,
  dropKeyless: () => void,
): AsyncGenerator<SideEntry[]> {
  const source = side.open(side.startsAfter ? after : null)
  let previous: string | null = after
  const keyed = async function* (): AsyncGenerator<SideEntry[]> {
    for await (const batch of source) {
      const out: SideEntry[] = []
      for (const item of batch) {
        if (item.key === null) keyless(item.error)
        else out.push(item)
      }
      if (out.length > 0) yield out
    }
  }
  const flat = async function* (): AsyncGenerator<SideEntry> {
    for await (const batch of keyed()) yield* batch
  }
  const stream = sort ? inBatches(spillSort(flat(), {folder})) : keyed()
  try {
    for await (const batch of stream) {
      const out: SideEntry[] = []
      for (const entry of batch) {
        if (after !== null && compareKeys(entry.key, after) <= 0) {
          if (side.startsAfter && !sort) throw new OrderBroken(which, `${side.name} listed "${entry.key.slice(0, 60)}" although asked for keys after "${after.slice(0, 60)}"`)
          // Re-read up to the checkpoint: what was held back so far was reported before the interruption.
          dropKeyless()
          continue
        }
        if (previous !== null && compareKeys(previous, entry.key) > 0)
          throw new OrderBroken(which, `${side.name} listed "${entry.key.slice(0, 60)}" after "${previous.slice(0, 60)}"`)
        previous = entry.key
        out.push(entry)
      }
      if (out.length > 0) yield out
    }
  } catch (error) {
    if (error instanceof ListingOrderError) throw new OrderBroken(which, error.message)
    throw error
  }
}

/** Reads a stream of pages one record at a time, awaiting only when a page is used up. */
class Cursor {
  private batch: SideEntry[] = []
  private position = 0
  done = false

  constructor(private readonly source: AsyncIterator<SideEntry[]>) {}

  /** The current record (after `fill`), or null at the end. */
  get current(): SideEntry | null {
    return this.done ? null : (this.batch[this.position] ?? null)
  }

  get needsFill(): boolean {
    return !this.done && this.position >= this.batch.length
  }

  async fill(): Promise<void> {
    while (this.needsFill) {
      const next = await this.source.next()
      if (next.done) this.done = true
      else {
        this.batch = next.value
        this.position = 0
      }
    }
  }

  skip(): void {
    this.position++
  }

  async close(): Promise<void> {
    await this.source.return?.(undefined)
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

async function mergeOnce(options: ReconcileOptions, forced: {upstream: boolean; downstream: boolean}): Promise<ReconcileOutcome> {
  const {context, downstream, upstream} = options
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
  if (resumed && recordsBytes !== checkpoint.recordsBytes) throw new Error(`the findings file of the interrupted run is shorter than its checkpoint says (${recordsPath})`)
  const sink = new RecordSink(recordsPath, recordsBytes)
  const after = checkpoint.lastKey
  const sortUp = forced.upstream || !upstream.ordered
  const sortDown = forced.downstream || !downstream.ordered
  const sorting = {
    downstream: sortDown || downstream.spilled ? ('spilled' as const) : ('stream' as const),
    upstream: sortUp || upstream.spilled ? ('spilled' as const) : ('stream' as const),
  }

  const pending: ReconcileRecord[] = []
  const heldBack = (which: 'upstream' | 'downstream', side: Side) => (error: string) =>
    pending.push({
      cause: 'hop-error',
      class: 'record-unreadable',
      diff: [],
      error,
      key: '',
      side: which,
      summary: `${side.name} listed a record whose key cannot be read: ${error}`,
      times: {},
    })
  // A sorted side reads everything before its first record: on a resumed run what it holds back was reported before.
  const dropHeld = () => {
    pending.length = 0
  }
  const up = new Cursor(ordered(upstream, 'upstream', sortUp, after, options.folder, heldBack('upstream', upstream), dropHeld)[Symbol.asyncIterator]())
  const down = new Cursor(ordered(downstream, 'downstream', sortDown, after, options.folder, heldBack('downstream', downstream), dropHeld)[Symbol.asyncIterator]())

  const started = Date.now()
  const comparedAtStart = checkpoint.compared
  let lastCheckpointAt = started
  let lastProgressAt = 0
  const everyMs = options.checkpointEveryMs ?? 2000
  const count = (klass: ReconcileClass) => {
    checkpoint.counts[klass] = (checkpoint.counts[klass] ?? 0) + 1
  }
  const emit = (record: ReconcileRecord) => {
    sink.write(record)
    count(record.class)
  }
  const save = () => {
    sink.flush()
    checkpoint.recordsBytes = sink.bytes
    checkpoint.savedAt = new Date().toISOString()
    if (!verifying) saveCheckpoint(options.folder, checkpoint)
  }
  const report = (phase: ReconcileProgress['phase']) => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000)
    const rate = (checkpoint.compared - comparedAtStart) / seconds
    const expected = options.expectedKeys ?? null
    const findings = Object.values(checkpoint.counts).reduce((sum, value) => sum + (value ?? 0), 0)
    options.progress?.({
      compared: checkpoint.compared,
      etaSeconds: expected && rate > 0 ? Math.max(0, (expected - checkpoint.compared) / rate) : null,
      findings,
      phase,
      recordsPerSecond: rate,
    })
  }
  const users = (visible: string[]) => {
    for (const user of visible) checkpoint.publishedPerUser[user] = (checkpoint.publishedPerUser[user] ?? 0) + 1
  }
  const duplicate = (which: 'upstream' | 'downstream', side: Side, key: string): ReconcileRecord => ({
    cause: null,
    class: 'duplicate-key',
    diff: [],
    key,
    side: which,
    summary: `${side.name} lists ${key} more than once; only its first record was compared.`,
    times: {},
  })

  try {
    report(sortUp || sortDown || upstream.spilled || downstream.spilled ? 'sorting' : 'reading')
    await Promise.all([up.fill(), down.fill()])
    let iterations = 0
    for (;;) {
      const x = up.current
      const y = down.current
      if (!x && !y) break
      if (options.signal?.aborted) throw options.signal.reason
      const order = !x ? 1 : !y ? -1 : compareKeys(x.key, y.key)
      const upEntry = order <= 0 ? x : null
      const downEntry = order >= 0 ? y : null
      const key = ((upEntry ?? downEntry) as SideEntry).key
      // Counted when the key is done, so that a run interrupted inside a key counts it once on resuming.
      let readUp = 0
      let readDown = 0
      if (upEntry) {
        for (;;) {
          readUp++
          if (readUp > 1) pending.push(duplicate('upstream', upstream, key))
          up.skip()
          if (up.needsFill) await up.fill()
          if (up.current?.key !== key) break
        }
      }
      if (downEntry) {
        for (;;) {
          readDown++
          if (readDown > 1) pending.push(duplicate('downstream', downstream, key))
          down.skip()
          if (down.needsFill) await down.fill()
          if (down.current?.key !== key) break
        }
      }
      checkpoint.read.upstream += readUp
      checkpoint.read.downstream += readDown
      for (const held of pending) emit(held)
      pending.length = 0
      if (!options.onlyKeys || options.onlyKeys.has(key)) {
        checkpoint.compared++
        const finding = classify(context, key, upEntry, downEntry, users)
        if (finding) emit(finding)
        else checkpoint.consistent++
      }
      checkpoint.lastKey = key
      if ((++iterations & 1023) === 0) {
        const now = Date.now()
        if (now - lastCheckpointAt >= everyMs) {
          save()
          lastCheckpointAt = now
        }
        if (now - lastProgressAt >= 250) {
          report('reading')
          lastProgressAt = now
        }
      }
    }
    for (const held of pending) emit(held)
    pending.length = 0
    save()
    report('done')
    return {checkpoint, recordsPath, resumed, sorting}
  } catch (error) {
    await Promise.allSettled([up.close(), down.close()])
    if (error instanceof OrderBroken) throw error
    // Whatever stopped the merge (Ctrl-C, a hop that failed), what is done is kept for --resume.
    save()
    if (options.signal?.aborted) throw new ReconcileInterrupted(checkpoint)
    throw error
  } finally {
    sink.close()
  }
}
