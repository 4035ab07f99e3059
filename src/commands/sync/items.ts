import {ActionCommand, type ActionsOutput} from '../../cli/action-command.js'
import {fullSyncDescription, fullSyncFlags, requireFull} from '../../cli/full-sync.js'

export default class SyncItems extends ActionCommand<typeof SyncItems> {
  static override summary = 'Run a full CMS sync of items (admin; needs --full).'

  static override description = fullSyncDescription('items')

  static override examples = ['<%= config.bin %> <%= command.id %> --full --sandbox --yes']

  static override flags = fullSyncFlags

  public async run(): Promise<ActionsOutput> {
    const {flags} = await this.parse(SyncItems)
    requireFull(flags.full, 'items', 'item')
    return this.performTargets([{entity: 'items', keys: null, kind: 'sync', mode: 'full'}], flags)
  }
}
