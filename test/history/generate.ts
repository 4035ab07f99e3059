import {emulatedSystems, type FtpLayoutId} from './library.js'
import {
  type CustomerEvent,
  type Entity,
  erpCannotSupply,
  type ErpKind,
  type History,
  historyKeys,
  type Hop,
  type ItemEvent,
  type Knobs,
  type OrderEvent,
  type SyncEvent,
} from './types.js'
import {byTime, day, type Random, randomSource, timesAfter} from './random.js'
import {priceEvents} from './generate-price.js'
import {priceKeys} from './types-price.js'

function knobsFor(random: Random, entity: Entity): Omit<Knobs, 'maxPageSize'> {
  // Every emulated ERP (src/sandbox/erp/registry.ts) is played as often as Fortnox; Business Central and the export files twice as often.
  const others = emulatedSystems().filter((system) => system !== 'businesscentral' && system !== 'fortnox')
  const erp: ErpKind = random.pick(['businesscentral', 'businesscentral', 'fortnox', 'ftp', 'ftp', ...others])
  const hops: Hop[] = erp === 'ftp' ? ['ftp', 'app', 'webshop'] : ['erp', 'app', 'webshop']
  const faultRoll = random.next()
  const layout: FtpLayoutId =
    erp === 'ftp' ? random.pick(['generic', 'generic', 'winbas', 'monitor'] as const) : 'generic'
  // Export files named by the connector's settings (one file per kind; the generic one a CSV in export/).
  const filesFromSettings = erp === 'ftp' && random.chance(0.3)
  return {
    // Winbas and Monitor export one XML file of customers (an XML export is one document: no broken row).
    customerFile:
      layout !== 'generic'
        ? 'customers.xml'
        : filesFromSettings
          ? 'customers.csv'
          : random.pick(['customers.csv', 'customers.xml'] as const),
    erp,
    filesFromSettings,
    fault:
      faultRoll < 0.1
        ? {hop: random.pick(hops), kind: 'down'}
        : faultRoll < 0.14
          ? {hop: random.pick([...hops, 'cms'] as Hop[]), kind: 'slow'}
          : null,
    layout,
    // Monitor's items.xml carries no webshop flag: the filter cannot be told apart from the trace's side.
    onlyWebshopItems: layout !== 'monitor' && random.chance(0.3),
    protocol: random.pick(['ftp', 'ftps', 'sftp'] as const),
    shipToExtension: random.chance(0.5),
    skipPrivateCustomers: random.chance(0.5),
    user: entity === 'customer' && random.chance(0.15) ? random.pick(['u-1', 'u-2'] as const) : null,
  }
}

function syncEvent(random: Random, ago: number): SyncEvent {
  const mode = random.pick(['auto', 'auto', 'full', 'targeted'] as const)
  const outcomeRoll = random.next()
  return {
    ago,
    covers: mode !== 'targeted' || random.chance(0.8),
    kind: 'sync',
    mode,
    outcome: outcomeRoll < 0.8 ? 'read' : outcomeRoll < 0.9 ? 'fail' : 'miss',
    publishApp: random.chance(0.85),
    publishWebshop: random.chance(0.85),
  }
}

/** The customer fields an ERP edit changes: for Winbas and Monitor only those their CMS connector reads from the file. */
function customerFieldsOf(knobs: Knobs): Array<'name' | 'phone' | 'email' | 'invoice' | 'delivery'> {
  if (knobs.layout === 'winbas') return ['name', 'phone']
  if (knobs.layout === 'monitor') return ['name']
  return ['name', 'phone', 'email', 'invoice', 'delivery']
}

