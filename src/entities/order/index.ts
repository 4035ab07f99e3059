import type {TraceReport} from '../../report/types.js'
import {defineEntity} from '../descriptor.js'

/** An order's header names its customer. */
function forCustomer(report: TraceReport): string | null {
  const customer = report.hops.flatMap((hop) => hop.evidence).find((entry) => entry.name === 'customerCode')?.text
  return customer ? `for customer ${customer}` : null
}

export default defineEntity({
  // A sync or republish that an order's trace asks for is of its customer.
  actions: {syncs: 'customers', verifiedBy: []},
  command: {
    description:
      "Looks for the order on the devices (pendingUploads) and in the webshop, in the CMS (its transfer status, attempts and error), in the order folders on the file server (Orders/, processed/, error/ with the .err.txt reason and the file's age) and in the ERP (by the order number as the ERP stores it, or the CMS's ERP document number). When the ERP refused it, it checks whether the ERP has the order's customer and items, and names those it lacks.",
    examples: ['A-2003 --sandbox', 'B-3001 --sandbox --installation nordic', 'A-2004 --sandbox --fix --yes'],
    key: {description: 'The order number (as the app or webshop shows it).', name: 'orderNr'},
    summary: 'Trace an order on its way out: app device or webshop → CMS → (FTP Orders/ folder) → ERP.',
    user: "Look for the order on this app user's devices (default: every user's, when the CMS does not have it).",
  },
  direction: 'outbound',
  keyName: 'order number',
  label: 'Order',
  load: async () => (await import('./trace.js')).trace,
  name: 'order',
  recordName: forCustomer,
})

// Its name in the report schema's union of entity names (which imports nothing, so each entity adds its own).
declare module '../../report/entities.js' {
  interface EntityRegistry {
    order: true
  }
}
