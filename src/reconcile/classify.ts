import {finding} from './classify-context.js'
import type {ClassifyContext} from './classify-context.js'
import {classifyPrice} from './classify-prices.js'
import {cmsToPublished} from './classify-published.js'
import {sourceToCms} from './classify-source.js'
import type {ReconcileRecord, SideEntry} from './types.js'

export type {ClassifyContext} from './classify-context.js'
export {withRunExclusion} from './classify-source.js'

/**
 * Classifies one key, given what each side holds (null: not there). Null means consistent. Uses the trace's
 * comparison (the CMS's mapping applied, unsupplied fields left out) and its rules of time: a claim about
 * the order of events rests on the source's change time and the last sync run's start, and a source
 * without change times (Fortnox) gives `change-order-unknown`, never "changed after the sync".
 */
export function classify(
  context: ClassifyContext,
  key: string,
  up: SideEntry | null,
  down: SideEntry | null,
  users?: (recordUsers: string[]) => void,
): ReconcileRecord | null {
  if (up?.error)
    return context.between === 'ftp,cms' && up.info.line !== undefined
      ? finding(
          key,
          'export-row-unreadable',
          `Its row in ${up.info.file} (line ${up.info.line}) cannot be read: ${up.error}.`,
          {
            cause: 'export-row-unreadable',
            error: up.error,
            file: up.info.file,
            line: up.info.line,
            side: 'upstream',
          },
        )
      : finding(
          key,
          'record-unreadable',
          `${context.upstreamName} listed it, but the record cannot be read: ${up.error}`,
          {cause: 'hop-error', error: up.error, side: 'upstream'},
        )
  if (down?.error)
    return finding(
      key,
      'record-unreadable',
      `${context.downstreamName} listed it, but the record cannot be read: ${down.error}`,
      {
        cause: 'hop-error',
        error: down.error,
        side: 'downstream',
      },
    )
  if (context.entity === 'prices') return classifyPrice(context, key, up, down)
  if (context.between === 'erp,cms' || context.between === 'ftp,cms') return sourceToCms(context, key, up, down)
  return cmsToPublished(context, key, up, down, users)
}
