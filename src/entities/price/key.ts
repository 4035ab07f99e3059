import {splitKey} from '../descriptor.js'

/** A price's report key (`10042/P-100`) back into its customer and item, split at the first separator. */
export function splitPriceKey(key: string): [string, string] {
  const [customer = '', item = ''] = splitKey(key, 2)
  return [customer, item]
}
