import {Args, Flags} from '@oclif/core'

import {TraceCommand, traceExitCodes, traceFlags, type TraceWithFix} from '../../cli/trace-command.js'

export default class TraceCustomer extends TraceCommand<typeof TraceCustomer> {
  static override summary = 'Trace a customer from the ERP through the CMS to the sales app and webshop.'

  static override description =
    `Fetches the customer at every hop of the installation's chain at once (ERP or its export files → CMS → app, webshop), compares the hops field by field, names the first hop where the record went missing, stale or different, explains why with evidence, and gives the action that fits.

${traceExitCodes}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 10042 --sandbox',
    '<%= config.bin %> <%= command.id %> 10080 --sandbox --user u-17',
    '<%= config.bin %> <%= command.id %> 20050 --sandbox --installation nordic',
    '<%= config.bin %> <%= command.id %> 10042 --profile acme --format markdown',
    '<%= config.bin %> <%= command.id %> 10042 --profile acme --json',
    '<%= config.bin %> <%= command.id %> 10042 --sandbox --fix --yes',
  ]

  static override args = {
    code: Args.string({
      description: 'The customer code as the ERP shows it (quote it if it holds spaces or quotes).',
      required: true,
    }),
  }

  static override flags = {
    ...traceFlags,
    user: Flags.string({
      char: 'u',
      description: "Check this app user's devices (default: the users of the customer's sales reps).",
    }),
  }

  public async run(): Promise<TraceWithFix> {
    const {args, flags} = await this.parse(TraceCustomer)
    const {validateKey} = await import('../../model/keys.js')
    const userId = flags.user === undefined ? undefined : validateKey('user id', flags.user).key
    return this.traceAndReport('customer', args.code, flags, userId)
  }
}
