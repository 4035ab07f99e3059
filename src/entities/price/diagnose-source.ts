import {erpDisplayName} from '../../connectors/registry.js'
import type {Assessment} from '../../diagnose/conclude.js'
import {baseReport, problemReport, timeEvidence} from '../../diagnose/report-helpers.js'
import {answerOf} from '../../observe/fetched.js'
import type {PriceRecord} from '../../report/types.js'
import {cmsInputsOf, erpInputsOf, priceRecord} from './compute.js'
import type {PriceObservations} from './observe.js'
import {computationText} from './words.js'

/** The ERP hop of a price: its inputs and its own resolution where it has one, or why it has none. */
export function assessErpPrice(
  obs: PriceObservations,
  viaExports: boolean,
): {assessment: Assessment; record: PriceRecord | null} {
  const installation = answerOf(obs.installation)
  const system = installation?.erpSystem ?? obs.erpSystem ?? 'erp'
  const name = erpDisplayName(system)
  if (!obs.erp) return baseOnly(obs, noErpAnswer(obs, viaExports, system))
  if (!obs.erp.ok) return {assessment: {cause: null, report: problemReport('erp', system, obs.erp, null)}, record: null}
  const report = baseReport('erp', system, obs.erp.durationMs, null)
  const {item, price} = obs.erp.value
  // The item's unit, currency and base price: the ERP's item, else the CMS's (the item itself is `trace item`'s).
  const cmsItem = answerOf(obs.cms)?.item?.item ?? null
  const inputs = price ? erpInputsOf(price, obs.itemCode, item?.item ?? cmsItem, cmsItem) : null
  if (!price || !inputs) {
    report.status = 'missing'
    report.summary = `${name} has no customer ${obs.customerCode}.`
    return {assessment: {cause: 'not-in-erp', report}, record: null}
  }
  const answered = price.resolved
    ? {
        currency: price.resolved.currency,
        discountPercent: null,
        hidePrices: null,
        listPrice: price.resolved.listPrice,
        listSource: null,
        netPrice: price.resolved.netPrice,
        priceListCode: null,
        pricesIncludeVat: null,
      }
    : null
  const record = priceRecord(obs, inputs, answered)
  report.record = record
  report.notCompared = price.notSupplied
  report.evidence = [
    ...timeEvidence('erpPricingModifiedAt', "the customer's pricing changed in the ERP", price.pricingModifiedAt),
    ...price.rows.flatMap((row) =>
      timeEvidence(
        'erpRowModifiedAt',
        `row ${row.priceListCode} from ${row.fromQuantity} changed in the ERP`,
        row.modifiedAt,
      ),
    ),
    ...timeEvidence(
      'erpDiscountGroupModifiedAt',
      'the discount group changed in the ERP',
      price.discountGroup?.modifiedAt,
    ),
  ]
  report.summary = `${name}: ${computationText(record)}.`
  return {assessment: {cause: null, report}, record}
}

/**
 * An ERP without price lists still supplies the item's base price: its price is the CMS's inputs with the ERP's
 * item (every other input not supplied), so a base price the CMS has not caught up with is found.
 */
function baseOnly(
  obs: PriceObservations,
  assessment: Assessment,
): {assessment: Assessment; record: PriceRecord | null} {
  const item = answerOf(obs.erpItemOnly)
  const cms = answerOf(obs.cms)
  const inputs = cms ? cmsInputsOf(cms, obs.itemCode) : null
  if (!item || !inputs || assessment.report.status !== 'present') return {assessment, record: null}
  const record = priceRecord(obs, {...inputs, item: {...inputs.item, price: item.item.price}}, null)
  assessment.report.record = record
  assessment.report.evidence = timeEvidence('erpItemModifiedAt', 'the item changed in the ERP', item.modifiedAt)
  assessment.report.summary = `${assessment.report.summary} Its item's base price is compared: ${item.item.price ?? 'none'}.`
  return {assessment, record}
}

/** No ERP answer: seen through its exports, no ERP access, or an ERP that cannot supply prices (never a break). */
function noErpAnswer(obs: PriceObservations, viaExports: boolean, system: string): Assessment {
  const name = erpDisplayName(system)
  const report = baseReport('erp', system, 0, null)
  if (viaExports || obs.erpSystem === null) {
    report.status = 'not-checked'
    report.summary = viaExports
      ? `${name} is only visible through its exports on the file server.`
      : 'This profile gives no ERP API access, so the chain is checked from the CMS on.'
  } else {
    report.summary = `${name} cannot supply prices (its API has no price lists synctrace reads): the price is compared from the CMS on.`
    report.notCompared = [{field: 'price', reason: 'the ERP cannot supply prices'}]
  }
  return {cause: null, report}
}
