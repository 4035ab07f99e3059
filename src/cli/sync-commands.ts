import {Args, Flags} from '@oclif/core'

import type {SyncEntity} from '../connectors/platform/types.js'
import {UserError} from '../util/errors.js'
import {actionConnectionFlags, ActionCommand, actionFlags, type ActionsOutput} from './action-command.js'

const exitCodes =
  'Exit codes: 0 done and the break is gone (or --dry-run), 2 usage (e.g. --yes missing), 3 done but a break remains, 4 a hop could not be reached, 5 not allowed for your role, 6 the job failed or did not finish in time, 130 interrupted (the job goes on).'

/** `sync customer|item <codes...>`: one class per entity, the same behaviour. */
export function targetedSyncCommand(
  entity: 'customers' | 'items',
  singular: 'customer' | 'item',
  exampleCodes: [string, string],
) {
  return class TargetedSync extends ActionCommand<typeof TargetedSync> {
    static override summary = `Run a targeted CMS sync of one or more ${entity} (admin).`

    static override description =
      `Starts a CMS sync job for just these ${entity} (POST /sync/jobs, mode targeted), waits for it, then traces each ${singular} again and prints before → after. Asks for confirmation on a terminal; needs --yes otherwise. A support role is told the command to hand to an admin.

${exitCodes}`

    static override examples = [
      `<%= config.bin %> <%= command.id %> ${exampleCodes[0]} --sandbox --yes`,
      `<%= config.bin %> <%= command.id %> ${exampleCodes.join(' ')} --profile acme --dry-run`,
    ]

    static override strict = false

    static override args = {
      code: Args.string({
        description: `${singular === 'customer' ? 'Customer' : 'Item'} codes (one or more).`,
        required: true,
      }),
    }

    static override flags = {...actionConnectionFlags, ...actionFlags}

    public async run(): Promise<ActionsOutput> {
      const {argv, flags} = await this.parse(TargetedSync)
      const {validateKey} = await import('../model/keys.js')
      const keys = (argv as string[]).map((code) => validateKey(`${singular} code`, code).key)
      return this.performTargets([{entity, keys, kind: 'sync', mode: 'targeted'}], flags)
    }
  }
}

/** `sync customers|items|prices|stock --full`: --full is required, so a full sync never starts by accident. */
export function fullSyncCommand(entity: SyncEntity, singular: string) {
  return class FullSync extends ActionCommand<typeof FullSync> {
    static override summary = `Run a full CMS sync of ${entity} (admin; needs --full).`

    static override description =
      `Starts a full CMS sync of ${entity} (POST /sync/jobs, mode full) and waits for it. A full sync reads every record of the ERP: use a targeted sync when only some records are wrong. --full is required. ${exitCodes}`

    static override examples = ['<%= config.bin %> <%= command.id %> --full --sandbox --yes']

    static override flags = {
      ...actionConnectionFlags,
      ...actionFlags,
      full: Flags.boolean({
        default: false,
        description: 'Sync every record of the entity (required: a full sync is never started by accident).',
      }),
    }

    public async run(): Promise<ActionsOutput> {
      const {flags} = await this.parse(FullSync)
      if (!flags.full)
        throw new UserError(
          `synctrace sync ${entity} reads every ${singular} and needs --full.`,
          `Run synctrace sync ${entity} --full, or synctrace sync ${singular} <code>... for some.`,
        )
      return this.performTargets([{entity, keys: null, kind: 'sync', mode: 'full'}], flags)
    }
  }
}

/**
 * `sync prices <list...>`: a targeted `prices` run of those price lists (the CMS re-reads each list whole,
 * every item); `sync prices --full` re-reads every list and, as every full sync, needs --full.
 */
export function pricesSyncCommand() {
  return class PricesSync extends ActionCommand<typeof PricesSync> {
    static override summary = 'Run a targeted CMS sync of price lists, or with --full of every list (admin).'

    static override description =
      `Starts a CMS prices run (POST /sync/jobs, entity prices) and waits for it. With list codes (the ERP's price-list codes, as the customer's priceListCode): a targeted run that re-reads those lists whole (every item; on an FTP installation the file is read again and only those lists written), then checks each list at the CMS: known, active, re-read by this run, and what the run did with it. Without codes: a full run of every list, which needs --full. Asks for confirmation on a terminal; needs --yes otherwise. A support role is told the command to hand to an admin.

${exitCodes}`

    static override examples = [
      '<%= config.bin %> <%= command.id %> E --sandbox --installation fjord --yes',
      '<%= config.bin %> <%= command.id %> B2B-A B2B-B --profile acme --dry-run',
      '<%= config.bin %> <%= command.id %> --full --profile acme --yes',
    ]

    static override strict = false

    static override args = {
      list: Args.string({description: 'Price-list codes (one or more); none with --full.', required: false}),
    }

    static override flags = {
      ...actionConnectionFlags,
      ...actionFlags,
      full: Flags.boolean({
        default: false,
        description: 'Sync every price list (required without list codes: a full sync is never started by accident).',
      }),
    }

    public async run(): Promise<ActionsOutput> {
      const {argv, flags} = await this.parse(PricesSync)
      const {validateKey} = await import('../model/keys.js')
      const codes = argv as string[]
      if (flags.full && codes.length > 0)
        throw new UserError(
          '--full syncs every price list and takes no list codes.',
          `Run synctrace sync prices ${codes.join(' ')} for those lists, or synctrace sync prices --full for all.`,
        )
      if (!flags.full && codes.length === 0)
        throw new UserError(
          'synctrace sync prices reads every price list and needs --full.',
          'Run synctrace sync prices --full, or synctrace sync prices <list>... for some lists.',
        )
      const keys = flags.full ? null : codes.map((code) => validateKey('price-list code', code).key)
      return this.performTargets([{entity: 'prices', keys, kind: 'sync', mode: keys ? 'targeted' : 'full'}], flags)
    }
  }
}
