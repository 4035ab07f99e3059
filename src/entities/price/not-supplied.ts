import type {FieldDiff} from '../../model/compare.js'
import type {NotCompared} from '../../model/mapping.js'
import type {PriceInputs, PriceItem, PriceList, PricingProfile} from '../../model/price.js'

/** What a source cannot supply (`notSupplied`): never compared, never changing the price compared. */

/** The diff's field in the terms a source declares it cannot supply (`rows.validFrom`, `lists.currency`). */
function suppliedName(field: string): string[] {
  const [head, ...rest] = field.split('.')
  if (head === 'lists') return ['lists', `lists.${rest[rest.length - 1]}`]
  if (head === 'rows') return ['rows']
  if (head === 'discountGroup') return ['discountGroup', 'pricing.discountGroupCode']
  return [field, head ?? field]
}

/** Splits diffs into those compared and those the source cannot supply (never a break). */
export function withoutNotSupplied(
  diffs: FieldDiff[],
  notSupplied: readonly NotCompared[],
): {compared: FieldDiff[]; notCompared: NotCompared[]} {
  const reasons = new Map(notSupplied.map((entry) => [entry.field, entry.reason]))
  const compared: FieldDiff[] = []
  const notCompared: NotCompared[] = []
  for (const diff of diffs) {
    const name = suppliedName(diff.field).find((candidate) => reasons.has(candidate))
    if (name) notCompared.push({field: diff.field, reason: reasons.get(name) as string})
    else compared.push(diff)
  }
  return {compared, notCompared}
}

/**
 * The source's inputs with what it cannot supply taken from the hop it is compared with (`pricing.X`,
 * `lists.X`, `item.X`, the discount group): so a field the source lacks never changes the price compared.
 */
export function withSuppliedOnly(up: PriceInputs, down: PriceInputs, notSupplied: readonly NotCompared[]): PriceInputs {
  const fields = new Set(notSupplied.map((entry) => entry.field))
  const pricing = {...up.pricing} as Record<string, unknown>
  for (const field of fields) {
    const [head, name] = field.split('.')
    if (head === 'pricing' && name && name in down.pricing) pricing[name] = down.pricing[name as keyof PricingProfile]
  }
  const item = {...up.item} as Record<string, unknown>
  for (const field of fields) {
    const [head, name] = field.split('.')
    if (head === 'item' && name && name in down.item) item[name] = down.item[name as keyof PriceItem]
  }
  const lists = Object.fromEntries(
    Object.entries(up.lists).map(([code, list]) => {
      const other = down.lists[code] as unknown as Record<string, unknown> | undefined
      const filled = {...list} as Record<string, unknown>
      for (const field of fields) {
        const [head, name] = field.split('.')
        if (head === 'lists' && name && other && name in other) filled[name] = other[name]
      }
      return [code, filled as unknown as PriceList]
    }),
  )
  const noGroup = fields.has('discountGroup') || fields.has('pricing.discountGroupCode')
  return {
    discountGroup: noGroup ? down.discountGroup : up.discountGroup,
    item: item as unknown as PriceItem,
    lists,
    pricing: pricing as unknown as PricingProfile,
    rows: up.rows,
  }
}
