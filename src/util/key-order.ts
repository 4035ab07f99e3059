/**
 * The order the platform lists records in: by the UTF-8 bytes of the key (platform contract, "Listing
 * records"). JavaScript compares strings by UTF-16 code units, which agrees with UTF-8 byte order except
 * that surrogate pairs (U+10000 and up) must sort after U+E000–U+FFFF: the code units are shifted so they do.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let index = 0; index < length; index++) {
    let x = a.charCodeAt(index)
    let y = b.charCodeAt(index)
    if (x === y) continue
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800
    return x - y
  }
  return a.length - b.length
}
