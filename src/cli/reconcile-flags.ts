import {Flags} from '@oclif/core'

import type {ReconcileTarget} from '../reconcile/types.js'
import {UserError} from '../util/errors.js'
import {checkOutputPath} from '../util/output-file.js'
import {connectionFlags, notWithJson} from './base-command.js'

export const reconcileExitCodes =
  'Exit codes: 0 every record consistent (or all findings fixed), 2 usage, 3 findings (see the classes), 4 a hop could not be read or some records could not be (record-unreadable), 5 --fix not allowed for your role, 6 a fix job failed or did not finish within --wait, 130 interrupted (continue with --resume).'

const pricesHelp = `

prices: every row of every price list, keyed list|item|unit|currency|fromQuantity|validFrom; the price equal within 0.005, validTo compared only where the source supplies dates; --fix runs a targeted prices sync per list. --between cms,webshop compares each webshop customer's price of each item (quantity 1) with the CMS's resolved price (key customer|item); --fix republishes the list.`

/** The help of `reconcile customers|items|prices`: summary, description and examples. */
export function reconcileHelp(entity: ReconcileTarget) {
  const singular = entity === 'customers' ? 'customer' : entity === 'items' ? 'item' : 'price row of every list'
  return {
    description: `Streams the ${entity} of both hops (paged as their APIs page, under each ERP's rate limit), matches them by key, compares each pair with the same mapping-aware comparison a trace uses, and classifies every difference with the trace's rules (missing, created or changed after the last sync, excluded by a filter, differs although synced, not published, …, and records only the downstream hop has). Prints a summary table (count, meaning and action per class), then the records.${entity === 'prices' ? pricesHelp : ''}

--fix starts one targeted CMS sync per 500 keys of the classes a sync resolves (and a webshop republish for the unpublished), after one confirmation, then compares those keys again: "fixed" only when they are consistent. The findings are always shown first, then the fix is confirmed (or, to an admin on a terminal without --fix, offered); every answer at that prompt is logged in the audit log. Ctrl-C writes a checkpoint; --resume continues from it with the same result as an uninterrupted run.

${reconcileExitCodes}`,
    examples: [
      `<%= config.bin %> <%= command.id %> --sandbox`,
      `<%= config.bin %> <%= command.id %> --sandbox --scale 100000 --between cms,webshop`,
      `<%= config.bin %> <%= command.id %> --profile acme --between cms,app --format markdown`,
      `<%= config.bin %> <%= command.id %> --profile acme --format csv --output ${entity}.csv`,
      `<%= config.bin %> <%= command.id %> --profile acme --fix --yes`,
      `<%= config.bin %> <%= command.id %> --profile acme --resume`,
    ],
    summary: `Compare every ${singular} between two hops and classify each difference.`,
  }
}

export function reconcileFlags(entity: ReconcileTarget) {
  return {
    ...connectionFlags,
    between: Flags.option({
      description: 'The two hops to compare (default: erp,cms, or ftp,cms on an ftp installation).',
      options: ['erp,cms', 'ftp,cms', 'cms,app', 'cms,webshop'] as const,
    })(),
    fix: Flags.boolean({
      default: false,
      description:
        'Perform the fix of every class synctrace can fix (targeted sync, webshop republish), then compare those keys again; needs --yes unless confirmed at the prompt.',
    }),
    format: Flags.option({
      char: 'f',
      relationships: notWithJson,
      default: 'terminal',
      description:
        'terminal (summary, first --limit records per class), markdown (for a ticket), csv or jsonl (every record), json (summary and every record).',
      options: ['terminal', 'markdown', 'csv', 'jsonl', 'json'] as const,
    })(),
    limit: Flags.integer({
      default: 10,
      description: 'Records shown per class on the terminal and in Markdown.',
      max: 100_000,
      min: 0,
    }),
    'no-input': Flags.boolean({default: false, description: 'Never prompt; --fix then needs --yes.'}),
    output: Flags.string({
      char: 'o',
      description: 'Write every record to this file (.csv, .md, else JSON lines); stdout gets the summary.',
    }),
    resume: Flags.boolean({
      default: false,
      description: 'Continue the interrupted run of the same entity and hops from its checkpoint.',
    }),
    scale: Flags.integer({
      description: `With --sandbox: a generated installation with this many ${entity} per hop (planted differences of every class; --installation scale or scale-ftp).`,
      max: 5_000_000,
      min: 10,
    }),
    wait: Flags.integer({
      default: 300,
      description: 'With --fix: seconds to wait for each job (it goes on in the platform after that).',
      max: 3600,
      min: 1,
    }),
    yes: Flags.boolean({char: 'y', default: false, description: 'With --fix: confirm without a prompt.'}),
  }
}

/** What the name of an --output file asks for. */
export const formatOf = (path: string): 'csv' | 'jsonl' | 'markdown' =>
  /\.csv$/i.test(path) ? 'csv' : /\.(md|markdown)$/i.test(path) ? 'markdown' : 'jsonl'

/** The combinations the flags' own checks cannot refuse. */
export function checkReconcileFlags(
  entity: ReconcileTarget,
  flags: {sandbox: boolean; scale?: number; output?: string; format: string},
): void {
  if (flags.scale !== undefined && !flags.sandbox)
    throw new UserError(
      '--scale generates a sandbox installation and needs --sandbox.',
      `Run: synctrace reconcile ${entity} --sandbox --scale ${flags.scale}`,
    )
  if (flags.output && (flags.format === 'csv' || flags.format === 'jsonl') && formatOf(flags.output) !== flags.format)
    throw new UserError(
      `--output ${flags.output} does not end in .${flags.format === 'csv' ? 'csv' : 'jsonl'}, the --format given.`,
      `Name the file ${entity}.${flags.format}, or leave out --format.`,
    )
  // Before any work: the run's records would have nowhere to go.
  if (flags.output) checkOutputPath(flags.output)
}
