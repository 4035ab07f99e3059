import {createReadStream, mkdtempSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

import {compareKeys} from './key-order.js'
import {writeTextFileSync} from './line-file.js'

/**
 * An external sort for records that do not come in key order: they are collected in memory up to a
 * bounded run, each run is sorted and written to a temporary file as JSON lines, and the runs are merged
 * with a small heap. Memory stays at one run plus one line per run, whatever the number of records.
 */
export interface SpillOptions {
  /** Folder the run files are written in (removed afterwards). */
  folder: string
  /** Records per run (default 50 000). */
  runSize?: number
}

export interface Keyed {
  key: string
}

/** Sorts one run and writes it as JSON lines (synchronously: a run is written between two records). */
function writeRun<T extends Keyed>(path: string, records: T[]): void {
  records.sort((a, b) => compareKeys(a.key, b.key))
  writeTextFileSync(path, jsonLines(records))
}

function* jsonLines(records: Iterable<unknown>): Generator<string> {
  for (const record of records) yield `${JSON.stringify(record)}\n`
}

/** A binary min-heap of the runs' current heads. */
class Heap<T> {
  private readonly items: T[] = []
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length
  }
  push(item: T): void {
    const items = this.items
    items.push(item)
    let index = items.length - 1
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!this.less(items[index] as T, items[parent] as T)) break
      ;[items[index], items[parent]] = [items[parent] as T, items[index] as T]
      index = parent
    }
  }
  pop(): T | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length > 0 && last !== undefined) {
      items[0] = last
      let index = 0
      for (;;) {
        const left = index * 2 + 1
        const right = left + 1
        let smallest = index
        if (left < items.length && this.less(items[left] as T, items[smallest] as T)) smallest = left
        if (right < items.length && this.less(items[right] as T, items[smallest] as T)) smallest = right
        if (smallest === index) break
        ;[items[index], items[smallest]] = [items[smallest] as T, items[index] as T]
        index = smallest
      }
    }
    return top
  }
}

/**
 * Collects records one at a time (`add` is synchronous, so a callback-driven reader can feed it) and gives
 * them back sorted by key; records with equal keys keep their order of arrival.
 */
export class SpillSorter<T extends Keyed> {
  private readonly runSize: number
  private readonly folder: string
  private readonly runs: string[] = []
  private current: T[] = []

  constructor(options: SpillOptions) {
    this.runSize = Math.max(1, options.runSize ?? 50_000)
    this.folder = mkdtempSync(join(options.folder, 'spill-'))
  }

  add(record: T): void {
    this.current.push(record)
    if (this.current.length >= this.runSize) this.spill()
  }

  private spill(): void {
    const path = join(this.folder, `run-${this.runs.length}.jsonl`)
    writeRun(path, this.current)
    this.runs.push(path)
    this.current = []
  }

  /** Removes the run files (also done when `sorted()` has been read to the end or stopped). */
  dispose(): void {
    rmSync(this.folder, {force: true, recursive: true})
  }

  async *sorted(): AsyncGenerator<T> {
    try {
      if (this.runs.length === 0) {
        // Everything fitted in one run: no file needed.
        const records = this.current.sort((a, b) => compareKeys(a.key, b.key))
        this.current = []
        yield* records
        return
      }
      if (this.current.length > 0) this.spill()
      const readers = this.runs.map((path) =>
        createInterface({crlfDelay: Number.POSITIVE_INFINITY, input: createReadStream(path)})[Symbol.asyncIterator](),
      )
      type Head = {record: T; run: number}
      const heap = new Heap<Head>((a, b) => {
        const order = compareKeys(a.record.key, b.record.key)
        return order < 0 || (order === 0 && a.run < b.run)
      })
      const advance = async (run: number) => {
        const next = await (readers[run] as AsyncIterator<string>).next()
        if (!next.done) heap.push({record: JSON.parse(next.value) as T, run})
      }
      await Promise.all(readers.map((_reader, run) => advance(run)))
      try {
        while (heap.size > 0) {
          const head = heap.pop() as Head
          yield head.record
          await advance(head.run)
        }
      } finally {
        await Promise.all(readers.map((reader) => reader.return?.()))
      }
    } finally {
      this.dispose()
    }
  }
}

/** Sorts the records by key (UTF-8 byte order) through run files on disk. */
export async function* spillSort<T extends Keyed>(records: AsyncIterable<T>, options: SpillOptions): AsyncGenerator<T> {
  const sorter = new SpillSorter<T>(options)
  try {
    for await (const record of records) sorter.add(record)
  } catch (error) {
    sorter.dispose()
    throw error
  }
  yield* sorter.sorted()
}
