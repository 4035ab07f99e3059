import {
  type EmulatedPrices,
  type InstallationState,
  ftpLayoutFor,
  publishPricing,
  republishPrices,
  runPriceSync,
} from './library.js'
import type {History} from './types.js'
import {type ListRows, type PriceEvent, type PriceListCode, priceKeys, priceLists} from './types-price.js'
import {
  type Clock,
  type ErpCustomer,
  type ErpItem,
  platformShape,
  playSync,
  putErpItem,
  refreshDevice,
  writeExport,
} from './play-steps.js'

/**
 * Plays a price history: the ERP's customer, item, lists and pricing through its emulator (`putPrices`
 * drops what the ERP cannot hold) or, for ftp, its export files (`state.exports.prices`); the CMS's
 * `customers`, `items` and `prices` runs, publishing, refreshes and webshop republishes as the sandbox does them.
 */

/** What the ERP holds: the customer's pricing and each list's rows of the item, with their change times. */
interface ErpPrices {
  list: PriceListCode | null
  discount: number
  pricingAt: string
  /** When the ERP created the item (it never changes). */
  itemAt: string
  rows: Record<PriceListCode, ListRows & {at: string}>
}

type PriceHistoryOf = History & {entity: 'price'}

export function playPrice(state: InstallationState, history: PriceHistoryOf, clock: Clock): void {
  let erp: ErpPrices | null = null
  for (const event of history.events) {
    const at = clock.iso(event.ago)
    if (event.kind === 'erp-setup') {
      erp = {
        discount: event.discount,
        itemAt: at,
        list: event.list,
        pricingAt: at,
        rows: {'HL-A': {...event.rows['HL-A'], at}, 'HL-B': {...event.rows['HL-B'], at}},
      }
      // The item first: an ERP's price rows point at its item.
      setUpItem(state, history, clock, event.ago)
      putErp(state, erp)
    } else if (event.kind === 'erp-pricing' && erp) {
      Object.assign(erp, {discount: event.discount, list: event.list, pricingAt: at})
      putErp(state, erp)
    } else if (event.kind === 'erp-row' && erp) {
      erp.rows[event.list] = {...event.rows, at}
      putErp(state, erp)
    } else if (event.kind === 'export' && erp) writePriceExport(state, history, at, erp, event.omits)
    else playOther(state, clock, event)
  }
}

function playOther(state: InstallationState, clock: Clock, event: PriceEvent): void {
  const at = clock.iso(event.ago)
  if (event.kind === 'refresh') refreshDevice(state, event.user, at)
  else if (event.kind === 'republish') {
    republishPrices(state, null, at)
    publishPricing(state, priceKeys.customer, at, {app: false, webshop: true})
  } else if (event.kind === 'sync' && event.entity === 'customers') {
    const sync = {...event, kind: 'sync' as const, outcome: 'read' as const}
    playSync(state, clock, sync, priceKeys.customer, 'customers')
  } else if (event.kind === 'sync') {
    const run = runPriceSync(
      state,
      {
        keys: event.mode === 'targeted' ? [event.covers ? erpListCode(state, event.list) : 'HL-OTHER'] : null,
        mode: event.mode,
        requestedBy: event.mode === 'auto' ? 'auto' : 'admin@platform.example',
        runId: `p-${event.ago}`,
        startedAt: at,
      },
      {at: clock.iso(event.ago - 1), publish: {app: event.publishApp, webshop: event.publishWebshop}},
    )
    run.finishedAt = clock.iso(event.ago - 2)
  }
}

/**
 * The list's code as the ERP spells it, which the CMS keeps and a targeted run names (platform-api.md "List
 * codes": Visma eAccounting's lists by their `Number`): the source's list with the history's description.
 */
function erpListCode(state: InstallationState, code: PriceListCode): string {
  const erp = state.erp
  const lists = erp?.emulator.sourcePrices?.(erp.state).lists ?? []
  return lists.find((list) => list.description === `History list ${code}`)?.priceListCode ?? code
}

