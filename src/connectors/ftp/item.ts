import type {CanonicalItem} from '../../model/item.js'
import {exportFilesOf, findInExports, layoutOf, sideFilesOf} from './connector.js'
import {type ExportResource, readExportRows} from './listing.js'

/** Items in the item export files (the customer files are stat'ed beside them: is the export job running?). */
export const exportItems: ExportResource<CanonicalItem> = {
  find(settings, code) {
    const layout = layoutOf(settings)
    return findInExports(settings, code, {
      chosen: exportFilesOf(settings, 'items'),
      kind: layout.items,
      layout,
      otherFiles: sideFilesOf(settings, 'customers'),
    })
  },
  list: (settings, onRow, onProblem) => readExportRows(settings, 'items', onRow, onProblem),
}
