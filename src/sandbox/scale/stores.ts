import type {ReconcileEntity} from '../../reconcile/types.js'
import type {RecordStore} from '../record-store.js'
import {scaleKey} from './keys.js'
import type {ScaleModel} from './model.js'

type Json = Record<string, unknown>

/** A generated view of one hop: record `index` as that hop holds it, or null when it has none. */
export type View = (index: number) => Json | null

/**
 * A hop's records generated from their index on demand (nothing held but what jobs wrote, in the model):
 * key order is index order (the keys are fixed-width). `cursor` says what a page's cursor is: the last key
 * of the page before (the platform's `after`), or the index to go on from (Business Central's `$skiptoken`).
 */
export function generatedStore(
  model: ScaleModel,
  entity: ReconcileEntity,
  view: View,
  cursor: 'after-key' | 'index',
): RecordStore {
  const firstIndex = (at: string | null) =>
    cursor === 'after-key' ? model.firstIndexAfter(entity, at) : Math.max(0, Number(at ?? 0) || 0)
  return {
    count() {
      let count = 0
      for (let index = 0; index < model.records; index++) if (view(index)) count++
      return count
    },
    get(key) {
      const index = model.indexOf(entity, key)
      return (index === null ? null : view(index)) ?? undefined
    },
    page(at, limit) {
      const records: Json[] = []
      let index = firstIndex(at)
      for (; index < model.records && records.length < limit; index++) {
        const record = view(index)
        if (record) records.push(record)
      }
      // A cursor only when a record follows (the gaps of the planted classes are short).
      let more = false
      for (let ahead = index; ahead < model.records && !more; ahead++) more = view(ahead) !== null
      if (!more) return {next: null, records}
      return {next: cursor === 'after-key' ? scaleKey(entity, index - 1) : String(index), records}
    },
  }
}
