import {Args} from '@oclif/core'

import {actionConnectionFlags, ActionCommand, actionFlags, type ActionsOutput} from '../../cli/action-command.js'
import type {ActionTarget} from '../../actions/target.js'

export default class RefreshWebshop extends ActionCommand<typeof RefreshWebshop> {
  static override summary = 'Republish customers, items or price lists to the webshop (admin).'

  static override description =
    `Sends POST /republish to the webshop and waits until it is done; for customers, traces them again and prints before → after.
  refresh webshop customer 10042 10090   those customers
  refresh webshop item P-100             those items
  refresh webshop customers | items      every customer, or every item
  refresh webshop prices B2B-A           those price lists (their rows, for every customer on them)
  refresh webshop prices                 every price list
  refresh webshop                        every customer and every item
Republishing a customer republishes its pricing profile too. Confirmation and exit codes as for sync customer.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> customer 10090 --sandbox --yes',
    '<%= config.bin %> <%= command.id %> items --profile acme',
    '<%= config.bin %> <%= command.id %> prices F --sandbox --installation fjord --yes',
  ]

  static override strict = false

  static override args = {
    what: Args.string({
      description: 'customer, item (with codes), customers or items (all), prices (with list codes, or all lists).',
      options: ['customer', 'item', 'customers', 'items', 'prices'],
      required: false,
    }),
  }

  static override flags = {...actionConnectionFlags, ...actionFlags}

  public async run(): Promise<ActionsOutput> {
    const {args, argv, flags} = await this.parse(RefreshWebshop)
    const {validateKey} = await import('../../model/keys.js')
    const {UserError} = await import('../../util/errors.js')
    const codes = (argv as string[]).slice(1)
    const what = args.what
    let targets: ActionTarget[]
    if (what === 'prices')
      targets = [
        {
          entity: 'prices',
          keys: codes.length > 0 ? codes.map((code) => validateKey('price-list code', code).key) : null,
          kind: 'webshop-republish',
        },
      ]
    else if (what === 'customer' || what === 'item') {
      if (codes.length === 0)
        throw new UserError(
          `Name the ${what} codes to republish.`,
          `synctrace refresh webshop ${what} <code>..., or synctrace refresh webshop ${what}s for all.`,
        )
      targets = [
        {
          entity: `${what}s`,
          keys: codes.map((code) => validateKey(`${what} code`, code).key),
          kind: 'webshop-republish',
        },
      ]
    } else {
      if (codes.length > 0)
        throw new UserError(
          `"${what}" republishes everything and takes no codes.`,
          `Use synctrace refresh webshop ${what === 'items' ? 'item' : 'customer'} <code>... for some.`,
        )
      const entities: Array<'customers' | 'items'> = what ? [what as 'customers' | 'items'] : ['customers', 'items']
      targets = entities.map((entity) => ({entity, keys: null, kind: 'webshop-republish'}))
    }
    return this.performTargets(targets, flags)
  }
}
