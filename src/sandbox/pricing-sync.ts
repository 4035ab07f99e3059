import type {PlatformPricingJson} from '../emulation/records.js'
import {exportSourcePricing} from './export-prices.js'
import {pricesOf, sameApartFromTimes} from './price-state.js'
import {publishPricing} from './publish-prices.js'
import type {InstallationState} from './state.js'

type Json = Record<string, unknown>
type SourcePricing = PlatformPricingJson & {modifiedAt: string | null}

/** What a `customers` run reads of each customer's pricing profile (the ERP's connector, or `customers.csv`'s pricing columns), by customer. */
export function sourcePricingOf(state: InstallationState): Map<string, SourcePricing> {
  const erp = state.erp
  const profiles = erp ? (erp.emulator.sourcePricing?.(erp.state) ?? []) : exportSourcePricing(state)
  return new Map(profiles.map((profile) => [profile.customerCode, profile]))
}

/**
 * The `customers` run writes the customer's pricing profile as the source has it (`effectivePriceListCode` is the
 * customer's list unless the CMS's price deduplication maps it onto another), and publishes it when it changed.
 * A source without pricing leaves the CMS's own (the customer record's list, nothing else).
 */
export function syncPricing(
  state: InstallationState,
  source: Map<string, SourcePricing>,
  code: string,
  now: string,
  publish: {app: boolean; webshop: boolean},
): void {
  const profile = source.get(code)
  if (!profile) return
  const prices = pricesOf(state)
  const {modifiedAt, ...fields} = profile
  const listCode = fields.priceListCode === '' ? null : fields.priceListCode
  const next: Json = {
    ...fields,
    effectivePriceListCode: prices.cms.deduplicated.get(code) ?? listCode,
    erpModifiedAt:
      typeof modifiedAt === 'string' && !Number.isNaN(Date.parse(modifiedAt))
        ? new Date(Math.floor(Date.parse(modifiedAt) / 1000) * 1000).toISOString()
        : null,
    priceListCode: listCode,
    syncedAt: now,
  }
  const held = prices.cms.pricing.get(code)
  if (sameApartFromTimes(held, next)) return
  prices.cms.pricing.set(code, next)
  publishPricing(state, code, now, publish)
}