function inboundCustomer(random: Random, knobs: Knobs): CustomerEvent[] {
  const ftp = knobs.erp === 'ftp'
  // A row that cannot be read is a CSV row with an unbalanced quote (an XML export is one document).
  const csv = knobs.customerFile === 'customers.csv'
  const startAgo = random.int(2 * day, 8 * day)
  const events: CustomerEvent[] = []
  if (random.chance(0.93))
    events.push({
      ago: startAgo,
      deliveries: knobs.erp === 'businesscentral' ? random.pick([0, 1, 2] as const) : random.pick([0, 1] as const),
      kind: 'erp-create',
      private: random.chance(0.2),
      rep: random.pick(['SR1', 'SR1', 'SR2', 'SR9'] as const),
    })
  // The usual course: exported (ftp), synced, the rep refreshes; then whatever else happened.
  const [exported, synced, refreshed] = timesAfter(random, startAgo, 3, 0).sort((a, b) => b - a)
  if (ftp && exported !== undefined && random.chance(0.9))
    events.push({ago: exported, kind: 'export', malformed: false})
  if (synced !== undefined && random.chance(0.85))
    events.push({...syncEvent(random, synced), covers: true, outcome: 'read'})
  if (refreshed !== undefined && random.chance(0.8))
    events.push({ago: refreshed, kind: 'refresh', user: random.pick(['u-1', 'u-2'] as const)})
  for (const ago of timesAfter(random, startAgo, random.int(0, 6), 0.12)) {
    const roll = random.next()
    if (roll < 0.25) events.push({ago, field: random.pick(customerFieldsOf(knobs)), kind: 'erp-edit'})
    else if (roll < 0.55) events.push(syncEvent(random, ago))
    else if (roll < 0.7) events.push({ago, kind: 'refresh', user: random.pick(['u-1', 'u-2'] as const)})
    else if (roll < 0.75) events.push({ago, kind: 'republish'})
    else if (roll < 0.78) events.push({ago, kind: 'erp-delete'})
    else if (ftp) events.push({ago, kind: 'export', malformed: csv && random.chance(0.15)})
    else
      events.push({
        ago,
        field: random.pick(customerFieldsOf(knobs).filter((field) => field === 'name' || field === 'delivery')),
        kind: 'erp-edit',
      })
  }
  // Often the rep has just opened the app: a refresh after everything else.
  if (random.chance(0.4)) events.push({ago: 1, kind: 'refresh', user: random.pick(['u-1', 'u-1', 'u-2'] as const)})
  // An export job that keeps running writes the files again lately.
  if (ftp && random.chance(0.6)) {
    const [ago] = timesAfter(random, Math.min(startAgo, 30 * 60), 1)
    if (ago !== undefined) events.push({ago, kind: 'export', malformed: csv && random.chance(0.1)})
  }
  return byTime(events)
}

function outboundCustomer(random: Random): CustomerEvent[] {
  const startAgo = random.int(3 * 60, 3 * day)
  const events: CustomerEvent[] = [{ago: startAgo, kind: 'device-create'}]
  const [uploaded, toErp, imported] = timesAfter(random, startAgo, 3, 0).sort((a, b) => b - a)
  if (uploaded !== undefined && random.chance(0.8)) {
    events.push({ago: uploaded, kind: 'upload'})
    if (toErp !== undefined && random.chance(0.75)) {
      events.push({ago: toErp, kind: 'cms-to-erp'})
      if (imported !== undefined && random.chance(0.7))
        events.push({ago: imported, kind: 'erp-import', result: random.chance(0.7) ? 'processed' : 'rejected'})
    }
  }
  return byTime(events)
}

/** A stock run: it rewrites, reads unchanged, skips or fails on the item, or misses it; now and then the run fails as a whole. */
function stockRun(random: Random, ago: number): SyncEvent {
  const roll = random.next()
  return {
    ...syncEvent(random, ago),
    outcome: roll < 0.65 ? 'read' : roll < 0.8 ? 'fail' : 'miss',
    runFails: random.chance(0.15),
    stock: true,
  }
}

function itemEvents(random: Random, knobs: Knobs): ItemEvent[] {
  const ftp = knobs.erp === 'ftp'
  const startAgo = random.int(2 * day, 8 * day)
  const events: ItemEvent[] = []
  if (random.chance(0.93))
    // Monitor's items.xml has no active flag: the item is read as it is.
    events.push({
      active: knobs.layout === 'monitor' || random.chance(0.88),
      ago: startAgo,
      kind: 'erp-create',
      webshop:
        knobs.erp === 'businesscentral' || erpCannotSupply(knobs.erp, 'webshopFlag') ? true : random.chance(0.75),
    })
  const [exported, synced] = timesAfter(random, startAgo, 2, 0).sort((a, b) => b - a)
  if (ftp && exported !== undefined) events.push({ago: exported, kind: 'export', malformed: false})
  if (synced !== undefined && random.chance(0.85))
    events.push({...syncEvent(random, synced), covers: true, outcome: 'read'})
  // The nightly stock run, some time after the item sync.
  const [stocked] = synced === undefined ? [] : timesAfter(random, synced, 1, 0)
  if (stocked !== undefined && random.chance(0.7)) events.push(stockRun(random, stocked))
  // Monitor's items.xml carries no stock.
  const fields =
    knobs.layout === 'monitor'
      ? (['price', 'description'] as const)
      : (['price', 'description', 'stock', 'stock'] as const)
  for (const ago of timesAfter(random, startAgo, random.int(0, 6))) {
    const roll = random.next()
    if (roll < 0.35) events.push({ago, field: random.pick(fields), kind: 'erp-edit'})
    else if (roll < 0.5) events.push(syncEvent(random, ago))
    // A stock run: it rewrites, reads unchanged, skips or fails on the item; now and then the run fails as a whole.
    else if (roll < 0.75) events.push(stockRun(random, ago))
    else if (roll < 0.82) events.push({ago, kind: 'republish'})
    else if (ftp) events.push({ago, kind: 'export', malformed: false})
    else events.push({ago, field: random.pick(fields), kind: 'erp-edit'})
  }
  if (ftp && random.chance(0.5)) {
    const [ago] = timesAfter(random, startAgo, 1)
    if (ago !== undefined) events.push({ago, kind: 'export', malformed: false})
  }
  return byTime(events)
}

