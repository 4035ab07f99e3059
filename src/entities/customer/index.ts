import {defineEntity, recordField} from '../descriptor.js'

export default defineEntity({
  actions: {syncs: 'customers', verifiedBy: ['customers']},
  command: {
    description:
      "Fetches the customer at every hop of the installation's chain at once (ERP or its export files → CMS → app, webshop), compares the hops field by field, names the first hop where the record went missing, stale or different, explains why with evidence, and gives the action that fits.",
    examples: [
      '10042 --sandbox',
      '10080 --sandbox --user u-17',
      '20050 --sandbox --installation nordic',
      '10042 --profile acme --format markdown',
      '10042 --profile acme --json',
      '10042 --sandbox --fix --yes',
    ],
    key: {description: 'The customer code as the ERP shows it (quote it if it holds spaces or quotes).', name: 'code'},
    summary: 'Trace a customer from the ERP through the CMS to the sales app and webshop.',
    user: "Check this app user's devices (default: the users of the customer's sales reps).",
  },
  direction: 'inbound',
  keyName: 'customer code',
  label: 'Customer',
  load: async () => (await import('./trace.js')).trace,
  name: 'customer',
  recordName: recordField('name'),
})

// Its name in the report schema's union of entity names (which imports nothing, so each entity adds its own).
declare module '../../report/entities.js' {
  interface EntityRegistry {
    customer: true
  }
}
