import {ActionCommand, type ActionsOutput} from '../../cli/action-command.js'
import {fullSyncDescription, fullSyncFlags, requireFull} from '../../cli/full-sync.js'

export default class SyncStock extends ActionCommand<typeof SyncStock> {
  static override summary = 'Run a full CMS sync of stock (admin; needs --full).'

  static override description = fullSyncDescription('stock')

  static override examples = ['<%= config.bin %> <%= command.id %> --full --sandbox --yes']

  static override flags = fullSyncFlags

  public async run(): Promise<ActionsOutput> {
    const {flags} = await this.parse(SyncStock)
    requireFull(flags.full, 'stock', 'stock')
    return this.performTargets([{entity: 'stock', keys: null, kind: 'sync', mode: 'full'}], flags)
  }
}
