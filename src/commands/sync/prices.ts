import {ActionCommand, type ActionsOutput} from '../../cli/action-command.js'
import {fullSyncDescription, fullSyncFlags, requireFull} from '../../cli/full-sync.js'

export default class SyncPrices extends ActionCommand<typeof SyncPrices> {
  static override summary = 'Run a full CMS sync of prices (admin; needs --full).'

  static override description = fullSyncDescription('prices')

  static override examples = ['<%= config.bin %> <%= command.id %> --full --sandbox --yes']

  static override flags = fullSyncFlags

  public async run(): Promise<ActionsOutput> {
    const {flags} = await this.parse(SyncPrices)
    requireFull(flags.full, 'prices', 'price')
    return this.performTargets([{entity: 'prices', keys: null, kind: 'sync', mode: 'full'}], flags)
  }
}
