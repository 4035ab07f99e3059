import type {CanonicalCustomer} from '../../model/customer.js'
import {exportFilesOf, findInExports, layoutOf, sideFilesOf} from './connector.js'
import {type ExportResource, readExportRows} from './listing.js'

/** Customers in the customer export files (the item files are stat'ed beside them: is the export job running?). */
export const exportCustomers: ExportResource<CanonicalCustomer> = {
  find(settings, code) {
    const layout = layoutOf(settings)
    return findInExports(settings, code, {
      chosen: exportFilesOf(settings, 'customers'),
      kind: layout.customers,
      layout,
      otherFiles: sideFilesOf(settings, 'items'),
    })
  },
  list: (settings, onRow, onProblem) => readExportRows(settings, 'customers', onRow, onProblem),
}
