import {Args} from '@oclif/core'

import {TraceCommand, traceExitCodes, traceFlags, type TraceWithFix} from '../../cli/trace-command.js'

export default class TraceItem extends TraceCommand<typeof TraceItem> {
  static override summary =
    'Trace an item (price, stock, webshop flag) from the ERP through the CMS to the app and webshop.'

  static override description =
    `Fetches the item at every hop at once (ERP or items.csv → CMS → app, webshop) and compares them. A price is stale when the ERP changed it after the last item sync. Stock moves all day: a stock difference from a movement after the last stock sync is expected lag (reported, verdict ok); one older than the last stock sync is a fault. Items the CMS leaves out (inactive, or not a webshop item while onlyWebshopItems is on) are reported as excluded with the setting named.

${traceExitCodes}`

  static override examples = [
    '<%= config.bin %> <%= command.id %> P-200 --sandbox',
    '<%= config.bin %> <%= command.id %> P-400 --sandbox --format markdown',
    '<%= config.bin %> <%= command.id %> N-200 --sandbox --installation nordic',
  ]

  static override args = {code: Args.string({description: 'The item code as the ERP shows it.', required: true})}

  static override flags = traceFlags

  public async run(): Promise<TraceWithFix> {
    const {args, flags} = await this.parse(TraceItem)
    return this.traceAndReport('item', args.code, flags)
  }
}
