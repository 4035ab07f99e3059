import {Args} from '@oclif/core'

import {actionConnectionFlags, ActionCommand, actionFlags, type ActionsOutput} from '../../cli/action-command.js'

export default class SyncCustomer extends ActionCommand<typeof SyncCustomer> {
  static override summary = 'Run a targeted CMS sync of one or more customers (admin).'

  static override description = `Starts a CMS sync job for just these customers (POST /sync/jobs, mode targeted), waits for it, then traces each customer again and prints before → after. Asks for confirmation on a terminal; needs --yes otherwise. A support role is told the command to hand to an admin.

Exit codes: 0 done and the break is gone (or --dry-run), 2 usage (e.g. --yes missing), 3 done but a break remains, 4 a hop could not be reached, 5 not allowed for your role, 6 the job failed or did not finish in time, 130 interrupted (the job goes on).`

  static override examples = ['<%= config.bin %> <%= command.id %> 10042 --sandbox --yes', '<%= config.bin %> <%= command.id %> 10042 10050 --profile acme --dry-run']

  static override strict = false

  static override args = {code: Args.string({description: 'Customer codes (one or more).', required: true})}

  static override flags = {...actionConnectionFlags, ...actionFlags}

  public async run(): Promise<ActionsOutput> {
    const {argv, flags} = await this.parse(SyncCustomer)
    const {validateKey} = await import('../../model/keys.js')
    const keys = (argv as string[]).map((code) => validateKey('customer code', code).key)
    return this.performTargets([{entity: 'customers', keys, kind: 'sync', mode: 'targeted'}], flags)
  }
}
