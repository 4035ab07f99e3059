import {type PriceInputs, type PriceRow, resolvePrice, samePrice} from './library.js'
import {type PriceHops, priceHops, type Profile, type Rows, sameValue, type SourceInputs} from './oracle-price-hops.js'
import {after, broken, downHop, fine, unreachable} from './oracle-rules.js'
import type {History, Hop, OracleAnswer} from './types.js'
import {type PriceListCode, priceKeys} from './types-price.js'
import {knownPriceDisagreements} from './generate-price.js'

/**
 * A customer's price of an item traced, ERP (→ export) → CMS → app, webshop: each hop's price computed with the
 * contract's normative rule (`resolvePrice`) from the inputs that hop holds (oracle-price-hops.ts), the first
 * hop whose price differs from its upstream's, and the cause from the events' times (platform-api.md "Prices",
 * docs/diagnosis.md "Prices"): the row or the customer's pricing changed after the last run covering it, an
 * ERP without a change time for it, a device not refreshed since the publish, a webshop not republished, a
 * list the export left out.
 */

type PriceHistory = History & {entity: 'price'}

/** Today in the installation's zone: the rows have no dates, so any date prices alike. */
const today = () => new Date().toISOString().slice(0, 10)

function inputsOf(profile: Profile | null, rows: Rows): PriceInputs {
  const list = profile?.list ?? null
  const listRows = list ? rows[list] : null
  const row = (fromQuantity: number, price: number): PriceRow => ({
    currency: 'SEK',
    fromQuantity,
    itemCode: priceKeys.item,
    price,
    priceListCode: list as string,
    unit: 'st',
    validFrom: null,
    validTo: null,
  })
  return {
    discountGroup: null,
    item: {currency: 'SEK', itemCode: priceKeys.item, price: priceKeys.basePrice, unit: 'st'},
    lists: list
      ? {
          [list]: {
            active: true,
            currency: 'SEK',
            description: null,
            kind: 'standard',
            priceListCode: list,
            pricesIncludeVat: false,
          },
        }
      : {},
    pricing: {
      actionPriceListCode: null,
      currency: null,
      customerCode: priceKeys.customer,
      discountGroupCode: null,
      discountPercent: profile?.discount ?? 0,
      effectivePriceListCode: list,
      hidePrices: false,
      priceListCode: list,
    },
    rows: listRows ? [row(0, listRows.base), ...(Number.isFinite(listRows.tier) ? [row(10, listRows.tier)] : [])] : [],
  }
}

/** The price a hop's inputs give: net and list price as the rule computes them. */
function priceOf(profile: Profile | null, rows: Rows, quantity: number): {net: number | null; list: number | null} {
  const resolved = resolvePrice(inputsOf(profile, rows), quantity, today())
  return {list: resolved.listPrice, net: resolved.netPrice}
}

const samePrices = (a: ReturnType<typeof priceOf>, b: ReturnType<typeof priceOf>) =>
  samePrice(a.net, b.net) && samePrice(a.list, b.list)

export function priceTrace(history: PriceHistory): OracleAnswer {
  const answer = contractVerdict(history)
  if (!('expected' in answer)) return answer
  const link = answer.expected.brokenLink
  const known = knownPriceDisagreements.find((entry) =>
    entry.matches(history, {to: link?.to ?? null}, downHop(history)),
  )
  return known ? {ambiguous: `known disagreement ${known.name} (generate-price.ts)`} : answer
}

/** The verdict the contract gives, before the known disagreements are set aside. */
export function contractVerdict(history: PriceHistory): OracleAnswer {
  const hops = priceHops(history.knobs, history.events)
  const ftp = history.knobs.erp === 'ftp'
  const down = downHop(history)
  const sourceHop: Hop = ftp ? 'ftp' : 'erp'
  const source = ftp ? hops.exported : hops.erp
  if (!source || !hops.cms.pricing) return {ambiguous: 'the source or the CMS never held the customer'}
  const q = history.quantity
  const cmsPrice = priceOf(hops.cms.pricing, hops.cms.rows, q)
  const exportRule = ftp ? listNotInExport(hops, down === 'ftp') : null
  if (exportRule) return exportRule
  if (down !== sourceHop) {
    const sourcePrice = priceOf(source.profile, source.rows, q)
    if (!samePrices(sourcePrice, cmsPrice)) return sourceCmsRule(hops, source, sourceHop, ftp)
  }
  if (down !== 'app') {
    const app = appRule(hops, cmsPrice, q)
    if (app) return app
  }
  if (down !== 'webshop') {
    const webshopPrice = priceOf(hops.webshop.pricing, hops.webshop.rows, q)
    if (!hops.webshop.pricing) return broken('cms', 'webshop', 'not-published-to-webshop', 'never published')
    if (!samePrices(webshopPrice, cmsPrice))
      return broken('cms', 'webshop', 'webshop-behind', 'the webshop was not republished since the CMS changed')
  }
  return down ? unreachable(down) : fine('consistent', 'every hop computes the same price')
}

/**
 * ftp, a list the export leaves out: the CMS deactivates it and the customer gets the base price everywhere —
 * an ERP → FTP fault (platform-api.md, "A list missing from an export"). Only the plain case is decided: the
 * export's and the CMS's profile name the list, and the CMS deactivated it reading this export (with the file
 * server down, the CMS's deactivation of the customer's list alone).
 */
