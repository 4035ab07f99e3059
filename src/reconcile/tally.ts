import {type Checkpoint, saveCheckpoint} from './checkpoint.js'
import type {RecordSink} from './record-sink.js'
import {displayPriceKey} from './price-key.js'
import type {ReconcileRecord, ReconcileTarget} from './types.js'

export interface ReconcileProgress {
  phase: 'reading' | 'sorting' | 'done'
  compared: number
  findings: number
  recordsPerSecond: number
  /** Seconds left, when the number of records is known (an earlier run's, or what the last full sync read). */
  etaSeconds: number | null
  /** The keys expected in all (that estimate), null when unknown. */
  expected: number | null
}

export type Which = 'upstream' | 'downstream'

/** What the bookkeeping reads of a merge's options (ReconcileOptions, run.ts). */
interface TallyOptions {
  entity?: ReconcileTarget
  upstream: {name: string; hop?: string}
  downstream: {name: string; hop?: string}
  /** The run's folder, where the checkpoint is saved. */
  folder: string
  /** The verification after a fix keeps no checkpoint. */
  onlyKeys?: Set<string>
  progress?: (progress: ReconcileProgress) => void
  expectedKeys?: number | null
  checkpointEveryMs?: number
}

/**
 * The bookkeeping of one pass: the counts in the checkpoint, the findings held back until their key is done,
 * the checkpoint written every few seconds and the progress reported a few times a second.
 */
export class Tally {
  /** Keyless and duplicate records, reported with the key that follows (so a checkpoint covers them). */
  private readonly pending: ReconcileRecord[] = []
  private readonly started = Date.now()
  private readonly comparedAtStart: number
  private lastCheckpointAt = this.started
  private lastProgressAt = 0
  private iterations = 0

  constructor(
    private readonly options: TallyOptions,
    readonly checkpoint: Checkpoint,
    private readonly sink: RecordSink,
  ) {
    this.comparedAtStart = checkpoint.compared
  }

  /** A record of a side whose key cannot be read. */
  keyless(which: Which): (error: string) => void {
    const side = this.options[which]
    return (error) => {
      const skipped = this.options.entity === 'prices' && side.hop === 'ftp' ? skippedExportRow(error) : null
      if (skipped) return void this.pending.push(skipped)
      this.pending.push({
        cause: 'hop-error',
        class: 'record-unreadable',
        diff: [],
        error,
        key: '',
        side: which,
        summary: `${side.name} listed a record whose key cannot be read: ${error}`,
        times: {},
      })
    }
  }

  // A sorted side reads everything before its first record: on a resumed run what it holds back was reported before.
  readonly dropKeyless = (): void => {
    this.pending.length = 0
  }

  duplicate(which: Which, key: string): void {
    this.pending.push({
      cause: null,
      class: 'duplicate-key',
      diff: [],
      key,
      side: which,
      summary: `${this.options[which].name} lists ${key} more than once; only its first record was compared.`,
      times: {},
    })
  }

  emit(record: ReconcileRecord): void {
    this.sink.write(this.options.entity === 'prices' ? {...record, key: displayPriceKey(record.key)} : record)
    this.checkpoint.counts[record.class] = (this.checkpoint.counts[record.class] ?? 0) + 1
  }

  emitPending(): void {
    for (const held of this.pending) this.emit(held)
    this.pending.length = 0
  }

  /** cms,app customers: one more published customer for each user who sees it. */
  readonly countUsers = (visible: string[]): void => {
    for (const user of visible)
      this.checkpoint.publishedPerUser[user] = (this.checkpoint.publishedPerUser[user] ?? 0) + 1
  }

  save(): void {
    this.sink.flush()
    this.checkpoint.recordsBytes = this.sink.bytes
    this.checkpoint.savedAt = new Date().toISOString()
    if (this.options.onlyKeys === undefined) saveCheckpoint(this.options.folder, this.checkpoint)
  }

  report(phase: ReconcileProgress['phase']): void {
    const {checkpoint} = this
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000)
    const rate = (checkpoint.compared - this.comparedAtStart) / seconds
    const expected = this.options.expectedKeys ?? null
    const findings = Object.values(checkpoint.counts).reduce((sum, value) => sum + (value ?? 0), 0)
    this.options.progress?.({
      compared: checkpoint.compared,
      etaSeconds:
        expected && rate > 0 && checkpoint.compared < expected ? (expected - checkpoint.compared) / rate : null,
      expected,
      findings,
      phase,
      recordsPerSecond: rate,
    })
  }

  /** After each key; the clock is looked at every 1024 keys only. */
  keyDone(): void {
    if ((++this.iterations & 1023) !== 0) return
    const now = Date.now()
    if (now - this.lastCheckpointAt >= (this.options.checkpointEveryMs ?? 2000)) {
      this.save()
      this.lastCheckpointAt = now
    }
    if (now - this.lastProgressAt >= 250) {
      this.report('reading')
      this.lastProgressAt = now
    }
  }
}

/**
 * A row of the price export the CMS skips (the file server's reader gives it as `file line N: reason`, with the
 * contract's reasons: unknown item, unit differs, row expired, duplicate, unreadable): `price-row-skipped`.
 */
function skippedExportRow(error: string): ReconcileRecord | null {
  const match = /^(.+?) line (\d+): (.+)$/s.exec(error)
  if (!match) return null
  const [, file, line, reason] = match as unknown as [string, string, string, string]
  return {
    cause: 'price-row-skipped',
    class: 'price-row-skipped',
    diff: [],
    error: reason,
    file,
    key: '',
    line: Number(line),
    side: 'upstream',
    summary: `The CMS skips the row in ${file} (line ${line}): ${reason}.`,
    times: {},
  }
}
