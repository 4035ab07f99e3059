import {Args, Flags} from '@oclif/core'

import {actionConnectionFlags, ActionCommand, actionFlags, type ActionsOutput} from '../../cli/action-command.js'

export default class RetransferOrder extends ActionCommand<typeof RetransferOrder> {
  static override summary = 'Send an order to the ERP (or its FTP folder) again (admin).'

  static override description =
    'First looks the order up in the ERP (or, on ftp installations, in Orders/processed/): if the ERP already has it, nothing is sent (exit 3, naming the ERP document), since a second transfer would book it twice; --force sends it anyway. Otherwise sends POST /orders/{orderNr}/retransfer to the CMS, waits for the job and traces the order again. Confirmation and exit codes as for sync customer.'

  static override examples = ['<%= config.bin %> <%= command.id %> A-2004 --profile acme --yes']

  static override args = {orderNr: Args.string({description: 'The order number.', required: true})}

  static override flags = {
    ...actionConnectionFlags,
    ...actionFlags,
    force: Flags.boolean({
      default: false,
      description: 'Send the order although the ERP already has it (it would be booked twice).',
    }),
  }

  public async run(): Promise<ActionsOutput> {
    const {args, flags} = await this.parse(RetransferOrder)
    const {validateKey} = await import('../../model/keys.js')
    return this.performTargets(
      [{kind: 'order-retransfer', orderNr: validateKey('order number', args.orderNr).key}],
      flags,
    )
  }
}
