import type {ReconcileEntity} from '../../reconcile/types.js'
import {compareKeys} from '../../util/key-order.js'

const pad = (index: number) => String(index).padStart(8, '0')

/** The key of generated record `index`: `C00000042` for a customer, `P00000042` for an item. */
export const scaleKey = (entity: ReconcileEntity, index: number) => `${entity === 'customers' ? 'C' : 'P'}${pad(index)}`

/** The index of a generated key, or null for a key the installation cannot have. */
export function indexOfKey(entity: ReconcileEntity, key: string, records: number): number | null {
  const match = /^([CP])(\d{8})$/.exec(key)
  if (!match || match[1] !== (entity === 'customers' ? 'C' : 'P')) return null
  const index = Number(match[2])
  return index < records ? index : null
}

/** The first index whose key sorts after `after` (keys are fixed-width, so index order is key order). */
export function firstIndexAfter(entity: ReconcileEntity, after: string | null, records: number): number {
  if (after === null) return 0
  let low = 0
  let high = records
  while (low < high) {
    const middle = (low + high) >> 1
    if (compareKeys(scaleKey(entity, middle), after) <= 0) low = middle + 1
    else high = middle
  }
  return low
}
