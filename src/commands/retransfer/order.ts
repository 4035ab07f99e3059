import {Args} from '@oclif/core'

import {actionConnectionFlags, ActionCommand, actionFlags, type ActionsOutput} from '../../cli/action-command.js'

export default class RetransferOrder extends ActionCommand<typeof RetransferOrder> {
  static override summary = 'Send an order to the ERP (or its FTP folder) again (admin).'

  static override description = 'Sends POST /orders/{orderNr}/retransfer to the CMS and waits for the job. Confirmation and exit codes as for sync customer.'

  static override examples = ['<%= config.bin %> <%= command.id %> A-2004 --profile acme --yes']

  static override args = {orderNr: Args.string({description: 'The order number.', required: true})}

  static override flags = {...actionConnectionFlags, ...actionFlags}

  public async run(): Promise<ActionsOutput> {
    const {args, flags} = await this.parse(RetransferOrder)
    const {validateKey} = await import('../../model/keys.js')
    return this.performTargets([{kind: 'order-retransfer', orderNr: validateKey('order number', args.orderNr).key}], flags)
  }
}
