import type {SourcePrices} from '../emulation/erp-emulator.js'
import type {PlatformPricingJson} from '../emulation/records.js'
import type {InstallationState} from './state.js'

/**
 * PLACEHOLDER (price-platform) until the file server's side (price-ftp) reads the written files with the
 * contract's parsing rules: what the CMS's `prices` run reads from an FTP installation's price export (null:
 * the file is not there) and what its `customers` run reads of the pricing columns of `customers.csv`. Here:
 * the export's prices as the sandbox holds them, nothing skipped.
 */
export function exportSourcePrices(state: InstallationState): SourcePrices | null {
  const prices = state.exports?.prices
  if (!prices) return null
  return {
    discountGroups: prices.discountGroups.map((group) => ({...group})),
    lists: prices.lists.map((list) => ({...list, modifiedAt: null})),
    rows: prices.rows.map((row) => ({...row})),
    skipped: [],
  }
}

export function exportSourcePricing(
  state: InstallationState,
): Array<PlatformPricingJson & {modifiedAt: string | null}> {
  return (state.exports?.prices?.pricing ?? []).map((profile) => ({...profile}))
}