function orderEvents(random: Random, knobs: Knobs): OrderEvent[] {
  const startAgo = random.chance(0.1) ? random.int(8, 10) : random.int(2 * 60, 3 * day)
  const channel = random.pick(['app', 'app', 'webshop'] as const)
  const events: OrderEvent[] = [{ago: startAgo, channel, kind: 'order-create'}]
  if (startAgo <= 10) {
    if (random.chance(0.8)) events.push({ago: random.int(3, startAgo - 3), kind: 'order-upload'})
    return byTime(events)
  }
  const [uploaded, transferred, imported, lost] = timesAfter(random, startAgo, 4, 0.1).sort((a, b) => b - a)
  if (uploaded === undefined || !random.chance(0.85)) return byTime(events)
  events.push({ago: uploaded, kind: 'order-upload'})
  if (transferred === undefined) return byTime(events)
  const roll = random.next()
  if (roll < 0.15) return byTime(events)
  if (roll < 0.22) {
    events.push({ago: transferred, error: null, kind: 'transfer', result: 'on-hold'})
    return byTime(events)
  }
  if (roll < 0.4) {
    events.push({ago: transferred, error: 'Timeout while sending to the ERP', kind: 'transfer', result: 'failed'})
    return byTime(events)
  }
  events.push({ago: transferred, error: null, kind: 'transfer', result: 'sent'})
  if (knobs.erp === 'ftp' && imported !== undefined && imported < transferred - 3 && random.chance(0.7))
    events.push({ago: imported, kind: 'erp-import', result: random.chance(0.6) ? 'processed' : 'rejected'})
  if (lost !== undefined && random.chance(0.12)) events.push({ago: lost, kind: 'order-lost'})
  return byTime(events)
}

/**
 * A third of the histories play a tenant whose APIs give pages of one to three rows. Drawn from a source of
 * its own, so that every other knob and event of a seed stays as it was.
 */
function smallPages(seed: number): number | null {
  const random = randomSource(seed ^ 0x5eed_9a6e)
  return random.chance(1 / 3) ? random.int(1, 3) : null
}

/**
 * A fifth of the seeds play a price history, drawn from a source of their own, so that the other seeds keep
 * the customer, item and order histories they had.
 */
function priceSeed(seed: number): boolean {
  return randomSource(seed ^ 0x9e1c_e5ed).chance(0.2)
}

/** A price history: knobs as for the others (no `--user`, export files under the layout's own names), a quantity of 1 or 12, its timeline. */
function priceHistory(seed: number): History {
  const random = randomSource(seed)
  const knobs: Knobs = {
    ...knobsFor(random, 'price'),
    filesFromSettings: false,
    maxPageSize: smallPages(seed),
    user: null,
  }
  const quantity = random.pick([1, 1, 12])
  const key = `${priceKeys.customer}/${priceKeys.item}`
  return {entity: 'price', events: priceEvents(random, knobs), key, knobs, quantity, seed}
}

/** The history of one seed: the knobs, the entity, and its timeline. */
export function generateHistory(seed: number, options: {entity?: Entity} = {}): History {
  if (options.entity === 'price' || (options.entity === undefined && priceSeed(seed))) return priceHistory(seed)
  const random = randomSource(seed)
  const chosen: Entity = options.entity ?? random.pick(['customer', 'customer', 'item', 'order'] as const)
  const knobs = {...knobsFor(random, chosen), maxPageSize: smallPages(seed)}
  if (chosen === 'item') return {entity: 'item', events: itemEvents(random, knobs), key: historyKeys.item, knobs, seed}
  if (chosen === 'order') {
    const lacks = knobs.erp !== 'ftp' && random.chance(0.35) ? random.pick(['customer', 'item'] as const) : null
    const events = orderEvents(random, knobs)
    // A transfer the ERP refused for what it lacks names it.
    const transfer = events.find((event) => event.kind === 'transfer')
    if (lacks && transfer?.kind === 'transfer') {
      transfer.result = 'failed'
      transfer.error =
        lacks === 'customer'
          ? `Customer ${historyKeys.orderCustomer} does not exist`
          : `Item ${historyKeys.orderItems[1]} does not exist`
      for (const event of events.filter((entry) => entry.kind === 'erp-import' || entry.kind === 'order-lost'))
        events.splice(events.indexOf(event), 1)
    }
    return {
      entity: 'order',
      erpLacks: {customer: lacks === 'customer', item: lacks === 'item'},
      events,
      key: historyKeys.order,
      knobs: {...knobs, user: null},
      seed,
    }
  }
  const outbound = random.chance(0.15)
  return {
    entity: 'customer',
    events: outbound ? outboundCustomer(random) : inboundCustomer(random, knobs),
    key: historyKeys.customer,
    knobs: outbound ? {...knobs, fault: null, user: null} : knobs,
    seed,
  }
}
