import {ActionCommand, type ActionsOutput} from '../../cli/action-command.js'
import {fullSyncDescription, fullSyncFlags, requireFull} from '../../cli/full-sync.js'

export default class SyncCustomers extends ActionCommand<typeof SyncCustomers> {
  static override summary = 'Run a full CMS sync of customers (admin; needs --full).'

  static override description = fullSyncDescription('customers')

  static override examples = ['<%= config.bin %> <%= command.id %> --full --sandbox --yes']

  static override flags = fullSyncFlags

  public async run(): Promise<ActionsOutput> {
    const {flags} = await this.parse(SyncCustomers)
    requireFull(flags.full, 'customers', 'customer')
    return this.performTargets([{entity: 'customers', keys: null, kind: 'sync', mode: 'full'}], flags)
  }
}
