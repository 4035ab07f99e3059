import {keySeparator} from '../descriptor.js'

/** A price's report key (`10042/P-100`) back into its customer and item, split at the first separator. */
export function splitPriceKey(key: string): [string, string] {
  const at = key.indexOf(keySeparator)
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + keySeparator.length)]
}