function listNotInExport(hops: PriceHops, ftpDown: boolean): OracleAnswer | null {
  const exported = hops.exported
  const cmsList = hops.cms.pricing?.list ?? null
  // The file server down: the CMS's own record of the run that deactivated the customer's list still says so.
  if (ftpDown)
    return cmsList && hops.cms.inactive.has(cmsList)
      ? broken('erp', 'ftp', 'price-list-not-in-export', `the CMS deactivated list ${cmsList}: not in the export`)
      : null
  const omitted = exported?.omits ?? null
  const touches = (code: PriceListCode | null) => code !== null && (code === omitted || hops.cms.inactive.has(code))
  if (!touches(cmsList) && !touches(exported?.profile.list ?? null)) return null
  if (exported && omitted && cmsList === omitted && exported.profile.list === omitted && hops.cms.inactive.has(omitted))
    return broken('erp', 'ftp', 'price-list-not-in-export', `the export leaves out list ${omitted}`)
  return {ambiguous: 'a list left out of an export, not yet (or no longer) carried through'}
}

/** Source → CMS: which input differs (the customer's pricing or the rows of its list) and when it changed against the run that carries it. */
function sourceCmsRule(hops: PriceHops, source: SourceInputs, sourceHop: Hop, ftp: boolean): OracleAnswer {
  const cms = hops.cms
  const pricingDiffers = !sameValue(source.profile, cms.pricing)
  const lists = [...new Set([source.profile.list, cms.pricing?.list ?? null])].filter(
    (code): code is PriceListCode => code !== null,
  )
  const rowsDiffer = lists.filter((code) => !sameValue(source.rows[code], cms.rows[code]))
  if (pricingDiffers && rowsDiffer.length > 0) return {ambiguous: 'both the pricing and the rows differ'}
  const fileNewer = (run: {readFileAgo: number | null} | null) =>
    ftp && run !== null && hops.exported !== null && after(hops.exported.ago, run.readFileAgo)
  if (pricingDiffers) {
    const run = hops.lastCustomersRun
    if (!hops.abilities.pricingTimes) {
      // No change time: the export file's version against the one the run read (ftp-layouts: sourceFileModifiedAt),
      // or the ERP's own answer whether the customer changed since the run started (Fortnox).
      if (fileNewer(run))
        return broken(sourceHop, 'cms', 'pricing-changed-after-sync', 'the export was written after the run read it')
      if (hops.abilities.pricingChangedSince && run)
        return after(source.pricingAgo, run.startedAgo)
          ? broken(
              sourceHop,
              'cms',
              'pricing-changed-after-sync',
              'the ERP lists the customer as changed since the run',
            )
          : {ambiguous: 'the pricing differs although the ERP lists no change since the last customers run'}
      return broken(
        sourceHop,
        'cms',
        'change-order-unknown',
        "the source keeps no change time for the customer's pricing",
      )
    }
    return after(source.pricingAgo, run?.startedAgo) || fileNewer(run)
      ? broken(sourceHop, 'cms', 'pricing-changed-after-sync', 'the pricing changed after the last customers run')
      : {ambiguous: 'the pricing differs although the last customers run read it'}
  }
  const [code] = rowsDiffer
  if (!code) return {ambiguous: 'the same inputs give another price'}
  const run = hops.lastPricesRun[code]
  if (!hops.abilities.rowTimes)
    return broken(sourceHop, 'cms', 'change-order-unknown', `the source keeps no change time for rows of ${code}`)
  return after(source.rowsAgo[code], run?.startedAgo) || fileNewer(run)
    ? broken(sourceHop, 'cms', 'price-changed-after-sync', `a row of ${code} changed after the last prices run`)
    : {ambiguous: 'the rows differ although the last prices run read them'}
}

/**
 * CMS → app: the app's published inputs give another price (never published, or an older version), else
 * the device of the user who sees the customer (u-1, sales rep SR1) has not refreshed since every input the
 * price needs was published.
 */
function appRule(hops: PriceHops, cmsPrice: ReturnType<typeof priceOf>, q: number): OracleAnswer | null {
  const {app} = hops
  if (!app.pricing) return broken('cms', 'app', 'not-published-to-app', 'the pricing was never published to the app')
  const list = app.pricing.values.list
  const rows: Rows = {'HL-A': app.rows['HL-A']?.values ?? null, 'HL-B': app.rows['HL-B']?.values ?? null}
  if (!samePrices(priceOf(app.pricing.values, rows, q), cmsPrice))
    return broken('cms', 'app', 'app-publish-behind', 'the app was published an older version')
  const published = [
    app.pricing.publishedAgo,
    hops.itemPublishedAgo,
    ...(list && app.rows[list]?.values ? [app.rows[list]?.publishedAgo as number] : []),
  ]
  const newest = Math.min(...published)
  // The users who see the customer: u-1 through its sales rep, none where the ERP cannot supply the rep.
  if (!hops.repVisible) return null
  return after(newest, hops.refreshedAgo['u-1'])
    ? broken(
        'cms',
        'app',
        'device-not-refreshed',
        "u-1's device has not refreshed since the price's inputs were published",
      )
    : null
}
