/**
 * Exact decimal arithmetic for prices (the contract: "never binary floating point"). A number is read by its
 * shortest decimal spelling (`String(122.55)` is "122.55") into integer millionths, so `129 × 0.95` is 122.55
 * exactly; rounding is half away from zero, once, at the end.
 */

const SCALE = 6
const ONE = 10n ** BigInt(SCALE)

/** A number as integer millionths (rounded half away from zero beyond the sixth decimal). */
export function decimal(value: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`)
  const [mantissa = '0', exponentText] = String(value).toLowerCase().split('e')
  const exponent = Number(exponentText ?? 0)
  const negative = mantissa.startsWith('-')
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.')
  const digits = BigInt(`${whole}${fraction}` || '0')
  const shift = SCALE + exponent - fraction.length
  const scaled = shift >= 0 ? digits * 10n ** BigInt(shift) : roundDiv(digits, 10n ** BigInt(-shift))
  return negative ? -scaled : scaled
}

/** `a / b` for non-negative `a`, positive `b`, rounded half away from zero. */
function roundDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b
  return (a % b) * 2n >= b ? quotient + 1n : quotient
}

/** Integer millionths back to a number. */
export function toNumber(millionths: bigint): number {
  const negative = millionths < 0n
  const magnitude = negative ? -millionths : millionths
  const text = `${magnitude / ONE}.${(magnitude % ONE).toString().padStart(SCALE, '0')}`
  return Number(negative ? `-${text}` : text)
}

/** `value` rounded half away from zero to `places` decimals (≤ 6). */
export function roundTo(value: number, places: number): number {
  const scaled = decimal(value)
  const unit = 10n ** BigInt(SCALE - places)
  const magnitude = scaled < 0n ? -scaled : scaled
  const rounded = roundDiv(magnitude, unit) * unit
  return toNumber(scaled < 0n ? -rounded : rounded)
}

/** Rule 4: `listPrice × (1 − percent / 100)`, rounded once, half away from zero, to 2 decimals. */
export function netOf(listPrice: number, percent: number): number {
  const product = decimal(listPrice) * (100n * ONE - decimal(percent))
  // product is in millionths × millionths × 100; cents are 10^(2·SCALE + 2 − 2)
  const unit = ONE * ONE
  const magnitude = product < 0n ? -product : product
  const cents = roundDiv(magnitude, unit)
  return toNumber((product < 0n ? -cents : cents) * 10n ** BigInt(SCALE - 2))
}

/** Two prices are equal when they differ by less than 0.005. */
export function equalPrices(a: number, b: number): boolean {
  const difference = decimal(a) - decimal(b)
  const half = 5n * 10n ** BigInt(SCALE - 3)
  return (difference < 0n ? -difference : difference) < half
}
