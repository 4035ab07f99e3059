import {defineEntity, recordField} from '../descriptor.js'

export default defineEntity({
  actions: {syncs: 'items', verifiedBy: ['items', 'stock']},
  command: {
    description:
      'Fetches the item at every hop at once (ERP or items.csv → CMS → app, webshop) and compares them. A price is stale when the ERP changed it after the last item sync. Stock moves all day: a stock difference from a movement after the last stock sync is expected lag (reported, verdict ok); one older than the last stock sync is a fault. Items the CMS leaves out (inactive, or not a webshop item while onlyWebshopItems is on) are reported as excluded with the setting named.',
    examples: ['P-200 --sandbox', 'P-400 --sandbox --format markdown', 'N-200 --sandbox --installation nordic'],
    key: {description: 'The item code as the ERP shows it.', name: 'code'},
    summary: 'Trace an item (price, stock, webshop flag) from the ERP through the CMS to the app and webshop.',
  },
  direction: 'inbound',
  keyName: 'item code',
  label: 'Item',
  load: async () => (await import('./trace.js')).trace,
  name: 'item',
  recordName: recordField('description'),
})

// Its name in the report schema's union of entity names (which imports nothing, so each entity adds its own).
declare module '../../report/entities.js' {
  interface EntityRegistry {
    item: true
  }
}
