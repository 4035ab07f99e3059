import type {FtpSettings} from './connector.js'
import {findRowInCsv, type RowProblem} from './csv-export.js'
import type {FileServer} from './file-server.js'
import type {FtpLayout} from './layouts/types.js'
import {pathInBase} from './location.js'
import {findElementInXml} from './xml-export.js'

/** One row of a price export file, as the layout names its columns mapped onto the contract's. */
export type PriceFileRow = (fields: Record<string, string>, line: number) => void | Promise<void>

/**
 * Every row of one price-list or discount-group file (CSV or XML, by its name) to `onRow` with its line,
 * in the layout's encoding and names; the rows that cannot be read come back by file and line, the rest
 * of the file still counts. Read as a stream: `onRow` may wait, and the file waits with it.
 */
export async function readPriceFile(
  server: FileServer,
  basePath: string,
  file: string,
  reading: {layout: FtpLayout; settings: FtpSettings; keyColumn: 'PriceList' | 'DiscountGroup'},
  onRow: PriceFileRow,
): Promise<RowProblem[]> {
  const {keyColumn, layout, settings} = reading
  const stream = await server.read(pathInBase(basePath, file))
  const problems: RowProblem[] = []
  const take = async (fields: Record<string, string>, line: number) => {
    await onRow(fields, line)
    return false
  }
  const search = file.toLowerCase().endsWith('.xml')
    ? await findElementInXml(
        stream,
        file,
        {
          element: layout.prices.xmlElement,
          encoding: settings.xmlEncoding ?? layout.xmlEncoding,
          keyColumn,
          leafOfSameName: true,
          rename: layout.prices.xmlRename,
        },
        take,
      )
    : await findRowInCsv(
        stream,
        file,
        {delimiter: settings.delimiter ?? ';', encoding: settings.csvEncoding ?? layout.csvEncoding},
        take,
        undefined,
        (problem) => problems.push(problem),
      )
  problems.push(...search.problems)
  return problems
}
