import type {CanonicalCustomer} from '../../model/customer.js'
import type {ExportResource} from './listing.js'

/**
 * Customers in the customer export files (the item files are stat'ed beside them: is the export job running?).
 * The export's reader is loaded when an ftp installation's files are read, not by every customer trace.
 */
export const exportCustomers: ExportResource<CanonicalCustomer> = {
  async find(settings, code) {
    const {exportFilesOf, findInExports, layoutOf, sideFilesOf} = await import('./connector.js')
    const layout = layoutOf(settings)
    return findInExports(settings, code, {
      chosen: exportFilesOf(settings, 'customers'),
      kind: layout.customers,
      layout,
      otherFiles: sideFilesOf(settings, 'items'),
    })
  },
  list: async (settings, onRow, onProblem) =>
    (await import('./listing.js')).readExportRows(settings, 'customers', onRow, onProblem),
}
