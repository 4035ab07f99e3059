import {defineEntity, type RecordTarget} from '../descriptor.js'
import type {TraceReport} from '../../report/types.js'
import {splitPriceKey} from './key.js'

/**
 * What the fix of a price acts on: the customer (its pricing profile comes with the `customers` run) or the
 * price list (`prices` runs and republishes name lists), as the diagnosis named it in the verdict's evidence.
 */
function priceTarget(report: TraceReport): RecordTarget | null {
  const kind = report.action.kind
  if (kind !== 'targeted-sync' && kind !== 'webshop-republish') return null
  // A report without a verdict's evidence (or its target) syncs the customer.
  const named = (report.verdict?.evidence ?? []).find((entry) => entry.name === 'actionTarget')?.text
  const at = named ? named.indexOf(' ') : -1
  const [noun, key] =
    named && at > 0 ? [named.slice(0, at), named.slice(at + 1)] : ['customer', splitPriceKey(report.key)[0]]
  const entity = noun === 'prices' ? 'prices' : noun === 'item' ? 'items' : 'customers'
  return kind === 'targeted-sync'
    ? {entity, keys: [key], kind: 'sync', mode: 'targeted'}
    : {entity, keys: [key], kind: 'webshop-republish'}
}

/** The quantity and date a price was traced for (every hop's record holds them). */
function priceParams(report: TraceReport): Record<string, string | number> {
  const record = report.hops.map((hop) => hop.record).find((entry) => entry !== null && 'quantity' in entry)
  return record && 'quantity' in record ? {date: record.date, quantity: record.quantity} : {}
}

export default defineEntity({
  actions: {paramsOf: priceParams, syncs: 'customers', target: priceTarget, verifiedBy: []},
  command: {
    description:
      "Computes the price customer <customer> pays for <item> at every hop at once (the ERP's price list, rows, discount and discount group, or its own resolved price; the CMS's pricing profile, rows and /prices/resolve; the app's published pricing and whether the devices of the users who see the customer hold it; the webshop's price) with the platform contract's resolution rule, names the first hop where it differs and which input differs (the customer's list, a row's price, tier or dates, the discount, the discount group, the currency, hidePrices, VAT), and why: a row or list changed after the last prices run, the customer switched list after the last customers run, a row the CMS skipped, a device not refreshed, a webshop not republished, a list missing from the export. An ERP that cannot supply an input is said so, never a break.",
    examples: [
      '10042 P-100 --sandbox',
      '10042 P-100 --quantity 10 --sandbox',
      '10042 P-100 --date 2026-11-20 --sandbox --format markdown',
      '10042 P-100 --sandbox --user u-17',
      '10042 P-100 --profile acme --json',
    ],
    key: [
      {description: 'The customer code as the ERP shows it.', name: 'customer'},
      {description: 'The item code as the ERP shows it.', name: 'item'},
    ],
    options: [
      {
        description: 'The quantity ordered, in the item’s unit: a whole number of at least 1 (default 1).',
        example: '10',
        kind: 'whole-number',
        min: 1,
        name: 'quantity',
      },
      {
        description: "The date the price is for, yyyy-MM-dd (default: today in the installation's time zone).",
        example: '2026-11-20',
        kind: 'date',
        name: 'date',
      },
    ],
    summary: 'Trace the price a customer pays for an item from the ERP through the CMS to the app and webshop.',
    user: "Check this app user's devices (default: the users who see the customer).",
  },
  direction: 'inbound',
  keyName: 'customer and item code',
  label: 'Price',
  load: async () => (await import('./trace.js')).trace,
  name: 'price',
  recordName: () => null,
})

// Its name in the report schema's union of entity names (which imports nothing, so each entity adds its own).
declare module '../../report/entities.js' {
  interface EntityRegistry {
    price: true
  }
}
