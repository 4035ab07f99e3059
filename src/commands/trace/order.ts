import {Args, Flags} from '@oclif/core'

import {TraceCommand, traceExitCodes, traceFlags, type TraceWithFix} from '../../cli/trace-command.js'

export default class TraceOrder extends TraceCommand<typeof TraceOrder> {
  static override summary = 'Trace an order on its way out: app device or webshop → CMS → (FTP Orders/ folder) → ERP.'

  static override description =
    `Looks for the order on the devices (pendingUploads) and in the webshop, in the CMS (its transfer status, attempts and error), in the order folders on the file server (Orders/, processed/, error/ with the .err.txt reason and the file's age) and in the ERP (by the order number as the ERP stores it, or the CMS's ERP document number). When the ERP refused it, it checks whether the ERP has the order's customer and items, and names those it lacks.

${traceExitCodes}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> A-2003 --sandbox',
    '<%= config.bin %> <%= command.id %> B-3001 --sandbox --installation nordic',
    '<%= config.bin %> <%= command.id %> A-2004 --sandbox --fix --yes',
  ]

  static override args = {
    orderNr: Args.string({description: 'The order number (as the app or webshop shows it).', required: true}),
  }

  static override flags = {
    ...traceFlags,
    user: Flags.string({
      char: 'u',
      description:
        "Look for the order on this app user's devices (default: every user's, when the CMS does not have it).",
    }),
  }

  public async run(): Promise<TraceWithFix> {
    const {args, flags} = await this.parse(TraceOrder)
    const {validateKey} = await import('../../model/keys.js')
    const userId = flags.user === undefined ? undefined : validateKey('user id', flags.user).key
    return this.traceAndReport('order', args.orderNr, flags, userId)
  }
}
