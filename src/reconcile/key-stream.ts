import {ListingOrderError} from '../connectors/listing.js'
import {compareKeys} from '../util/key-order.js'
import {spillSort} from '../util/spill-sort.js'
import {inBatches, type Side} from './sides.js'
import type {SideEntry} from './types.js'

/** A side that claimed key order broke it: the merge starts over with that side sorted on disk. */
export class OrderBroken extends Error {
  constructor(
    readonly side: 'upstream' | 'downstream',
    readonly detail: string,
  ) {
    super(detail)
  }
}

/**
 * One side as a stream in key order, from `after` on, a page at a time: the side's own stream when it
 * claims key order (checked record by record: a break restarts the merge with the side sorted), else
 * sorted on disk. Keyless records are held back and reported with the next key, so a checkpoint covers them.
 */
export async function* ordered(
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
          if (side.startsAfter && !sort)
            throw new OrderBroken(
              which,
              `${side.name} listed "${entry.key.slice(0, 60)}" although asked for keys after "${after.slice(0, 60)}"`,
            )
          // Re-read up to the checkpoint: what was held back so far was reported before the interruption.
          dropKeyless()
          continue
        }
        if (previous !== null && compareKeys(previous, entry.key) > 0)
          throw new OrderBroken(
            which,
            `${side.name} listed "${entry.key.slice(0, 60)}" after "${previous.slice(0, 60)}"`,
          )
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
export class Cursor {
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
