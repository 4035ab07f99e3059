import type {DiscountGroup} from '../../model/price.js'
import {parseLocalDateTime} from '../../util/time.js'
import {type ExportFile, type FtpSettings, layoutOf, statFiles} from './connector.js'
import type {RowProblem} from './csv-export.js'
import type {FileServer} from './file-server.js'
import {readPriceFile} from './price-files.js'
import {discountRuleFromExport} from './price-rows.js'

/** A skipped rule of the group, by file and line. */
interface SkippedRule {
  file: string
  line: number
  priceListCode: string
  itemCode: string
  reason: string
}

/**
 * One discount group from the layout's discount-group files (`discountgroups.csv`): its rules in file
 * order, changed at its latest rule's `LastModified`; null when no row names it. Rules that cannot be
 * read are reported by file and line (`priceListCode` is the group's code there).
 */
export async function readDiscountGroup(
  server: FileServer,
  basePath: string,
  settings: FtpSettings,
  code: string,
  timeZone: string,
): Promise<{
  files: ExportFile[]
  group: (DiscountGroup & {modifiedAt: Date | null}) | null
  skipped: SkippedRule[]
  problems: RowProblem[]
}> {
  const layout = layoutOf(settings)
  const because = `the ${layout.id} layout's discount-group file`
  const files = (await statFiles(server, basePath, [...layout.prices.discountGroupFiles])).map((file) => ({
    ...file,
    because,
  }))
  let group: (DiscountGroup & {modifiedAt: Date | null}) | null = null
  const skipped: SkippedRule[] = []
  const problems: RowProblem[] = []
  for (const file of files.filter((entry) => entry.exists)) {
    const unread = await readPriceFile(
      server,
      basePath,
      file.path,
      {keyColumn: 'DiscountGroup', layout, settings},
      (fields, line) => {
        if ((fields.DiscountGroup ?? '').trim() !== code) return
        group ??= {
          description: (fields.Description ?? '').trim() || null,
          discountGroupCode: code,
          modifiedAt: null,
          rules: [],
        }
        const read = discountRuleFromExport(fields, settings.decimal ?? '.')
        if ('skippedBecause' in read) {
          skipped.push({
            file: file.path,
            itemCode: (fields.ItemCode ?? '').trim(),
            line,
            priceListCode: code,
            reason: read.skippedBecause,
          })
          return
        }
        group.rules.push(read.rule)
        const modified = read.lastModifiedLocal ? parseLocalDateTime(read.lastModifiedLocal, timeZone) : null
        if (modified && (group.modifiedAt === null || modified > group.modifiedAt)) group.modifiedAt = modified
      },
    )
    problems.push(...unread)
  }
  return {files, group, problems, skipped}
}