function erpCustomer(erp: ErpPrices): ErpCustomer {
  return {
    code: priceKeys.customer,
    deliveries: [],
    email: 'inkop@pris.example',
    isPrivate: false,
    modifiedAt: erp.pricingAt,
    name: 'Pris AB',
    own: {addressLine1: 'Prisgatan 1', city: 'Uppsala', postCode: '75320'},
    phone: '+46 18 100 200',
    rep: 'SR1',
  }
}

const erpItem = (at: string): ErpItem => ({
  active: true,
  code: priceKeys.item,
  description: 'Prisartikel',
  modifiedAt: at,
  price: priceKeys.basePrice,
  stock: 10,
  webshop: true,
})

/** The ERP's prices in the platform's terms: both lists in SEK, each with a row from 0 and a tier from 10. */
function emulatedPrices(erp: ErpPrices, omits: PriceListCode | null = null): EmulatedPrices {
  const lists = priceLists.filter((code) => code !== omits)
  const row = (code: PriceListCode, fromQuantity: number, price: number) => ({
    currency: 'SEK',
    fromQuantity,
    itemCode: priceKeys.item,
    modifiedAt: erp.rows[code].at,
    price,
    priceListCode: code,
    unit: 'st',
    validFrom: null,
    validTo: null,
  })
  return {
    discountGroups: [],
    lists: lists.map((code) => ({
      active: true,
      currency: 'SEK',
      description: `History list ${code}`,
      kind: 'standard' as const,
      priceListCode: code,
      pricesIncludeVat: false,
    })),
    pricing: [
      {
        actionPriceListCode: null,
        currency: null,
        customerCode: priceKeys.customer,
        discountGroupCode: null,
        discountPercent: erp.discount,
        effectivePriceListCode: erp.list,
        hidePrices: false,
        modifiedAt: erp.pricingAt,
        priceListCode: erp.list,
      },
    ],
    rows: lists.flatMap((code) => [row(code, 0, erp.rows[code].base), row(code, 10, erp.rows[code].tier)]),
  }
}

/** A direct ERP: the customer (its list on the record too), then every price it holds. */
function putErp(state: InstallationState, erp: ErpPrices): void {
  const emulated = state.erp
  if (!emulated) return
  const customer = erpCustomer(erp)
  emulated.emulator.removeCustomer(emulated.state, customer.code)
  emulated.emulator.putCustomer(
    emulated.state,
    {...platformShape(customer), priceListCode: erp.list ?? ''},
    erp.pricingAt,
    {deliveries: [], record: erp.pricingAt},
  )
  emulated.emulator.putPrices?.(emulated.state, emulatedPrices(erp))
}

/** The item exists from the start: in the ERP (or its export), read by an items run that publishes it everywhere. */
function setUpItem(state: InstallationState, history: PriceHistoryOf, clock: Clock, ago: number): void {
  const item = erpItem(clock.iso(ago))
  putErpItem(state, item)
  if (state.exports) writeExport(state, history, clock.iso(ago), null, item, false)
  const sync = {ago: ago - 1, covers: true, kind: 'sync', mode: 'full', outcome: 'read'} as const
  playSync(state, clock, {...sync, publishApp: true, publishWebshop: true}, priceKeys.item, 'items')
}

/** ftp: the export job writes the customers, items and price files from the ERP's data (leaving a list out, if so). */
function writePriceExport(
  state: InstallationState,
  history: PriceHistoryOf,
  at: string,
  erp: ErpPrices,
  omits: PriceListCode | null,
): void {
  const exports = state.exports
  if (!exports) return
  writeExport(state, history, at, erpCustomer(erp), erpItem(erp.itemAt), false)
  const row = exports.customers[0]
  if (row) row.record = {...row.record, priceListCode: erp.list ?? ''}
  exports.prices = emulatedPrices(erp, omits)
  const layout = ftpLayoutFor(exports.layout, null)
  for (const name of [...layout.prices.priceListFiles, ...layout.prices.discountGroupFiles])
    exports.files[name] = {modified: at}
}
